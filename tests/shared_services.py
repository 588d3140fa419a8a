"""The loopback services a test run takes a part of: SMTP ports and a Redis database.

`make test` runs its PostgreSQL and SQLite halves side by side, so each half names its own
part through the environment (see the Makefile): neither flushes the other's Redis
database, listens on its ports or finds one of its servers where a test expects nobody. A
run alone takes the defaults."""

import os

_first, _last = os.environ.get("ALTAVOZ_TEST_SMTP_PORTS", "2525-2535").split("-")
SMTP_PORTS = range(int(_first), int(_last) + 1)
REDIS_URL = os.environ.get("ALTAVOZ_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
