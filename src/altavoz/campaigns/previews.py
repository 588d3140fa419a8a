"""What a campaign page shows where it is shared or indexed: its description, its one
address in each language (canonical, hreflang), Open Graph and Twitter card tags, and the
share image (campaigns.shareimage), all served from Altavoz."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from altavoz import kept
from altavoz.campaigns import selectors, shareimage
from altavoz.campaigns.models import Campaign, ShareImage

OG_LOCALES = {"en": "en_US", "es": "es_US", "ht": "ht_HT"}
IMAGE_SECONDS = 300  # a drawn image's count may be this old; crawlers fetch it seldom


def page_url(campaign: Campaign, language: str) -> str:
    """The page's one address in ``language`` (no query: share links' codes are not part of
    it)."""
    with translation.override(language):
        return settings.SITE_URL + reverse("campaign", kwargs={"slug": campaign.slug})


def meta(campaign: Campaign) -> dict:
    """The values of the page's description, canonical and share tags, in the page's
    language."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    with translation.override(language):
        image = settings.SITE_URL + reverse("share-image", kwargs={"slug": campaign.slug})
    return {
        "description": campaign.summary,
        "url": page_url(campaign, language),
        "image": f"{image}?v={int(campaign.updated_at.timestamp() * 1000)}",
        "width": shareimage.WIDTH,
        "height": shareimage.HEIGHT,
        "locale": OG_LOCALES.get(language, language),
        "other_locales": [
            OG_LOCALES.get(code, code) for code in campaign.languages if code != language
        ],
    }


def image(campaign: Campaign) -> tuple[bytes, str]:
    """The share image and its type: the organiser's upload, or one drawn for the campaign in
    the active language (kept in this process for IMAGE_SECONDS)."""
    uploaded = ShareImage.objects.filter(campaign=campaign).values_list("jpeg", flat=True).first()
    if uploaded is not None:
        return bytes(uploaded), "image/jpeg"

    def drawn() -> bytes:
        return shareimage.draw(
            organisation=campaign.organisation.name,
            title=campaign.title,
            count=selectors.signature_count(campaign),
            goal=campaign.goal,
        )

    key = ("share-image", campaign.pk, campaign.updated_at, translation.get_language())
    return kept.remembered(key, IMAGE_SECONDS, drawn), "image/png"
