"""The database as a queue, for every message the platform owes someone: a letter to an
official (Delivery), a follow-up to a letter's writer (outcomes.FollowUp), ...

A row is the message's truth. A worker claims due rows with SELECT ... FOR UPDATE SKIP
LOCKED and a conditional UPDATE (queued -> sending, stamped with its claim token and time);
every try ends in an attempt row and the message sent, queued again after a backoff with
jitter, or failed for good. A row whose worker died mid-send is taken back after its lease
(the try recorded as interrupted), so nothing is lost and nothing sent twice but by a crash,
which the message's stable Message-ID marks.
"""

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import cache

from django.conf import settings
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from altavoz import statements
from altavoz.delivery import schedule
from altavoz.delivery.errors import SendError


class Queued(models.Model):
    """The queue's columns: where the message stands and how its tries went."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        BOUNCED = "bounced", _("Bounced")
        CANCELLED = "cancelled", _("Cancelled")

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    provider_id = models.CharField(_("provider message id"), max_length=200, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    claimed_at = models.DateTimeField(
        _("claimed"),
        null=True,
        blank=True,
        help_text=_("When a worker took the row to send it; a stale claim is taken back."),
    )
    claimed_by = models.CharField(_("claimed by"), max_length=32, blank=True)

    class Meta:
        abstract = True


class Attempt(models.Model):
    """One try at sending a queued message, whatever its outcome: the audit trail."""

    class Outcome(models.TextChoices):
        SENT = "sent", _("Sent")
        RETRY = "retry", _("Failed, will retry")
        FAILED = "failed", _("Failed for good")
        INTERRUPTED = "interrupted", _("Interrupted (worker stopped mid-send)")

    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"))
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    error = models.TextField(_("error"), blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=300, blank=True)

    # The foreign key to the queued row, in each concrete attempt model.
    QUEUED_FIELD = ""

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} {self.started_at:%Y-%m-%d %H:%M:%S}"


Status = Queued.Status
Outcome = Attempt.Outcome


def due(queryset: QuerySet, now: datetime | None = None) -> QuerySet:
    return queryset.filter(status=Status.QUEUED, next_attempt_at__lte=now or timezone.now())


def claim(queryset: QuerySet, *, limit: int, related: tuple[str, ...] = ()) -> list:
    """Take up to ``limit`` of these due rows for this worker only (oldest due first), with
    their ``related`` rows. Only the queue's rows are locked: ``queryset`` may read through
    other tables."""
    model = queryset.model
    token = uuid.uuid4().hex
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            due(queryset, now)
            .order_by("next_attempt_at")
            .select_for_update(skip_locked=True, of=("self",))
            .values_list("pk", flat=True)[:limit]
        )
        model.objects.filter(pk__in=ids, status=Status.QUEUED).update(
            status=Status.SENDING, claimed_at=now, claimed_by=token
        )
    claimed = model.objects.filter(claimed_by=token, status=Status.SENDING)
    return list(claimed.select_related(*related).order_by("next_attempt_at"))


@cache
def _insert(attempt_model: type[Attempt]) -> statements.Insert:
    """Every try writes an attempt row: its INSERT is built once per model."""
    return statements.Insert(attempt_model)


def _outcome(row: Queued, error: SendError | None, interrupted: bool) -> tuple[str, dict]:
    now = timezone.now()
    if error is None:
        return Outcome.SENT, {"status": Status.SENT, "sent_at": now, "last_error": ""}
    tries = row.attempts + 1
    if error.permanent or tries >= settings.DELIVERY_MAX_ATTEMPTS:
        reason = error.reason if error.permanent else f"{error.reason} (gave up after {tries})"
        return Outcome.FAILED, {"status": Status.FAILED, "last_error": reason}
    later = now + schedule.retry_delay(tries)
    changes = {"status": Status.QUEUED, "next_attempt_at": later, "last_error": error.reason}
    return (Outcome.INTERRUPTED if interrupted else Outcome.RETRY), changes


def record(
    row: Queued,
    *,
    attempt_model: type[Attempt],
    error: SendError | None,
    message_id: str = "",
    provider_id: str = "",
    interrupted: bool = False,
    on_recorded: Callable[[str], None] | None = None,
) -> str:
    """Record one finished try: an attempt row, and the row sent, queued again or failed.
    ``on_recorded(outcome)`` runs in the same transaction when this worker still held the
    row (an event about it, say, is then written once, with the outcome)."""
    outcome, changes = _outcome(row, error, interrupted)
    if error is None:
        changes["provider_id"] = provider_id or message_id
    now = timezone.now()
    with transaction.atomic():
        # Only while this worker still holds the row (its claim token): a late record after
        # the sweep took the row back changes nothing.
        held = statements.update(
            type(row),
            changes={**changes, "claimed_by": "", "updated_at": now},
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
            on_recorded(outcome)
    return outcome


def release(model: type[Queued], rows: list, *, at: datetime) -> None:
    """Give claimed rows back untried (the server is unreachable): queued again for ``at``."""
    model.objects.filter(pk__in=[r.pk for r in rows], status=Status.SENDING).update(
        status=Status.QUEUED, claimed_by="", next_attempt_at=at
    )


def cancel(row: Queued, *, reason: str) -> None:
    """A claimed row that is no longer wanted (its writer unsubscribed, say): not sent."""
    type(row).objects.filter(pk=row.pk, claimed_by=row.claimed_by).update(
        status=Status.CANCELLED, last_error=reason, claimed_by="", updated_at=timezone.now()
    )


def reclaim_stuck(
    model: type[Queued], *, attempt_model: type[Attempt], now: datetime | None = None
) -> list:
    """Take back rows whose worker died mid-send (claimed longer ago than the lease): the
    try is recorded as interrupted and the row queued again (it may have left; the same
    Message-ID marks a re-send). Returns the rows taken back."""
    expired = (now or timezone.now()) - timedelta(seconds=settings.DELIVERY_LEASE_SECONDS)
    rows = list(model.objects.filter(status=Status.SENDING, claimed_at__lt=expired))
    for row in rows:
        record(row, attempt_model=attempt_model, error=INTERRUPTED, interrupted=True)
    return rows


INTERRUPTED = SendError("The worker stopped while sending; trying again.")
