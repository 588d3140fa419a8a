"""The action kind seam: a campaign's kind decides its form, its page and thank-you blocks,
what it records and its dashboard, export, packet and API parts. Proven by a tiny kind
registered here (a pledge to vote, no letter), beside the shipped letter and call."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import override_settings

from altavoz import kept
from altavoz.campaigns import actions
from altavoz.campaigns.actions.base import ActionKind
from altavoz.campaigns.forms import ParticipationForm
from altavoz.campaigns.models import Campaign, Signature
from altavoz.delivery.models import Delivery

TEMPLATES = Path(__file__).parent / "templates"


class PledgeKind(ActionKind):
    name = "pledge"
    label = "Pledge to vote"
    page_template = "pledge/page.html"
    thanks_template = "pledge/thanks.html"

    def form_class(self):
        return ParticipationForm

    def submit_label(self) -> str:
        return "Pledge"

    def page_context(self, campaign, form) -> dict:
        return {"pledge_words": "I will vote on June 12th."}

    def export_name(self) -> str:
        return "pledges"


@pytest.fixture
def pledge(miami, monkeypatch):
    monkeypatch.setattr(actions, "KINDS", dict(actions.KINDS))
    actions.kind_register(PledgeKind())
    Campaign.objects.filter(pk=miami.pk).update(kind="pledge")
    kept.forget()  # the campaign as this process keeps it for a few seconds
    engines = [{**django_settings.TEMPLATES[0], "DIRS": [*django_settings.TEMPLATES[0]["DIRS"],
                                                          TEMPLATES]}]  # fmt: skip
    with override_settings(TEMPLATES=engines):
        yield Campaign.objects.get(pk=miami.pk)


def test_every_campaign_made_before_kinds_is_a_letter(miami):
    assert miami.kind == "letter" and miami.action_kind.sends_letters


def test_a_registered_kind_gives_the_page_its_block_and_button(client, pledge):
    html = client.get("/act/miami-287g/").content.decode()
    assert 'class="pledge"' in html and "I will vote on June 12th." in html
    assert ">Pledge</button>" in html
    assert 'class="letter"' not in html and "Sign and send" not in html


def test_a_pledge_records_a_signature_without_a_letter(client, pledge, supporter_post):
    response = client.post("/act/miami-287g/", supporter_post(letter_body=None))
    assert response.status_code == 302, response.content.decode()[:2000]
    signature = Signature.objects.get()
    assert signature.letter_body == "" and signature.confirmed_at is not None
    assert not Delivery.objects.exists()  # a pledge sends nothing to an official
    thanks = client.get(response["Location"]).content.decode()
    assert 'class="pledged"' in thanks and "Your letter is queued" not in thanks


def test_the_dashboard_export_packet_and_api_ask_the_kind(client, pledge, supporter_post,
                                                          admin_user):  # fmt: skip
    client.post("/act/miami-287g/", supporter_post(letter_body=None))
    client.force_login(admin_user)
    dashboard = client.get(f"/organise/campaigns/{pledge.pk}/")
    assert dashboard.status_code == 200
    assert "Letters to officials" not in dashboard.content.decode()
    export = client.get(f"/organise/campaigns/{pledge.pk}/signers.csv")
    assert 'filename="miami-287g-pledges.csv"' in export["Content-Disposition"]
    assert client.get(f"/organise/campaigns/{pledge.pk}/packet.pdf").status_code == 200
    assert PledgeKind().api_fields(pledge) == {"altavoz:action_kind": "pledge"}


def test_an_unknown_kind_is_refused_with_the_known_ones(miami):
    from django.core.exceptions import ValidationError

    miami.kind = "petition-by-fax"
    with pytest.raises(ValidationError) as refused:
        miami.full_clean()
    assert "Choose one of: Petition and letter" in str(refused.value.message_dict["kind"])


def test_a_letter_campaign_needs_its_letter(miami):
    from django.core.exceptions import ValidationError

    miami.letter_body = " "
    with pytest.raises(ValidationError) as refused:
        miami.full_clean()
    assert refused.value.message_dict["letter_body"] == ["This field is required."]
