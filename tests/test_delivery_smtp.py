"""Delivery against a real SMTP server (aiosmtpd on loopback), including its failures."""

import smtplib
import socket
import threading
from datetime import timedelta

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone

import smtp_sink as smtp
from altavoz.delivery import sending
from altavoz.delivery.channels.registry import ChannelSet
from altavoz.delivery.models import Delivery

Status = Delivery.Status


@pytest.fixture
def server():
    """Start (and restart) a recording SMTP server on a free port; the test decides when."""
    port = smtp.free_port()
    running = []

    class Server:
        def __init__(self):
            self.port = port
            self.recorder = smtp.Recorder()

        def start(self, **options):
            if options:
                self.recorder = smtp.Recorder(**options)
            running.append(smtp.start(port, self.recorder))

        def stop(self):
            running.pop().stop()

    instance = Server()
    with override_settings(MAILERS=smtp.mailers_for(port)):
        yield instance
    for controller in running:
        controller.stop()


def test_the_smtp_server_down_then_back_delivers_every_letter_exactly_once(sign, server, drain):
    for _ in range(12):
        sign()
    drain(pipelined=True)  # the server is down
    queued = Delivery.objects.filter(status=Status.QUEUED)
    assert queued.count() == 12
    first = Delivery.objects.get(attempts=1)  # one probe; the rest wait with it untried
    assert "could not be reached" in first.last_error
    server.start()
    latest = max(Delivery.objects.values_list("next_attempt_at", flat=True))
    with time_machine.travel(latest + timedelta(seconds=1)):
        drain(pipelined=True)
        drain(pipelined=True)  # nothing is sent twice
    assert Delivery.objects.filter(status=Status.SENT).count() == 12
    ids = smtp.letters_received(server.recorder)
    expected = smtp.letters_expected()
    assert sorted(ids) == sorted(expected)  # each once
    assert all(d.provider_id in expected for d in Delivery.objects.all())


def test_letters_share_one_connection(sign, server, drain):
    server.start()
    for _ in range(5):
        sign()
    drain(pipelined=True)
    assert len(smtp.letters_received(server.recorder)) == 5
    assert len(server.recorder.peers) == 1


def test_an_unknown_mailbox_fails_the_letter_at_once_with_the_servers_words(sign, server, drain):
    server.start(refuse={"commissioner2@city.example": "550 5.1.1 No such mailbox"})
    sign()
    sign(area=sign().campaign.target_set.areas.get(number="3"))
    drain(pipelined=True)
    failed = Delivery.objects.filter(status=Status.FAILED)
    assert failed.count() == 2
    assert failed.first().last_error == (
        "The mail server rejected the recipient: commissioner2@city.example: "
        "550 5.1.1 No such mailbox"
    )
    assert Delivery.objects.get(official__post__area__number="3").status == Status.SENT


def test_a_deferral_is_retried(sign, server, drain):
    server.start(refuse={"commissioner2@city.example": "451 4.3.0 Mailbox busy"})
    sign()
    drain(pipelined=True)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Status.QUEUED, 1)
    assert "451 4.3.0 Mailbox busy" in delivery.last_error
    server.stop()
    server.start(refuse={})
    with time_machine.travel(delivery.next_attempt_at + timedelta(seconds=1)):
        drain(pipelined=True)
    assert Delivery.objects.get().status == Status.SENT


def _nonsense_server(port: int, stop: threading.Event) -> threading.Thread:
    listener = socket.create_server(("127.0.0.1", port))
    listener.settimeout(0.2)

    def serve():
        with listener:
            while not stop.is_set():
                try:
                    conn, _ = listener.accept()
                except TimeoutError:
                    continue
                with conn:
                    conn.sendall(b"HELLO I AM NOT A MAIL SERVER\r\n")
                    conn.recv(1024)
                    conn.sendall(b"\x00\xff garbage\r\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return thread


def test_a_server_that_answers_nonsense_leaves_a_clear_reason_and_no_crash(sign, server, drain):
    stop = threading.Event()
    thread = _nonsense_server(server.port, stop)
    try:
        sign()
        drain(pipelined=True)
    finally:
        stop.set()
        thread.join()
    delivery = Delivery.objects.get()
    assert delivery.status == Status.QUEUED
    assert delivery.last_error.startswith("The mail server"), delivery.last_error
    assert delivery.attempt_log.get().outcome == "retry"
    assert delivery.next_attempt_at > timezone.now()


def test_a_connection_the_server_dropped_between_batches_is_reopened(sign, server):
    server.start()
    channels = ChannelSet(pipelined=True)
    sign()
    sending.drain_letters(channels)
    server.stop()  # the server goes away and comes back: the kept connection is dead
    server.start()
    sign()
    sending.drain_letters(channels)
    channels.shutdown()
    assert Delivery.objects.filter(status=Status.SENT).count() == 2
    assert len(smtp.letters_received(server.recorder)) == 2


@pytest.mark.parametrize(
    ("raised", "permanent", "words"),
    [
        (smtplib.SMTPRecipientsRefused({"a@b.example": (550, b"5.1.1 unknown")}), True, "550"),
        (smtplib.SMTPDataError(554, b"5.7.1 spam"), True, "rejected the message: 554"),
        (smtplib.SMTPDataError(452, b"4.3.1 full"), False, "deferred the message: 452"),
        (smtplib.SMTPAuthenticationError(535, b"bad login"), False, "our login"),
        (ConnectionRefusedError(111, "Connection refused"), False, "could not be reached"),
        (ValueError("Invalid address 'x'"), True, "cannot be sent as written"),
        (RuntimeError("boom"), False, "Unexpected error"),
    ],
)
def test_each_failure_gets_a_clear_reason_and_the_right_verdict(raised, permanent, words):
    from altavoz.delivery.channels.email.errors import classify

    error = classify(raised)
    assert error.permanent is permanent
    assert words in error.reason
