from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand

import altavoz

ROSTER = Path(altavoz.__file__).parent / "data" / "miami" / "miami_city_officials_2026.csv"


class Command(BaseCommand):
    help = "Load the Miami 287(g) demo campaign and the City of Miami roster (idempotent)."

    def handle(self, *args, **options):
        call_command("loaddata", "miami_287g", verbosity=0)
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
        self.stdout.write("Demo campaign loaded: /act/miami-287g/")
