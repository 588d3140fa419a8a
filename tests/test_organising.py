import csv
import io
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.http import StreamingHttpResponse
from django.utils import timezone

from altavoz.campaigns import services
from altavoz.campaigns.models import Campaign, Person, Signature
from altavoz.delivery.models import Delivery

URL = "/act/miami-287g/"


@pytest.fixture
def signed(client, supporter_post, district):
    """Three supporters: two in District 2 (one by WhatsApp share, with consent), one in 5."""
    client.post(URL, supporter_post(source="share-whatsapp", consent_updates="on"))
    client.post(
        URL, supporter_post(email="ana@example.com", first_name="Ana", last_name="=SUM(A1)")
    )
    client.post(
        URL,
        supporter_post(email="jo@example.com", first_name="Jo", area=str(district(5).pk)),
    )


def _login(client, user):
    client.force_login(user)
    return client


# Accounts and organisations -------------------------------------------------------------


def test_organisers_see_only_their_own_campaigns_in_the_admin(client, miami, organisers):
    page = _login(client, organisers.b).get("/admin/campaigns/campaign/").content.decode()
    assert "other-campaign" in page or str(organisers.other_campaign.pk) in page
    assert str(miami.pk) not in page
    response = client.get(f"/admin/campaigns/campaign/{miami.pk}/change/")
    assert response.status_code == 302  # the admin's "does not exist" redirect


def test_organisers_see_only_their_own_people(client, miami, organisers, signed):
    page = _login(client, organisers.b).get("/admin/campaigns/person/").content.decode()
    assert "maria.lopez@example.com" not in page
    page = _login(client, organisers.a).get("/admin/campaigns/person/").content.decode()
    assert "maria.lopez@example.com" in page


@pytest.mark.parametrize("path", ["", "preview/", "signers.csv", "packet.pdf"])
def test_another_organisations_campaign_pages_are_not_found(client, miami, organisers, path):
    assert (
        _login(client, organisers.b).get(f"/organise/campaigns/{miami.pk}/{path}").status_code
        == 404
    )
    assert (
        _login(client, organisers.a).get(f"/organise/campaigns/{miami.pk}/{path}").status_code
        == 200
    )


def test_another_organisations_person_is_not_found(client, organisers, signed):
    person = Person.objects.get(email="maria.lopez@example.com")
    assert (
        _login(client, organisers.b).get(f"/organise/people/{person.pk}/data.json").status_code
        == 404
    )


def test_organiser_pages_ask_anonymous_visitors_to_sign_in(client, miami):
    response = client.get(f"/organise/campaigns/{miami.pk}/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


# Lifecycle ------------------------------------------------------------------------------


def test_preview_shows_a_draft_exactly_as_supporters_will_see_it(client, miami, organisers):
    Campaign.objects.filter(pk=miami.pk).update(status=Campaign.Status.DRAFT)
    page = _login(client, organisers.a).get(f"/organise/campaigns/{miami.pk}/preview/")
    html = page.content.decode()
    assert "Preview: this is how supporters see the page" in html
    assert "Lookup your Miami City Commission District." in html
    assert 'class="send" disabled' in html
    assert client.get(URL).status_code == 404  # still not public


def test_publishing_refuses_a_campaign_whose_targets_have_no_address(client, miami, organisers):
    Campaign.objects.filter(pk=miami.pk).update(status=Campaign.Status.DRAFT, is_demo=False)
    miami.refresh_from_db()
    problems = services.campaign_publish(campaign=miami)
    assert any("Damian Pardo has no delivery email address" in str(p) for p in problems)
    assert Campaign.objects.get(pk=miami.pk).status == Campaign.Status.DRAFT


def test_the_admin_publish_action_makes_a_campaign_live(client, miami, organisers):
    Campaign.objects.filter(pk=miami.pk).update(status=Campaign.Status.DRAFT)
    action = {"action": "publish", "_selected_action": [str(miami.pk)]}
    # The demo's Spanish and Creole are not reviewed: the organiser confirms it first.
    _login(client, organisers.a).post("/admin/campaigns/campaign/", action)
    assert Campaign.objects.get(pk=miami.pk).status == Campaign.Status.DRAFT
    client.post("/admin/campaigns/campaign/", {**action, "publish_unreviewed": "yes"})
    assert Campaign.objects.get(pk=miami.pk).status == Campaign.Status.LIVE


def test_campaigns_close_themselves_at_the_deadline(client, miami, signed, settings):
    later = miami.deadline + timedelta(seconds=1)
    due = Campaign.objects.filter(status=Campaign.Status.LIVE, deadline__lte=later).count()
    assert due >= 1  # the letter campaign (and the demo's call campaign, same meeting)
    assert services.campaigns_close_due(now=later) == due
    assert services.campaigns_close_due(now=later) == 0  # once
    assert Campaign.objects.get(pk=miami.pk).status == Campaign.Status.CLOSED
    # Web processes trust the campaign they read for PAGE_LIVE_SECONDS (a spike's reads).
    with time_machine.travel(later + timedelta(seconds=settings.PAGE_LIVE_SECONDS + 1)):
        page = client.get(URL).content.decode()
    assert "This action is closed." in page and "3 people took part." in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"deadline": timezone.now() - timedelta(days=1)}, "deadline", "This deadline has passed"),
        ({"goal": 0}, "goal", "greater than or equal to 1"),
        ({"target_role": "Comissioner"}, "target_role", 'No seat called "Comissioner"'),
        ({"letter_body": "Dear [Frist Name]"}, "letter_body", "Unknown merge field [Frist Name]"),
        ({"letter_subject": "[Oficial Name]"}, "letter_subject", "Use only [First Name]"),
    ],
)
def test_bad_campaign_settings_are_refused_at_save_time(miami, changes, field, message):
    for name, value in changes.items():
        setattr(miami, name, value)
    with pytest.raises(ValidationError) as caught:
        miami.full_clean()
    assert message in " ".join(caught.value.message_dict[field])


# Dashboard ------------------------------------------------------------------------------


def test_the_dashboard_counts_per_district_source_day_and_delivery_status(
    client, miami, organisers, signed
):
    response = _login(client, organisers.a).get(f"/organise/campaigns/{miami.pk}/")
    context = response.context
    districts = {row.label: row.count for row in context["per_district"]}
    assert districts == {
        "District 1": 0,
        "District 2": 2,
        "District 3": 0,
        "District 4": 0,
        "District 5": 1,
    }
    assert {row.label: row.count for row in context["per_source"]} == {
        "(direct)": 2,
        "share-whatsapp": 1,
    }
    assert [row.count for row in context["per_day"]] == [3]
    assert context["delivery_status"]["Queued"] == 3
    html = response.content.decode()
    assert "3 signatures of 1,000" in html and "<svg" in html


# Exports --------------------------------------------------------------------------------


def _csv(response) -> list[dict]:
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_the_signers_export_streams_csv_with_filters(client, miami, organisers, signed):
    client = _login(client, organisers.a)
    url = f"/organise/campaigns/{miami.pk}/signers.csv"
    assert len(_csv(client.get(url))) == 3
    rows = _csv(client.get(url, {"district": "2"}))
    assert sorted(r["email"] for r in rows) == ["ana@example.com", "maria.lopez@example.com"]
    rows = _csv(client.get(url, {"consent": "yes"}))
    assert [r["email"] for r in rows] == ["maria.lopez@example.com"]
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert _csv(client.get(url, {"since": tomorrow})) == []


def test_exported_cells_cannot_run_as_spreadsheet_formulas(client, miami, organisers, signed):
    rows = _csv(_login(client, organisers.a).get(f"/organise/campaigns/{miami.pk}/signers.csv"))
    assert "'=SUM(A1)" in [r["last_name"] for r in rows]


def test_a_bad_export_filter_is_told_on_the_dashboard_keeping_the_filters(
    client, miami, organisers
):
    response = _login(client, organisers.a).get(
        f"/organise/campaigns/{miami.pk}/signers.csv",
        {"since": "2027-02-30", "until": "2027-01-01", "district": "2", "consent": "yes"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "Nothing was exported: fix these and download again." in html
    assert "Signed on or after: Enter a date like 2027-06-01 (year, month, day)." in html
    assert 'name="district" value="2"' in html and 'value="2027-02-30"' in html
    assert '<option value="yes" selected>' in html
    assert "Export signers (CSV)" in html and "Letters to officials" in html  # the dashboard


def test_an_unknown_district_is_an_error_not_an_empty_file(client, miami, organisers, signed):
    response = _login(client, organisers.a).get(
        f"/organise/campaigns/{miami.pk}/signers.csv", {"district": "9"}
    )
    assert response.status_code == 400
    assert "This campaign has no district 9. Choose one of: 1, 2, 3, 4, 5" in (
        response.content.decode()
    )
    with pytest.raises(CommandError, match="district: This campaign has no district 9"):
        call_command("export", "signers", "miami-287g", "--district", "9")


def test_dates_the_wrong_way_round_are_told_plainly(client, miami, organisers):
    response = _login(client, organisers.a).get(
        f"/organise/campaigns/{miami.pk}/signers.csv",
        {"since": "2027-02-01", "until": "2027-01-01"},
    )
    assert "Signed on or before: This date is before the start date. Swap them." in (
        response.content.decode()
    )


def test_the_export_command_writes_the_same_csv(miami, signed, tmp_path):
    target = tmp_path / "out.csv"
    call_command("export", "signers", "miami-287g", "--district", "5", "-o", str(target))
    rows = list(csv.DictReader(target.open()))
    assert [r["first_name"] for r in rows] == ["Jo"]


# Packet ---------------------------------------------------------------------------------


def _pdf_text(content: bytes) -> tuple[int, str]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_the_packet_has_a_cover_totals_and_a_section_per_commissioner(
    client, miami, organisers, signed
):
    response = _login(client, organisers.a).get(f"/organise/campaigns/{miami.pk}/packet.pdf")
    assert response["Content-Type"] == "application/pdf"
    pages, text = _pdf_text(response.content)
    assert pages >= 6  # cover + one page per commissioner
    assert "3 residents signed this petition" in text
    assert "Signatures per district" in text
    assert "Commissioner, District 2 — Damian Pardo" in text
    assert "2 constituents signed." in text
    assert "Maria Lopez" in text and "Jo Lopez" in text
    assert "3500 Pan American Dr" not in text


@pytest.mark.parametrize(
    ("language", "one_resident", "one_constituent"),
    [
        ("en", "1 resident signed this petition", "1 constituent signed."),
        ("es", "1 residente firmó esta petición", "1 residente firmó."),
        ("ht", "1 rezidan siyen petisyon sa a", "1 rezidan siyen."),
    ],
)
def test_the_packet_counts_one_signer_in_the_singular(
    client, miami, supporter_post, language, one_resident, one_constituent
):
    from django.utils import translation

    from altavoz.organising.packet import build_packet

    client.post(URL, supporter_post())
    with translation.override(language):
        text = " ".join(_pdf_text(build_packet(miami))[1].split())
    assert one_resident in text
    assert one_constituent in text


def test_a_goal_of_one_is_said_in_the_singular(client, miami, supporter_post):
    from altavoz import kept

    client.post(URL, supporter_post())
    Campaign.objects.filter(pk=miami.pk).update(goal=1, status=Campaign.Status.CLOSED)
    kept.forget()
    page = client.get(URL).content.decode()
    assert "Together we passed the goal of 1 signature." in page
    assert "1 person took part." in page


def test_the_packet_lists_street_addresses_only_when_the_campaign_says_so(miami, signed):
    from altavoz.organising.packet import build_packet

    Campaign.objects.filter(pk=miami.pk).update(packet_includes_addresses=True)
    miami.refresh_from_db()
    assert "3500 Pan American Dr, 33133" in _pdf_text(build_packet(miami))[1]


def test_the_packet_renders_as_real_pages(miami, signed, tmp_path):
    import shutil
    import subprocess

    from altavoz.organising.packet import build_packet

    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (Debian poppler-utils) is not installed; make test installs it")
    pdf = tmp_path / "packet.pdf"
    pdf.write_bytes(build_packet(miami))
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page")], check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == _pdf_text(pdf.read_bytes())[0]
    assert all(image.stat().st_size > 1000 for image in images)


# Meeting reminder -----------------------------------------------------------------------


def test_the_thank_you_page_offers_the_meeting_as_a_calendar_file(client, supporter_post):
    page = client.post(URL, supporter_post(), follow=True).content.decode()
    assert f"{URL}meeting.ics" in page
    response = client.get(f"{URL}meeting.ics")
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert "DTSTART;VALUE=DATE:20270612\r\n" in body and "DTEND;VALUE=DATE:20270613\r\n" in body
    assert "SUMMARY:City of Miami City Commission meeting\r\n" in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


# Data rights ----------------------------------------------------------------------------


def test_everything_held_about_a_person_can_be_exported(client, organisers, signed):
    person = Person.objects.get(email="maria.lopez@example.com")
    data = _login(client, organisers.a).get(f"/organise/people/{person.pk}/data.json").json()
    assert data["person"]["street_address"] == "3500 Pan American Dr"
    assert data["signatures"][0]["district"] == "District 2"
    assert data["signatures"][0]["letters"][0]["to"] == "Damian Pardo"


def test_erasing_a_person_keeps_their_signature_counted_but_anonymous(client, miami, signed):
    person = Person.objects.get(email="maria.lopez@example.com")
    services.person_erase(person=person)
    person.refresh_from_db()
    assert (person.first_name, person.street_address, person.erased_at is not None) == (
        "",
        "",
        True,
    )
    assert "maria" not in person.email
    assert Signature.objects.filter(campaign=miami).count() == 3
    signature = person.signatures.get()
    assert signature.letter_body == "" and signature.area.number == "2"
    assert Delivery.objects.get(signature=signature).status == Delivery.Status.CANCELLED
    from altavoz.organising.reports import per_district

    assert {r.label: r.count for r in per_district(miami)}["District 2"] == 2


def test_the_people_commands_export_and_erase(miami, signed, capsys):
    call_command("people", "export", "Maria.Lopez@example.com", "--organisation", "altavoz-demo")
    assert '"street_address": "3500 Pan American Dr"' in capsys.readouterr().out
    call_command("people", "erase", "maria.lopez@example.com", "--organisation", "altavoz-demo")
    assert not Person.objects.filter(email="maria.lopez@example.com").exists()


def test_the_admin_erase_action(client, organisers, signed):
    person = Person.objects.get(email="ana@example.com")
    _login(client, organisers.a).post(
        "/admin/campaigns/person/", {"action": "erase", "_selected_action": [str(person.pk)]}
    )
    assert Person.objects.get(pk=person.pk).erased_at is not None


def test_the_organiser_command_gives_access(miami, capsys):
    call_command(
        "organiser", "add", "lucia", "--email", "l@example.org", "--organisation", "altavoz-demo"
    )
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="lucia")
    assert user.is_staff and user.has_perm("campaigns.change_campaign")
    assert "First password" in capsys.readouterr().out
