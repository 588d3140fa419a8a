from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand

import altavoz
from altavoz.districts import selectors
from altavoz.districts.boundaries.definition import definition_load
from altavoz.districts.boundaries.importer import (
    boundary_set_import,
    boundary_set_words_update,
)
from altavoz.districts.models import Official
from altavoz.districts.services import official_addresses_confirm

ROSTER = Path(altavoz.__file__).parent / "data" / "miami" / "miami_city_officials_2026.csv"
# The shipped maps the demo looks addresses up in: the campaign's districts, the county's,
# and the municipalities that name where an address outside the city is.
MAPS = ("miami-commission", "miami-dade-commission", "miami-dade-municipalities")
DEMO_CONFIRMER = "altavoz loaddemo (a demo: its letters go to the local outbox only)"


class Command(BaseCommand):
    help = (
        "Load the Miami 287(g) demo campaign, the shipped City of Miami and Miami-Dade maps "
        "and the City of Miami roster with its contacts (idempotent)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--without-maps",
            action="store_true",
            help="Skip the maps: supporters choose their district from the list.",
        )

    def handle(self, *args, without_maps=False, **options):
        call_command("loaddata", "miami_287g", verbosity=0)
        if not without_maps:
            for name in MAPS:
                self._map(name)
        call_command(
            "officials",
            "import",
            str(ROSTER),
            "--set",
            "miami-commission-districts",
            "--set",
            "miami-city",
            stdout=self.stdout,
        )
        if not without_maps:
            call_command("officials", "contacts", "miami-commission", stdout=self.stdout)
            self._confirm_demo_addresses()
        self.stdout.write("Demo campaign loaded: /act/miami-287g/")

    def _confirm_demo_addresses(self) -> None:
        """The emails just taken from the City's layer hold their officials' letters until
        someone confirms them (districts.services). The demo's letters only ever reach the
        local outbox, so the demo loader confirms them, on the record, as itself."""
        pending = Official.objects.filter(
            post__area__boundary_set__slug="miami-commission-districts",
            address_changes__confirmed_at__isnull=True,
        ).distinct()
        for official in pending:
            official_addresses_confirm(official=official, by=DEMO_CONFIRMER)

    def _map(self, name: str) -> None:
        """Import a shipped map unless the version in force was read from the same file (then
        only its words in each language are written again)."""
        definition = definition_load(name)
        version = selectors.version_in_force(definition.slug)
        if version is not None and version.source == definition.location:
            boundary_set_words_update(definition=definition)
            self.stdout.write(f"{definition.name}: already imported ({version.vintage}).")
            return
        result = boundary_set_import(definition=definition)
        self.stdout.write(f"{definition.name}: {result.districts} areas imported and validated.")
