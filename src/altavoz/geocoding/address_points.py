"""An offline provider: an address-points CSV an organisation imports (e.g. a county's
address points, or data/miami/miami_dade_schools_address_points_2015.csv).

Columns: ``address``, ``zip``, ``lon``, ``lat`` (others are ignored). Each row's address is
normalised like a typed one, so "14600 Country Walk Drive" finds "14600 COUNTRY WALK DR".
Rows that cannot be read are counted and skipped, never guessed.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

from altavoz.geocoding.address import Address, AddressError, address_parse
from altavoz.geocoding.base import Match, NoMatch, Unavailable, valid_point

REQUIRED_COLUMNS = {"address", "zip", "lon", "lat"}


@dataclass(frozen=True)
class PointsFile:
    points: dict[str, tuple[float, float, str]]  # Address.key -> (lon, lat, as written)
    skipped: int


def _row_entry(row: dict[str, str]) -> tuple[str, tuple[float, float, str]]:
    address = address_parse(row["address"], row["zip"])
    lon, lat = valid_point(row["lon"], row["lat"])
    return address.key, (lon, lat, row["address"])


def points_load(path: Path) -> PointsFile:
    points: dict[str, tuple[float, float, str]] = {}
    skipped = 0
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = REQUIRED_COLUMNS - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"{path}: missing columns {', '.join(sorted(missing))}")
        for row in reader:
            try:
                key, value = _row_entry(row)
            except (AddressError, Unavailable):
                skipped += 1
                continue
            points.setdefault(key, value)
    return PointsFile(points, skipped)


_LOADED: dict[tuple[str, int], PointsFile] = {}


class AddressPointsGeocoder:
    name = "address_points"

    def __init__(self, path: str | Path):
        self.path = Path(path)

    def _points(self) -> PointsFile:
        try:
            stamp = (str(self.path), self.path.stat().st_mtime_ns)
        except OSError as exc:
            raise Unavailable(f"address points file {self.path}: {exc.strerror}") from exc
        if stamp not in _LOADED:
            _LOADED.clear()
            _LOADED[stamp] = points_load(self.path)
        return _LOADED[stamp]

    def geocode(self, address: Address) -> Match:
        found = self._points().points.get(address.key)
        if found is None:
            raise NoMatch(address.one_line())
        lon, lat, written = found
        return Match(lon=lon, lat=lat, matched_address=written, provider=self.name)
