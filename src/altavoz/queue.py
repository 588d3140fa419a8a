"""The database as a queue: the pieces every queue of ours shares (letters to officials,
follow-ups to their writers, webhook messages, pushes to another system).

A row is queued, then claimed by one worker (``queued -> sending`` with a claim token, under
``SELECT ... FOR UPDATE SKIP LOCKED`` so workers never wait for each other), then recorded
by that worker only while it still holds the token; a worker that dies mid-send leaves rows
``sending`` past their lease, which the sweep takes back. Failed tries come back after a
doubling wait spread by jitter. Models built on ``altavoz.models.Queued`` and ``Attempt``
get the whole cycle from ``claim``, ``record`` and ``reclaim_stuck`` below.
"""

import copy
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from altavoz import statements
from altavoz.delivery.channels.base import SendError
from altavoz.models import Attempt, EmailAttempt, Queued

Status = Queued.Status
QUEUED, SENDING = Status.QUEUED, Status.SENDING
Outcome = Attempt.Outcome
INTERRUPTED = SendError("The worker stopped while sending; trying again.")
_rng = random.SystemRandom()


def _rows_claim(due: QuerySet, *, limit: int) -> str:
    """Take up to ``limit`` queued rows of ``due`` for this worker only; returns the claim
    token (``claimed_by``) they now carry, or "" when none was taken. Only the rows of the
    queue's own table are locked (``of=self``): ``due`` may read through other tables.

    An idle worker asks every queue each second: an empty one is one unlocked read, not a
    write lock (SQLite's BEGIN IMMEDIATE) and a second read of the rows claimed. A row
    queued meanwhile is taken by the next cycle, as one queued just after a claim is."""
    queued = due.filter(status=QUEUED)
    if not queued.exists():
        return ""
    token, now = uuid.uuid4().hex, timezone.now()
    model = due.model
    with transaction.atomic():
        ids = list(
            queued.order_by("next_attempt_at")
            .select_for_update(skip_locked=True, of=("self",))
            .values_list("pk", flat=True)[:limit]
        )
        if not ids:  # another worker took them
            return ""
        model.objects.filter(pk__in=ids, status=QUEUED).update(
            status=SENDING, claimed_at=now, claimed_by=token
        )
    return token


def rows_stuck(model, *, lease_seconds: int, now: datetime | None = None) -> QuerySet:
    """Rows whose worker stopped mid-send: claimed longer ago than the lease."""
    expired = (now or timezone.now()) - timedelta(seconds=lease_seconds)
    return model.objects.filter(status=SENDING, claimed_at__lt=expired)


def backoff(attempts: int, *, base: float, cap: float, rng: random.Random = _rng) -> timedelta:
    """The wait after ``attempts`` failed tries: doubling from ``base`` up to ``cap``, spread
    by +-25% so rows failed together do not all come back at the same second."""
    seconds = min(base * 2 ** max(attempts - 1, 0), cap)
    return timedelta(seconds=seconds * rng.uniform(0.75, 1.25))


@dataclass(frozen=True)
class Retries:
    """How a queue retries: the first wait and its cap (doubling, with jitter), and how many
    tries in all."""

    base: float
    cap: float
    max_attempts: int


def outcome_changes(
    row, error: str, *, now: datetime, retries: Retries, permanent: bool = False
) -> dict:
    """A finished try's mark on its row: sent; or queued again after ``backoff``; or, past
    ``retries.max_attempts`` (or at once when the other side refused for good), failed."""
    if not error:
        return {"status": Status.SENT, "sent_at": now, "last_error": ""}
    tries = row.attempts + 1
    if permanent:
        return {"status": Status.FAILED, "last_error": error}
    if tries >= retries.max_attempts:
        return {"status": Status.FAILED, "last_error": f"{error} (gave up after {tries})"}
    later = now + backoff(tries, base=retries.base, cap=retries.cap)
    return {"status": QUEUED, "next_attempt_at": later, "last_error": error}


def row_record(row, *, changes: dict, now: datetime) -> bool:
    """Write a try's outcome on ``row`` only while this worker still holds it (its claim
    token): False when the sweep took it back, and another try owns it now."""
    held = type(row).objects.filter(pk=row.pk, claimed_by=row.claimed_by)
    return bool(held.update(**changes, attempts=F("attempts") + 1, claimed_by="", updated_at=now))


def claim(queryset: QuerySet, *, limit: int, related: tuple[str, ...] = ()) -> list:
    """The rows of ``queryset`` that are due, up to ``limit``, taken for this worker only
    (oldest due first), with their ``related`` rows."""
    due = queryset.filter(next_attempt_at__lte=timezone.now())
    token = _rows_claim(due, limit=limit)
    if not token:
        return []
    claimed = queryset.model.objects.filter(claimed_by=token, status=SENDING)
    return list(claimed.select_related(*related).order_by("next_attempt_at"))


@cache
def _insert(attempt_model: type[EmailAttempt]) -> statements.Insert:
    """Every try writes an attempt row: its INSERT is built once per model."""
    return statements.Insert(attempt_model)


def _outcome(row: Queued, error: SendError | None, interrupted: bool, retries: Retries):
    changes = outcome_changes(
        row,
        error.reason if error else "",
        now=timezone.now(),
        retries=retries,
        permanent=bool(error and error.permanent),
    )
    if changes["status"] in (Status.SENT, Status.FAILED):
        return Outcome(changes["status"]), changes
    return (Outcome.INTERRUPTED if interrupted else Outcome.RETRY), changes


def record(
    row: Queued,
    *,
    attempt_model: type[EmailAttempt],
    retries: Retries,
    error: SendError | None,
    message_id: str = "",
    provider_id: str = "",
    interrupted: bool = False,
    on_recorded: Callable[[Queued, str], None] | None = None,
) -> str:
    """Record one finished try: an attempt row, and the row sent, queued again or failed.
    ``on_recorded(row, outcome)`` runs in the same transaction when this worker still held the
    row (an event about it, say, is then written once, with the outcome); the row it gets is
    a copy of ``row`` as now stored (the caller's own is left as it was)."""
    outcome, changes = _outcome(row, error, interrupted, retries)
    if error is None:
        changes["provider_id"] = provider_id or message_id
    now = timezone.now()
    written = {**changes, "claimed_by": "", "updated_at": now}  # and one more attempt
    with transaction.atomic():
        # Only while this worker still holds the row (its claim token): a late record after
        # the sweep took the row back changes nothing.
        held = statements.update(
            type(row),
            changes=written,
            where={"id": row.pk, "claimed_by": row.claimed_by},
            add_one=("attempts",),
        )
        _insert(attempt_model).run(
            attempt_model(
                **{f"{attempt_model.QUEUED_FIELD}_id": row.pk},
                started_at=row.claimed_at,
                finished_at=now,
                outcome=outcome,
                error=error.reason if error else "",
                message_id=message_id,
            )
        )
        if held and on_recorded is not None:
            stored = copy.copy(row)
            for name, value in {**written, "attempts": row.attempts + 1}.items():
                setattr(stored, name, value)
            on_recorded(stored, outcome)
    return outcome


def release(model: type[Queued], rows: list, *, at: datetime) -> None:
    """Give claimed rows back untried (the server is unreachable): queued again for ``at``."""
    model.objects.filter(pk__in=[r.pk for r in rows], status=SENDING).update(
        status=QUEUED, claimed_by="", next_attempt_at=at
    )


def cancel(row: Queued, *, reason: str) -> None:
    """A claimed row that is no longer wanted (its writer unsubscribed, say): not sent."""
    type(row).objects.filter(pk=row.pk, claimed_by=row.claimed_by).update(
        status=Status.CANCELLED, last_error=reason, claimed_by="", updated_at=timezone.now()
    )


def reclaim_stuck(
    model: type[Queued],
    *,
    attempt_model: type[EmailAttempt],
    retries: Retries,
    lease_seconds: int,
    now: datetime | None = None,
    on_recorded: Callable[[Queued, str], None] | None = None,
) -> list:
    """Take back rows whose worker died mid-send: the try is recorded as interrupted and the
    row queued again (it may have left; the same Message-ID marks a re-send)."""
    rows = list(rows_stuck(model, lease_seconds=lease_seconds, now=now))
    for row in rows:
        record(
            row,
            attempt_model=attempt_model,
            retries=retries,
            error=INTERRUPTED,
            interrupted=True,
            on_recorded=on_recorded,
        )
    return rows
