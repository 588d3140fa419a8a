"""English, Spanish and Haitian Creole: the interface, the campaign's own texts, the letter
as sent, the language switcher and hreflang, and the organiser's view of what is missing."""

import re
from pathlib import Path

import pytest
from django.core import mail
from django.utils import translation

from altavoz.campaigns.models import Campaign, CampaignTranslation, Signature
from altavoz.delivery import sending
from altavoz.delivery.channels.email import emails
from altavoz.delivery.channels.registry import ChannelSet
from altavoz.delivery.models import Delivery

LOCALE = Path(__file__).resolve().parents[1] / "src" / "altavoz" / "locale"
PAGES = {"en": "/act/miami-287g/", "es": "/es/act/miami-287g/", "ht": "/ht/act/miami-287g/"}


def po_entries(path: Path) -> list[dict]:
    """Each entry of a .po file: its flags, msgid and msgstr(s), joined across lines."""
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        entry = {"flags": "", "msgid": None, "msgstr": []}
        current = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] += line
            elif line.startswith("#"):
                continue
            elif line.startswith("msgid "):
                current, entry["msgid"] = "msgid", line[6:].strip('"')
            elif line.startswith("msgid_plural "):
                current = "plural"
            elif line.startswith("msgstr"):
                current = "msgstr"
                entry["msgstr"].append(line.split(" ", 1)[1].strip('"'))
            elif line.startswith('"') and current == "msgid":
                entry["msgid"] += line.strip('"')
            elif line.startswith('"') and current == "msgstr":
                entry["msgstr"][-1] += line.strip('"')
        if entry["msgid"] is not None:
            entries.append(entry)
    return entries


@pytest.mark.parametrize("language", ["es", "ht"])
def test_every_interface_message_is_translated_and_none_is_fuzzy(language):
    entries = po_entries(LOCALE / language / "LC_MESSAGES" / "django.po")
    assert len(entries) > 300
    untranslated = [e["msgid"] for e in entries if e["msgid"] and not all(e["msgstr"])]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert untranslated == []
    assert fuzzy == []


def test_the_po_checker_notices_an_empty_or_fuzzy_message(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr "Language: es\\n"\n\nmsgid "Sign"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Send"\nmsgstr "Enviar"\n',
        encoding="utf-8",
    )
    entries = po_entries(po)
    assert [e["msgid"] for e in entries if e["msgid"] and not all(e["msgstr"])] == ["Sign"]
    assert [e["msgid"] for e in entries if "fuzzy" in e["flags"]] == ["Send"]


@pytest.mark.parametrize(
    ("language", "headline", "button"),
    [
        ("en", "Tell the City of Miami to Stop Diverting", "Sign and send"),
        ("es", "Dígale a la Ciudad de Miami que deje de desviar", "Firmar y enviar"),
        ("ht", "Di Vil Miami pou l sispann itilize lajan lokal", "Siyen epi voye"),
    ],
)
def test_each_language_has_its_own_url_with_the_interface_and_campaign_in_it(
    client, miami, language, headline, button
):
    html = client.get(PAGES[language]).content.decode()
    assert f'<html lang="{language}">' in html
    assert headline in html
    assert button in html


def test_the_english_page_ignores_the_browser_language_so_caches_stay_right(client, miami):
    html = client.get(PAGES["en"], HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<html lang="en">' in html
    assert "Sign and send" in html


def test_hreflang_alternates_and_the_switcher_name_each_language(client, miami, settings):
    settings.SITE_URL = "https://act.example.org"
    html = client.get(PAGES["es"]).content.decode()
    for code, path in PAGES.items():
        assert (
            f'<link rel="alternate" hreflang="{code}" href="https://act.example.org{path}">' in html
        )
    assert 'hreflang="x-default" href="https://act.example.org/act/miami-287g/"' in html
    switcher = html.split('<nav class="languages"', 1)[1].split("</nav>", 1)[0]
    assert 'href="/ht/act/miami-287g/" hreflang="ht" lang="ht">Kreyòl ayisyen</a>' in switcher
    assert 'href="/es/act/miami-287g/" hreflang="es" lang="es" aria-current="true">Español' in (
        switcher
    )


def test_the_switcher_offers_only_the_campaigns_languages(client, miami):
    miami.languages = ["en", "es"]
    miami.save()
    html = client.get(PAGES["en"]).content.decode()
    assert 'hreflang="es"' in html
    assert 'hreflang="ht"' not in html


def test_the_switcher_keeps_the_thank_you_pages_signature_link(client, supporter_post):
    response = client.post(PAGES["en"], supporter_post())
    html = client.get(response["Location"]).content.decode()
    assert 'href="/es/act/miami-287g/thanks/"' in html
    spanish = client.get("/es/act/miami-287g/thanks/").content.decode()
    assert "Maria" in spanish  # the receipt is the browser's, whatever the language


def test_an_empty_translated_text_falls_back_to_the_campaigns_own(client, miami):
    CampaignTranslation.objects.filter(campaign=miami, language="ht").update(summary="")
    html = client.get(PAGES["ht"]).content.decode()
    assert "Di Vil Miami pou l sispann" in html
    assert "Tell City of Miami Commissioners to unite against agreements" in html


def test_the_proof_of_work_widget_speaks_the_page_language(client, miami, settings):
    settings.PROOF_OF_WORK = "adaptive"
    html = client.get(PAGES["es"]).content.decode()
    assert "No soy un robot" in html
    assert "Verificando..." in html


def _drain() -> None:
    channels = ChannelSet()
    sending.drain_letters(channels)
    channels.shutdown()


@pytest.mark.parametrize(
    ("language", "subject", "greeting", "closing"),
    [
        ("es", "Vote NO a toda forma de acuerdo 287(g)", "Honorable Damian Pardo:",
         "Atentamente,\n\nAna Ruiz"),
        ("ht", "Vote kont tout fòm akò 287(g)", "Chè Komisyonè Damian Pardo,",
         "Avèk respè,\n\nAna Ruiz"),
    ],
)  # fmt: skip
def test_the_letter_is_sent_in_the_language_the_supporter_signed_in(
    client, addressed, supporter_post, language, subject, greeting, closing
):
    response = client.post(
        PAGES[language], supporter_post(first_name="Ana", last_name="Ruiz", letter_body="Hola.")
    )
    assert response.status_code == 302
    assert response["Location"].startswith(f"/{language}/act/miami-287g/thanks/")
    signature = Signature.objects.get(person__email="maria.lopez@example.com")
    assert signature.language == language
    _drain()
    (letter,) = [m for m in mail.outbox if m.to == ["commissioner2@city.example"]]
    assert letter.subject.startswith(subject)
    assert letter.body.startswith(f"{greeting}\n\nHola.\n\n")
    assert closing in letter.body


def test_the_page_shows_the_greeting_and_letter_of_its_language(client, miami):
    html = client.get(PAGES["ht"]).content.decode()
    assert 'data-template="Chè Komisyonè [Official Name],"' in html
    assert "Mwen menm, ansanm ak rezidan ak votè Vil Miami" in html


def test_an_english_signature_gets_the_english_letter(sign):
    signature = sign(language="en")
    letter = emails.letter_email(Delivery.objects.get(signature=signature))
    assert letter.subject.startswith("Vote NO on all forms of 287(g)")
    assert letter.body.startswith("Dear Commissioner Damian Pardo,")


def test_the_demo_translations_keep_every_figure_of_the_english_texts(miami):
    figures = re.compile(r"\d[\d.,]*")
    for version in miami.translations.all():
        for field in Campaign.TRANSLATABLE_FIELDS:
            english = getattr(miami, field)
            wanted = {f.rstrip(".,") for f in figures.findall(english)} - {"12"}  # "12th"
            written = {f.rstrip(".,") for f in figures.findall(getattr(version, field))}
            assert wanted <= written, (version.language, field, wanted - written)
            known = {"[First Name]", "[Last Name]", "[Official Name]"}
            merge = set(re.findall(r"\[[A-Za-z ]+\]", getattr(version, field)))
            assert merge <= known


def test_the_demo_is_offered_in_three_languages_with_nothing_missing(miami):
    assert miami.languages == ["en", "es", "ht"]
    assert miami.missing_translations() == []


def test_missing_translations_are_named_per_language(miami):
    CampaignTranslation.objects.filter(campaign=miami, language="es").update(
        letter_body="", summary=""
    )
    CampaignTranslation.objects.filter(campaign=miami, language="ht").delete()
    with translation.override("en"):
        problems = [str(p) for p in miami.missing_translations()]
    assert problems == [
        "Spanish: summary, letter body missing",
        "Haitian Creole: not translated",
    ]


def test_the_admin_shows_which_translations_a_campaign_is_missing(admin_client, miami):
    CampaignTranslation.objects.filter(campaign=miami, language="ht").delete()
    listing = admin_client.get("/admin/campaigns/campaign/").content.decode()
    assert "Missing translations" in listing
    assert "Haitian Creole: not translated" in listing
    form = admin_client.get(f"/admin/campaigns/campaign/{miami.pk}/change/").content.decode()
    assert "Haitian Creole: not translated" in form
    assert 'name="translations-0-letter_body"' in form


def test_a_campaign_must_offer_known_languages(miami):
    from django.core.exceptions import ValidationError

    miami.languages = ["en", "fr"]
    with pytest.raises(ValidationError) as error:
        miami.full_clean()
    assert "languages" in error.value.message_dict


def test_a_translated_letter_keeps_the_merge_fields_in_english(miami):
    from django.core.exceptions import ValidationError

    spanish = miami.translations.get(language="es")
    spanish.letter_greeting = "Estimado(a) [Nombre Oficial]:"
    with pytest.raises(ValidationError) as error:
        spanish.full_clean()
    assert "[Nombre Oficial]" in str(error.value.message_dict["letter_greeting"])


@pytest.mark.usefixtures("city_map")
def test_the_live_lookup_answers_in_the_pages_language(client):
    answer = client.get(
        "/es/act/miami-287g/lookup/", {"street": "3500 Pan American Dr", "zip": "33133"}
    ).json()
    assert answer["message"] == "Su representante en la Comisión: Distrito 2 — Damian Pardo"
    assert answer["greeting"] == "Honorable Damian Pardo:"


def test_recent_participants_say_when_in_the_pages_language(client, sign):
    sign(first_name="Ana", last_name="Ruiz")
    html = client.get(PAGES["ht"]).content.decode()
    assert "Ana R." in html
    assert "sa gen kèk segonn" in html


@pytest.mark.parametrize(
    ("seconds", "english", "spanish"),
    [(5, "just now", "hace un momento"), (60, "1 minute ago", "hace 1 minuto"),
     (7200, "2 hours ago", "hace 2 horas"), (3 * 86400, "3 days ago", "hace 3 días")],
)  # fmt: skip
def test_time_ago_is_said_in_whole_units(seconds, english, spanish):
    from datetime import timedelta

    from django.utils import timezone

    from altavoz.campaigns.templatetags.campaign_text import ago

    now = timezone.now()
    with translation.override("en"):
        assert ago(now - timedelta(seconds=seconds), now) == english
    with translation.override("es"):
        assert ago(now - timedelta(seconds=seconds), now) == spanish


@pytest.mark.parametrize(
    ("language", "date"),
    [("en", "June 12, 2027"), ("es", "12 de junio de 2027"), ("ht", "12 jen 2027")],
)
def test_dates_are_written_in_the_pages_language(client, miami, language, date):
    assert date in client.get(PAGES[language]).content.decode()


def test_a_translation_is_for_another_language_than_the_campaigns_own(miami):
    from django.core.exceptions import ValidationError

    english = CampaignTranslation(campaign=miami, language="en", title="Another headline")
    with pytest.raises(ValidationError) as error:
        english.full_clean()
    assert "language" in error.value.message_dict


def test_the_admin_form_stores_the_languages_offered(miami):
    from altavoz.campaigns.admin import CampaignAdminForm

    form = CampaignAdminForm(data={"languages": ["en", "ht"]}, instance=miami)
    assert form.is_valid(), form.errors
    form.save()
    miami.refresh_from_db()
    assert miami.languages == ["en", "ht"]
    assert not CampaignAdminForm(data={"languages": ["fr"]}, instance=miami).is_valid()
