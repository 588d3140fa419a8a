"""Fixed-window counters shared by every web process (shield/store.py: Redis when REDIS_URL
is set, the database otherwise)."""

import time

from altavoz.shield import store


def counter(key: str, *, window: int) -> tuple[str, int]:
    """The store's counter of ``key`` for the current window, and how long it lives (for
    ``store.hits``, which counts several at once)."""
    return f"rl:{key}:{int(time.time() // window)}", window + 1


def count_hit(key: str, *, window: int) -> int:
    """Count one more hit for `key` in the current window and return the total so far."""
    bucket, seconds = counter(key, window=window)
    return store.count(bucket, seconds=seconds)


def hits(key: str, *, window: int) -> int:
    return store.current(counter(key, window=window)[0])


def retry_after(window: int) -> int:
    """Seconds until the current window ends."""
    return window - int(time.time()) % window
