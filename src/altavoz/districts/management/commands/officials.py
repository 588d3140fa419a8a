from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from altavoz.districts.officials_csv import RosterError, import_roster


class Command(BaseCommand):
    help = "Manage officials. `officials import ROSTER.csv --set SLUG` loads who holds each seat."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import", help="Import a roster CSV.")
        load.add_argument("path", type=Path)
        load.add_argument(
            "--set", dest="sets", action="append", required=True, help="Boundary set slug."
        )

    def handle(self, *args, action, path, sets, **options):
        try:
            report = import_roster(path, set_slugs=sets)
        except (OSError, RosterError, KeyError, ValueError) as exc:
            raise CommandError(f"{path}: {exc}") from exc
        self.stdout.write(f"{report.created} officials added, {report.updated} updated.")
