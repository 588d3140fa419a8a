"""What Altavoz serves for a campaign to other sites: the share image crawlers show, and the
live counter (HTML for a frame, SVG for a picture), cacheable and without JavaScript."""

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from altavoz import kept
from altavoz.campaigns import framing, previews, selectors
from altavoz.campaigns.views.action import _recent_campaign

SHARE_IMAGE_MAX_AGE = 600
COUNTER_MAX_AGE = 60  # the count a counter shows may be this old in a browser or a cache


def _cacheable(response, seconds: int):
    response["Cache-Control"] = f"public, max-age={seconds}"
    return response


@require_safe
def share_image(request, slug: str):
    """The campaign's share image, 1200 x 630, in the page's language."""
    data, content_type = previews.image(_recent_campaign(slug))
    return _cacheable(HttpResponse(data, content_type=content_type), SHARE_IMAGE_MAX_AGE)


SVG_BAR_WIDTH = 368


def _counter_context(campaign) -> dict:
    count = selectors.signature_count(campaign)
    progress = selectors.progress_percent(count, campaign.goal)
    return {
        "campaign": campaign,
        "count": count,
        "progress": progress,
        "bar_width": max(0, round(SVG_BAR_WIDTH * progress / 100)),
        "campaign_url": previews.page_url(campaign, get_language()),
    }


def _rendered(campaign, template: str) -> str:
    """The counter as rendered at most PAGE_LIVE_SECONDS ago in this process, in the
    request's language (like the campaign page's live column)."""
    key = (template, campaign.pk, campaign.updated_at, get_language())
    return kept.remembered(
        key,
        settings.PAGE_LIVE_SECONDS,
        lambda: render_to_string(template, _counter_context(campaign)),
    )


@require_safe
def counter(request, slug: str):
    """The count, the goal and a bar, for a frame on the sites the campaign allows."""
    campaign = _recent_campaign(slug)
    response = HttpResponse(_rendered(campaign, "campaigns/counter.html"))
    framing.frame_policy(response, campaign)
    return _cacheable(response, COUNTER_MAX_AGE)


@require_safe
def counter_svg(request, slug: str):
    """The same as a picture (SVG), for any site."""
    campaign = _recent_campaign(slug)
    svg = _rendered(campaign, "campaigns/counter.svg")
    return _cacheable(HttpResponse(svg, content_type="image/svg+xml"), COUNTER_MAX_AGE)
