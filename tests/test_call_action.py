"""The call action (/act/miami-287g-call/): after the district is found the caller sees the
office phone (tel: link), the script in their language with their name, district and
official, the office hours and when to call (with a calendar reminder), and reports how
the call went; reports are counted per official and district on the dashboard, in the
export, the packet and the API, at most three per caller, official and day."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from altavoz import kept
from altavoz.api import keys
from altavoz.campaigns.models import Answer, CallReport, Campaign, Question, Signature
from altavoz.delivery.models import Delivery
from altavoz.shield import formtoken

CALL = "/act/miami-287g-call/"
NEW_YORK = ZoneInfo("America/New_York")
TUESDAY_10AM = dt.datetime(2027, 6, 8, 10, 0, tzinfo=NEW_YORK)
SATURDAY_NOON = dt.datetime(2027, 6, 5, 12, 0, tzinfo=NEW_YORK)


@pytest.fixture
def call_campaign(miami_maps) -> Campaign:
    kept.forget()
    return Campaign.objects.get(slug="miami-287g-call")


def _post(campaign, district, **overrides) -> dict:
    data = {
        "first_name": "Maria", "last_name": "Lopez", "email": "maria@example.com",
        "street_address": "3500 Pan American Dr", "zip_code": "33133",
        "area": str(campaign.target_set.areas.get(number=str(district)).pk),
        "rendered": formtoken.issue(str(campaign.pk)), "is_public": "on",
    }  # fmt: skip
    return {**data, **overrides}


def _signed_up(client, campaign, prefix="", district=2, **overrides):
    response = client.post(f"{prefix}{CALL}", _post(campaign, district, **overrides))
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


def _official(campaign, district=2):
    return campaign.targets_for_area(campaign.target_set.areas.get(number=str(district)).pk).get()


def test_the_demo_ships_the_call_campaign_on_the_same_districts(client, call_campaign):
    html = client.get(CALL).content.decode()
    assert "Call your commissioner before the June 12th meeting" in html
    assert "Show me who to call" in html and 'class="letter"' not in html
    assert "[your first name]" in html  # the script's merge fields as placeholders
    assert call_campaign.target_set.slug == "miami-commission-districts"


def test_the_call_asks_the_campaigns_questions_and_stores_the_answers(client, call_campaign):
    question = Question.objects.create(
        campaign=call_campaign, kind=Question.Kind.SINGLE_CHOICE, required=True,
        label="Do you rent your home?", choices="Yes\nNo",
        translations={"es": {"label": "¿Alquila su vivienda?", "choices": "Sí\nNo"}},
    )  # fmt: skip
    kept.forget()
    assert "Do you rent your home?" in client.get(CALL).content.decode()
    assert "¿Alquila su vivienda?" in client.get(f"/es{CALL}").content.decode()
    refused = client.post(CALL, _post(call_campaign, 2))
    assert refused.status_code == 400 and "Choose one answer." in refused.content.decode()
    _signed_up(client, call_campaign, **{f"question_{question.pk.hex}": "Yes"})
    assert Answer.objects.get(question=question).value == "Yes"


def test_after_the_district_it_shows_the_phone_and_the_script_filled_in(client, call_campaign):
    official = _official(call_campaign)
    with time_machine.travel(TUESDAY_10AM, tick=False):
        _signed_up(client, call_campaign)
        html = client.get(f"{CALL}thanks/").content.decode()
    assert official.phone  # from the City's layer, not made up
    digits = "".join(ch for ch in official.phone if ch.isdigit())
    assert f'href="tel:+1{digits}"' in html and official.phone in html
    assert "my name is Maria and I live in District 2 of the City of Miami" in html
    assert f"to ask {official.name} to vote NO" in html
    assert "The office is open now" in html
    assert "not confirmed with the office" in html  # the hours are the organiser's default
    assert not Delivery.objects.exists()  # a call sends no letter
    assert Signature.objects.get().letter_body == ""


def test_the_script_is_in_the_callers_language(client, call_campaign):
    _signed_up(client, call_campaign, prefix="/es")
    html = client.get(f"/es{CALL}thanks/").content.decode()
    assert "mi nombre es Maria y vivo en el Distrito 2 de la Ciudad de Miami" in html
    _signed_up(client, call_campaign, prefix="/ht", email="jean@example.com")
    html = client.get(f"/ht{CALL}thanks/").content.decode()
    assert "non mwen se Maria" in html


def test_when_the_office_is_closed_it_says_when_to_call_and_offers_a_reminder(
    client, call_campaign
):
    official = _official(call_campaign)
    with time_machine.travel(SATURDAY_NOON, tick=False):
        _signed_up(client, call_campaign)
        html = client.get(f"{CALL}thanks/").content.decode()
        assert "The office is closed now." in html and "Call on Monday" in html
        reminder = client.get(f"{CALL}calls/{official.pk}/reminder.ics")
    assert reminder["Content-Type"].startswith("text/calendar")
    body = reminder.content.decode()
    assert "DTSTART:20270607T130000Z" in body  # Monday 9:00 a.m. in Miami (EDT)
    assert "DTEND:20270607T131500Z" in body and official.name in body


def test_its_thank_you_and_closed_pages_speak_of_calls_not_letters(client, call_campaign):
    with time_machine.travel(TUESDAY_10AM, tick=False):
        _signed_up(client, call_campaign)
        thanks = client.get(f"{CALL}thanks/").content.decode()
    article = thanks.split('<article class="thanks">')[1].split("</article>")[0].lower()
    assert "you are counted. thank you for taking part." in article
    assert "signature" not in article and "letter" not in article, article
    Campaign.objects.filter(pk=call_campaign.pk).update(deadline=dt.datetime.now(NEW_YORK))
    kept.forget()
    closed = client.get(CALL).content.decode()
    assert "This action is closed." in closed and "Thank you to everyone who took part" in closed
    assert "letter" not in closed.split('class="closed"')[1].split("</section>")[0].lower()


def _report(client, official, outcome="spoke_to_staff", note=""):
    data = {"official": str(official.pk), "outcome": outcome, "note": note}
    return client.post(f"{CALL}calls/", data)


def test_reports_are_counted_per_official_and_district_everywhere(
    client, call_campaign, admin_user
):
    official = _official(call_campaign)
    _signed_up(client, call_campaign)
    assert _report(client, official, "voicemail", "Left my number").status_code == 302
    assert _report(client, official, "busy").status_code == 302
    assert "your call is counted" in client.get(f"{CALL}thanks/?reported=1").content.decode()
    report = CallReport.objects.get(outcome="voicemail")
    assert (report.area.number, report.note) == ("2", "Left my number")
    client.force_login(admin_user)
    dashboard = client.get(f"/organise/campaigns/{call_campaign.pk}/").content.decode()
    assert "Calls reported, per official" in dashboard and official.name in dashboard
    export = b"".join(client.get(f"/organise/campaigns/{call_campaign.pk}/signers.csv"))
    lines = export.decode().splitlines()
    assert lines[0] == "reported_at,official,seat,district,outcome,note,language"
    assert len(lines) == 3 and "voicemail,Left my number,en" in export.decode()
    packet = client.get(f"/organise/campaigns/{call_campaign.pk}/packet.pdf")
    assert packet.status_code == 200 and packet.content.startswith(b"%PDF")
    _, key = keys.apikey_create(organisation=call_campaign.organisation, name="r", scope="read")
    resource = client.get(
        f"/api/v1/advocacy_campaigns/{call_campaign.pk}/", HTTP_OSDI_API_TOKEN=key
    ).json()
    assert resource["type"] == "phone" and resource["altavoz:action_kind"] == "call"
    api = resource["altavoz:call_reports"]
    assert api["per_official"][0]["total"] == 2
    assert api["per_official"][0]["outcomes"]["voicemail"] == 1
    assert api["per_district"][0]["ocdid"].endswith("council_district:2")


def test_one_caller_reports_at_most_three_calls_per_official_a_day(client, call_campaign):
    official = _official(call_campaign)
    with time_machine.travel(TUESDAY_10AM, tick=False):
        _signed_up(client, call_campaign)
        for _ in range(3):
            assert _report(client, official).status_code == 302
        refused = _report(client, official)
        assert refused.status_code == 429
        assert "the most we count from one person in a day" in refused.content.decode()
    assert CallReport.objects.count() == 3
    with time_machine.travel(TUESDAY_10AM + dt.timedelta(days=1), tick=False):
        assert _report(client, official).status_code == 302
    assert CallReport.objects.count() == 4


def test_a_report_needs_the_callers_district_and_one_of_their_offices(client, call_campaign):
    official = _official(call_campaign)
    assert _report(client, official).status_code == 403  # no district found yet
    _signed_up(client, call_campaign)
    elsewhere = _official(call_campaign, district=3)
    response = _report(client, elsewhere)
    assert response.status_code == 400
    assert "Report a call to one of the offices shown" in response.content.decode()
    assert _report(client, official, outcome="hung up on").status_code == 400
    assert not CallReport.objects.exists()


def test_a_call_campaign_cannot_go_live_while_an_office_has_no_phone(call_campaign):
    official = _official(call_campaign)
    type(official).objects.filter(pk=official.pk).update(phone="")
    call_campaign.is_demo = False
    with pytest.raises(ValidationError) as refused:
        call_campaign.full_clean()
    problems = refused.value.message_dict["status"]
    assert "callers would have no number to call" in problems[0]
    assert any(official.name in problem for problem in problems)
