"""Signed, login-free links in emails: unsubscribe, and confirm a signature (double opt-in).
A token names its row and cannot be forged."""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation

from altavoz.campaigns.models import Person, Signature

SALT = "altavoz.unsubscribe"
CONFIRM_SALT = "altavoz.confirm-signature"
CONFIRM_MAX_AGE = 30 * 24 * 3600


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


def confirm_url(signature: Signature) -> str:
    """The confirmation page in the language the supporter signed in."""
    token = signing.dumps(str(signature.pk), salt=CONFIRM_SALT)
    with translation.override(signature.language or settings.LANGUAGE_CODE):
        path = reverse("confirm-signature", kwargs={"token": token})
    return settings.SITE_URL + path


def signature_for_confirm_token(token: str) -> Signature | None:
    try:
        signature_id = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:
        return None
    related = ("campaign__organisation", "person")
    return Signature.objects.select_related(*related).filter(pk=signature_id).first()
