"""When a letter is tried: now, at the day's digest hour, or after an exponential backoff."""

import random
from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from altavoz import queue

_rng = queue._rng


def retry_delay(attempts: int, *, rng: random.Random = _rng) -> timedelta:
    """Wait after the given number of failed tries (altavoz.queue.backoff)."""
    return queue.backoff(
        attempts,
        base=settings.DELIVERY_RETRY_BASE_SECONDS,
        cap=settings.DELIVERY_RETRY_CAP_SECONDS,
        rng=rng,
    )


def retry_schedule_hours(*, rng: random.Random = _rng) -> float:
    """How long the retries span in total, in hours (for the admin and the docs)."""
    tries = range(1, settings.DELIVERY_MAX_ATTEMPTS)
    return sum(retry_delay(n, rng=rng).total_seconds() for n in tries) / 3600


def next_digest_at(now: datetime | None = None) -> datetime:
    """The next time the daily digests go out (DELIVERY_DIGEST_HOUR, local time)."""
    now = timezone.localtime(now or timezone.now())
    today = timezone.make_aware(
        datetime.combine(now.date(), time(hour=settings.DELIVERY_DIGEST_HOUR % 24))
    )
    return today if today > now else today + timedelta(days=1)


def first_attempt_at(campaign, now: datetime | None = None) -> datetime:
    if campaign.delivery_mode == campaign.DeliveryMode.DIGEST:
        return next_digest_at(now)
    return now or timezone.now()


def letter_retries() -> queue.Retries:
    """How letters (and the follow-ups to their writers) are retried: DELIVERY_* settings."""
    return queue.Retries(
        base=settings.DELIVERY_RETRY_BASE_SECONDS,
        cap=settings.DELIVERY_RETRY_CAP_SECONDS,
        max_attempts=settings.DELIVERY_MAX_ATTEMPTS,
    )
