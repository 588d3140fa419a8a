"""The code an organiser pastes into their own site: the form (embed.js), the counter (a
frame, or a picture)."""

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.translation import gettext as _

from altavoz.campaigns.models import Campaign


def _url(name: str, campaign: Campaign) -> str:
    return settings.SITE_URL + reverse(name, kwargs={"slug": campaign.slug})


def snippets(campaign: Campaign) -> list[tuple[str, str]]:
    """(what it is, the code) for each way to show the campaign on another site."""
    title = escape(campaign.title)
    counter = _url("counter", campaign)
    svg = _url("counter-svg", campaign)
    script = settings.SITE_URL + static("altavoz/embed.js")
    return [
        (
            _("The form, in a frame sized to it (the sites listed above only)"),
            f'<script src="{script}" data-campaign="{campaign.slug}" async></script>',
        ),
        (
            _("Counter in a frame (the sites listed above only)"),
            f'<iframe src="{counter}" title="{title}" width="320" height="150" '
            'style="border:0"></iframe>',
        ),
        (
            _("Counter as a picture (any site)"),
            f'<a href="{_url("campaign", campaign)}"><img src="{svg}" alt="{title}" '
            'width="400" height="96"></a>',
        ),
    ]


def snippets_html(campaign: Campaign) -> str:
    return format_html_join(
        "",
        "<p>{}</p><pre><code>{}</code></pre>",
        ((label, code) for label, code in snippets(campaign)),
    ) or format_html("")
