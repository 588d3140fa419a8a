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
    with smtp.serving(delay=0.05) as sink:
        yield sink


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_loses_no_letter(sign, slow_sink):
    port, recorder = slow_sink
    for _ in range(LETTERS):
        sign()
    url = wp.test_database_url()
    first = wp.start_worker(database_url=url, smtp_port=port, DELIVERY_NOTIFY_SUPPORTERS="0")
    try:
        wp.wait_until(
            lambda: len(smtp.letters_received(recorder)) >= 5, timeout=30, what="5 letters left"
        )
        first.send_signal(signal.SIGKILL)
        first.wait()
    finally:
        wp.stop(first)
    assert Delivery.objects.filter(status=Status.SENT).count() < LETTERS  # killed mid-batch
    second = wp.start_worker(database_url=url, smtp_port=port, DELIVERY_NOTIFY_SUPPORTERS="0")
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


SEED = """
from altavoz.campaigns.models import Campaign
from altavoz.campaigns.services import signature_create
from altavoz.districts.models import Official

campaign = Campaign.objects.get(slug="miami-287g")
campaign.is_demo = False
campaign.save()
for official in Official.objects.filter(email=""):
    official.email = "official%s@city.example" % (official.post.area.number or 0)
    official.save()
area = campaign.target_set.areas.get(number="2")
for n in range({count}):
    signature_create(
        campaign=campaign, email="{prefix}%d@example.com" % n, first_name="Ana",
        last_name="Diaz", street_address="1 Main St", zip_code="33130",
        letter_body="Vote no.", area=area,
    )
"""


def _altavoz(url: str, *args: str) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "test-only-secret-key"}
    subprocess.run(
        [sys.executable, "-m", "altavoz", *args], env=env, check=True, capture_output=True
    )


@pytest.fixture
def private_cluster():
    import private_postgres

    reason = private_postgres.unavailable_reason()
    if reason:
        pytest.skip(f"no private PostgreSQL cluster: {reason}")
    cluster = private_postgres.Cluster()
    try:
        cluster.init()
        cluster.start()
        cluster.create_database()
        yield cluster
    finally:
        cluster.destroy()


@pytest.mark.postgres
def test_the_worker_recovers_by_itself_when_the_database_restarts(private_cluster):
    url = private_cluster.url()
    _altavoz(url, "migrate", "--noinput")
    _altavoz(url, "loaddemo")
    _altavoz(url, "shell", "-c", SEED.format(count=60, prefix="before"))
    port = smtp.free_port()
    recorder = smtp.Recorder(delay=0.05)
    controller = smtp.start(port, recorder)
    worker = wp.start_worker(database_url=url, smtp_port=port, DELIVERY_NOTIFY_SUPPORTERS="0")
    try:
        wp.wait_until(lambda: smtp.letters_received(recorder), timeout=30, what="a letter left")
        private_cluster.stop("fast")  # kills the worker's connection mid-batch
        private_cluster.start()
        _altavoz(url, "shell", "-c", SEED.format(count=10, prefix="after"))
        sent = "SELECT count(*) FROM delivery_delivery WHERE status = 'sent'"
        wp.wait_until(lambda: private_cluster.scalar(sent) == 70, timeout=90, what="70 sent")
        assert worker.poll() is None  # it never died
    finally:
        output = wp.stop(worker)
        controller.stop()
    # Where the restart hits (the worker's own loop, or a wake-up task it runs) decides what
    # it logs; what must hold is that it lived through it and every letter went exactly once.
    assert "Database unavailable" in output or "AdminShutdown" in output, output
    received = smtp.letters_received(recorder)
    assert len(received) == len(set(received)) == 70  # every letter, each exactly once


@pytest.mark.django_db(transaction=True)
def test_the_worker_stops_cleanly_on_sigterm(sign, slow_sink):
    port, recorder = slow_sink
    for _ in range(10):
        sign()
    worker = wp.start_worker(database_url=wp.test_database_url(), smtp_port=port)
    try:
        wp.wait_until(lambda: smtp.letters_received(recorder), timeout=30, what="a letter left")
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=20) == 0
    finally:  # never left running (it would hold the test database open)
        output = wp.stop(worker)
    assert "stopped" in output and "Traceback" not in output
    assert not Delivery.objects.filter(status=Status.SENDING).exists()  # none left mid-send


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_sends_no_follow_up_twice(sign, slow_sink, addressed):
    """The emails to writers after the meeting go through the same queue: killed mid-batch,
    the next worker sends the rest, and at most the one in flight went twice (same ID)."""
    from datetime import date

    from django.utils import timezone

    from altavoz.outcomes import sending
    from altavoz.outcomes.models import FollowUp, FollowUpAttempt, Position
    from altavoz.outcomes.services import position_announce

    port, recorder = slow_sink
    for _ in range(LETTERS):
        sign()
    Delivery.objects.update(status=Status.SENT, sent_at=timezone.now())  # delivered earlier
    official = Delivery.objects.first().official
    position = Position.objects.create(
        campaign=addressed, official=official, stance=Position.Stance.VOTED_NO,
        stated_on=date(2027, 6, 12), source_url="https://example.org/minutes",
    )  # fmt: skip
    assert position_announce(position=position) == LETTERS

    def sent() -> int:
        return FollowUp.objects.filter(status=Status.SENT).count()

    def received() -> list[str]:
        return [m for m in recorder.message_ids() if m.startswith("<outcome.")]

    url = wp.test_database_url()
    first = wp.start_worker(database_url=url, smtp_port=port)
    try:
        wp.wait_until(lambda: len(received()) >= 5, timeout=30, what="5 follow-ups left")
        first.send_signal(signal.SIGKILL)
        first.wait()
    finally:
        wp.stop(first)
    assert sent() < LETTERS  # killed mid-batch
    second = wp.start_worker(database_url=url, smtp_port=port)
    try:
        wp.wait_until(lambda: sent() == LETTERS, timeout=60, what="every follow-up is sent")
    finally:
        output = wp.stop(second)
    assert "Traceback" not in output
    expected = {
        f"<outcome.{pk}@demo.altavoz.invalid>"
        for pk in FollowUp.objects.values_list("pk", flat=True)
    }
    assert set(received()) == expected  # nothing lost
    assert len(received()) - len(expected) <= 1  # at most the one in flight, same Message-ID
    # The killed worker's claimed batch is taken back; none of it is lost or sent twice.
    assert FollowUpAttempt.objects.filter(outcome="interrupted").count() <= sending.BATCH
