"""Send due follow-ups to letters' writers: claim, check each is still wanted, build, send,
record. The same queue as letters (altavoz.queue): a worker killed mid-batch re-sends at
most the email it was sending, with the same Message-ID."""

import logging

from django.conf import settings
from django.utils import timezone

from altavoz import queue
from altavoz.delivery import schedule
from altavoz.delivery.channels.base import SendError
from altavoz.delivery.channels.email.channel import EmailChannel
from altavoz.outcomes import emails
from altavoz.outcomes.models import FollowUp, FollowUpAttempt, LetterReply, Position

logger = logging.getLogger(__name__)
Purpose = FollowUp.Purpose
QUESTIONS = (Purpose.REPLY_QUESTION, Purpose.REPLY_QUESTION_AGAIN)
# Claimed a few at a time: a worker that dies leaves at most this many rows to be taken back
# after the lease (each recorded "interrupted"; only the one in flight may have left).
BATCH = 10
RELATED = ("delivery__official__post", "delivery__signature__person", "delivery__reply",
           "delivery__signature__campaign__organisation")  # fmt: skip


def _unwanted(follow_up: FollowUp, now) -> str:
    """Why this follow-up must not go any more ("" when it still should)."""
    signature = follow_up.delivery.signature
    person = signature.person
    if person.erased_at is not None:
        return "The writer's data was erased."
    if not person.consent_updates and person.consent_updated_at is not None:
        return "The writer unsubscribed."
    if follow_up.purpose not in QUESTIONS:
        return ""
    if signature.campaign.deadline <= now:
        return "The campaign's deadline has passed."
    reply = getattr(follow_up.delivery, "reply", None)
    if reply is not None and reply.captured_at is not None:
        return "The office's reply was seen."
    if reply is not None and reply.answer and reply.answer != LetterReply.Answer.NOT_YET:
        return "The writer already answered."
    return ""


def _position(follow_up: FollowUp) -> Position | None:
    if follow_up.purpose != Purpose.OUTCOME:
        return None
    delivery = follow_up.delivery
    return Position.objects.filter(
        campaign_id=delivery.signature.campaign_id, official_id=delivery.official_id
    ).first()


def send_follow_up(email: EmailChannel, follow_up: FollowUp) -> str:
    """Send one claimed follow-up (or cancel it, saying why); its recorded outcome."""
    reason = _unwanted(follow_up, timezone.now())
    if reason:
        queue.cancel(follow_up, reason=reason)
        return queue.Status.CANCELLED
    message, provider_id, error = None, "", None
    try:
        campaign = follow_up.delivery.signature.campaign
        message = email.for_campaign(
            emails.follow_up_email(follow_up, _position(follow_up)), campaign
        )
        provider_id = email.send(message)
    except SendError as exc:
        error = exc
        logger.warning("Follow-up %s not sent: %s", follow_up.pk, exc.reason)
    message_id = message.extra_headers.get("Message-ID", "") if message else ""
    return queue.record(
        follow_up,
        attempt_model=FollowUpAttempt,
        retries=schedule.letter_retries(),
        error=error,
        message_id=message_id,
        provider_id=provider_id,
    )


def drain_follow_ups(email: EmailChannel) -> int:
    """Send every due follow-up, a batch at a time; how many were taken."""
    total = 0
    while batch := queue.claim(FollowUp.objects.all(), limit=BATCH, related=RELATED):
        total += len(batch)
        for follow_up in batch:
            send_follow_up(email, follow_up)
    return total


def follow_ups_reclaim_stuck() -> int:
    """Take back follow-ups whose worker died mid-send (the sweep's work)."""
    return len(
        queue.reclaim_stuck(
            FollowUp,
            attempt_model=FollowUpAttempt,
            retries=schedule.letter_retries(),
            lease_seconds=settings.DELIVERY_LEASE_SECONDS,
        )
    )
