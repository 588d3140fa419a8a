"""The follow-up emails to a letter's writer, in the language they signed in."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import translation
from django.utils.formats import date_format

from altavoz.delivery import tokens
from altavoz.delivery.channels.email import addresses, emails
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
    signature, official = delivery.signature, delivery.official
    person, organisation = signature.person, signature.campaign.organisation
    sender = emails.sender_address(organisation)
    unsubscribe = tokens.unsubscribe_url(person, language)
    context = {
        "campaign": signature.campaign.in_language(language),
        "official": official,
        "signature": signature,
        "sent_on": date_format(delivery.sent_at.date()) if delivery.sent_at else "",
        "unsubscribe_url": unsubscribe,
        "position": position,
        "sentence": position.sentence() if position else "",
        "urls": {
            answer: answer_tokens.answer_url(delivery.pk, language, answer)
            for answer in LetterReply.Answer.values
        },
    }
    return emails.render_email(
        TEMPLATES[follow_up.purpose],
        context,
        to=[addresses.checked(person.email, whose="The supporter")],
        from_email=addresses.mailbox(organisation.name, sender),
        headers={
            "Message-ID": emails.message_id(follow_up.message_key, sender),
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
