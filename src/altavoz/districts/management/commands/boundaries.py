from datetime import date

from django.core.management.base import BaseCommand, CommandError

from altavoz.districts.boundaries.definition import SHIPPED, DefinitionError, definition_load
from altavoz.districts.boundaries.importer import (
    BoundaryImportError,
    boundary_set_import,
    boundary_set_words_update,
)
from altavoz.districts.models import BoundaryVersion


class Command(BaseCommand):
    help = (
        "Manage boundary sets. `boundaries import DEFINITION` reads, validates and stores a set "
        "(DEFINITION: a shipped name such as fl-senate, or a path to a .toml file); "
        "`boundaries words DEFINITION` writes the definition's words in each language "
        "(district names, seat labels, territory) on the stored set without re-importing it; "
        "`boundaries list` shows the definitions and the versions stored."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import", help="Import a boundary set from its definition.")
        load.add_argument("definition")
        load.add_argument(
            "--source",
            help="Read this file or layer URL instead; `refresh`: the official layer the "
            "definition names.",
        )
        load.add_argument("--valid-from", type=date.fromisoformat, help="YYYY-MM-DD")
        words = sub.add_parser(
            "words", help="Write the definition's [languages] words on the stored set."
        )
        words.add_argument("definition")
        sub.add_parser("list", help="List shipped definitions and stored versions.")

    def handle(self, *args, action, **options):
        if action == "list":
            return self._list()
        if action == "words":
            return self._words(options["definition"])
        try:
            definition = definition_load(options["definition"])
            result = boundary_set_import(
                definition=definition, valid_from=options["valid_from"], source=options["source"]
            )
        except (DefinitionError, BoundaryImportError) as exc:
            raise CommandError(str(exc)) from exc
        version = result.version
        self.stdout.write(
            f"{definition.slug}: {result.districts} districts, {version.vintage}, "
            f"valid from {version.valid_from}; {result.closed} earlier version(s) closed, "
            f"{result.replaced} replaced.\n{result.report.text()}"
        )

    def _words(self, name: str) -> None:
        try:
            definition = definition_load(name)
            areas = boundary_set_words_update(definition=definition)
        except (DefinitionError, BoundaryImportError) as exc:
            raise CommandError(str(exc)) from exc
        languages = ", ".join(sorted(definition.languages)) or "none"
        self.stdout.write(f"{definition.slug}: words in {languages} written on {areas} areas.")

    def _list(self):
        for path in sorted(SHIPPED.glob("*.toml")):
            self.stdout.write(f"definition {path.stem}")
        for version in BoundaryVersion.objects.select_related("boundary_set"):
            until = version.valid_to or "open"
            state = "" if version.is_active else " (replaced)"
            self.stdout.write(
                f"{version.boundary_set.slug}: {version.vintage}, "
                f"{version.valid_from} .. {until}{state}"
            )
