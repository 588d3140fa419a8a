"""Match a list of addresses (or points) to their districts and officials, streaming.

What organisers pay other platforms for: a member list in, the same list out with each
row's districts (the City of Miami commissioner, the county district, the municipality...)
or the reason it could not be placed. Input columns (any case, any others kept):
``address`` (with ``zip``, or the ZIP in the address), or ``lon`` and ``lat`` (used first when
a row has both).

Rows are read, matched and written one at a time, so a file of any length needs the
memory of one row (plus the maps and the geocoder's own data). Each boundary set in force
is loaded once: its index, its district names and the officials holding each seat today;
a row then costs its geocoding and one in-memory lookup per set, never a database query.
Where districts overlap or leave a sliver of a gap, the lookup's tie-break decides
(``boundaries.area_index``); a point close to a line says so in ``note``.
"""

import csv
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from altavoz.districts import selectors
from altavoz.districts.boundaries.area_index import AreaIndex
from altavoz.districts.finder import NotFound, address_geocode, zip_disagrees
from altavoz.districts.models import Area, BoundarySet, Post
from altavoz.geocoding.base import Unavailable, valid_point

FIELDS = ("status", "matched_address", "matched_lon", "matched_lat", "note")


class BulkError(ValueError):
    """The input cannot be matched at all (no usable columns)."""


REASONS = {
    "no_match": "address not found",
    "ambiguous": "several places match this address: add the ZIP code",
    "unavailable": "no geocoder could be reached",
}


@dataclass(frozen=True)
class _Set:
    name: str
    index: AreaIndex
    areas: dict  # area id -> (district name, officials' names)
    seats: bool  # whether the set has seats (else no official column: municipalities)

    def columns(self) -> list[str]:
        return [self.name, f"{self.name}: official"] if self.seats else [self.name]

    def values(self, key) -> list[str]:
        name, officials = self.areas.get(key, ("", ""))
        return [name, officials] if self.seats else [name]


def _load(boundary_set: BoundarySet) -> _Set | None:
    version = selectors.version_in_force(boundary_set)
    if version is None:
        return None
    index = selectors.area_index(version)
    holders = selectors.holders(index.keys)
    names = dict(Area.objects.filter(pk__in=index.keys).values_list("pk", "name"))
    areas = {
        key: (names.get(key, ""), ", ".join(o.name for o in holders.get(key, [])))
        for key in index.keys
    }
    seats = Post.objects.filter(area__boundary_set=boundary_set).exists()
    return _Set(boundary_set.name, index, areas, seats)


def sets_in_force(slugs: Iterable[str] = ()) -> list[_Set]:
    """The named boundary sets (all, when none is named) that have a map in force."""
    chosen = BoundarySet.objects.order_by("name")
    if slugs:
        chosen = chosen.filter(slug__in=list(slugs))
    return [loaded for loaded in map(_load, chosen) if loaded is not None]


def _column(header: list[str], *names: str) -> str | None:
    lowered = {h.strip().lower(): h for h in header}
    return next((lowered[n] for n in names if n in lowered), None)


@dataclass
class Report:
    rows: int = 0
    matched: int = 0
    seconds: float = 0.0
    by_status: dict = field(default_factory=dict)

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0

    def text(self) -> str:
        statuses = ", ".join(f"{k} {v:,}" for k, v in sorted(self.by_status.items()))
        return (
            f"{self.rows:,} rows in {self.seconds:.1f} s ({self.rows_per_second:,.0f} rows/s): "
            f"{statuses or 'none'}"
        )


class Matcher:
    def __init__(self, header: list[str], sets: list[_Set]):
        self.header, self.sets = header, sets
        self.address = _column(header, "address", "street_address", "street")
        self.zip = _column(header, "zip", "zip_code", "zipcode", "postal_code")
        self.lon = _column(header, "lon", "lng", "longitude")
        self.lat = _column(header, "lat", "latitude")
        if not (self.address or (self.lon and self.lat)):
            raise BulkError("the file needs an 'address' column (and 'zip'), or 'lon' and 'lat'")

    def out_header(self) -> list[str]:
        columns = [c for s in self.sets for c in s.columns()]
        return [*self.header, *FIELDS, *columns]

    def _point(self, row: dict) -> tuple[str, tuple | None, str, str]:
        """(status, point, matched address, reason)."""
        if self.lon and self.lat and (row.get(self.lon) or row.get(self.lat)):
            try:
                return "matched", valid_point(row.get(self.lon), row.get(self.lat)), "", ""
            except Unavailable:
                return "invalid", None, "", "lon/lat are not coordinates"
        street, zip_code = row.get(self.address or "", ""), row.get(self.zip or "", "")
        try:
            match = address_geocode(street, zip_code)
        except NotFound as exc:
            finding = exc.finding
            return finding.status, None, "", REASONS.get(finding.status, finding.message)
        if zip_disagrees(match, zip_code):
            return "invalid", None, match.matched_address, f"ZIP {match.zip_code}, not {zip_code}"
        return "matched", (match.lon, match.lat), match.matched_address, ""

    def _places(self, point) -> tuple[list[str], list[str]]:
        values, notes = [], []
        for loaded in self.sets:
            location = loaded.index.locate(*point)
            values += loaded.values(location.key)
            if location.near_boundary:
                others = [loaded.areas[k][0] for k in location.nearby if k != location.key]
                also = f" (also {', '.join(others)})" if others else ""
                notes.append(f"{loaded.name}: close to a line{also}")
        return values, notes

    def match(self, row: dict) -> list[str]:
        status, point, matched, reason = self._point(row)
        width = sum(len(s.columns()) for s in self.sets)
        values, notes = self._places(point) if point else ([""] * width, [])
        lon, lat = (f"{point[0]:.7f}", f"{point[1]:.7f}") if point else ("", "")
        note = "; ".join([reason, *notes] if reason else notes)
        original = [row.get(h, "") for h in self.header]
        return [*original, status, matched, lon, lat, note, *values]


def header_problem(first_line: str) -> str:
    """Why a CSV whose first line this is cannot be matched; "" when it can."""
    header = next(csv.reader([first_line]), [])
    try:
        Matcher(header, [])
    except BulkError as exc:
        return str(exc)
    return ""


def match_rows(lines: Iterable[str], sets: list[_Set], report: Report) -> Iterator[list[str]]:
    """The output rows (header first) for the CSV text ``lines``, one input row at a time."""
    reader = csv.DictReader(lines)
    matcher = Matcher(list(reader.fieldnames or []), sets)
    yield matcher.out_header()
    started = time.perf_counter()
    for row in reader:
        out = matcher.match(row)
        report.rows += 1
        status = out[len(matcher.header)]
        report.by_status[status] = report.by_status.get(status, 0) + 1
        report.matched += status == "matched"
        report.seconds = time.perf_counter() - started
        yield out
