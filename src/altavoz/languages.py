"""The languages a page or an email speaks: no models here, so anything may import it."""

from django.conf import settings
from django.utils.translation import get_language


def other_languages() -> list[tuple[str, str]]:
    """The languages other than the site's own (settings.LANGUAGE_CODE): (code, name)."""
    return [(code, name) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def language_of_page(language: str | None = None) -> str:
    """The language to speak: the one named, else the active one (the page's, or the
    signer's in an email), as its base code ("es" for "es-us")."""
    code = language or get_language() or settings.LANGUAGE_CODE
    return code.split("-")[0].lower()
