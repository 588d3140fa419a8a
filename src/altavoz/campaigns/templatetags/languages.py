"""The language switcher and hreflang alternates: the same page in each language offered."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

register = template.Library()

# Each language named in itself, as a reader of that language looks for it.
LOCAL_NAMES = {"en": "English", "es": "Español", "ht": "Kreyòl ayisyen"}


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """One link per language the page is offered in (a campaign's languages, or all);
    empty on pages that exist in one language only (the admin, the organiser pages)."""
    request = context.get("request")
    if request is None:
        return []
    campaign = context.get("campaign")
    codes = [code for code, _name in settings.LANGUAGES]
    if campaign is not None:
        codes = [code for code in codes if code in campaign.languages]
    path = request.get_full_path()
    urls = {code: translate_url(path, code) for code in codes}
    # The page's address in each language, without the query (a share link's code): what
    # search engines are told (hreflang) is the page itself.
    pages = {code: translate_url(request.path, code) for code in codes}
    if len(set(urls.values())) < 2:
        return []
    current = get_language()
    return [
        {
            "code": code,
            "name": LOCAL_NAMES.get(code, code),
            "url": url,
            "absolute_url": settings.SITE_URL + pages[code],
            "current": code == current,
        }
        for code, url in urls.items()
    ]
