"""Fixed-window rate limits in the Django cache (locmem on one machine, Redis at scale):
no extra service needed. Callers pass an already hashed identity (privacy.ip_hash)."""

import time

from django.core.cache import cache


def rate_exceeded(*, scope: str, ident: str, limit: int, window_seconds: int = 60) -> bool:
    """Count one hit for ``ident``; True once it has made more than ``limit`` in the window."""
    window = int(time.time() // window_seconds)
    key = f"rate:{scope}:{ident}:{window}"
    cache.add(key, 0, window_seconds + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window_seconds + 5)
        count = 1
    return count > limit
