"""Signed, login-free links in emails: unsubscribe, and a signature's own page (confirm it
with double opt-in, review or change it). A token names its row and cannot be forged."""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation

from altavoz.campaigns.models import Person, Signature

SALT = "altavoz.unsubscribe"
SIGNATURE_SALT = "altavoz.signature-link"
SIGNATURE_LINK_MAX_AGE = 14 * 24 * 3600


def unsubscribe_token(person: Person) -> str:
    return signing.dumps(str(person.pk), salt=SALT, compress=True)


def person_for_token(token: str) -> Person | None:
    try:
        person_id = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return Person.objects.filter(pk=person_id).first()


def unsubscribe_url(person: Person) -> str:
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
