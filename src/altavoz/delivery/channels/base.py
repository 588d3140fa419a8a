"""What every delivery channel is: build a message from deliveries, send it, say what went
wrong. The worker (delivery/sending.py), its retries, the attempt log and the admin know a
channel only through this interface.

A channel is a class registered by name (channels/registry.py). One instance per process
sends (the worker's sends in order on one background thread when ``pipelined``), so a
channel may keep a connection open between messages; ``close`` drops it when the worker
goes idle, ``shutdown`` when it stops.
"""

from __future__ import annotations

from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, ClassVar

from django.db.models import Q

if TYPE_CHECKING:
    from altavoz.delivery.models import Delivery


class SendError(Exception):
    """A failed send, the one error a channel raises. ``permanent``: retrying cannot help
    (the row fails with ``reason``); otherwise it is temporary and the row is tried again
    later. ``connection``: the channel itself could not be reached, so the rest of a batch
    would fail the same way (the worker gives them back untried)."""

    def __init__(self, reason: str, *, permanent: bool = False, connection: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.connection = connection

    @property
    def temporary(self) -> bool:
        return not self.permanent


class Channel:
    """The interface. Subclasses set ``name`` and ``label`` and write ``build`` and ``send``;
    the rest has defaults."""

    name: ClassVar[str]
    label: ClassVar[str]
    # Whether it can send one message for many deliveries (a daily digest per official).
    digests: ClassVar[bool] = False

    def __init__(self, *, pipelined: bool = False) -> None:
        self.pipelined = pipelined

    def build(self, delivery: Delivery) -> Any:
        """The message for one delivery; SendError(permanent=True) when it cannot be made
        (a malformed address): the row then fails without being sent."""
        raise NotImplementedError

    def build_digest(self, deliveries: list[Delivery]) -> Any:
        """One message for several deliveries to one recipient (``digests`` channels)."""
        raise SendError(f"The {self.name} channel sends no digests.", permanent=True)

    def send(self, message: Any) -> str:
        """Hand the message over; return the provider's id for it ("" if it gives none)."""
        raise NotImplementedError

    def send_later(self, message: Any) -> Future[str]:
        """Send in the background where the channel can (the next message is built
        meanwhile); the future gives the provider's id or raises SendError."""
        future: Future[str] = Future()
        try:
            future.set_result(self.send(message))
        except SendError as exc:
            future.set_exception(exc)
        return future

    def message_id(self, message: Any) -> str:
        """The id the message carries itself (an email's Message-ID), for the attempt log."""
        return ""

    @classmethod
    def waiting(cls) -> Q:
        """Rows of this channel that must wait, queued, rather than be claimed now (no
        address to send to yet); a condition on Delivery."""
        return Q(pk__in=[])

    def close(self) -> None:
        """Drop open connections (the worker is idle)."""

    def shutdown(self) -> None:
        """Close everything for good (the worker stops)."""
        self.close()
