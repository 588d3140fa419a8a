"""The email that invites a requester to become their organisation's first organiser."""

from django.conf import settings
from django.utils import translation

from altavoz.delivery.channels.email import addresses
from altavoz.delivery.channels.email.direct import send_now
from altavoz.delivery.channels.email.emails import render_email
from altavoz.onboarding import tokens
from altavoz.onboarding.models import OrganisationRequest


def invitation_email(request: OrganisationRequest):
    context = {
        "organisation": request.organisation,
        "request": request,
        "link": tokens.invitation_url(request),
        "days": tokens.INVITATION_MAX_AGE // 86400,
    }
    with translation.override(request.language or settings.LANGUAGE_CODE):
        return render_email(
            "onboarding/email/invitation",
            context,
            to=[addresses.checked(request.requester_email, whose="The requester")],
            from_email=addresses.mailbox("Altavoz", settings.DEFAULT_FROM_EMAIL),
        )


def invitation_send(request_id: str) -> int:
    """Send the latest invitation of a request (nothing once it has been accepted)."""
    related = OrganisationRequest.objects.select_related("organisation")
    request = related.filter(pk=request_id, accepted_at__isnull=True).first()
    if request is None or request.invited_at is None:
        return 0
    return send_now(lambda: [invitation_email(request)], what=f"Invitation {request_id}")
