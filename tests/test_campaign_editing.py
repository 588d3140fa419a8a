"""The campaign's edit page as an organiser (not the superuser) uses it: the tool bar, the
publish check with each problem linked to where it is fixed, previews in each language, the
translations edited right there, and "Missing translations" linking to what is missing."""

import re
from datetime import timedelta

import pytest
from django.forms.models import model_to_dict
from django.utils import timezone

from altavoz.campaigns.models import Campaign, CampaignTranslation
from altavoz.districts.models import Official

ADD = "/admin/campaigns/campaign/add/"


def _change(campaign) -> str:
    return f"/admin/campaigns/campaign/{campaign.pk}/change/"


def _form_data(campaign: Campaign, **changes) -> dict:
    """The campaign's change form as the browser sends it, translations included."""
    fields = model_to_dict(campaign, exclude=["deadline", "id", "at_large_sets"])
    data = {k: "" if v is None else v for k, v in fields.items()}
    data = {k: v for k, v in data.items() if v is not False}  # unticked boxes are not sent
    data["deadline_0"], data["deadline_1"] = (
        timezone.localtime(campaign.deadline).strftime("%Y-%m-%d %H:%M:%S").split()
    )
    data.update(_translation_forms(campaign))
    data.update(_question_forms(campaign))
    data.update(changes)
    return data


def _question_forms(campaign: Campaign) -> dict:
    """The campaign's questions as their inline sends them (none changed)."""
    rows = list(campaign.questions.all())
    data = {"questions-TOTAL_FORMS": str(len(rows)),
            "questions-INITIAL_FORMS": str(len(rows))}  # fmt: skip
    for n, row in enumerate(rows):
        data[f"questions-{n}-id"] = str(row.pk)
        data[f"questions-{n}-campaign"] = str(campaign.pk)
        for field in ("position", "kind", "label", "help_text", "choices", "merge_field"):
            data[f"questions-{n}-{field}"] = getattr(row, field)
        if row.required:
            data[f"questions-{n}-required"] = "on"
    return data


def _translation_forms(campaign: Campaign) -> dict:
    rows = list(campaign.translations.order_by("language"))
    data = {"translations-TOTAL_FORMS": str(len(rows)),
            "translations-INITIAL_FORMS": str(len(rows))}  # fmt: skip
    for n, row in enumerate(rows):
        data[f"translations-{n}-id"] = str(row.pk)
        data[f"translations-{n}-campaign"] = str(campaign.pk)
        for field in ("language", *Campaign.TRANSLATABLE_FIELDS):
            data[f"translations-{n}-{field}"] = getattr(row, field)
    return data


@pytest.fixture
def draft(miami):
    """The Miami campaign as a real draft, with addresses for the commissioners the City's
    layer has one for (all but District 3's, as shipped)."""
    Campaign.objects.filter(pk=miami.pk).update(status=Campaign.Status.DRAFT, is_demo=False)
    for official in Official.objects.filter(post__role="Commissioner").exclude(
        name="Rolando Escalona"
    ):
        official.email = f"d{official.post.area.number}@city.example"
        official.save(update_fields=["email"])
    miami.refresh_from_db()
    return miami


@pytest.fixture
def organiser(client, organisers):
    client.force_login(organisers.a)
    return client


# The tool bar -----------------------------------------------------------------------------


def test_the_edit_page_has_every_tool(organiser, draft):
    html = organiser.get(_change(draft)).content.decode()
    bar = html.split('<nav class="campaign-tools"', 1)[1].split("</nav>", 1)[0]
    preview = f"/organise/campaigns/{draft.pk}/preview/"
    for href in (f"{preview}?language=en", f"{preview}?language=es", f"{preview}?language=ht",
                 f"/organise/campaigns/{draft.pk}/publish/", f"/organise/campaigns/{draft.pk}/",
                 f"/organise/campaigns/{draft.pk}/signers.csv",
                 f"/organise/campaigns/{draft.pk}/packet.pdf"):  # fmt: skip
        assert f'href="{href}"' in bar, href
    assert "View the live page" not in bar  # a draft has none yet
    Campaign.objects.filter(pk=draft.pk).update(status=Campaign.Status.LIVE)
    bar = organiser.get(_change(draft)).content.decode().split('class="campaign-tools"')[1]
    assert 'href="/act/miami-287g/"' in bar.split("</nav>")[0]


@pytest.mark.parametrize(
    ("language", "says"),
    [("en", "Sign and send"), ("es", "Firmar y enviar"), ("ht", "Siyen epi voye")],
)
def test_the_preview_opens_in_each_language(organiser, draft, language, says):
    html = organiser.get(f"/organise/campaigns/{draft.pk}/preview/?language={language}")
    text = html.content.decode()
    assert f'<html lang="{language}">' in text and says in text
    assert "Preview: this is how supporters see the page" in text or language != "en"


# Publishing -------------------------------------------------------------------------------


def test_publish_lists_each_problem_naming_it_and_linking_to_its_fix(organiser, draft):
    Campaign.objects.filter(pk=draft.pk).update(
        deadline=timezone.now() - timedelta(days=1), letter_body="Dear [Frist Name]"
    )
    url = f"/organise/campaigns/{draft.pk}/publish/"
    page = organiser.get(url).content.decode()
    assert "Not published yet: fix these 3 things first" in page
    assert "Deadline: This deadline has passed. Choose a later date." in page
    assert f'href="{_change(draft)}#id_deadline_0"' in page
    assert "Letter body: Unknown merge field [Frist Name]." in page
    assert f'href="{_change(draft)}#id_letter_body"' in page
    escalona = Official.objects.get(name="Rolando Escalona")
    assert "Commissioner, District 3: Rolando Escalona has no delivery email address." in page
    assert f'href="/admin/districts/official/{escalona.pk}/change/"' in page
    assert "Publish now" not in page
    response = organiser.post(url)
    assert response.status_code == 400
    assert Campaign.objects.get(pk=draft.pk).status == Campaign.Status.DRAFT


def test_publish_makes_a_ready_campaign_live(organiser, draft):
    Official.objects.filter(name="Rolando Escalona").update(email="d3@city.example")
    for translation in draft.translations.all():  # a native speaker read them
        translation.review_record(by="Ana Pérez", on=timezone.localdate())
        translation.save()
    url = f"/organise/campaigns/{draft.pk}/publish/"
    page = organiser.get(url).content.decode()
    assert "Ready to go live" in page and "publish_unreviewed" not in page
    response = organiser.post(url)
    assert response.status_code == 302 and response["Location"] == _change(draft)
    assert Campaign.objects.get(pk=draft.pk).status == Campaign.Status.LIVE
    assert "is live." in organiser.get(response["Location"]).content.decode()


def test_publishing_unreviewed_languages_asks_to_confirm_them(organiser, draft):
    Official.objects.filter(name="Rolando Escalona").update(email="d3@city.example")
    url = f"/organise/campaigns/{draft.pk}/publish/"
    page = organiser.get(url).content.decode()
    assert "No native speaker has reviewed the Spanish, Haitian Creole texts" in page
    assert "Publish with languages no native speaker has reviewed" in page
    assert organiser.post(url).status_code == 400
    assert Campaign.objects.get(pk=draft.pk).status == Campaign.Status.DRAFT
    response = organiser.post(url, {"publish_unreviewed": "yes"})
    assert response.status_code == 302
    assert Campaign.objects.get(pk=draft.pk).status == Campaign.Status.LIVE


def test_another_organisation_cannot_publish(client, organisers, draft):
    Official.objects.filter(name="Rolando Escalona").update(email="d3@city.example")
    client.force_login(organisers.b)
    assert client.post(f"/organise/campaigns/{draft.pk}/publish/").status_code == 404
    assert Campaign.objects.get(pk=draft.pk).status == Campaign.Status.DRAFT


def test_a_new_draft_with_a_past_deadline_is_told_to_choose_a_later_date(organiser, draft):
    yesterday = timezone.localtime() - timedelta(days=1)
    data = _form_data(draft, slug="next-campaign", deadline_0=yesterday.strftime("%Y-%m-%d"))
    for key in [k for k in data if k.startswith("translations-")]:
        del data[key]
    data.update({"translations-TOTAL_FORMS": "0", "translations-INITIAL_FORMS": "0"})
    html = organiser.post(ADD, data).content.decode()
    assert "This deadline has passed. Choose a later date." in html
    assert "Closed" not in re.sub(r"<option[^>]*>Closed</option>", "", html)


# Translations by the organiser ------------------------------------------------------------


def test_an_organiser_edits_a_translation_on_the_campaign_page(organiser, draft):
    page = organiser.get(_change(draft)).content.decode()
    assert 'name="translations-0-title"' in page
    assert "The English text" in page  # each field shows what it translates
    data = _form_data(draft)
    data["translations-0-title"] = "Nuevo titular"
    response = organiser.post(_change(draft), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert draft.translations.get(language="es").title == "Nuevo titular"


def test_a_language_not_started_has_a_blank_form_ready(organiser, draft):
    CampaignTranslation.objects.filter(campaign=draft, language="ht").delete()
    page = organiser.get(_change(draft)).content.decode()
    assert 'name="translations-TOTAL_FORMS" value="2"' in page
    assert re.search(r'name="translations-1-language"[^>]*>.*?<option value="ht" selected', page,
                     re.S)  # fmt: skip
    data = _form_data(draft)
    data.update({"translations-TOTAL_FORMS": "2", "translations-1-language": "ht",
                 "translations-1-title": "Tit an kreyòl"})  # fmt: skip
    response = organiser.post(_change(draft), data)
    assert response.status_code == 302
    assert draft.translations.get(language="ht").title == "Tit an kreyòl"


def test_missing_translations_link_to_the_first_missing_field(organiser, draft):
    CampaignTranslation.objects.filter(campaign=draft, language="es").update(summary="")
    CampaignTranslation.objects.filter(campaign=draft, language="ht").delete()
    for page in (organiser.get("/admin/campaigns/campaign/"), organiser.get(_change(draft))):
        html = page.content.decode()
        assert f'<a href="{_change(draft)}#id_translations-0-summary">Spanish: summary missing' in (
            html
        )
        assert f'<a href="{_change(draft)}#id_translations-1-title">Haitian Creole: not ' in html
