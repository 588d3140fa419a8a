from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the background worker that delivers letters (stops cleanly on SIGTERM)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls.")

    def handle(self, *args, interval, **options):
        call_command("db_worker", interval=interval, queue_name="*", verbosity=options["verbosity"])
