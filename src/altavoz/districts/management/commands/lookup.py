"""`altavoz lookup`: who represents an address, or every row of a CSV. (A command module is
named for its command; the modules it uses are named for what they do: districts.finder,
districts.bulk, districts.boundaries.area_index.)"""

import csv
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from altavoz import csvtext
from altavoz.districts import bulk, selectors
from altavoz.districts.finder import NotFound, address_geocode, district_find_point
from altavoz.districts.models import BoundarySet


class Command(BaseCommand):
    help = (
        'Who represents an address: `altavoz lookup "3500 Pan American Dr, Miami, FL 33133"` '
        "prints each district and the official holding it. `altavoz lookup --csv IN.csv -o "
        "OUT.csv` does it for a whole list (columns address and zip, or lon and lat), streaming: "
        "each row gets its districts and officials, or why it could not be placed."
    )

    def add_arguments(self, parser):
        parser.add_argument("address", nargs="?", help="One address (or use --csv).")
        parser.add_argument("--zip", default="", help="ZIP code, if not in the address.")
        parser.add_argument("--csv", type=Path, help="Match every row of this CSV file.")
        parser.add_argument("-o", "--output", help="Where to write the matched CSV (- : stdout).")
        parser.add_argument(
            "--set",
            dest="sets",
            action="append",
            default=[],
            help="With --csv: only this boundary set (slug; repeat for more). Default: all.",
        )

    def handle(self, *args, address, zip, **options):
        if options["csv"]:
            return self._bulk(options["csv"], options["output"] or "-", options["sets"])
        if not address:
            raise CommandError("Give an address, or --csv FILE -o OUT.csv.")
        try:
            match = address_geocode(address, zip)
        except NotFound as exc:
            raise CommandError(exc.finding.message) from exc
        self.stdout.write(
            f"{match.matched_address} ({match.lon:.6f}, {match.lat:.6f}) via {match.provider}"
        )
        for boundary_set in BoundarySet.objects.order_by("name"):
            self.stdout.write(self._line(boundary_set, match))

    def _bulk(self, source: Path, output: str, slugs: list[str]) -> None:
        sets = bulk.sets_in_force(slugs)
        if not sets:
            raise CommandError("No boundary set has a map in force: import one first.")
        report = bulk.Report()
        try:
            with source.open(newline="", encoding="utf-8-sig") as lines:
                rows = bulk.match_rows(lines, sets, report)
                self._write(csvtext.lines(rows), output)
        except (OSError, UnicodeDecodeError, csv.Error, bulk.BulkError) as exc:
            raise CommandError(f"{source}: {exc}") from exc
        self.stderr.write(report.text())

    def _write(self, lines, output: str) -> None:
        if output == "-":
            for line in lines:
                sys.stdout.write(line)
            return
        with open(output, "w", newline="", encoding="utf-8") as out:
            out.writelines(lines)

    def _line(self, boundary_set: BoundarySet, match) -> str:
        if selectors.version_in_force(boundary_set) is None:
            return f"{boundary_set.name}: no map imported"
        finding = district_find_point(boundary_set=boundary_set, lon=match.lon, lat=match.lat)
        if not finding.areas:
            return f"{boundary_set.name}: {finding.message}"
        parts = [self._area(finding, area) for area in finding.areas]
        note = " (close to a district line: check)" if finding.status == "near_line" else ""
        return f"{boundary_set.name}: {'; '.join(parts)}{note}"

    def _area(self, finding, area) -> str:
        officials = finding.officials.get(area.pk) or []
        names = ", ".join(f"{o.post.label}: {o.name}" for o in officials)
        return f"{area.name} — {names or 'no official on record'}"
