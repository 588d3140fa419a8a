"""Signed, login-free links in emails: unsubscribe, and a signature's own page (confirm it
with double opt-in, review or change it). A token names its row and cannot be forged."""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation

from altavoz.campaigns.models import Person, Signature

SALT = "altavoz.unsubscribe"
# An unsubscribe link works for a year after its email was sent: far past the 30 days the
# law asks for, and long enough for an email kept and found again; an older one says so
# (and where to find a newer link) instead of acting for whoever holds it.
UNSUBSCRIBE_MAX_AGE = 365 * 24 * 3600
SIGNATURE_SALT = "altavoz.signature-link"
SIGNATURE_LINK_MAX_AGE = 14 * 24 * 3600


def unsubscribe_token(person: Person) -> str:
    return signing.dumps(str(person.pk), salt=SALT, compress=True)


def person_for_token(token: str) -> tuple[Person | None, bool]:
    """The person an unsubscribe link names, and whether the link is too old to use (it
    still names them, so the page can say whose emails it was about); (None, False) for a
    link that is not one of ours."""
    try:
        person_id, expired = signing.loads(token, salt=SALT, max_age=UNSUBSCRIBE_MAX_AGE), False
    except signing.SignatureExpired:
        person_id, expired = signing.loads(token, salt=SALT), True
    except signing.BadSignature:
        return None, False
    return Person.objects.filter(pk=person_id).first(), expired


def unsubscribe_url(person: Person, language: str | None = None) -> str:
    """The unsubscribe page, in ``language`` (the email's: the page answers in it)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        path = reverse("unsubscribe", kwargs={"token": unsubscribe_token(person)})
    return f"{settings.SITE_URL}{path}"


def signature_url(signature: Signature) -> str:
    """The link to a signature's own page (to confirm it while pending, to review or change
    it), in the language the supporter signed in. It names the signature's revision: once
    the signature changes, the link no longer works (single use), and it expires."""
    token = signing.dumps({"s": str(signature.pk), "r": signature.revision}, salt=SIGNATURE_SALT)
    with translation.override(signature.language or settings.LANGUAGE_CODE):
        path = reverse("signature", kwargs={"token": token})
    return settings.SITE_URL + path


def signature_for_token(token: str) -> tuple[Signature | None, int]:
    """The signature a link names and the revision it was sent for; (None, 0) when the link
    is forged, expired or names nothing."""
    try:
        data = signing.loads(token, salt=SIGNATURE_SALT, max_age=SIGNATURE_LINK_MAX_AGE)
        signature_id, revision = str(data["s"]), int(data["r"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None, 0
    related = ("campaign__organisation", "person", "area")
    signature = Signature.objects.select_related(*related).filter(pk=signature_id).first()
    return signature, revision
