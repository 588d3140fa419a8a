"""The counters every web process shares when there is no Redis (see shield/store.py)."""

from django.db import models


class Counter(models.Model):
    """Hits in one rate-limit window, or the uses of a one-time token (a solved proof of
    work, a form's render token), with the time after which the row means nothing. The
    worker's sweep deletes expired rows (store.counters_prune)."""

    key = models.CharField(max_length=200, primary_key=True)
    count = models.PositiveIntegerField(default=1)
    # Who first used a one-time token (a hash), so that only they may use it again.
    owner = models.CharField(max_length=64, blank=True, default="")
    expires = models.BigIntegerField(db_index=True)  # Unix time, in seconds

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
