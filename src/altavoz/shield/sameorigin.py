"""Whether a POST was sent by a page of another site, as the browser tells it.

The action form (page and embed) carries no CSRF cookie: its proof of coming from a page of
ours is the render token signed for the campaign (shield.formtoken), which costs no cookie,
no random secret per page view and works in a frame where browsers refuse cookies. A render
token can be fetched by anyone, though, so what the CSRF cookie adds against another site
making its visitors' browsers sign (each from its own connection, past the per-connection
limits) is taken from the headers every current browser sends with a form and no page can
forge: ``Origin`` (refused unless it is this site or one of ``CSRF_TRUSTED_ORIGINS``; the
``null`` of a sandboxed or privacy-stripped origin too) and, where a browser sends no
Origin, ``Sec-Fetch-Site`` (refused unless ``same-origin``). With neither header the POST is
not from a current browser, and the render token and the shield's rules judge it as any
other client's."""

from django.conf import settings


def _own_origin(request) -> str:
    return f"{'https' if request.is_secure() else 'http'}://{request.get_host()}"


def from_another_site(request) -> bool:
    origin = request.META.get("HTTP_ORIGIN")
    if origin is not None:
        return origin != _own_origin(request) and origin not in settings.CSRF_TRUSTED_ORIGINS
    fetch_site = request.META.get("HTTP_SEC_FETCH_SITE")
    return fetch_site is not None and fetch_site != "same-origin"
