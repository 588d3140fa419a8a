"""Where signatures come from: each supporter's own referral code on their share links, and
the channel a signature arrived through (WhatsApp, email, Facebook, X, a copied link, the
embed, another code of the organiser's, or direct).

A supporter's code is a keyed hash of the campaign and their email address, made from what
they typed (the thank-you page's receipt), never read from what is stored: the thank-you page
reads the same whether the address had signed before or not (DESIGN.md, trust model). The
signature stores the same code when it is created, so a later signature arriving with it
finds who referred it. No third-party analytics: the code and the source are all there is."""

import re

from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

CODE_LENGTH = 12
CODE_PATTERN = re.compile(r"^[0-9a-f]{12}$")

# A share link's source code -> its channel; "" (no code) is direct, any other code "other".
CHANNEL_OF_SOURCE = {
    "share-whatsapp": "whatsapp",
    "share-email": "email",
    "share-facebook": "facebook",
    "share-x": "x",
    "share-copy": "link",
    "embed": "embed",
}
CHANNELS = {
    "whatsapp": "WhatsApp",
    "email": _("Email"),
    "facebook": "Facebook",
    "x": "X",
    "link": _("Copied link"),
    "embed": _("Embedded form"),
    "other": _("Other source codes"),
    "direct": _("Direct"),
}


def code_for(campaign_id, email: str) -> str:
    """The referral code of whoever signs ``campaign_id`` with ``email``."""
    value = f"{campaign_id}:{email.strip().lower()}"
    digest = salted_hmac("altavoz.campaigns.referral", value, algorithm="sha256").hexdigest()
    return digest[:CODE_LENGTH]


def cleaned_code(text: str) -> str:
    """A referral code from a link, or "" for anything that does not look like one."""
    text = (text or "").strip().lower()
    return text if CODE_PATTERN.match(text) else ""


def channel_of(source: str) -> str:
    if not source:
        return "direct"
    return CHANNEL_OF_SOURCE.get(source, "other")
