"""The thank-you page's receipt: what the signer typed, kept in a signed cookie for a day.

The thank-you page is made from what was sent, never from what is stored, so it reads the
same whether the email had signed before or not (no "already signed" oracle). The cookie
holds the typed first name, email and district only (and, for a petition-only signature
from outside the districts, where the typed address is), is signed (not forgeable), expires,
and is sent only to this site (HttpOnly, SameSite=Lax, Secure in production); no personal
data goes into a URL, where logs would keep it.
"""

import json
from dataclasses import dataclass

from django.conf import settings
from django.core import signing

from altavoz.campaigns import referrals

COOKIE = "altavoz_receipt"
SALT = "altavoz.receipt"
DISTRICT_SALT = "altavoz.receipt.district"
MAX_AGE = 24 * 3600


@dataclass(frozen=True)
class Receipt:
    campaign_id: str
    first_name: str
    email: str
    area_id: str
    outside_place: str = ""  # petition only (no letter): where the typed address is
    referral_code: str = ""  # the signer's own (campaigns.referrals), in a district token


def give(response, campaign, fields: dict) -> None:
    area = fields.get("area")
    value = json.dumps(
        {
            "c": str(campaign.pk),
            "f": fields["first_name"],
            "e": fields["email"],
            "a": str(area.pk) if area else "",
            "o": fields.get("outside_place", ""),
        }
    )
    response.set_signed_cookie(
        COOKIE,
        value,
        salt=SALT,
        max_age=MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def district_token(campaign, fields: dict) -> str:
    """The receipt for a thank-you page in a frame, where the browser may refuse the cookie:
    signed, for a day, with the district (and where a petition-only address is) and the
    signer's referral code (a keyed hash that names nobody): nothing personal, since it
    travels in the page's address."""
    area = fields.get("area")
    data = {"c": str(campaign.pk), "a": str(area.pk) if area else "",
            "o": fields.get("outside_place", ""),
            "r": referrals.code_for(campaign.pk, fields["email"])}  # fmt: skip
    return signing.dumps(data, salt=DISTRICT_SALT, compress=True)


def read_district_token(token: str, campaign) -> Receipt | None:
    """The receipt a district token holds (no name or email), if it is good for this
    campaign."""
    try:
        data = signing.loads(token[:500], salt=DISTRICT_SALT, max_age=MAX_AGE)
        receipt = Receipt(str(data["c"]), "", "", str(data["a"]), str(data.get("o", "")),
                          referrals.cleaned_code(str(data.get("r", ""))))  # fmt: skip
    except (KeyError, TypeError, ValueError, signing.BadSignature):
        return None
    return receipt if receipt.campaign_id == str(campaign.pk) else None


def read(request, campaign) -> Receipt | None:
    """The receipt of a signature on this campaign, if the browser holds a valid one."""
    try:
        data = json.loads(request.get_signed_cookie(COOKIE, salt=SALT, max_age=MAX_AGE))
        receipt = Receipt(
            str(data["c"]), str(data["f"]), str(data["e"]), str(data["a"]), str(data.get("o", ""))
        )
    except (KeyError, TypeError, ValueError, signing.BadSignature):
        return None
    return receipt if receipt.campaign_id == str(campaign.pk) else None
