"""What an organiser can do with a campaign, as links: shown on its edit page (the tool bar)
and in the list of campaigns."""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from altavoz.campaigns.models import Campaign
from altavoz.campaigns.templatetags.languages import LOCAL_NAMES


@dataclass(frozen=True)
class Tool:
    label: str
    url: str
    lang: str = ""  # a preview's language, named in itself


def previews(campaign: Campaign) -> list[Tool]:
    """One preview per language the campaign is offered in."""
    url = reverse("organise:preview", args=[campaign.pk])
    offered = [code for code, _name in settings.LANGUAGES if code in (campaign.languages or [])]
    return [Tool(LOCAL_NAMES.get(code, code), f"{url}?language={code}", code) for code in offered]


def live_page(campaign: Campaign) -> Tool | None:
    if campaign.status == Campaign.Status.DRAFT:
        return None
    return Tool(_("View the live page"), reverse("campaign", kwargs={"slug": campaign.slug}))


def campaign_tools(campaign: Campaign) -> list[Tool]:
    """Dashboard, Export and Packet (the preview and publish links are apart)."""
    return [
        Tool(_("Dashboard"), reverse("organise:dashboard", args=[campaign.pk])),
        Tool(_("Export signers (CSV)"), reverse("organise:export", args=[campaign.pk])),
        Tool(_("Delivery packet (PDF)"), reverse("organise:packet", args=[campaign.pk])),
    ]


def publish_url(campaign: Campaign) -> str:
    return reverse("organise:publish", args=[campaign.pk])
