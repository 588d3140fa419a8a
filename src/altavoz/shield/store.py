"""Counters that every web process shares: in Redis when the cache is Redis (REDIS_URL),
otherwise in the database (the ``shield_counter`` table), never in one process's memory.

``altavoz-web`` runs one process per core: counters kept in each process's memory let a
solved proof of work through once per process and multiplied every limit by the number of
processes. Each hit is one statement: ``INSERT ... ON CONFLICT (key) DO UPDATE SET count =
count + 1 RETURNING count, owner`` (atomic on PostgreSQL and SQLite), or one Redis round trip.
"""

import time

from django.core.cache import cache

from altavoz import statements
from altavoz.shield.models import Counter

_HIT = statements.Insert(
    Counter,
    conflict=("key",),
    update_sql=(("count", '{table}."count" + 1'),),
    returning=("count", "owner"),
)


def _in_redis() -> bool:
    return hasattr(cache, "count_in_window")  # altavoz.rediscache.RedisCache


def _hit(key: str, *, owner: str, seconds: int) -> tuple[int, str]:
    """Count one use of ``key`` (a new row expires in ``seconds``); the uses so far and the
    owner the row was created with."""
    row = Counter(key=key, count=1, owner=owner, expires=int(time.time()) + seconds)
    returned, _new = _HIT.run(row)
    return returned["count"], returned["owner"]


def count(key: str, *, seconds: int) -> int:
    """One more hit on ``key`` (created to expire in ``seconds``); the total so far."""
    if _in_redis():
        return cache.count_in_window(key, seconds)
    return _hit(key, owner="", seconds=seconds)[0]


def first_use(key: str, *, seconds: int) -> bool:
    """True the first time ``key`` is used within ``seconds``, False ever after."""
    if _in_redis():
        return cache.add(key, 1, timeout=seconds)
    return _hit(key, owner="", seconds=seconds)[0] == 1


def claim(key: str, *, owner: str, seconds: int) -> bool:
    """True when ``key`` is new (it is now ``owner``'s) or already ``owner``'s."""
    return hits([], claim=(key, owner, seconds))[1] == owner


def hits(
    counters: list[tuple[str, int]], *, claim: tuple[str, str, int] | None = None
) -> tuple[list[int], str | None]:
    """One more hit on each counter (key, seconds a new one lives) and, with ``claim`` (key,
    owner, seconds), the key taken for owner unless it is held: each count so far, and the
    claim's owner. One round trip to Redis; one statement each in the database."""
    if _in_redis():
        return cache.hits(counters, claim)
    counts = [_hit(key, owner="", seconds=seconds)[0] for key, seconds in counters]
    owner = _hit(claim[0], owner=claim[1], seconds=claim[2])[1] if claim else None
    return counts, owner


def current(key: str) -> int:
    """The hits counted on ``key`` so far (0 when none)."""
    if _in_redis():
        return cache.get(key, 0)
    return Counter.objects.filter(key=key).values_list("count", flat=True).first() or 0


def counters_prune() -> int:
    """Delete the database's expired counters (the worker's sweep); how many went."""
    deleted, _ = Counter.objects.filter(expires__lt=int(time.time())).delete()
    return deleted
