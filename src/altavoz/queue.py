"""The database as a queue: the small pieces every queue of ours shares (letters to
officials, webhook messages, pushes to another system).

A row is queued, then claimed by one worker (``queued -> sending`` with a claim token, under
``SELECT ... FOR UPDATE SKIP LOCKED`` so workers never wait for each other), then recorded
by that worker only while it still holds the token; a worker that dies mid-send leaves rows
``sending`` past their lease, which the sweep takes back. Failed tries come back after a
doubling wait spread by jitter.
"""

import random
import uuid
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

QUEUED, SENDING = "queued", "sending"
_rng = random.SystemRandom()


def rows_claim(due: QuerySet, *, limit: int, order=("next_attempt_at",)) -> tuple[str, datetime]:
    """Take up to ``limit`` queued rows of ``due`` for this worker only; returns the claim
    token (``claimed_by``) and time (``claimed_at``) they now carry. Only the rows of the
    queue's own table are locked (``of=self``): ``due`` may read through other tables."""
    token, now = uuid.uuid4().hex, timezone.now()
    model = due.model
    with transaction.atomic():
        ids = list(
            due.filter(status=QUEUED)
            .order_by(*order)
            .select_for_update(skip_locked=True, of=("self",))
            .values_list("pk", flat=True)[:limit]
        )
        model.objects.filter(pk__in=ids, status=QUEUED).update(
            status=SENDING, claimed_at=now, claimed_by=token
        )
    return token, now


def rows_stuck(model, *, lease_seconds: int, now: datetime | None = None) -> QuerySet:
    """Rows whose worker stopped mid-send: claimed longer ago than the lease."""
    expired = (now or timezone.now()) - timedelta(seconds=lease_seconds)
    return model.objects.filter(status=SENDING, claimed_at__lt=expired)


def backoff(attempts: int, *, base: float, cap: float, rng: random.Random = _rng) -> timedelta:
    """The wait after ``attempts`` failed tries: doubling from ``base`` up to ``cap``, spread
    by +-25% so rows failed together do not all come back at the same second."""
    seconds = min(base * 2 ** max(attempts - 1, 0), cap)
    return timedelta(seconds=seconds * rng.uniform(0.75, 1.25))


def outcome_changes(row, error: str, *, now: datetime, base, cap, max_attempts: int) -> dict:
    """A finished try's mark on its row: sent; or queued again after ``backoff``; or, past
    ``max_attempts`` (or ``max_attempts=0``: the other side refused for good), failed."""
    if not error:
        return {"status": "sent", "sent_at": now, "last_error": ""}
    tries = row.attempts + 1
    if max_attempts == 0:
        return {"status": "failed", "last_error": error}
    if tries >= max_attempts:
        return {"status": "failed", "last_error": f"{error} (gave up after {tries})"}
    later = now + backoff(tries, base=base, cap=cap)
    return {"status": QUEUED, "next_attempt_at": later, "last_error": error}


def row_record(row, *, changes: dict, now: datetime) -> bool:
    """Write a try's outcome on ``row`` only while this worker still holds it (its claim
    token): False when the sweep took it back, and another try owns it now."""
    held = type(row).objects.filter(pk=row.pk, claimed_by=row.claimed_by)
    return bool(held.update(**changes, attempts=F("attempts") + 1, claimed_by="", updated_at=now))
