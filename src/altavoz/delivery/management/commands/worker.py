import logging

from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string

from altavoz.delivery.worker import DeliveryWorker


class Command(BaseCommand):
    help = (
        "Run the background worker: sends every letter, retries with backoff, takes back "
        "letters from workers that died. Stops cleanly on SIGTERM."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls.")
        parser.add_argument(
            "--until-idle",
            action="store_true",
            help="Exit once nothing is due (for scripts and benchmarks).",
        )

    def handle(self, *args, interval, until_idle, verbosity, **options):
        # One line per task and per poll is noise at 300 letters a second: -v 2 shows it.
        quiet = logging.INFO if verbosity >= 2 else logging.WARNING
        for name in ("django_tasks_db", "django.tasks"):
            logging.getLogger(name).setLevel(quiet)
        worker = DeliveryWorker(
            interval=interval, until_idle=until_idle, worker_id=get_random_string(32)
        )
        worker.run()
