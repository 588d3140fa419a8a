"""Fixed-window counters shared by every web process (shield/store.py: Redis when REDIS_URL
is set, the database otherwise)."""

import time

from altavoz.shield import store


def _bucket(key: str, window: int) -> str:
    return f"rl:{key}:{int(time.time() // window)}"


def count_hit(key: str, *, window: int) -> int:
    """Count one more hit for `key` in the current window and return the total so far."""
    return store.count(_bucket(key, window), seconds=window + 1)


def hits(key: str, *, window: int) -> int:
    return store.current(_bucket(key, window))


def retry_after(window: int) -> int:
    """Seconds until the current window ends."""
    return window - int(time.time()) % window
