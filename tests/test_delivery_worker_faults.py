"""The worker process against faults: killed mid-batch, the database restarted under it."""

import signal

import pytest

import smtp_sink as smtp
import worker_process as wp
from altavoz.delivery.models import Delivery, DeliveryAttempt

Status = Delivery.Status
LETTERS = 40


@pytest.fixture
def slow_sink():
    """An SMTP server that takes 50 ms per message, so a batch is in flight for a while."""
    port = smtp.free_port()
    recorder = smtp.Recorder(delay=0.05)
    controller = smtp.start(port, recorder)
    yield port, recorder
    controller.stop()


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_loses_no_letter(sign, slow_sink):
    port, recorder = slow_sink
    for _ in range(LETTERS):
        sign()
    url = wp.test_database_url()
    first = wp.start_worker(database_url=url, smtp_port=port, DELIVERY_CONFIRM_SUPPORTERS="0")
    try:
        wp.wait_until(
            lambda: len(smtp.letters_received(recorder)) >= 5, timeout=30, what="5 letters left"
        )
        first.send_signal(signal.SIGKILL)
        first.wait()
    finally:
        wp.stop(first)
    assert Delivery.objects.filter(status=Status.SENT).count() < LETTERS  # killed mid-batch
    second = wp.start_worker(database_url=url, smtp_port=port, DELIVERY_CONFIRM_SUPPORTERS="0")
    try:
        wp.wait_until(
            lambda: Delivery.objects.filter(status=Status.SENT).count() == LETTERS,
            timeout=60,
            what="every letter is sent",
        )
    finally:
        output = wp.stop(second)
    assert "Traceback" not in output
    received = smtp.letters_received(recorder)
    expected = smtp.letters_expected()
    assert set(received) == expected  # nothing lost
    # At most the letters in flight at the kill went twice, with the same Message-ID.
    assert len(received) - len(expected) <= 1
    assert DeliveryAttempt.objects.filter(outcome="interrupted").count() <= 1
