"""The campaign page's description, canonical address and share tags (campaigns.previews)."""

from django import template

from altavoz.campaigns import previews

register = template.Library()


@register.inclusion_tag("campaigns/_share_meta.html")
def share_meta(campaign) -> dict:
    return {"campaign": campaign, "share": previews.meta(campaign)}
