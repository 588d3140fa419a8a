"""The delivery channels, registered by name (healthchecks' TRANSPORTS): ``Delivery.channel``
names one of them. Adding a channel is one module (or folder) with a Channel subclass and
one ``channel_register`` here; see CONTRIBUTING.md, "Adding a delivery channel".

Later channels this is shaped for: an official's web form (build fills the form's fields,
send posts them, the provider id is the office's reference) and the post (build renders a
letter PDF, send hands it to a print-and-mail service).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from altavoz.delivery.channels.base import Channel
from altavoz.delivery.channels.email.channel import EmailChannel

if TYPE_CHECKING:
    from altavoz.districts.models import Official

CHANNELS: dict[str, type[Channel]] = {}
DEFAULT_CHANNEL = "email"


def channel_register(cls: type[Channel]) -> type[Channel]:
    """Register a channel class under its ``name`` (usable as a class decorator)."""
    if cls.name in CHANNELS and CHANNELS[cls.name] is not cls:
        raise ValueError(f"a delivery channel called {cls.name!r} is already registered")
    CHANNELS[cls.name] = cls
    return cls


def channel_class(name: str) -> type[Channel]:
    try:
        return CHANNELS[name]
    except KeyError:
        known = ", ".join(CHANNELS)
        raise KeyError(f"no delivery channel called {name!r}; known: {known}") from None


def channel_for(official: Official | None = None) -> str:
    """The channel a new delivery to ``official`` goes through. Email for everyone today;
    an official who takes letters only through a web form or by post would name theirs."""
    return DEFAULT_CHANNEL


def waiting() -> Q:
    """Deliveries that must wait, queued, whatever their channel says about them."""
    condition = Q(pk__in=[])
    for name, cls in CHANNELS.items():
        condition |= Q(channel=name) & cls.waiting()
    return condition


class ChannelSet:
    """The channels one process sends through, each opened once, on first use. The
    worker's are ``pipelined``: each sends on its own background thread."""

    def __init__(self, *, pipelined: bool = False) -> None:
        self.pipelined = pipelined
        self._open: dict[str, Channel] = {}

    def get(self, name: str) -> Channel:
        if name not in self._open:
            self._open[name] = channel_class(name)(pipelined=self.pipelined)
        return self._open[name]

    def close(self) -> None:
        for channel in self._open.values():
            channel.close()

    def shutdown(self) -> None:
        for channel in self._open.values():
            channel.shutdown()
        self._open.clear()


channel_register(EmailChannel)
