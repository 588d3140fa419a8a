"""The delivery queue: rows claimed once, every try recorded, retried with backoff, then failed;
stuck rows taken back; wake-ups on commit; digests; "delivered" notices; the demo outbox."""

import random
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db.models import Q
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from altavoz.delivery import schedule, services
from altavoz.delivery.channels.base import SendError
from altavoz.delivery.models import Delivery, DeliveryAttempt, OutboxMessage

Status = Delivery.Status


def test_a_claimed_row_cannot_be_claimed_again(sign):
    sign()
    first = services.deliveries_claim(where=Q(), limit=10)
    second = services.deliveries_claim(where=Q(), limit=10)
    assert len(first) == 1 and second == []
    assert Delivery.objects.get().status == Status.SENDING


def test_a_row_not_yet_due_is_not_claimed(sign):
    sign()
    Delivery.objects.update(next_attempt_at=timezone.now() + timedelta(minutes=5))
    assert services.deliveries_claim(where=Q(), limit=10) == []


def test_the_retries_double_with_jitter_and_span_about_a_day(settings):
    delays = [schedule.retry_delay(n, rng=random.Random(1)).total_seconds() for n in (1, 2, 3)]
    assert 45 <= delays[0] <= 75 and 90 <= delays[1] <= 150 and 180 <= delays[2] <= 300
    capped = schedule.retry_delay(20, rng=random.Random(1)).total_seconds()
    assert capped <= settings.DELIVERY_RETRY_CAP_SECONDS * 1.25
    assert 18 <= schedule.retry_schedule_hours(rng=random.Random(2)) <= 32


def _fail_once(delivery, error):
    (claimed,) = services.deliveries_claim(where=Q(pk=delivery.pk), limit=1)
    return services.delivery_record(delivery=claimed, error=error)


def test_a_temporary_failure_is_recorded_and_retried_later(sign):
    sign()
    delivery = Delivery.objects.get()
    outcome = _fail_once(delivery, SendError("451 try later"))
    delivery.refresh_from_db()
    assert outcome == "retry"
    assert (delivery.status, delivery.attempts, delivery.last_error) == (
        Status.QUEUED,
        1,
        "451 try later",
    )
    assert delivery.next_attempt_at > timezone.now() + timedelta(seconds=40)
    assert DeliveryAttempt.objects.get().error == "451 try later"


def test_it_gives_up_after_the_last_try_with_the_reason(sign, settings):
    settings.DELIVERY_MAX_ATTEMPTS = 3
    sign()
    delivery = Delivery.objects.get()
    for _ in range(3):
        Delivery.objects.update(next_attempt_at=timezone.now())
        _fail_once(delivery, SendError("Connection refused"))
    delivery.refresh_from_db()
    assert delivery.status == Status.FAILED
    assert delivery.last_error == "Connection refused (gave up after 3)"
    assert list(delivery.attempt_log.values_list("outcome", flat=True)) == [
        "failed",
        "retry",
        "retry",
    ]


def test_a_permanent_failure_is_not_retried(sign):
    sign()
    _fail_once(Delivery.objects.get(), SendError("550 no such user", permanent=True))
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Status.FAILED, 1)


def test_a_sent_letter_is_recorded_field_by_field(sign):
    sign()
    (claimed,) = services.deliveries_claim(where=Q(), limit=1)
    before = timezone.now()
    outcome = services.delivery_record(delivery=claimed, error=None, message_id="<m@x>")
    delivery = Delivery.objects.get()
    assert outcome == "sent"
    assert (delivery.status, delivery.attempts, delivery.claimed_by) == (Status.SENT, 1, "")
    assert (delivery.provider_id, delivery.last_error) == ("<m@x>", "")
    assert before <= delivery.sent_at <= delivery.updated_at <= timezone.now()
    attempt = delivery.attempt_log.get()
    assert (attempt.outcome, attempt.error, attempt.message_id) == ("sent", "", "<m@x>")
    assert attempt.started_at == claimed.claimed_at
    assert attempt.finished_at == delivery.updated_at


def test_a_try_recorded_after_the_row_was_taken_back_leaves_the_row_alone(sign):
    """Another worker holds the row now (a new claim token): only the attempt is logged."""
    sign()
    (claimed,) = services.deliveries_claim(where=Q(), limit=1)
    Delivery.objects.update(claimed_by="another-worker")
    services.delivery_record(delivery=claimed, error=SendError("451 later"))
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.claimed_by) == (
        Status.SENDING,
        0,
        "another-worker",
    )
    assert delivery.attempt_log.get().outcome == "retry"


def test_a_row_left_sending_by_a_dead_worker_is_taken_back(sign, settings, drain):
    sign()
    services.deliveries_claim(where=Q(), limit=1)  # the worker "dies" here
    assert services.deliveries_reclaim_stuck() == 0  # its lease has not run out yet
    later = timezone.now() + timedelta(seconds=settings.DELIVERY_LEASE_SECONDS + 1)
    assert services.deliveries_reclaim_stuck(now=later) == 1
    delivery = Delivery.objects.get()
    assert delivery.status == Status.QUEUED and delivery.attempts == 1
    assert delivery.attempt_log.get().outcome == "interrupted"
    with time_machine.travel(delivery.next_attempt_at + timedelta(seconds=1)):
        drain()
    assert Delivery.objects.get().status == Status.SENT


@pytest.mark.django_db(transaction=True)
def test_signing_wakes_the_worker_once_the_signature_commits(sign):
    sign()
    task = DBTaskResult.objects.get()
    assert task.task_path == "altavoz.delivery.tasks.deliver"
    assert task.args_kwargs["args"] == [str(Delivery.objects.get().pk)]


def test_no_wake_up_is_sent_when_the_signature_rolls_back(sign, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        sign()
    assert len(callbacks) == 1
    assert DBTaskResult.objects.count() == 0  # nothing enqueued before the commit


def test_the_task_sends_its_delivery(sign):
    from altavoz.delivery.tasks import deliver

    sign()
    assert deliver.call(str(Delivery.objects.get().pk)) == 1
    assert Delivery.objects.get().status == Status.SENT


@override_settings(
    MAILERS={
        "default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
        "outbox": {"BACKEND": "altavoz.delivery.channels.email.outbox.OutboxBackend"},
    }
)
def test_a_demo_campaign_delivers_to_the_local_outbox_not_the_official(sign, drain):
    signature = sign()
    signature.campaign.is_demo = True
    signature.campaign.save()
    drain()
    assert mail.outbox == []
    letter = OutboxMessage.objects.get(to="commissioner2@city.example")
    assert letter.subject.startswith("Vote NO")
    assert Delivery.objects.get().status == Status.SENT


def test_the_supporter_is_told_in_their_language_with_an_unsubscribe_link(sign, client, drain):
    from django.utils import translation

    signature = sign(email="ana@example.com", language="es", consent_updates=True)
    with translation.override("en"):
        drain()
    (notice,) = [m for m in mail.outbox if m.to == ["ana@example.com"]]
    assert notice.subject == "Su mensaje para Damian Pardo fue entregado"
    link = notice.extra_headers["List-Unsubscribe"].strip("<>")
    assert link in notice.body
    path = link.removeprefix("http://127.0.0.1:8000")
    assert client.get(path).status_code == 200
    signature.person.refresh_from_db()
    assert signature.person.consent_updates is True  # opening the page changes nothing
    assert path.startswith("/es/unsubscribe/")  # the page answers in the email's language
    response = client.post(path)
    assert "Su suscripción está cancelada" in response.content.decode()
    signature.person.refresh_from_db()
    assert signature.person.consent_updates is False


def test_a_forged_unsubscribe_link_changes_nothing(sign, client):
    response = client.post("/unsubscribe/not-a-real-token/")
    assert response.status_code == 404
    assert b"not valid" in response.content


def test_no_delivered_notice_when_the_letter_failed(sign, commissioner, drain):
    commissioner(email="broken")
    sign()
    drain()
    assert mail.outbox == []


def test_a_digest_office_gets_one_email_a_day_with_a_csv(addressed, sign, settings, drain):
    settings.DELIVERY_NOTIFY_SUPPORTERS = False
    campaign = addressed
    campaign.delivery_mode = campaign.DeliveryMode.DIGEST
    campaign.save()
    for n in range(3):
        sign(first_name=f"Person{n}", last_name="=HYPERLINK(1)" if n == 0 else "Smith")
    sign(area=campaign.target_set.areas.get(number="3"))
    assert drain() == 0  # nothing before the digest hour
    due = Delivery.objects.first().next_attempt_at
    assert timezone.localtime(due).hour == settings.DELIVERY_DIGEST_HOUR
    with time_machine.travel(due + timedelta(minutes=1)):
        assert drain() == 4
    district2 = [m for m in mail.outbox if m.to == ["commissioner2@city.example"]]
    assert len(district2) == 1 and len(mail.outbox) == 2
    digest = district2[0]
    assert digest.subject.startswith("3 letters from constituents: Vote NO")
    name, csv_text, mimetype = digest.attachments[0]
    assert (name, mimetype) == ("letters.csv", "text/csv")
    assert len(csv_text.strip().splitlines()) >= 4
    assert "'=HYPERLINK(1)" in csv_text  # no formula runs in the office's spreadsheet
    assert "Person1" in digest.body and "Person2" in digest.alternatives[0][0]
    sent = Delivery.objects.filter(status=Status.SENT)
    assert sent.count() == 4
    assert len(set(sent.values_list("provider_id", flat=True))) == 2


def test_the_delivery_admin_filters_retries_cancels_and_sums_per_official(sign, admin_client):
    sign()
    sign()
    failed, queued = Delivery.objects.all()[:2]
    Delivery.objects.filter(pk=failed.pk).update(status=Status.FAILED, last_error="550")
    page = admin_client.get("/admin/delivery/delivery/?status__exact=failed")
    assert page.status_code == 200 and b"550" in page.content
    admin_client.post(
        "/admin/delivery/delivery/",
        {"action": "retry", "_selected_action": [failed.pk]},
    )
    assert Delivery.objects.get(pk=failed.pk).status == Status.QUEUED
    admin_client.post(
        "/admin/delivery/delivery/",
        {"action": "cancel", "_selected_action": [queued.pk]},
    )
    assert Delivery.objects.get(pk=queued.pk).status == Status.CANCELLED
    campaign_filter = (
        f"/admin/delivery/delivery/?signature__campaign__id__exact={sign().campaign.pk}"
    )
    assert admin_client.get(campaign_filter).status_code == 200
    summary = admin_client.get("/admin/delivery/officialdeliveries/?q=Pardo")
    assert summary.status_code == 200
    assert summary.context["cl"].result_list[0].queued_count == 2
    detail = admin_client.get(f"/admin/delivery/delivery/{failed.pk}/change/")
    assert detail.status_code == 200


@override_settings(
    MAILERS={
        "default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
        "outbox": {"BACKEND": "altavoz.delivery.channels.email.outbox.OutboxBackend"},
    }
)
def test_the_demo_works_for_officials_without_a_known_address(miami, district, drain):
    from altavoz.campaigns.services import signature_create

    signature_create(
        campaign=miami,
        email="ana@example.com",
        first_name="Ana",
        last_name="Diaz",
        street_address="1 Main St",
        zip_code="33130",
        letter_body="Vote no.",
        area=district(2),
    )
    drain()
    assert Delivery.objects.get().status == Status.SENT
    letter = OutboxMessage.objects.get(subject__startswith="Vote NO")
    assert letter.to.endswith("@demo.invalid>")  # a placeholder, never a guessed address
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_the_worker_prunes_old_wake_up_tasks_but_keeps_recent_ones():
    from altavoz.delivery.worker import DeliveryWorker

    _old, recent = (
        DBTaskResult.objects.create(
            task_path="altavoz.delivery.tasks.deliver",
            args_kwargs={"args": ["x"], "kwargs": {}},
            backend_name="default",
            queue_name="default",
            status="SUCCESSFUL",
            finished_at=timezone.now() - timedelta(days=days),
        )
        for days in (30, 1)
    )
    DeliveryWorker(interval=0, until_idle=True, worker_id="test").cycle()
    assert list(DBTaskResult.objects.values_list("pk", flat=True)) == [recent.pk]


def _queries_to_drain(drain) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        drain()
    return len(queries)


def test_a_batch_looks_up_officials_campaigns_and_translations_once(sign, drain, settings):
    """Per letter only its own outcome is written; what letters share is read once a batch."""
    settings.DELIVERY_NOTIFY_SUPPORTERS = True
    for _ in range(2):
        sign(language="es")
    few = _queries_to_drain(drain)
    for _ in range(6):
        sign(language="es")
    many = _queries_to_drain(drain)
    assert Delivery.objects.filter(status=Status.SENT).count() == 8
    assert len(mail.outbox) == 16 and "Su mensaje" in mail.outbox[-1].subject
    assert (many - few) / 4 <= 4  # the UPDATE and INSERT, in their savepoint
