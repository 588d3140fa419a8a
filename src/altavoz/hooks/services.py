"""Writes on webhooks: events (in the caller's transaction), endpoints and their secrets,
each message's outcome, replays.

``event_emit`` (``events_emit`` for several at once) is called inside the transaction that
writes what it reports (a signature, a letter's outcome, a campaign closing): the event and
its messages commit with it or not at all. The worker (``hooks.sending``) sends the
messages; every try is an Attempt row."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from altavoz import outbound, queue, statements
from altavoz.hooks import signing
from altavoz.hooks.models import Attempt, Endpoint, Event, Message

logger = logging.getLogger(__name__)
Status = Message.Status


def event_emit(*, organisation_id, kind: str, data, endpoints=None) -> Event | None:
    """Record an event for every endpoint of the organisation that chose ``kind`` (a
    disabled one too: its messages wait until it is enabled again); see ``events_emit``."""
    events = events_emit(
        organisation_id=organisation_id, kinds=(kind,), data=data, endpoints=endpoints
    )
    return events[0] if events else None


EVENT_INSERT = statements.Insert(Event)
# A message for an endpoint deleted a moment ago by another process is not written.
MESSAGE_INSERT = statements.Insert(Message, only_while="endpoint")


def events_emit(*, organisation_id, kinds: tuple[str, ...], data, endpoints=None) -> list:
    """Record one event of each of ``kinds``, all telling the same ``data`` (a new signature
    is created and, at once, confirmed), with a message for each endpoint that chose it.
    ``data`` may be a function, called once and only when some endpoint wants one of them.
    Call inside the transaction of what the events report. Returns the events written, in
    ``kinds``' order.

    ``endpoints``, the organisation's as a batch or a process read them a moment ago (the
    worker's letters; hooks.events.endpoints_of's few seconds), saves reading them: what
    they chose then decides. One deleted meanwhile gets no message, and nothing fails on
    it (MESSAGE_INSERT); should that leave an event with no message, it stays as a record."""
    if endpoints is None:
        endpoints = list(Endpoint.objects.filter(organisation_id=organisation_id))
    wanted = {kind: [e for e in endpoints if kind in e.events] for kind in kinds}
    wanted = {kind: chosen for kind, chosen in wanted.items() if chosen}
    if not wanted:
        return []
    told = data() if callable(data) else data
    now = timezone.now()
    events = []
    for kind, chosen in wanted.items():
        event = Event(organisation_id=organisation_id, kind=kind, data=told)
        EVENT_INSERT.run(event)
        for endpoint in chosen:
            MESSAGE_INSERT.run(Message(event=event, endpoint_id=endpoint.pk, next_attempt_at=now))
        events.append(event)
    return events


def endpoint_create(*, organisation, url: str, events: list[str]) -> Endpoint:
    """A new endpoint; ValidationError for a URL the worker may not send to (outbound)."""
    outbound.url_validate(url)
    return Endpoint.objects.create(
        organisation=organisation, url=url, events=events, secret=signing.secret_new()
    )


def endpoint_secret_rotate(*, endpoint: Endpoint) -> str:
    """A new secret; the old one still signs too for HOOK_SECRET_GRACE_HOURS, so receivers
    can switch without missing a message. Returns the new secret (shown once)."""
    grace = timedelta(hours=settings.HOOK_SECRET_GRACE_HOURS)
    new = signing.secret_new()
    Endpoint.objects.filter(pk=endpoint.pk).update(
        previous_secret=endpoint.secret,
        previous_secret_until=timezone.now() + grace,
        secret=new,
        updated_at=timezone.now(),
    )
    return new


def secrets_in_force(endpoint: Endpoint, now=None) -> list[str]:
    now = now or timezone.now()
    previous = endpoint.previous_secret
    if previous and endpoint.previous_secret_until and endpoint.previous_secret_until > now:
        return [endpoint.secret, previous]
    return [endpoint.secret]


def endpoints_enable(*, queryset: QuerySet) -> int:
    """Send to these endpoints again (their waiting messages go first)."""
    return queryset.update(disabled_at=None, disabled_reason="", failing_since=None)


def messages_replay(*, queryset: QuerySet) -> int:
    """Send these messages again, now, with the same webhook-id (a receiver can tell)."""
    return queryset.exclude(status=Status.SENDING).update(
        status=Status.QUEUED, next_attempt_at=timezone.now(), attempts=0, updated_at=timezone.now()
    )


def _retries() -> queue.Retries:
    """How webhook messages are retried: HOOK_* settings."""
    return queue.Retries(
        base=settings.HOOK_RETRY_BASE_SECONDS,
        cap=settings.HOOK_RETRY_CAP_SECONDS,
        max_attempts=settings.HOOK_MAX_ATTEMPTS,
    )


def message_record(*, message: Message, error: str = "", status_code=None, outcome="") -> bool:
    """Record one finished try (only while this worker holds the message): an attempt row,
    the message sent, queued for later or failed. Returns True when this try made the
    endpoint disabled (it had failed for HOOK_DISABLE_AFTER_DAYS)."""
    now = timezone.now()
    changes = queue.outcome_changes(message, error, now=now, retries=_retries())
    outcome = outcome or ("retry" if changes["status"] == Status.QUEUED else changes["status"])
    with transaction.atomic():
        if not queue.row_record(message, changes=changes, now=now):
            return False
        Attempt.objects.create(
            message_id=message.pk, started_at=message.claimed_at, finished_at=now,
            status_code=status_code, outcome=outcome, error=error[:2000],
        )  # fmt: skip
        return _endpoint_health(message.endpoint, failed=bool(error), now=now)


def messages_sent(*, messages: list[Message]) -> int:
    """Record that these messages (claimed together) were each answered with a 2xx: one
    transaction for a chunk of them, so the worker's commits do not limit its pace. A
    worker killed before this commits leaves them to be sent again, with the same
    webhook-id. Returns how many were still this worker's to record."""
    now = timezone.now()
    with transaction.atomic():
        held = Message.objects.filter(
            pk__in=[m.pk for m in messages], claimed_by=messages[0].claimed_by
        )
        ids = set(held.values_list("pk", flat=True))
        held.update(
            status=Status.SENT, sent_at=now, last_error="", attempts=F("attempts") + 1,
            claimed_by="", updated_at=now,
        )  # fmt: skip
        Attempt.objects.bulk_create(
            Attempt(message_id=m.pk, started_at=m.claimed_at, finished_at=now, outcome="sent")
            for m in messages
            if m.pk in ids
        )
        for endpoint in {m.endpoint_id: m.endpoint for m in messages}.values():
            _endpoint_health(endpoint, failed=False, now=now)
    return len(ids)


def _endpoint_health(endpoint: Endpoint, *, failed: bool, now) -> bool:
    if not failed:
        if endpoint.failing_since is not None:
            Endpoint.objects.filter(pk=endpoint.pk).update(failing_since=None)
            endpoint.failing_since = None
        return False
    if endpoint.failing_since is None:
        Endpoint.objects.filter(pk=endpoint.pk, failing_since__isnull=True).update(
            failing_since=now
        )
        endpoint.failing_since = now
        return False
    days = settings.HOOK_DISABLE_AFTER_DAYS
    if endpoint.disabled_at or now - endpoint.failing_since < timedelta(days=days):
        return False
    reason = (
        f"Every try failed since {endpoint.failing_since:%Y-%m-%d %H:%M} UTC ({days} days or "
        "more); its messages wait, queued, until it is enabled again."
    )
    disabled = Endpoint.objects.filter(pk=endpoint.pk, disabled_at__isnull=True).update(
        disabled_at=now, disabled_reason=reason
    )
    endpoint.disabled_at, endpoint.disabled_reason = now, reason
    return bool(disabled)


def messages_reclaim_stuck(*, now=None) -> int:
    """Take back messages whose worker stopped mid-send: recorded as interrupted and queued
    again (the receiver may have had it: the same webhook-id tells it so)."""
    stuck = list(
        queue.rows_stuck(
            Message, lease_seconds=settings.HOOK_LEASE_SECONDS, now=now
        ).select_related("endpoint")
    )
    for message in stuck:
        message_record(
            message=message, error="The worker stopped while sending; trying again.",
            outcome="interrupted",
        )  # fmt: skip
        logger.warning("Took back webhook message %s from a worker that stopped", message.pk)
    return len(stuck)
