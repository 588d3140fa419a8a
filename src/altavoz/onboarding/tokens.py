"""The invitation link: signed, expiring after 7 days, usable once, and retired by a newer
invitation (it names the time its invitation was sent)."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation

from altavoz.campaigns.models import Organisation
from altavoz.onboarding.models import OrganisationRequest

SALT = "altavoz.organisation-invitation"
INVITATION_MAX_AGE = 7 * 24 * 3600


def invitation_token(request: OrganisationRequest) -> str:
    return signing.dumps({"r": str(request.pk), "t": request.invited_at.isoformat()}, salt=SALT)


def invitation_url(request: OrganisationRequest) -> str:
    """The link, on the site's own address, in the language the request was made in."""
    with translation.override(request.language or settings.LANGUAGE_CODE):
        path = reverse("organisation-join", kwargs={"token": invitation_token(request)})
    return settings.SITE_URL + path


@dataclass(frozen=True)
class Invitation:
    request: OrganisationRequest | None
    invited_at: datetime | None = None
    problem: str = ""  # "invalid", "expired", "used", "replaced"


def invitation_for_token(token: str) -> Invitation:
    """The request a link names and whether it can still be used (and if not, why)."""
    try:
        data = signing.loads(token, salt=SALT, max_age=INVITATION_MAX_AGE)
        request_id, invited_at = str(data["r"]), datetime.fromisoformat(data["t"])
    except signing.SignatureExpired:
        return Invitation(None, problem="expired")
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return Invitation(None, problem="invalid")
    related = OrganisationRequest.objects.select_related("organisation")
    request = related.filter(pk=request_id).first()
    if request is None or request.organisation.status != Organisation.Status.ACTIVE:
        return Invitation(None, problem="invalid")
    if request.accepted_at is not None:
        return Invitation(request, problem="used")
    if request.invited_at != invited_at:
        return Invitation(request, problem="replaced")
    return Invitation(request, invited_at)
