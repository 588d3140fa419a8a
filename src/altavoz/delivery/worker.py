"""The worker loop behind ``altavoz worker``: tasks, then due and stuck letters (and webhook
messages), forever.

Each cycle runs the queued django.tasks (wake-ups sent when a signature commits), takes back
letters whose worker died mid-send, and sends every letter and digest that is due. A lost
database connection is waited out and the loop goes on; SIGTERM stops it after the batch.
"""

import logging
import signal
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError, close_old_connections, connections
from django.db.backends.signals import connection_created
from django.db.models import Q
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker as TaskWorker

from altavoz import httpclient
from altavoz.campaigns.services import campaigns_close_due
from altavoz.delivery import sending, services
from altavoz.hooks import sending as hook_sending
from altavoz.hooks import services as hook_services
from altavoz.organising.services import target_alerts_sync
from altavoz.outcomes.sending import drain_follow_ups, follow_ups_reclaim_stuck
from altavoz.outcomes.services import follow_ups_schedule
from altavoz.shield.store import counters_prune
from altavoz.sync import sending as sync_sending
from altavoz.sync import services as sync_services

logger = logging.getLogger("altavoz.worker")
TASKS_PER_CYCLE = 500
PRUNE_EVERY_SECONDS = 3600


def _fast_commits(sender, connection, **kwargs) -> None:
    """Commit without waiting for the disk: a database crash may forget the last moment's
    "sent" marks (the letters are then re-sent with the same Message-ID), a worker crash
    forgets nothing. Worth it: each letter's outcome is its own commit."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO off")


def _tasks_in_database() -> bool:
    return settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


def left_to_sweep() -> Q:
    """Every due letter when this worker runs the tasks too; with RQ workers sending the
    letters, only those due for a whole sweep period (their wake-up was lost, or a retry)."""
    if _tasks_in_database():
        return Q()
    late = timezone.now() - timedelta(seconds=settings.DELIVERY_SWEEP_SECONDS)
    return Q(next_attempt_at__lte=late)


class DeliveryWorker:
    def __init__(self, *, interval: float, until_idle: bool, worker_id: str) -> None:
        self.interval = interval
        self.until_idle = until_idle
        self.worker_id = worker_id
        self.stopping = threading.Event()
        self.last_reclaim = float("-inf")  # both run in the first cycle
        self.last_prune = float("-inf")
        self.db_failures = 0
        self.task_worker: TaskWorker | None = None
        self.channels = sending.start_worker_channels()
        self.http = httpclient.Connections(timeout=settings.HOOK_TIMEOUT_SECONDS)

    def stop(self, signum=None, frame=None) -> None:
        logger.info("Stopping after the current batch")
        self.stopping.set()
        if self.task_worker is not None:
            self.task_worker.running = False

    def run(self) -> None:
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        connection_created.connect(_fast_commits)
        logger.info("Delivery worker %s started", self.worker_id)
        while not self.stopping.is_set():
            busy = self.cycle_safely()
            if self.until_idle and busy == 0:
                break
            if not busy:
                self.channels.close()
                self.stopping.wait(self.interval)
        self.channels.shutdown()
        self.http.close()
        logger.info("Delivery worker %s stopped", self.worker_id)

    def cycle_safely(self) -> int | None:
        """One cycle; a database outage is logged and waited out, never fatal."""
        try:
            busy = self.cycle()
        except DatabaseError as exc:
            self.db_failures += 1
            pause = min(2 ** min(self.db_failures, 5), 30) * 0.5
            logger.warning("Database unavailable (%s); retrying in %.1fs", exc, pause)
            connections.close_all()
            self.stopping.wait(pause)
            return None
        self.db_failures = 0
        return busy

    def cycle(self) -> int:
        close_old_connections()
        busy = self.run_tasks()
        if time.monotonic() - self.last_reclaim >= settings.DELIVERY_SWEEP_SECONDS:
            services.deliveries_reclaim_stuck()
            hook_services.messages_reclaim_stuck()
            sync_services.pushes_reclaim_stuck()
            campaigns_close_due()
            target_alerts_sync()  # organisers told once of targets their letters cannot reach
            follow_ups_schedule()  # writers asked whether the office replied, when due
            follow_ups_reclaim_stuck()
            counters_prune()  # the shield's expired counters (when they are in the database)
            self.last_reclaim = time.monotonic()
        if _tasks_in_database() and time.monotonic() - self.last_prune >= PRUNE_EVERY_SECONDS:
            # The wake-up tasks are not the record (the Delivery rows are): old ones go.
            call_command("prune_db_task_results", queue_name="*", min_age_days=14, verbosity=0)
            self.last_prune = time.monotonic()
        busy += sending.drain_letters(self.channels, where=left_to_sweep())
        busy += sending.drain_digests(self.channels)
        busy += drain_follow_ups(sending.email_channel(self.channels))  # to writers, by email
        busy += hook_sending.drain(self.http)  # webhooks, signed
        busy += sync_sending.drain(self.http)  # signers to Action Network
        return busy

    def run_tasks(self) -> int:
        """Run queued tasks (at most a cycle's worth, so the sweep is never starved). With
        the queue elsewhere (Redis, django-tasks-rq) its own workers run them."""
        if not _tasks_in_database():
            return 0
        worker = self.task_worker = TaskWorker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=TASKS_PER_CYCLE,
            worker_id=self.worker_id,
            excluded_queue_names=[],
        )
        worker.run()
        return worker._run_tasks
