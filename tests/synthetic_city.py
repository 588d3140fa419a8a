"""A made-up City of Miami Commission map that passes the real validation data, for tests.

The real polygons are not in the repository. This map is built from the real control points
and reference areas: each district is a small square around every control point expected in
it, plus a filler rectangle out in the Atlantic (where no control point lies) sized so the
district's geodesic area equals its reference area. It is keyed like the official layer
(COMDISTID). Tests then break it on purpose (wrong keys, wrong areas).
"""

import csv
from pathlib import Path

import shapely
from shapely.geometry import mapping

from altavoz.districts.boundaries.validation import geodesic_area_sq_mi

DATA = Path(__file__).resolve().parents[1] / "src" / "altavoz" / "data" / "miami"
CONTROL_POINTS = DATA / "miami_district_control_points.csv"
REFERENCE_AREAS = DATA / "miami_district_reference_areas.csv"
SQUARE_DEGREES = 0.001  # about 100 m across


def _rows(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def control_point(label_start: str) -> tuple[float, float]:
    row = next(r for r in _rows(CONTROL_POINTS) if r["label"].startswith(label_start))
    return float(row["lon"]), float(row["lat"])


def reference_areas() -> dict[str, float]:
    return {
        r["district"]: float(r["area_sq_mi"])
        for r in _rows(REFERENCE_AREAS)
        if r["layer"] == "city_of_miami_commission" and r["district"] != "union"
    }


def _squares(number: str):
    half = SQUARE_DEGREES / 2
    return [
        shapely.box(float(r["lon"]) - half, float(r["lat"]) - half,
                    float(r["lon"]) + half, float(r["lat"]) + half)
        for r in _rows(CONTROL_POINTS)
        if r["expected_city_commission_district"] == number
    ]  # fmt: skip


def _filler(number: int, area_sq_mi: float):
    lat = 24.9 + 0.05 * number
    width = 0.1
    for _ in range(4):
        box = shapely.box(-79.9, lat, -79.9 + width, lat + 0.03)
        width *= area_sq_mi / geodesic_area_sq_mi(box)
    return shapely.box(-79.9, lat, -79.9 + width, lat + 0.03)


def district(number: str, scale: float = 1.0):
    squares = shapely.union_all(_squares(number))
    needed = reference_areas()[number] * scale - geodesic_area_sq_mi(squares)
    return shapely.union_all([squares, _filler(int(number), needed)])


def feature_collection(*, scale: dict | None = None, keys: dict | None = None) -> dict:
    """``scale``: district -> area factor; ``keys``: district -> the COMDISTID it is given."""
    scale, keys = scale or {}, keys or {}
    features = []
    for n, number in enumerate(sorted(reference_areas()), start=1):
        features.append(
            {
                "type": "Feature",
                "id": n,
                "properties": {"OBJECTID": n, "COMDISTID": int(keys.get(number, number))},
                "geometry": mapping(district(number, scale.get(number, 1.0))),
            }
        )
    return {"type": "FeatureCollection", "features": features}


SCHOOLS = DATA / "miami_dade_schools_address_points_2015.csv"


def schools() -> list[dict]:
    return _rows(SCHOOLS)


def a_school_in(municipality: str) -> dict:
    return next(r for r in schools() if r["municipality_per_source"] == municipality)
