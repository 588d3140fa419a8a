"""Writes on deliveries: claim, record each attempt, retry, cancel, bounce, unsubscribe.

The Delivery row is the queue's truth (altavoz.queue: claimed with a conditional UPDATE,
every try a DeliveryAttempt row, the delivery then sent, queued again or failed for good).
"""

import logging
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet, prefetch_related_objects
from django.utils import timezone

from altavoz import queue
from altavoz.campaigns.models import Campaign
from altavoz.delivery import schedule
from altavoz.delivery.channels import registry
from altavoz.delivery.channels.base import SendError
from altavoz.delivery.models import Delivery, DeliveryAttempt
from altavoz.delivery.wakeups import gatherer
from altavoz.districts.models import Official
from altavoz.hooks import events as hook_events

logger = logging.getLogger(__name__)
Status = Delivery.Status


def deliveries_claim(*, where: Q, limit: int) -> list[Delivery]:
    """Take up to ``limit`` due, queued deliveries matching ``where`` for this worker only."""
    # Rows their channel says must wait (no address yet, a changed one not confirmed) stay
    # queued, never failed: once platform staff add or confirm the address, they go.
    ready = Delivery.objects.filter(where).exclude(registry.waiting())
    batch = queue.claim(ready, limit=limit, related=("signature__person", "signature__area"))
    _share_officials_and_campaigns(batch)
    return batch


def _share_officials_and_campaigns(batch: list[Delivery]) -> None:
    """A batch goes to a few officials for a few campaigns: each is loaded once and shared by
    its deliveries (read only), not joined and built again for every row."""
    officials = Official.objects.select_related("post").in_bulk({d.official_id for d in batch})
    campaign_ids = {d.signature.campaign_id for d in batch}
    campaigns = (
        Campaign.objects.select_related("organisation")
        .prefetch_related("organisation__webhook_endpoints")  # for the letters' events
        .in_bulk(campaign_ids)
    )
    for delivery in batch:
        delivery.official = officials[delivery.official_id]
        delivery.signature.campaign = campaigns[delivery.signature.campaign_id]
    # the answers a letter's merge fields read, for the whole batch at once
    prefetch_related_objects([d.signature for d in batch], "answers__question")


def delivery_record(
    *,
    delivery: Delivery,
    error: SendError | None,
    message_id: str = "",
    provider_id: str = "",
    interrupted: bool = False,
) -> str:
    """Record one finished try: an attempt row, and the delivery sent, queued or failed
    (with the webhook event of a letter sent or failed for good, in the same transaction)."""
    return queue.record(
        delivery,
        attempt_model=DeliveryAttempt,
        retries=schedule.letter_retries(),
        error=error,
        message_id=message_id,
        provider_id=provider_id,
        interrupted=interrupted,
        on_recorded=_announce,
    )


def _announce(delivery: Delivery, outcome: str) -> None:
    """The webhook event of a letter sent, or failed for good."""
    if outcome in (queue.Outcome.SENT, queue.Outcome.FAILED):
        hook_events.delivery_finished(delivery=delivery, sent=outcome == queue.Outcome.SENT)


def deliveries_release(*, deliveries: list[Delivery], at: datetime) -> None:
    """Give claimed rows back untried (the server is unreachable): queued again for ``at``."""
    queue.release(Delivery, deliveries, at=at)


def deliveries_reclaim_stuck(*, now: datetime | None = None) -> int:
    """Take back letters whose worker died mid-send (queued again, the try interrupted)."""
    taken_back = queue.reclaim_stuck(
        Delivery,
        attempt_model=DeliveryAttempt,
        retries=schedule.letter_retries(),
        lease_seconds=settings.DELIVERY_LEASE_SECONDS,
        now=now,
        on_recorded=_announce,
    )
    for delivery in taken_back:
        logger.warning("Took back delivery %s from a worker that stopped mid-send", delivery.pk)
    return len(taken_back)


def deliveries_retry(*, queryset: QuerySet) -> int:
    """Queue failed, bounced or cancelled letters again, now, with a fresh count of tries."""
    return queryset.exclude(status__in=[Status.SENT, Status.SENDING]).update(
        status=Status.QUEUED, next_attempt_at=timezone.now(), attempts=0, updated_at=timezone.now()
    )


def deliveries_cancel(*, queryset: QuerySet) -> int:
    """Stop letters that have not left yet."""
    return queryset.filter(status=Status.QUEUED).update(
        status=Status.CANCELLED, last_error="Cancelled by an organiser.", updated_at=timezone.now()
    )


def deliveries_bounce(*, provider_id: str, reason: str, delivery_id: str = "") -> int:
    """Mark the letters a provider reports as bounced or complained about."""
    match = Q(provider_id=provider_id) if provider_id else Q(pk__in=[])
    if delivery_id:
        match |= Q(pk=delivery_id)
    return Delivery.objects.filter(match).update(
        status=Status.BOUNCED, last_error=reason[:1000], updated_at=timezone.now()
    )


def deliveries_enqueue(*, ids: list) -> None:
    """Wake the worker for these deliveries once the transaction that created them commits.
    If the wake-up is lost, the worker's sweep still finds the rows: they are the truth."""
    if ids:
        transaction.on_commit(lambda: gatherer.ring(ids), robust=True)


def deliveries_release_held(*, official) -> None:
    """Wake the worker for an official's letters that waited for a confirmed address."""
    waiting = Delivery.objects.filter(official=official, status=Status.QUEUED).exclude(
        signature__campaign__delivery_mode=Campaign.DeliveryMode.DIGEST
    )
    deliveries_enqueue(ids=list(waiting.values_list("pk", flat=True)))


def person_unsubscribe(*, person) -> None:
    """The supporter withdrew consent to updates (from the link in an email)."""
    type(person).objects.filter(pk=person.pk).update(
        consent_updates=False, consent_updated_at=timezone.now()
    )
