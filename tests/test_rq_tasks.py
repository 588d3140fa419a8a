"""At scale the task queue is Redis (django-tasks-rq, on Django's own django.tasks): a
signature's wake-up goes to RQ, an RQ worker sends the letter, and `altavoz worker` only
sweeps up what no wake-up reached. Real Redis (the run's database: shared_services.py)."""

from datetime import timedelta

import django_rq
import pytest
import time_machine
from asgiref.local import Local
from django.tasks import task_backends
from django.test import override_settings
from django.utils import timezone
from django_tasks_rq import Job
from rq import SimpleWorker

from altavoz.delivery import sending
from altavoz.delivery.models import Delivery
from altavoz.delivery.worker import DeliveryWorker, left_to_sweep
from shared_services import REDIS_URL

RQ = {
    "TASKS": {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}},
    "RQ_QUEUES": {"default": {"URL": REDIS_URL}},
}


def _reload_task_backends() -> None:
    task_backends._settings = None
    task_backends.__dict__.pop("settings", None)
    task_backends._connections = Local(task_backends.thread_critical)


@pytest.fixture
def rq_queue():
    with override_settings(**RQ):
        _reload_task_backends()
        queue = django_rq.get_queue("default")
        queue.empty()
        yield queue
        queue.empty()
    _reload_task_backends()


@pytest.fixture
def outbox_campaign(addressed):
    """Officials with addresses, letters kept in the local outbox."""
    addressed.is_demo = True
    addressed.save(update_fields=["is_demo"])
    return addressed


def _rq_work(queue) -> None:
    SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)


def test_a_signature_wakes_an_rq_worker_that_sends_the_letter(
    outbox_campaign, sign, rq_queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sign()
    assert rq_queue.count == 1
    _rq_work(rq_queue)
    assert Delivery.objects.get().status == Delivery.Status.SENT


def test_the_database_worker_only_sweeps_letters_no_wake_up_reached(
    outbox_campaign, sign, rq_queue, settings, monkeypatch
):
    monkeypatch.setattr(sending, "shared_channels", sending.shared_channels)  # the worker's own
    sign()  # its wake-up is lost: the transaction's on-commit hooks never run here
    worker = DeliveryWorker(interval=0, until_idle=True, worker_id="sweep")
    assert worker.run_tasks() == 0  # RQ runs the tasks

    def sweep() -> int:
        return sending.drain_letters(worker.channels, where=left_to_sweep())

    assert sweep() == 0  # RQ's to send, for now
    later = timezone.now() + timedelta(seconds=settings.DELIVERY_SWEEP_SECONDS + 1)
    with time_machine.travel(later):
        assert sweep() == 1
    worker.channels.shutdown()
    assert Delivery.objects.get().status == Delivery.Status.SENT
