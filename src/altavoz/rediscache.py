"""Django's Redis cache, with one client per connection pool and a one-trip window counter.

Django's cache makes a new ``redis.Redis`` object for every call (its constructor is about a
third of a millisecond of CPU here, and a signature makes several calls); a ``redis.Redis``
is thread-safe, so one per pool is kept. ``count_in_window`` counts a hit in a fixed window
in one round trip (a small Lua script, atomic), where ``add`` then ``incr`` took two.
"""

from django.core.cache.backends import redis

# A new window's counter expires with the window; run by Redis as one atomic step.
COUNT_IN_WINDOW = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count
"""


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict = {}
        self._count = None

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


class RedisCache(redis.RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient

    def count_in_window(self, key: str, timeout: int, version=None) -> int:
        """Add one to ``key`` (created to expire in ``timeout`` seconds); the new count."""
        return self._cache.count_in_window(self.make_and_validate_key(key, version), timeout)
