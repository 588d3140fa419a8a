import pytest
from django.core.management import CommandError, call_command

from altavoz.districts.models import Official


def test_reimporting_the_roster_changes_nothing(miami):
    before = list(Official.objects.order_by("name").values_list("name", "start_date", "email"))
    call_command("loaddemo", "--without-maps", stdout=open("/dev/null", "w"))  # noqa: SIM115
    after = list(Official.objects.order_by("name").values_list("name", "start_date", "email"))
    assert before == after and len(after) == 6


def test_an_empty_email_in_the_roster_keeps_one_an_organiser_entered(miami):
    Official.objects.filter(name="Damian Pardo").update(email="dpardo@example.org")
    call_command("loaddemo", "--without-maps", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Official.objects.get(name="Damian Pardo").email == "dpardo@example.org"


def test_a_row_for_an_unknown_seat_says_which_line(miami, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("office,district,name,in_office_since\nCommissioner,9,Nobody,2024-01-01\n")
    with pytest.raises(CommandError, match="line 2: no 'Commissioner' seat for district '9'"):
        call_command("officials", "import", str(roster), "--set", "miami-commission-districts")


def test_a_roster_may_name_the_office_in_other_languages(miami, tmp_path):
    from altavoz.districts.models import Post

    post = Post.objects.get(role="Commissioner", area__number="3")
    post.translations = {"es": {"label": "Comisionado del Distrito 3"}}
    post.save()
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "office,district,name,in_office_since,office_es,office_ht\n"
        "Commissioner,3,Rolando Escalona,2025-12-17,Comisionado,Komisyonè\n"
    )
    call_command("officials", "import", str(roster), "--set", "miami-commission-districts",
                 stdout=open("/dev/null", "w"))  # noqa: SIM115  # fmt: skip
    post.refresh_from_db()
    assert post.translations == {
        "es": {"label": "Comisionado del Distrito 3", "role": "Comisionado"},
        "ht": {"role": "Komisyonè"},
    }
