"""Nobody launches an unreviewed language by accident: each campaign translation records
whether a native speaker reviewed it (who, when, which texts), the admin shows the languages
nobody has reviewed, and publishing with one asks the organiser to confirm."""

import json
from datetime import date
from pathlib import Path

import pytest
from django.contrib.admin.sites import site
from django.forms import model_to_dict, modelform_factory
from django.test import RequestFactory

from altavoz.campaigns import services
from altavoz.campaigns.admin import CampaignTranslationForm
from altavoz.campaigns.models import Campaign, CampaignTranslation, ReviewState

FIXTURE = Path(__file__).resolve().parents[1] / "src/altavoz/campaigns/fixtures/miami_287g.json"


@pytest.fixture
def draft(miami):
    Campaign.objects.filter(pk=miami.pk).update(status=Campaign.Status.DRAFT, is_demo=True)
    miami.refresh_from_db()
    return miami


def _review(campaign, language, by="Ana Pérez (native speaker)", on=date(2027, 1, 10)):
    translation = campaign.translations.get(language=language)
    translation.review_record(by=by, on=on)
    translation.save()
    return translation


def test_the_demos_spanish_and_creole_are_not_marked_reviewed(miami):
    """No native speaker has signed them off: they stay unreviewed until one does."""
    rows = [r for r in json.loads(FIXTURE.read_text()) if r["model"].endswith("translation")]
    assert {r["fields"]["language"] for r in rows} == {"es", "ht"}
    assert all(not r["fields"].get("reviewed_by") for r in rows)
    assert miami.unreviewed_languages() == ["es", "ht"]
    states = {t.language: t.review_state for t in miami.translations.all()}
    assert states == {"es": ReviewState.UNREVIEWED, "ht": ReviewState.UNREVIEWED}


def test_a_review_records_who_and_when_and_holds_until_the_texts_change(miami):
    spanish = _review(miami, "es")
    assert spanish.review_state == ReviewState.REVIEWED
    assert miami.unreviewed_languages() == ["ht"]
    assert spanish.review_text() == (
        "Spanish: reviewed by a native speaker (Ana Pérez (native speaker), Jan. 10, 2027)"
    )
    spanish.title = spanish.title + " ahora"
    spanish.save()
    assert spanish.review_state == ReviewState.CHANGED
    assert Campaign.objects.get(pk=miami.pk).unreviewed_languages() == ["es", "ht"]


def test_a_review_needs_both_who_and_when(miami):
    spanish = miami.translations.get(language="es")
    spanish.review_record(by="Ana Pérez", on=None)
    assert spanish.review_state == ReviewState.UNREVIEWED and spanish.reviewed_by == ""


def test_a_language_offered_without_a_translation_is_unreviewed(miami):
    CampaignTranslation.objects.filter(campaign=miami, language="ht").delete()
    _review(miami, "es")
    assert Campaign.objects.get(pk=miami.pk).unreviewed_languages() == ["ht"]


def test_publishing_with_an_unreviewed_language_needs_the_organisers_confirmation(draft):
    problems = services.campaign_publish(campaign=draft)
    assert len(problems) == 1
    assert "No native speaker has reviewed the Spanish, Haitian Creole texts" in problems[0]
    assert Campaign.objects.get(pk=draft.pk).status == Campaign.Status.DRAFT
    assert services.campaign_publish(campaign=draft, unreviewed_confirmed=True) == []
    assert Campaign.objects.get(pk=draft.pk).status == Campaign.Status.LIVE


def test_a_campaign_whose_languages_are_all_reviewed_publishes_without_asking(draft):
    _review(draft, "es")
    _review(draft, "ht", by="Jean Pierre (native speaker)")
    assert services.campaign_publish(campaign=Campaign.objects.get(pk=draft.pk)) == []


def test_the_admin_shows_unreviewed_languages_plainly(admin_client, miami):
    _review(miami, "es")
    listing = admin_client.get("/admin/campaigns/campaign/").content.decode()
    assert "Native speaker review" in listing
    assert "<strong>Haitian Creole: not reviewed by a native speaker</strong>" in listing
    assert "Spanish: reviewed by a native speaker (Ana Pérez (native speaker)" in listing
    form = admin_client.get(f"/admin/campaigns/campaign/{miami.pk}/change/").content.decode()
    assert "<strong>Haitian Creole: not reviewed by a native speaker</strong>" in form
    assert 'name="translations-0-reviewed_by"' in form


def test_the_publish_action_asks_before_publishing_an_unreviewed_language(admin_client, draft):
    action = {"action": "publish", "_selected_action": [str(draft.pk)]}
    asked = admin_client.post("/admin/campaigns/campaign/", action)
    page = asked.content.decode()
    assert asked.status_code == 200 and "Publish anyway" in page
    assert "No native speaker has reviewed the Spanish, Haitian Creole texts" in page
    assert Campaign.objects.get(pk=draft.pk).status == Campaign.Status.DRAFT
    admin_client.post("/admin/campaigns/campaign/", {**action, "publish_unreviewed": "yes"})
    assert Campaign.objects.get(pk=draft.pk).status == Campaign.Status.LIVE


def _change_form(admin_user, campaign, **changes):
    request = RequestFactory().post("/")
    request.user = admin_user
    model_admin = site._registry[Campaign]
    form_class = model_admin.get_form(request, campaign, change=True)
    data = {**model_to_dict(campaign), **changes}
    data = {k: v for k, v in data.items() if v is not None}
    deadline = campaign.deadline  # the admin's date and time fields
    data.update(deadline_0=deadline.strftime("%Y-%m-%d"), deadline_1=deadline.strftime("%H:%M:%S"))
    return form_class(data=data, instance=campaign)


def test_setting_the_status_to_live_in_the_form_asks_to_confirm(admin_user, draft):
    form = _change_form(admin_user, draft, status="live")
    assert not form.is_valid()
    assert list(form.errors) == ["publish_unreviewed"]
    assert "No native speaker has reviewed" in form.errors["publish_unreviewed"][0]
    assert _change_form(admin_user, draft, status="live", publish_unreviewed="on").is_valid()
    draft.refresh_from_db()
    assert _change_form(admin_user, draft, title="A new headline").is_valid()


def test_the_translation_form_records_the_review_with_the_texts_reviewed(miami):
    spanish = miami.translations.get(language="es")
    fields = ["language", "reviewed_by", "reviewed_on", *Campaign.TRANSLATABLE_FIELDS]
    form_class = modelform_factory(CampaignTranslation, form=CampaignTranslationForm, fields=fields)
    data = {**model_to_dict(spanish, fields=fields), "reviewed_by": "Ana Pérez",
            "reviewed_on": "2027-01-10"}  # fmt: skip
    form = form_class(data=data, instance=spanish)
    assert form.is_valid(), form.errors
    form.save()
    spanish.refresh_from_db()
    assert spanish.review_state == ReviewState.REVIEWED
    assert spanish.reviewed_texts == spanish.texts_fingerprint()


def test_the_form_asks_about_a_language_added_as_the_campaign_goes_live(admin_user, draft):
    Campaign.objects.filter(pk=draft.pk).update(languages=["en"])
    draft.refresh_from_db()
    assert _change_form(admin_user, draft, status="live").is_valid()
    draft.refresh_from_db()  # a form that validates writes its values on the instance
    form = _change_form(admin_user, draft, status="live", languages=["en", "ht"])
    assert not form.is_valid()
    assert "Haitian Creole" in form.errors["publish_unreviewed"][0]


def test_publishing_names_every_problem_and_the_unreviewed_languages(draft):
    Campaign.objects.filter(pk=draft.pk).update(is_demo=False)
    draft.refresh_from_db()
    problems = [str(p) for p in services.campaign_publish(campaign=draft)]
    assert any("has no delivery email address" in p for p in problems)
    assert "No native speaker has reviewed" in problems[-1]
    confirmed = services.campaign_publish(campaign=draft, unreviewed_confirmed=True)
    assert confirmed and not any("No native speaker" in str(p) for p in confirmed)
