"""Share links for the thank-you page. Each carries a source code (its channel) and the
signer's own referral code (campaigns.referrals), so a signature that arrives through it
records where it came from and who shared it."""

from urllib.parse import quote, urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from altavoz.campaigns.models import Campaign


def campaign_url(campaign: Campaign, source: str, *, ref: str = "") -> str:
    path = reverse("campaign", kwargs={"slug": campaign.slug})
    query = {"source": source, **({"ref": ref} if ref else {})}
    return f"{settings.SITE_URL}{path}?{urlencode(query)}"


def share_links(campaign: Campaign, *, ref: str = "") -> list[dict]:
    message = _("I just took action: %(title)s. Join me:") % {"title": campaign.title}
    links = []
    whatsapp = campaign_url(campaign, "share-whatsapp", ref=ref)
    links.append(
        {"name": "WhatsApp", "href": f"https://wa.me/?text={quote(f'{message} {whatsapp}')}"}
    )
    email_url = campaign_url(campaign, "share-email", ref=ref)
    email_query = urlencode(
        {"subject": campaign.title, "body": f"{message}\n\n{email_url}"}, quote_via=quote
    )
    links.append({"name": _("Email"), "href": f"mailto:?{email_query}"})
    facebook = campaign_url(campaign, "share-facebook", ref=ref)
    links.append(
        {
            "name": "Facebook",
            "href": f"https://www.facebook.com/sharer/sharer.php?{urlencode({'u': facebook})}",
        }
    )
    x_url = campaign_url(campaign, "share-x", ref=ref)
    links.append(
        {
            "name": "X",
            "href": f"https://x.com/intent/post?{urlencode({'text': message, 'url': x_url})}",
        }
    )
    return links
