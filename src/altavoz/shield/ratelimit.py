"""Fixed-window counters in the Django cache: Redis when REDIS_URL is set (shared by every
web process), the process-local cache otherwise (the demo)."""

import time

from django.core.cache import cache


def count_hit(key: str, *, window: int) -> int:
    """Count one more hit for `key` in the current window and return the total so far."""
    bucket = f"rl:{key}:{int(time.time() // window)}"
    if hasattr(cache, "count_in_window"):  # Redis: one round trip (altavoz.rediscache)
        return cache.count_in_window(bucket, window + 1)
    if cache.add(bucket, 1, timeout=window + 1):
        return 1
    try:
        return cache.incr(bucket)
    except ValueError:  # expired between add and incr
        cache.add(bucket, 1, timeout=window + 1)
        return 1


def hits(key: str, *, window: int) -> int:
    return cache.get(f"rl:{key}:{int(time.time() // window)}", 0)


def retry_after(window: int) -> int:
    """Seconds until the current window ends."""
    return window - int(time.time()) % window
