"""An office answers a letter: its reply reaches the letter's writer, and we note that it did.

Mail to a letter's reply address arrives through the built-in SMTP receiver (``altavoz
receive-replies``) or a provider's inbound webhook (django-anymail). Either way it comes here:
each of our addresses among the recipients is checked (an unknown or forged one is logged and
dropped, never forwarded); the reply goes to the writer with its body unchanged, the office as
Reply-To; the letter is marked replied. Nothing of the reply is stored. A forward that fails
raises SendError, so the SMTP receiver answers "try later" and the office's server retries.
"""

import hashlib
import logging
from email.message import EmailMessage
from email.utils import getaddresses

from django.core.mail import EmailMultiAlternatives

from altavoz.delivery.channels.email import addresses, emails
from altavoz.delivery.channels.email.channel import mailer_alias
from altavoz.delivery.channels.email.direct import send_now
from altavoz.delivery.models import Delivery
from altavoz.outcomes import reply_address, services

logger = logging.getLogger(__name__)
# Out-of-office notices and other robots' mail are not a reply from the office.
AUTOMATIC = ("auto-replied", "auto-generated", "auto-notified")


def letter_for(address: str) -> Delivery | None:
    """The sent letter a reply address names, if it is ours and genuine."""
    delivery_id = reply_address.delivery_id_for(address)
    if delivery_id is None:
        return None
    related = ("official", "signature__person", "signature__campaign__organisation")
    return (
        Delivery.objects.select_related(*related)
        .filter(pk=delivery_id, status=Delivery.Status.SENT)
        .first()
    )


def reply_receive(*, recipients: list[str], message: EmailMessage) -> int:
    """Forward the reply for each letter it is addressed to; how many were forwarded."""
    if _is_automatic(message):
        logger.info("Dropped an automatic reply to %s", ", ".join(recipients))
        return 0
    forwarded = 0
    for recipient in recipients:
        delivery = letter_for(recipient)
        if delivery is None:
            logger.warning("Dropped a reply to an unknown or forged address: %s", recipient)
            continue
        if delivery.signature.person.erased_at is not None:
            logger.info("Dropped a reply to letter %s: its writer was erased", delivery.pk)
            continue
        campaign = delivery.signature.campaign
        send_now(
            lambda d=delivery: [forward(d, message)],
            using=mailer_alias(campaign),
            what=f"Reply to letter {delivery.pk}",
        )
        services.letter_reply_capture(delivery_id=delivery.pk)
        forwarded += 1
    return forwarded


def _is_automatic(message: EmailMessage) -> bool:
    submitted = str(message.get("Auto-Submitted", "no")).strip().lower()
    return submitted.startswith(AUTOMATIC) or "X-Autoreply" in message


def _office(message: EmailMessage) -> str:
    """Who to answer: the reply's Reply-To, else its From."""
    for header in ("Reply-To", "From"):
        found = [addr for _name, addr in getaddresses([str(message.get(header, ""))]) if addr]
        if found:
            return found[0]
    return ""


def _parts(message: EmailMessage) -> tuple[str, str, list]:
    """The reply's text, its HTML and its attachments, as they came."""
    text = html = ""
    attachments = []
    for part in message.walk():
        if part.is_multipart():
            continue
        kind = part.get_content_type()
        if part.get_content_disposition() == "attachment" or kind not in (
            "text/plain",
            "text/html",
        ):
            content = part.get_payload(decode=True) or b""
            attachments.append((part.get_filename() or "attachment", content, kind))
        elif kind == "text/plain" and not text:
            text = part.get_content()
        elif kind == "text/html" and not html:
            html = part.get_content()
    return text, html, attachments


def forward(delivery: Delivery, message: EmailMessage) -> EmailMultiAlternatives:
    """The office's reply, as it came, to the letter's writer."""
    signature, official = delivery.signature, delivery.official
    organisation = signature.campaign.organisation
    sender = emails.sender_address(organisation)
    text, html, attachments = _parts(message)
    office = _office(message)
    original = str(message.get("Message-ID", "")) or text
    key = hashlib.sha256(original.encode()).hexdigest()[:16]
    forwarded = EmailMultiAlternatives(
        subject=addresses.one_line(str(message.get("Subject", "")), limit=250),
        body=text,
        from_email=addresses.mailbox(f"{official.name} via {organisation.name}", sender),
        to=[addresses.checked(signature.person.email, whose="The supporter")],
        reply_to=[addresses.checked(office, whose="The office")] if office else [],
        headers={"Message-ID": emails.message_id(f"reply.{delivery.pk}.{key}", sender)},
        attachments=attachments,
    )
    if html:
        forwarded.attach_alternative(html, "text/html")
    forwarded.organisation_id = organisation.pk
    return forwarded
