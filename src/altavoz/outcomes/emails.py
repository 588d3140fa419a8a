"""The follow-up emails to a letter's writer, in the language they signed in."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import translation
from django.utils.formats import date_format

from altavoz.delivery.channels.email import emails
from altavoz.outcomes import tokens as answer_tokens
from altavoz.outcomes.models import FollowUp, LetterReply

Purpose = FollowUp.Purpose
TEMPLATES = {
    Purpose.REPLY_QUESTION: "outcomes/email/reply_question",
    Purpose.REPLY_QUESTION_AGAIN: "outcomes/email/reply_question",
    Purpose.OUTCOME: "outcomes/email/outcome",
}


def follow_up_email(follow_up: FollowUp, position=None) -> EmailMultiAlternatives:
    delivery = follow_up.delivery
    signature = delivery.signature
    language = signature.language or settings.LANGUAGE_CODE
    with translation.override(language):
        return _email(follow_up, position, language)


def _email(follow_up: FollowUp, position, language: str) -> EmailMultiAlternatives:
    delivery = follow_up.delivery
    context = {
        "campaign": delivery.signature.campaign.in_language(language),
        "official": delivery.official,
        "sent_on": date_format(delivery.sent_at.date()) if delivery.sent_at else "",
        "position": position,
        "sentence": position.sentence() if position else "",
        "urls": {
            answer: answer_tokens.answer_url(delivery.pk, language, answer)
            for answer in LetterReply.Answer.values
        },
    }
    return emails.supporter_email(
        TEMPLATES[follow_up.purpose],
        context,
        signature=delivery.signature,
        key=follow_up.message_key,
    )
