"""Values kept in this process's memory for a few seconds: what every request of a spike
reads (the campaign, its districts, the map in force) is read once per process instead.

No cache server is asked; each web process keeps its own, so a change shows in every process
within the seconds its key was kept for. ``forget()`` empties it (tests, an import)."""

import time

MAX_ENTRIES = 500

_memory: dict = {}


def remembered(key, seconds: float, make):
    """The value kept under ``key`` if younger than ``seconds``, else ``make()`` kept anew."""
    now = time.time()
    kept = _memory.get(key)
    if kept is not None and kept[0] > now:
        return kept[1]
    value = make()
    if len(_memory) >= MAX_ENTRIES:
        for old in [k for k, (until, _) in list(_memory.items()) if until <= now]:
            _memory.pop(old, None)
    _memory[key] = (now + seconds, value)
    return value


def forget(key=None) -> None:
    """Forget ``key`` (everything when none is named)."""
    if key is None:
        _memory.clear()
    else:
        _memory.pop(key, None)
