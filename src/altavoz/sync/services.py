"""Writes on syncs: connections, the push of each signer who gave consent (queued in the
transaction where the signature counts), each push's outcome, replays."""

import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from altavoz import kept, outbound, queue
from altavoz.statements import Insert
from altavoz.sync.models import Connection, Push, PushAttempt

logger = logging.getLogger(__name__)
# A push for a connection deleted a moment ago by another process is not written.
PUSH_INSERT = Insert(Push, conflict=("connection_id", "signature_id"), only_while="connection")


def connection_create(*, organisation, helper_url: str, api_key: str, **options) -> Connection:
    """A new connection; ValidationError for a URL the worker may not send to (outbound)."""
    outbound.url_validate(helper_url)
    return Connection.objects.create(
        organisation=organisation, helper_url=helper_url, api_key=api_key, **options
    )


def connections_of(campaign) -> list:
    """The ids of the connections a signer of this campaign goes to (this campaign's or every
    campaign's), as read at most PAGE_LIVE_SECONDS ago in this process, like the campaign
    itself: during a spike every signer who agrees to updates needs them, and most
    organisations have none."""
    return kept.remembered(
        ("sync-connections", campaign.pk),
        settings.PAGE_LIVE_SECONDS,
        lambda: list(
            Connection.objects.filter(
                Q(campaign__isnull=True) | Q(campaign=campaign),
                organisation_id=campaign.organisation_id,
            ).values_list("pk", flat=True)
        ),
    )


def pushes_queue(*, campaign, signature_id, consent: bool) -> None:
    """Queue the signer for each of the organisation's connections (connections_of), once, if
    they agreed to updates. Call where the signature counts, inside its transaction. One
    deleted a moment ago gets no push, and the write does not fail on it (PUSH_INSERT)."""
    if not consent:
        return
    now = timezone.now()
    for connection_id in connections_of(campaign):
        PUSH_INSERT.run(
            Push(connection_id=connection_id, signature_id=signature_id, next_attempt_at=now)
        )


def _retries() -> queue.Retries:
    """How pushes are retried: SYNC_* settings."""
    return queue.Retries(
        base=settings.SYNC_RETRY_BASE_SECONDS,
        cap=settings.SYNC_RETRY_CAP_SECONDS,
        max_attempts=settings.SYNC_MAX_ATTEMPTS,
    )


def push_record(*, push: Push, error: str = "", refused=False, status_code=None,
                provider_id: str = "", outcome: str = "") -> None:  # fmt: skip
    """Record one finished try (only while this worker holds the push)."""
    now = timezone.now()
    changes = queue.outcome_changes(push, error, now=now, retries=_retries(), permanent=refused)
    if provider_id:
        changes["provider_id"] = provider_id
    outcome = outcome or ("retry" if changes["status"] == Push.Status.QUEUED else changes["status"])
    with transaction.atomic():
        if queue.row_record(push, changes=changes, now=now):
            PushAttempt.objects.create(
                push_id=push.pk, started_at=push.claimed_at, finished_at=now,
                status_code=status_code, outcome=outcome, error=error[:2000],
            )  # fmt: skip


def pushes_replay(*, queryset: QuerySet) -> int:
    """Push these again, now (a fixed connection, a signer refused before)."""
    return queryset.exclude(status=Push.Status.SENDING).update(
        status=Push.Status.QUEUED, next_attempt_at=timezone.now(), attempts=0,
        updated_at=timezone.now(),
    )  # fmt: skip


def pushes_reclaim_stuck(*, now=None) -> int:
    stuck = list(queue.rows_stuck(Push, lease_seconds=settings.SYNC_LEASE_SECONDS, now=now))
    for push in stuck:
        push_record(
            push=push, error="The worker stopped while sending; trying again.",
            outcome="interrupted",
        )  # fmt: skip
    return len(stuck)
