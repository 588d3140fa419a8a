"""The signed link in "Did the office reply?": it names one letter, and only its writer has it."""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation

SALT = "altavoz.letter-reply"
# Long enough to answer a question asked weeks before the meeting, short enough that an old
# email found again does not speak for its reader after the campaign.
MAX_AGE = 120 * 24 * 3600


def answer_token(delivery_id) -> str:
    return signing.dumps(str(delivery_id), salt=SALT)


def delivery_id_for(token: str) -> str | None:
    """The letter a link names; None when it is forged or too old."""
    try:
        return signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None


def answer_url(delivery_id, language: str, answer: str) -> str:
    """The page that records ``answer`` for this letter once its reader presses the button
    (a mail scanner following the link answers nothing)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        path = reverse("letter-reply", kwargs={"token": answer_token(delivery_id)})
    return f"{settings.SITE_URL}{path}?answer={answer}"
