"""A real SMTP server on loopback (aiosmtpd) for tests that depend on SMTP behaviour."""

import email
import socket
import threading
import time
from contextlib import contextmanager
from email import policy

from aiosmtpd.controller import Controller

from shared_services import SMTP_PORTS


class Recorder:
    """Keeps every message it accepts; answers ``refuse`` (e.g. "550 ...") for listed
    recipients, and waits ``delay`` seconds per message to make a send take time."""

    def __init__(self, *, refuse: dict | None = None, delay: float = 0.0):
        self.messages: list[email.message.EmailMessage] = []
        self.refuse = refuse or {}
        self.delay = delay
        self.lock = threading.Lock()
        self.peers: set = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            time.sleep(self.delay)
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(message)
            self.peers.add(session.peer)
        return "250 Message accepted for delivery"

    def message_ids(self) -> list[str]:
        with self.lock:
            return [m["Message-ID"] for m in self.messages]


def free_port() -> int:
    for port in SMTP_PORTS:
        with socket.socket() as probe:
            # As the server will: a port whose old connections linger in TIME_WAIT is free.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(
        f"No free port in {SMTP_PORTS.start}-{SMTP_PORTS.stop - 1} for the test SMTP server"
    )


def start(port: int, handler: Recorder) -> Controller:
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    return controller


@contextmanager
def serving(*, delay: float = 0.0):
    """(port, recorder) of a running server, stopped afterwards: each message takes
    ``delay`` seconds, so a batch is in flight for a while."""
    port = free_port()
    recorder = Recorder(delay=delay)
    controller = start(port, recorder)
    try:
        yield port, recorder
    finally:
        controller.stop()


def mailers_for(port: int) -> dict:
    smtp = {
        "BACKEND": "altavoz.delivery.channels.email.smtp.EmailBackend",
        "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
    }
    return {
        "default": smtp,
        "outbox": {"BACKEND": "altavoz.delivery.channels.email.outbox.OutboxBackend"},
    }


def letters_received(recorder: Recorder) -> list[str]:
    """Message-IDs of the letters to officials received (not the "delivered" notices)."""
    return [mid for mid in recorder.message_ids() if mid.startswith("<letter.")]


def letters_expected() -> set[str]:
    """The Message-ID each delivery in the database must arrive with."""
    from altavoz.delivery.models import Delivery

    pks = Delivery.objects.values_list("pk", flat=True)
    return {f"<letter.{pk}@demo.altavoz.invalid>" for pk in pks}
