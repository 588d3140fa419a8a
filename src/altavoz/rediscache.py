"""Django's Redis cache, with one client per connection pool and a one-trip window counter.

Django's cache makes a new ``redis.Redis`` object for every call (its constructor is about a
third of a millisecond of CPU here, and a signature makes several calls); a ``redis.Redis``
is thread-safe, so one per pool is kept. ``count_in_window`` counts a hit in a fixed window
in one round trip (a small Lua script, atomic), where ``add`` then ``incr`` took two, and
``hits`` counts several and claims a key in one (a submission's screening).
"""

from django.core.cache.backends import redis

# A new window's counter expires with the window; run by Redis as one atomic step.
COUNT_IN_WINDOW = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count
"""


# Several window counters and (optionally) one claim, as one atomic step: a submission's
# screening asks Redis once. KEYS: the counters, then the claim; ARGV: how many counters,
# each counter's lifetime, then the claim's owner and lifetime. Returns each count, then the
# claim's owner (this one when the key was free). Claims hold plain strings.
HITS = """
local n = tonumber(ARGV[1])
local out = {}
for i = 1, n do
  local count = redis.call('INCR', KEYS[i])
  if count == 1 then redis.call('EXPIRE', KEYS[i], ARGV[1 + i]) end
  out[i] = count
end
if #KEYS > n then
  local owner = ARGV[n + 2]
  if redis.call('SET', KEYS[n + 1], owner, 'NX', 'EX', ARGV[n + 3]) then
    out[n + 1] = owner
  else
    out[n + 1] = redis.call('GET', KEYS[n + 1])
  end
end
return out
"""


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict = {}
        self._count = None
        self._hits = None

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def count_in_window(self, key, timeout: int) -> int:
        client = self.get_client(key, write=True)
        if self._count is None:
            self._count = client.register_script(COUNT_IN_WINDOW)
        return self._count(keys=[key], args=[timeout], client=client)

    def hits(self, counters: list[tuple[str, int]], claim: tuple[str, str, int] | None):
        client = self.get_client(write=True)
        if self._hits is None:
            self._hits = client.register_script(HITS)
        keys = [key for key, _ in counters] + ([claim[0]] if claim else [])
        args = [len(counters), *[seconds for _, seconds in counters]]
        args += [claim[1], claim[2]] if claim else []
        out = self._hits(keys=keys, args=args, client=client)
        owner = out[len(counters)] if claim else None
        return [int(n) for n in out[: len(counters)]], owner and _text(owner)


def _text(value) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


class RedisCache(redis.RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient

    def count_in_window(self, key: str, timeout: int, version=None) -> int:
        """Add one to ``key`` (created to expire in ``timeout`` seconds); the new count."""
        return self._cache.count_in_window(self.make_and_validate_key(key, version), timeout)

    def hits(self, counters: list[tuple[str, int]], claim: tuple[str, str, int] | None = None):
        """One more on each counter (key, seconds it lives) and, with ``claim`` (key, owner,
        seconds), the key taken for owner unless already held: the counts, and the claim's
        owner. One round trip."""
        keys = [(self.make_and_validate_key(k), seconds) for k, seconds in counters]
        if claim:
            claim = (self.make_and_validate_key(claim[0]), claim[1], claim[2])
        return self._cache.hits(keys, claim)
