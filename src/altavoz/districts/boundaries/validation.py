"""Check a boundary set before it is used: control points in the expected districts and,
where reference areas exist, each district's area within tolerance (1%).

Control points prove the keying (district 2 is called 2); areas prove the vintage (an older
map with the same field names passes the interior points but not the areas). Every problem
names the point or district that is off.
"""

import csv
from dataclasses import dataclass, field
from pathlib import Path

import pyproj
import shapely

from altavoz.districts.boundaries.area_index import AreaIndex, number_order
from altavoz.districts.boundaries.definition import Definition, Validation

SQ_METRES_PER_SQ_MILE = 2_589_988.110336
NOT_IN_ANY = "none"
NOT_IN = "!"  # "!01": anywhere but area 01 (or outside every area)


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def text(self) -> str:
        lines = [f"problem: {p}" for p in self.problems] + [f"ok: {c}" for c in self.checks]
        return "\n".join(lines)


WGS84 = pyproj.Geod(ellps="WGS84")


def _ring_area(ring) -> float:
    lons, lats = ring.xy
    return abs(WGS84.polygon_area_perimeter(lons, lats)[0])


def geodesic_area_sq_mi(geometry) -> float:
    """Area on the WGS 84 ellipsoid (as PostGIS ``::geography`` measures it, with Karney's
    algorithm through PROJ), in sq mi. Lines and points have none."""
    total = 0.0
    for part in shapely.get_parts(geometry):
        if part.geom_type != "Polygon":
            continue
        total += _ring_area(part.exterior)
        total -= sum(_ring_area(ring) for ring in part.interiors)
    return total / SQ_METRES_PER_SQ_MILE


def _rows(path: Path | None) -> list[dict]:
    if path is None:
        return []
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _inside(row: dict, rules: Validation) -> str | None:
    flag = row.get(rules.inside_column, "").strip().lower() if rules.inside_column else ""
    if flag == "yes":
        return rules.inside_number
    return NOT_IN + rules.inside_number if flag == "no" else None


def _expected(row: dict, rules: Validation) -> str | None:
    """The district a control point must fall in; NOT_IN_ANY for outside, NOT_IN + number
    for anywhere but there; None: no claim."""
    if rules.outside_column and row.get(rules.outside_column, "").strip().lower() == "no":
        return NOT_IN_ANY
    if rules.inside_column:
        return _inside(row, rules)
    value = row.get(rules.control_column, "").strip() if rules.control_column else ""
    return value.lower() if value.lower() == NOT_IN_ANY else (value or None)


def _describe(found: tuple, label: str) -> str:
    if not found:
        return "outside every district"
    return " and ".join(f"{label} {n}" for n in found)


def _check_point(row: dict, index: AreaIndex, rules: Validation, label: str) -> str | None:
    expected = _expected(row, rules)
    found = index.locate(float(row["lon"]), float(row["lat"])).keys
    where = f"control point {row['label']!r} ({row['lon']}, {row['lat']})"
    if len(found) > 1:
        return f"{where} falls in {_describe(found, label)}: districts overlap"
    if expected is None:
        return None
    if expected.startswith(NOT_IN):
        if expected[1:] not in found:
            return None
        return f"{where}: expected anywhere but {label} {expected[1:]}, found {label} {found[0]}"
    wanted = () if expected == NOT_IN_ANY else (expected,)
    if found != wanted:
        return f"{where}: expected {_describe(wanted, label)}, found {_describe(found, label)}"
    return None


def _check_points(report: Report, index: AreaIndex, definition: Definition) -> None:
    rows = _rows(definition.validation.control_points)
    checked = 0
    for row in rows:
        problem = _check_point(row, index, definition.validation, definition.area_label)
        if problem:
            report.problems.append(problem)
        checked += _expected(row, definition.validation) is not None
    if rows:
        report.checks.append(
            f"{checked} control points with an expected district "
            f"(of {len(rows)} read; none in two districts)"
        )


def _area_problem(name: str, measured: float, reference: float, tolerance: float) -> str | None:
    off = abs(measured - reference) / reference
    if off <= tolerance:
        return None
    which = "larger" if measured > reference else "smaller"
    return (
        f"{name}: area {measured:.3f} sq mi, reference {reference:.3f} sq mi "
        f"({off:.1%} {which}; tolerance {tolerance:.0%})"
    )


def _check_areas(report: Report, geometries: dict, definition: Definition) -> None:
    rules = definition.validation
    rows = [
        r
        for r in _rows(rules.reference_areas)
        if r["layer"] == rules.reference_layer and r["district"] != "union"
    ]
    label = definition.area_label
    before = len(report.problems)
    for row in rows:
        number = row["district"]
        if number not in geometries:
            report.problems.append(f"{label} {number}: in the reference areas, not in this set")
            continue
        measured = geodesic_area_sq_mi(geometries[number])
        problem = _area_problem(
            f"{label} {number}", measured, float(row["area_sq_mi"]), rules.area_tolerance
        )
        report.problems.extend([problem] if problem else [])
    extra = sorted(set(geometries) - {r["district"] for r in rows})
    if rows and extra:
        report.problems.append(f"{label} {', '.join(extra)}: not in the reference areas")
    if rows and len(report.problems) == before:
        report.checks.append(f"{len(rows)} reference areas within {rules.area_tolerance:.0%}")


def _check_geometry(report: Report, geometries: dict, label: str) -> None:
    for number, geometry in geometries.items():
        if geometry.geom_type not in ("Polygon", "MultiPolygon"):
            report.problems.append(f"{label} {number}: a {geometry.geom_type}, not a polygon")
        elif not geometry.is_valid:
            reason = shapely.is_valid_reason(geometry)
            report.problems.append(f"{label} {number}: invalid polygon ({reason})")


def boundaries_validate(geometries: dict, definition: Definition) -> Report:
    """``geometries`` maps district number to a shapely polygon (lon/lat)."""
    report = Report()
    _check_geometry(report, geometries, definition.area_label)
    if report.problems:
        return report
    # In district-number order, as the site's index; a coarse grid: a few dozen points are
    # checked, not worth a fine one.
    numbers = sorted(geometries, key=number_order)
    index = AreaIndex(numbers, [geometries[n] for n in numbers], grid_cells=8)
    _check_points(report, index, definition)
    _check_areas(report, geometries, definition)
    return report
