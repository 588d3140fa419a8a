"""The campaign's texts in its other languages, as organisers edit them: one form per
offered language right on the campaign's page (a blank one for each language not started),
each field showing the English text it translates, and links to what is still missing."""

from django.conf import settings
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from altavoz.campaigns import golive
from altavoz.campaigns.models import Campaign, language_name

PREFIX = "translations"  # the inline's formset prefix (CampaignTranslation's related name)


def languages_to_start(campaign: Campaign | None) -> list[str]:
    """The offered languages (besides the campaign's own) with no translation yet."""
    if campaign is None or campaign.pk is None:
        return []
    started = set(campaign.translations.values_list("language", flat=True))
    offered = campaign.languages or []
    return [
        code
        for code, _name in settings.LANGUAGES
        if code in offered and code != settings.LANGUAGE_CODE and code not in started
    ]


def form_positions(campaign: Campaign) -> dict[str, int]:
    """Where each language's form is in the inline: the stored translations in their order,
    then one blank form per language to start (as TranslationFormSet lays them out)."""
    stored = list(campaign.translations.order_by("language").values_list("language", flat=True))
    return {code: n for n, code in enumerate([*stored, *languages_to_start(campaign)])}


def field_anchor(campaign: Campaign, language: str, field: str) -> str:
    """The link to one field of a language's form on the campaign's page."""
    position = form_positions(campaign).get(language, 0)
    return f"{golive.change_url(campaign)}#id_{PREFIX}-{position}-{field}"


def _first_missing(campaign: Campaign, translation) -> str:
    for field in Campaign.TRANSLATABLE_FIELDS:
        if getattr(campaign, field).strip() and not getattr(translation, field).strip():
            return field
    return ""


def _language_gap(campaign: Campaign, code: str, translation) -> tuple[str, str] | None:
    """What a language lacks (the words Campaign.missing_translations uses) and its first
    empty field; None when nothing is missing."""
    name = language_name(code)
    if translation is None:
        return _("%(language)s: not translated") % {"language": name}, "title"
    missing = translation.missing_fields(campaign)
    if not missing:
        return None
    text = _("%(language)s: %(fields)s missing") % {"language": name, "fields": ", ".join(missing)}
    return text, _first_missing(campaign, translation)


def missing_translation_links(campaign: Campaign) -> list[tuple[str, str, str]]:
    """(what is missing, the link to its first empty field, the language) for each offered
    language whose texts are not all written."""
    if campaign.pk is None:
        return []
    written = {t.language: t for t in campaign.translations.all()}
    links = []
    for code in campaign.languages or []:
        gap = code != settings.LANGUAGE_CODE and _language_gap(campaign, code, written.get(code))
        if gap:
            links.append((gap[0], field_anchor(campaign, code, gap[1]), language_name(code)))
    return links


def _english(text: str) -> str:
    return format_html(
        "<details><summary>{}</summary><div class='source-text'>{}</div></details>",
        _("The English text"),
        text,
    )


class TranslationFormSet(BaseInlineFormSet):
    """A blank form for each offered language not started, and each field showing the
    campaign's English text beside it."""

    def __init__(self, *args, **kwargs):
        instance = kwargs.get("instance")
        kwargs.setdefault("initial", [{"language": c} for c in languages_to_start(instance)])
        super().__init__(*args, **kwargs)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        campaign = self.instance
        if campaign is None or campaign.pk is None:
            return
        for field in Campaign.TRANSLATABLE_FIELDS:
            source = getattr(campaign, field, "")
            if field in form.fields and source.strip():
                form.fields[field].help_text = _english(source)


LANGUAGES_HELP = gettext_lazy(
    "The languages this page is offered in. The texts above are the English ones: write the "
    "others below, under Translations (one form per language; an empty text shows the "
    "English one)."
)
