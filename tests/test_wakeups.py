"""New letters wake the worker in one task per process and moment, not one per signature."""

import time

import pytest
from django_tasks_db.models import DBTaskResult

from altavoz.delivery.models import Delivery


def _tasks_within(seconds: float) -> list:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        tasks = list(DBTaskResult.objects.all())
        if tasks:
            return tasks
        time.sleep(0.02)
    return []


@pytest.mark.django_db(transaction=True)
def test_letters_signed_together_wake_the_worker_with_one_task(sign, settings, monkeypatch):
    from altavoz.delivery import wakeups
    from altavoz.delivery.wakeups import gatherer

    settings.DELIVERY_WAKE_SECONDS = 0.3
    monkeypatch.setattr(wakeups, "IDLE_SECONDS", 0.1)  # its connection closed before teardown
    for _ in range(3):
        sign()
    assert DBTaskResult.objects.count() == 0  # gathered, not yet sent

    tasks = _tasks_within(5)
    time.sleep(0.5)  # nothing else follows
    assert len(tasks) == DBTaskResult.objects.count() == 1
    assert tasks[0].task_path == "altavoz.delivery.tasks.deliver"
    ids = {str(pk) for pk in Delivery.objects.values_list("pk", flat=True)}
    assert len(ids) == 3
    assert set(tasks[0].args_kwargs["args"]) == ids
    assert gatherer.pending == []


@pytest.mark.django_db(transaction=True)
def test_the_gathered_task_sends_every_letter_it_names(sign):
    from altavoz.delivery.tasks import deliver

    sign()
    sign()
    ids = [str(pk) for pk in Delivery.objects.values_list("pk", flat=True)]
    assert deliver.call(*ids) == 2
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.SENT}
