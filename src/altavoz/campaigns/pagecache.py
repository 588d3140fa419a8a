"""The campaign page for a new visitor, from memory, with fresh counts and tokens.

A viral spike is mostly people opening the page. Rendering it (the campaign's texts, the
letter, the district chooser) is the same for everyone who reads it in one language, so each
web process keeps it rendered for PAGE_CACHE_SECONDS, per campaign version and language,
with slots where each request's own values go:

- the signed render time (``rendered``, shield.formtoken): issued now, for this request,
- the share link's source code and referral code from the address,
- the live column (counter and Recent participants), itself kept for PAGE_LIVE_SECONDS.

So the page a visitor gets is never more than PAGE_LIVE_SECONDS behind on the counter and
the participants (both read as committed when the column is made), and every token in it is
new. Editing a campaign changes its ``updated_at`` and so its key: the new text shows
at once. The memory is per process (altavoz.kept), so no cache server is asked on a page
view.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.translation import get_language

from altavoz.campaigns import referrals, selectors
from altavoz.campaigns.surfaces import PAGE, Surface
from altavoz.kept import remembered
from altavoz.shield import formtoken

RENDERED_SLOT = "altavoz-slot-rendered-token"
SOURCE_SLOT = "altavoz-slot-source"
REF_SLOT = "altavoz-slot-ref"
LIVE_SLOT = "<!-- altavoz-slot-live -->"


def live_column(campaign, template: str = PAGE.live_template) -> str:
    """The counter and Recent participants (or the counter alone, in the embed), at most
    PAGE_LIVE_SECONDS old."""

    def make() -> str:
        count = selectors.signature_count(campaign)
        context = {
            "campaign": campaign,
            "count": count,
            "progress": selectors.progress_percent(count, campaign.goal),
            "recent": selectors.recent_participants(campaign),
        }
        return render_to_string(template, context)

    key = ("live", template, campaign.pk, get_language())
    return remembered(key, settings.PAGE_LIVE_SECONDS, make)


def page(request, campaign, render_skeleton, *, surface: Surface = PAGE) -> str:
    """The page for this request: the kept skeleton (``render_skeleton(slots)`` renders it
    when missing) with this request's tokens and the live column put in its slots. There is
    no CSRF token (nor its cookie): the render token is the form's proof (action.sign)."""
    slots = {"rendered": RENDERED_SLOT, "source": SOURCE_SLOT, "ref": REF_SLOT,
             "live": LIVE_SLOT}  # fmt: skip
    key = (surface.name, campaign.pk, campaign.updated_at, get_language())
    skeleton = remembered(key, settings.PAGE_CACHE_SECONDS, lambda: render_skeleton(slots))
    return (
        skeleton.replace(RENDERED_SLOT, formtoken.issue(str(campaign.pk)), 1)
        .replace(SOURCE_SLOT, escape(surface.source_of(request)), 1)
        .replace(REF_SLOT, referrals.cleaned_code(request.GET.get("ref", "")), 1)
        .replace(LIVE_SLOT, live_column(campaign, surface.live_template), 1)
    )
