from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

import altavoz
from altavoz.campaigns import access
from altavoz.campaigns.models import Organisation
from altavoz.districts import selectors
from altavoz.districts.boundaries.definition import definition_load
from altavoz.districts.boundaries.importer import (
    boundary_set_import,
    boundary_set_words_update,
)
from altavoz.districts.models import Official
from altavoz.districts.services import official_addresses_confirm
from altavoz.onboarding.services import organiser_add
from altavoz.organising.accounts import demo_account_ensure

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
        parser.add_argument(
            "--accounts",
            action="store_true",
            help="Demo only: an organiser of the demo organisation and a platform staff "
            "member, each with a new password, printed with where to sign in.",
        )

    def handle(self, *args, without_maps=False, accounts=False, **options):
        if accounts and not settings.DEMO:
            raise CommandError("--accounts makes sign-ins with printed passwords: demo only.")
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
        self.stdout.write("Demo campaigns loaded: /act/miami-287g/ and /act/miami-287g-call/")
        if accounts:
            self._accounts()

    def _accounts(self) -> None:
        """Sign-ins for the organiser's side of the demo, printed for whoever ran it."""
        organiser, organiser_password = demo_account_ensure(
            username="organiser", email="organiser@demo.altavoz.example"
        )
        organiser_add(organisation=Organisation.objects.get(slug="altavoz-demo"), user=organiser)
        staff, staff_password = demo_account_ensure(
            username="staff", email="staff@demo.altavoz.example"
        )
        staff.groups.add(access.platform_staff_group())
        admin = f"{settings.SITE_URL}/admin/"
        self.stdout.write(
            f"\nSign in at {admin} to see the organiser's side:\n"
            f"  organiser of Altavoz Demo:  organiser / {organiser_password}\n"
            f"  platform staff:             staff / {staff_password}\n"
            "(new passwords each time the demo starts)\n"
        )

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
