from django.core.management.base import BaseCommand, CommandError

from altavoz.districts import selectors
from altavoz.districts.finder import NotFound, address_geocode, district_find_point
from altavoz.districts.models import BoundarySet


class Command(BaseCommand):
    help = (
        'Who represents an address: `altavoz lookup "3500 Pan American Dr, Miami, FL 33133"` '
        "prints each district and the official holding it."
    )

    def add_arguments(self, parser):
        parser.add_argument("address")
        parser.add_argument("--zip", default="", help="ZIP code, if not in the address.")

    def handle(self, *args, address, zip, **options):
        try:
            match = address_geocode(address, zip)
        except NotFound as exc:
            raise CommandError(exc.finding.message) from exc
        self.stdout.write(
            f"{match.matched_address} ({match.lon:.6f}, {match.lat:.6f}) via {match.provider}"
        )
        for boundary_set in BoundarySet.objects.order_by("name"):
            self.stdout.write(self._line(boundary_set, match))

    def _line(self, boundary_set: BoundarySet, match) -> str:
        if selectors.version_in_force(boundary_set) is None:
            return f"{boundary_set.name}: no map imported"
        finding = district_find_point(boundary_set=boundary_set, lon=match.lon, lat=match.lat)
        if not finding.areas:
            return f"{boundary_set.name}: {finding.message}"
        parts = [self._area(finding, area) for area in finding.areas]
        note = " (close to a district line: check)" if finding.status == "confirm" else ""
        return f"{boundary_set.name}: {'; '.join(parts)}{note}"

    def _area(self, finding, area) -> str:
        officials = finding.officials.get(area.pk) or []
        names = ", ".join(f"{o.post.label}: {o.name}" for o in officials)
        return f"{area.name} — {names or 'no official on record'}"
