"""The README as a newcomer follows it: every page it sends an organiser to opens for an
organiser, and its demo commands work as written in a new terminal."""

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
# Pages the README names as platform staff's, not organisers'.
STAFF_PAGES = {"/admin/onboarding/organisationrequest/"}


def _pages() -> list[str]:
    return sorted(set(re.findall(r"`(/(?:admin|organise)/[^`\s]*)`", README)))


def test_the_readme_names_organiser_pages():
    assert "/admin/delivery/officialdeliveries/" in _pages()
    assert "/organise/campaigns/<id>/" in _pages()


@pytest.mark.parametrize("page", _pages())
def test_every_page_the_readme_sends_an_organiser_to_opens(
    client, organisers, page, django_user_model
):
    from altavoz.campaigns import access
    from altavoz.campaigns.models import Campaign

    campaign = Campaign.objects.get(slug="miami-287g")
    ids = {"campaigns": campaign.pk, "organisations": campaign.organisation_id}
    url = re.sub(r"/(\w+)/<id>/", lambda m: f"/{m.group(1)}/{ids[m.group(1)]}/", page)
    if page in STAFF_PAGES:
        user = django_user_model.objects.create_user("staffer", password="pw", is_staff=True)
        user.groups.add(access.platform_staff_group())
    else:
        user = organisers.a
    client.force_login(user)
    assert client.get(url).status_code == 200, url


def _demo_commands() -> list[str]:
    """The commands the README's opening tells a newcomer to type."""
    opening = README.split("## What is here", 1)[0]
    return re.findall(r"`(ALTAVOZ_DEMO=1 \.venv/bin/altavoz[^`]*)`", opening.replace("\n", " "))


@pytest.mark.vendor_neutral  # the commands run on their own SQLite file
def test_the_readme_demo_commands_work_in_a_new_terminal(tmp_path):
    """In a terminal where nothing is set (no SECRET_KEY, no DEBUG), each command works as
    written (createsuperuser is answered by its --noinput options)."""
    commands = _demo_commands()
    assert any("createsuperuser" in c for c in commands)
    keep = {"PATH", "HOME", "LANG"}
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(ALTAVOZ_VAR_DIR=str(tmp_path), DJANGO_SUPERUSER_PASSWORD="a long demo password")
    altavoz = str(Path(sys.executable).parent / "altavoz")
    run = ["env", "ALTAVOZ_DEMO=1", altavoz, "migrate", "--noinput"]
    assert subprocess.run(run, env=env, cwd=ROOT, capture_output=True).returncode == 0
    for command in commands:
        words = shlex.split(command)
        words = ["env", *[altavoz if w == ".venv/bin/altavoz" else w for w in words]]
        if "createsuperuser" in words:
            words += ["--noinput", "--username", "admin", "--email", "admin@example.org"]
        result = subprocess.run(words, env=env, cwd=ROOT, capture_output=True, text=True)
        assert result.returncode == 0, (command, result.stderr[-2000:])


def test_make_demo_prints_how_to_sign_in_as_an_organiser(db, capsys, settings, client):
    settings.DEMO = True
    call_command("loaddemo", "--without-maps", "--accounts")
    out = capsys.readouterr().out
    password = re.search(r"organiser / (\S+)", out).group(1)
    assert "Sign in at http://127.0.0.1:8000/admin/" in out
    signed_in = client.post(
        "/admin/login/", {"username": "organiser", "password": password, "next": "/admin/"}
    )
    assert signed_in.status_code == 302
    assert client.get("/admin/campaigns/campaign/").status_code == 200
    call_command("loaddemo", "--without-maps", "--accounts")
    again = re.search(r"organiser / (\S+)", capsys.readouterr().out).group(1)
    assert again != password  # a new one each time the demo starts
    assert "loaddemo --accounts" in (ROOT / "Makefile").read_text()


def test_demo_accounts_are_made_only_in_the_demo(db, settings):
    from django.contrib.auth import get_user_model

    settings.DEMO = False
    with pytest.raises(CommandError, match="demo only"):
        call_command("loaddemo", "--without-maps", "--accounts")
    assert not get_user_model().objects.filter(username="organiser").exists()
