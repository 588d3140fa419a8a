"""When a letter is tried: now, at the day's digest hour, or after an exponential backoff."""

import random
from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

_rng = random.SystemRandom()


def retry_delay(attempts: int, *, rng: random.Random = _rng) -> timedelta:
    """Wait after the given number of failed tries: doubling from the base up to the cap,
    spread by +-25% so letters failed together do not all come back at the same second."""
    base = settings.DELIVERY_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    seconds = min(base, settings.DELIVERY_RETRY_CAP_SECONDS)
    return timedelta(seconds=seconds * rng.uniform(0.75, 1.25))


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
