"""The note to an organisation whose webhook endpoint was disabled after failing for days."""

import logging

from django.conf import settings
from django.urls import reverse

from altavoz.delivery.channels.base import SendError
from altavoz.delivery.channels.email import addresses
from altavoz.delivery.channels.email.direct import send_now
from altavoz.delivery.channels.email.emails import render_email

logger = logging.getLogger(__name__)


def endpoint_disabled_email(endpoint):
    organisation = endpoint.organisation
    members = organisation.members.filter(is_active=True).exclude(email="")
    to = sorted({addresses.checked(u.email, whose="An organiser") for u in members})
    if not to:
        return []
    link = settings.SITE_URL + reverse("admin:hooks_endpoint_change", args=[endpoint.pk])
    return [
        render_email(
            "hooks/email/endpoint_disabled",
            {"organisation": organisation, "endpoint": endpoint, "link": link},
            to=to,
            from_email=addresses.mailbox("Altavoz", settings.DEFAULT_FROM_EMAIL),
        )
    ]


def endpoint_disabled_tell(endpoint) -> None:
    """Email the organisers; a failure is logged (the admin shows why it was disabled)."""
    try:
        send_now(lambda: endpoint_disabled_email(endpoint), what=f"Webhook note {endpoint.pk}")
    except SendError:
        logger.warning("The organisers of %s were not told", endpoint.organisation_id)
