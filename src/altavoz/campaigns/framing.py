"""Which other sites may show a campaign's embedded form and counter in a frame.

Each campaign lists the origins allowed to frame it (``Campaign.embed_origins``), and only
the embed and counter responses name them, in their CSP ``frame-ancestors``: every other
page keeps ``frame-ancestors 'none'`` and ``X-Frame-Options: DENY`` (settings)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.utils.csp import CSP
from django.utils.translation import gettext as _


def origin_problem(text: str) -> str:
    """Why ``text`` is not an origin a campaign can allow, or "" when it is one."""
    parts = urlsplit(text)
    try:
        parts.port  # noqa: B018 (a port that is not a number raises)
    except ValueError:
        return _("%(origin)s: the port must be a number.") % {"origin": text}
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return _("%(origin)s: write the address as https://example.org.") % {"origin": text}
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        return _("%(origin)s: only the site's address, without a page (https://example.org).") % {
            "origin": text
        }
    return ""


def origin(text: str) -> str:
    """The origin as browsers send it: lower case, no trailing slash."""
    parts = urlsplit(text.strip())
    return f"{parts.scheme}://{parts.netloc}".lower()


def frame_policy(response, campaign) -> None:
    """Let the campaign's allowed origins (and only them) show this response in a frame."""
    origins = list(campaign.embed_origins or [])
    response._csp_config = {
        **settings.SECURE_CSP,
        "frame-ancestors": origins or [CSP.NONE],
    }
    if origins:
        response.xframe_options_exempt = True
