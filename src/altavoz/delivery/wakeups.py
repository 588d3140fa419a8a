"""Wake-ups for the worker, gathered per process: one task for the letters of many signatures.

The Delivery rows are the truth; a wake-up only spares new letters the wait for the worker's
next look at the table. One task per letter would give every signature a queue write of its
own (a database transaction with the django-tasks-db backend), which during a spike costs as
much as the rest of the signature's writes. So each process gathers the ids committed in the
last DELIVERY_WAKE_SECONDS and enqueues them as one ``deliver`` task, from one thread.

A wake-up lost with its process (killed before it was sent) only delays its letters until
the worker's sweep finds them due. With DELIVERY_WAKE_SECONDS = 0 each commit enqueues its
own task at once (the tests do this, so their rows never outlive them).
"""

import logging
import threading
import time

from django.conf import settings
from django.db import close_old_connections, connections

logger = logging.getLogger(__name__)
IDLE_SECONDS = 10  # the sender thread gives its database connection back after this long


def _enqueue(ids: list[str]) -> None:
    from altavoz.delivery.tasks import deliver

    deliver.enqueue(*ids)


class Gatherer:
    """Ids wait in ``pending`` until the sender thread, started by the first ring in each
    process (so never in the master before a fork), takes them all at once."""

    def __init__(self) -> None:
        self.pending: list[str] = []
        self.ready = threading.Condition()
        self.thread: threading.Thread | None = None

    def ring(self, ids) -> None:
        ids = [str(pk) for pk in ids]
        if settings.DELIVERY_WAKE_SECONDS <= 0:
            _enqueue(ids)
            return
        with self.ready:
            self.pending += ids
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._send_forever, daemon=True)
                self.thread.start()
            self.ready.notify()

    def _take(self) -> list[str]:
        with self.ready:
            while not self.pending:
                if not self.ready.wait(timeout=IDLE_SECONDS):
                    connections.close_all()  # no spike: hold no connection while idle
        time.sleep(settings.DELIVERY_WAKE_SECONDS)  # let the spike's next commits join
        with self.ready:
            ids, self.pending = self.pending, []
        return ids

    def _send_forever(self) -> None:
        while True:
            ids = self._take()
            close_old_connections()  # a connection the database dropped is opened anew
            try:
                _enqueue(ids)
            except Exception:
                logger.exception(
                    "Wake-up for %d letters not sent; the sweep will find them", len(ids)
                )


gatherer = Gatherer()
