"""Signed, login-free unsubscribe links: the token names the person and cannot be forged."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from altavoz.campaigns.models import Person

SALT = "altavoz.unsubscribe"


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
