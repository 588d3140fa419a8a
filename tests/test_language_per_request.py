"""Each visitor gets the campaign in the language of the URL, whatever another visitor asked
for before them: the three languages one after another in one process, nothing cleared in
between (a campaign kept for a spike once served everyone the first request's language), and
the same against a running altavoz-web with two processes."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail

from altavoz.campaigns.models import Signature

HEADLINES = {
    "en": "Tell the City of Miami to Stop Diverting Local Funding",
    "es": "Dígale a la Ciudad de Miami que deje de desviar fondos locales",
    "ht": "Di Vil Miami pou l sispann",
}
PREFIX = {"en": "", "es": "/es", "ht": "/ht"}
ORDERS = [("es", "en", "ht"), ("ht", "es", "en"), ("en", "ht", "es")]


def _headline(html: str) -> str:
    return re.search(r"<h1>(.*?)</h1>", html, re.S).group(1)


def _only(language: str, text: str) -> None:
    """``text`` has this language's headline and none of the others'."""
    for other, headline in HEADLINES.items():
        assert (headline in text) == (other == language), (language, other)


@pytest.mark.parametrize("order", ORDERS, ids="-".join)
def test_the_page_follows_each_requests_language(client, miami, order):
    for _ in range(2):
        for language in order:
            html = client.get(f"{PREFIX[language]}/act/miami-287g/").content.decode()
            _only(language, _headline(html))


def test_a_form_with_an_error_comes_back_in_its_own_language(client, supporter_post):
    for language in ("es", "en", "ht"):
        response = client.post(f"{PREFIX[language]}/act/miami-287g/", supporter_post(zip_code="1"))
        assert response.status_code == 400
        _only(language, _headline(response.content.decode()))


def test_thanks_letters_and_emails_follow_each_signers_language(
    client, addressed, supporter_post, drain, settings
):
    settings.DELIVERY_NOTIFY_SUPPORTERS = True
    statements = {
        "en": "By signing this petition",
        "es": "Al firmar esta petición",
        "ht": "Lè m siyen petisyon sa a",
    }
    for n, language in enumerate(("es", "en", "ht")):
        client.get(f"{PREFIX[language]}/act/miami-287g/")
        post = supporter_post(email=f"signer{n}@example.com", letter_body=f"Words {n}.")
        thanks = client.post(f"{PREFIX[language]}/act/miami-287g/", post, follow=True)
        _only(language, thanks.content.decode())
        assert Signature.objects.get(person__email=f"signer{n}@example.com").language == language
    drain()
    for n, language in enumerate(("es", "en", "ht")):
        (letter,) = [m for m in mail.outbox if f"Words {n}." in m.body]
        for other, statement in statements.items():
            assert (statement in letter.body) == (other == language), (language, other)
        (notice,) = [m for m in mail.outbox if m.to == [f"signer{n}@example.com"]]
        for other, headline in HEADLINES.items():
            assert (headline[:30] in notice.body) == (other == language), (n, other)


@pytest.mark.vendor_neutral  # the servers run on their own SQLite file
def test_two_server_processes_each_serve_every_language(tmp_path):
    """altavoz-web with two processes: each keeps its own copy of the campaign, and neither
    serves the language it rendered first to everyone."""
    from test_webserver import _free_port, _get

    database = f"sqlite:///{tmp_path / 'web.sqlite3'}"
    env = {
        **os.environ, "ALTAVOZ_VAR_DIR": str(tmp_path), "DATABASE_URL": database,
        "ALLOWED_HOSTS": "127.0.0.1", "ALTAVOZ_DEMO": "0",
    }  # fmt: skip
    altavoz = Path(sys.executable).parent / "altavoz"
    for command in (["migrate", "--noinput"], ["loaddemo"]):
        subprocess.run([altavoz, *command], env=env, check=True, capture_output=True)
    port = _free_port()
    web = {**env, "WEB_BIND": f"127.0.0.1:{port}", "WEB_WORKERS": "2", "WEB_THREADS": "2"}
    server = subprocess.Popen([altavoz.parent / "altavoz-web"], env=web, stderr=subprocess.PIPE)
    try:
        for _ in range(6):  # enough requests for both processes to render every language
            for language in ("es", "en", "ht"):
                status, body = _get(port, f"{PREFIX[language]}/act/miami-287g/")
                assert status == 200
                _only(language, _headline(body.decode()))
    finally:
        server.terminate()
        server.communicate(timeout=30)
