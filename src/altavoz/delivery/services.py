"""Writes on deliveries: claim, record each attempt, retry, cancel, bounce, unsubscribe.

The Delivery row is the queue's truth. A worker claims rows with a conditional UPDATE
(queued -> sending, stamped with its claim token and time); every try ends in a
DeliveryAttempt row and the delivery sent, queued again for later, or failed for good.
"""

import logging
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from altavoz import queue, statements
from altavoz.campaigns.models import Campaign
from altavoz.delivery import schedule
from altavoz.delivery.errors import SendError
from altavoz.delivery.models import Delivery, DeliveryAttempt
from altavoz.delivery.wakeups import gatherer
from altavoz.districts.models import Official
from altavoz.hooks import events as hook_events

logger = logging.getLogger(__name__)
Status = Delivery.Status
Outcome = DeliveryAttempt.Outcome
# Written for every letter by the worker: built once (altavoz.statements).
ATTEMPT_INSERT = statements.Insert(DeliveryAttempt)
# Letters to an official with no delivery address wait, queued, instead of failing; once
# platform staff add one (an audited change, confirmed), they go. A demo's letters go to the
# local outbox, address or not.
WAITING_FOR_AN_ADDRESS = Q(official__email="") & Q(signature__campaign__is_demo=False)


def deliveries_claim(*, where: Q, limit: int) -> list[Delivery]:
    """Take up to ``limit`` due, queued deliveries matching ``where`` for this worker only."""
    due = (
        Delivery.objects.filter(where, next_attempt_at__lte=timezone.now())
        .filter(
            official__letters_held_since__isnull=True  # a changed address not yet confirmed
        )
        .exclude(WAITING_FOR_AN_ADDRESS)
    )
    # Only the Delivery rows are locked: `where` may read through the signature to the
    # campaign, and a locked campaign row would make every other worker's claim skip all of
    # that campaign's letters.
    token, _ = queue.rows_claim(due, limit=limit)
    claimed = Delivery.objects.filter(claimed_by=token, status=Status.SENDING)
    batch = list(
        claimed.select_related("signature__person", "signature__area").order_by("next_attempt_at")
    )
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


def _outcome(delivery: Delivery, error: SendError | None, interrupted: bool) -> tuple[str, dict]:
    now = timezone.now()
    if error is None:
        return Outcome.SENT, {"status": Status.SENT, "sent_at": now, "last_error": ""}
    tries = delivery.attempts + 1
    if error.permanent or tries >= settings.DELIVERY_MAX_ATTEMPTS:
        reason = error.reason if error.permanent else f"{error.reason} (gave up after {tries})"
        return Outcome.FAILED, {"status": Status.FAILED, "last_error": reason}
    later = now + schedule.retry_delay(tries)
    changes = {"status": Status.QUEUED, "next_attempt_at": later, "last_error": error.reason}
    return (Outcome.INTERRUPTED if interrupted else Outcome.RETRY), changes


def delivery_record(
    *,
    delivery: Delivery,
    error: SendError | None,
    message_id: str = "",
    provider_id: str = "",
    interrupted: bool = False,
) -> str:
    """Record one finished try: an attempt row, and the delivery sent, queued or failed."""
    outcome, changes = _outcome(delivery, error, interrupted)
    if error is None:
        changes["provider_id"] = provider_id or message_id
    now = timezone.now()
    with transaction.atomic():
        # Only while this worker still holds the row (its claim token): a late record after
        # the sweep took the row back changes nothing.
        held = statements.update(
            Delivery,
            changes={**changes, "claimed_by": "", "updated_at": now},
            where={"id": delivery.pk, "claimed_by": delivery.claimed_by},
            add_one=("attempts",),
        )
        ATTEMPT_INSERT.run(
            DeliveryAttempt(
                delivery_id=delivery.pk,
                started_at=delivery.claimed_at,
                finished_at=now,
                outcome=outcome,
                error=error.reason if error else "",
                message_id=message_id,
            )
        )
        if held and outcome in (Outcome.SENT, Outcome.FAILED):
            hook_events.delivery_finished(delivery=delivery, sent=outcome == Outcome.SENT)
    return outcome


def deliveries_release(*, deliveries: list[Delivery], at: datetime) -> None:
    """Give claimed rows back untried (the server is unreachable): queued again for ``at``."""
    Delivery.objects.filter(pk__in=[d.pk for d in deliveries], status=Status.SENDING).update(
        status=Status.QUEUED, claimed_by="", next_attempt_at=at
    )


def deliveries_reclaim_stuck(*, now: datetime | None = None) -> int:
    """Take back rows whose worker died mid-send: the try is recorded as interrupted and the
    letter queued again (it may have left; the same Message-ID marks a re-send)."""
    stuck = list(queue.rows_stuck(Delivery, lease_seconds=settings.DELIVERY_LEASE_SECONDS, now=now))
    error = SendError("The worker stopped while sending; trying again.")
    for delivery in stuck:
        delivery_record(delivery=delivery, error=error, interrupted=True)
        logger.warning("Took back delivery %s from a worker that stopped mid-send", delivery.pk)
    return len(stuck)


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
