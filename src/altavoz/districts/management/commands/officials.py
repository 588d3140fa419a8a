from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from altavoz.districts.boundaries.definition import DefinitionError, definition_load
from altavoz.districts.boundaries.readers import SourceError
from altavoz.districts.contacts import contacts_import
from altavoz.districts.officials_csv import RosterError, import_roster


class Command(BaseCommand):
    help = (
        "Manage officials. `officials import ROSTER.csv --set SLUG` loads who holds each seat; "
        "`officials contacts DEFINITION` takes each seat's phone, website and (where it is the "
        "sitting official's) email from the boundary layer that publishes them."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import", help="Import a roster CSV.")
        load.add_argument("path", type=Path)
        load.add_argument(
            "--set", dest="sets", action="append", required=True, help="Boundary set slug."
        )
        contacts = sub.add_parser("contacts", help="Import contacts from a boundary layer.")
        contacts.add_argument("definition", help="A shipped definition (miami-commission).")

    def handle(self, *args, action, **options):
        if action == "contacts":
            return self._contacts(options["definition"])
        path = options["path"]
        try:
            report = import_roster(path, set_slugs=options["sets"])
        except (OSError, RosterError, KeyError, ValueError) as exc:
            raise CommandError(f"{path}: {exc}") from exc
        self.stdout.write(f"{report.created} officials added, {report.updated} updated.")

    def _contacts(self, name: str) -> None:
        try:
            report = contacts_import(definition=definition_load(name))
        except (DefinitionError, SourceError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Contacts updated for {len(report.updated)} officials.")
        for line in report.emails:
            self.stdout.write(f"email: {line}")
        for line in report.skipped_emails:
            self.stdout.write(f"no email: {line}")
