"""Writes on replies and outcomes: a writer's answer, a reply seen, a position recorded."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from altavoz.campaigns.models import Campaign
from altavoz.delivery.models import Delivery
from altavoz.hooks import events as hook_events
from altavoz.outcomes.models import FollowUp, LetterReply, Position

Answer = LetterReply.Answer
Purpose = FollowUp.Purpose


def letter_reply_answer(*, delivery_id, answer: str) -> LetterReply:
    """Record what the writer says (their latest word counts: "not yet", then "yes")."""
    if answer not in Answer.values:
        raise ValueError(f"Not an answer: {answer!r}")
    now = timezone.now()
    with transaction.atomic():
        reply, _ = LetterReply.objects.select_for_update().get_or_create(delivery_id=delivery_id)
        reply.answer, reply.answered_at = answer, now
        reply.save(update_fields=["answer", "answered_at"])
        hook_events.reply_recorded(delivery_id=delivery_id)
    return reply


def letter_reply_capture(*, delivery_id) -> None:
    """An office's reply passed through the letter's reply address: keep when the first one
    came, never what it said."""
    with transaction.atomic():
        LetterReply.objects.get_or_create(delivery_id=delivery_id)
        first = LetterReply.objects.filter(delivery_id=delivery_id, captured_at__isnull=True)
        if first.update(captured_at=timezone.now()):
            hook_events.reply_recorded(delivery_id=delivery_id)


# Writers who did not say no to emails from the organisation (unsubscribed, or unticked
# "updates" when they signed again): no follow-up ever goes to them.
REACHABLE = Q(signature__person__erased_at__isnull=True) & (
    Q(signature__person__consent_updates=True)
    | Q(signature__person__consent_updated_at__isnull=True)
)


def _asking_campaigns(now) -> QuerySet:
    """Campaigns that ask their writers about replies and whose deadline has not passed."""
    return Campaign.objects.filter(reply_question_days__isnull=False, deadline__gt=now)


def _letters_to_ask(campaign, cutoff) -> QuerySet:
    """The campaign's letters delivered before ``cutoff`` whose writer has not answered and
    whose reply was not seen."""
    return Delivery.objects.filter(
        REACHABLE, signature__campaign=campaign, status=Delivery.Status.SENT, sent_at__lte=cutoff
    ).filter(Q(reply__isnull=True) | Q(reply__answer="", reply__captured_at__isnull=True))


def _letters_to_ask_again(campaign, cutoff) -> QuerySet:
    """The campaign's letters whose writer said "not yet" before ``cutoff``."""
    return Delivery.objects.filter(
        REACHABLE,
        signature__campaign=campaign,
        reply__answer=Answer.NOT_YET,
        reply__captured_at__isnull=True,
        reply__answered_at__lte=cutoff,
    )


def _queue(deliveries: QuerySet, purpose: str, now) -> int:
    """A follow-up for each of these letters that has none of this purpose yet (once)."""
    ids = list(deliveries.exclude(follow_ups__purpose=purpose).values_list("pk", flat=True))
    FollowUp.objects.bulk_create(
        [FollowUp(delivery_id=pk, purpose=purpose, next_attempt_at=now) for pk in ids],
        ignore_conflicts=True,  # another worker's sweep queued it first
    )
    return len(ids)


def follow_ups_schedule(*, now=None) -> int:
    """Queue the "did the office reply?" questions that are due (the worker's sweep)."""
    now = now or timezone.now()
    queued = 0
    for campaign in _asking_campaigns(now):
        cutoff = now - timedelta(days=campaign.reply_question_days)
        queued += _queue(_letters_to_ask(campaign, cutoff), Purpose.REPLY_QUESTION, now)
        again = _letters_to_ask_again(campaign, cutoff)
        queued += _queue(again, Purpose.REPLY_QUESTION_AGAIN, now)
    return queued


def position_record(*, position: Position, by) -> Position:
    """Save what an official did (new or corrected), with who recorded it, and tell the
    organisation's webhooks."""
    with transaction.atomic():
        position.recorded_by = by
        position.save()
        hook_events.outcome_recorded(position=position)
    return position


def position_announce(*, position: Position) -> int:
    """Queue one email to every writer of a letter delivered to this official for this
    campaign saying what the official did; once per position, whoever asks again."""
    now = timezone.now()
    with transaction.atomic():
        locked = Position.objects.select_for_update().get(pk=position.pk)
        if locked.writers_told_at is not None:
            return 0
        letters = Delivery.objects.filter(
            REACHABLE,
            status=Delivery.Status.SENT,
            signature__campaign_id=locked.campaign_id,
            official_id=locked.official_id,
        )
        queued = _queue(letters, Purpose.OUTCOME, now)
        Position.objects.filter(pk=locked.pk).update(writers_told_at=now)
    position.writers_told_at = now
    return queued
