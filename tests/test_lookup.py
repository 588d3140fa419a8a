"""Point in district: covers on the line, the near-boundary flag, outside, batched."""

import csv
import json
from pathlib import Path

import numpy as np
import pytest
import shapely
from shapely.geometry import shape

from altavoz.districts.boundaries.area_index import AreaIndex, degrees_for_metres

DATA = Path(__file__).resolve().parents[1] / "src" / "altavoz" / "data"
LAT = 25.77
WEST = shapely.box(-80.21, LAT - 0.01, -80.20, LAT + 0.01)
EAST = shapely.box(-80.20, LAT - 0.01, -80.19, LAT + 0.01)


def metres_east(lon: float, metres: float) -> float:
    return lon + degrees_for_metres(metres, LAT)[0]


@pytest.fixture(scope="module")
def two():
    return AreaIndex(["west", "east"], [WEST, EAST], near_metres=25)


@pytest.fixture(scope="module")
def senate():
    path = DATA / "tiger" / "tl_2025_12_sldu_miami_dade_subset.geojson"
    features = json.loads(path.read_text())["features"]
    return AreaIndex(
        [f["properties"]["SLDUST"].lstrip("0") for f in features],
        [shape(f["geometry"]) for f in features],
    )


def test_a_point_well_inside_matches_one_area_without_a_flag(two):
    location = two.locate(metres_east(-80.21, 300), LAT)
    assert location.keys == ("west",) and not location.near_boundary


def test_a_point_exactly_on_the_shared_line_matches_both_and_is_flagged(two):
    location = two.locate(-80.20, LAT)
    assert set(location.keys) == {"west", "east"} and location.near_boundary


def test_a_point_exactly_on_an_outer_edge_still_matches(two):
    location = two.locate(-80.21, LAT)
    assert location.keys == ("west",) and location.near_boundary


def test_a_point_ten_metres_from_the_line_is_flagged(two):
    location = two.locate(metres_east(-80.20, -10), LAT)
    assert location.keys == ("west",) and location.near_boundary
    assert set(location.nearby) == {"west", "east"}


def test_a_point_sixty_metres_from_the_line_is_not_flagged(two):
    location = two.locate(metres_east(-80.20, -60), LAT)
    assert location.keys == ("west",) and not location.near_boundary


def test_a_point_outside_every_area_has_no_key(two):
    assert two.locate(-80.0, LAT).keys == ()
    assert two.locate(float("nan"), LAT).keys == ()


def test_a_point_just_outside_is_flagged_with_the_area_nearby(two):
    location = two.locate(metres_east(-80.21, -10), LAT)
    assert location.keys == () and location.near_boundary and location.nearby == ("west",)


def test_metres_become_degrees_with_the_local_scale():
    dlon, dlat = degrees_for_metres(1000, LAT)
    assert dlat == pytest.approx(1000 / 110_574)
    assert dlon == pytest.approx(1000 / (111_320 * np.cos(np.radians(LAT))))


def test_the_anchor_addresses_fall_in_their_senate_districts(senate):
    with (DATA / "miami" / "miami_district_control_points.csv").open() as handle:
        anchors = [r for r in csv.DictReader(handle) if r["expected_fl_senate_district"]]
    for row in anchors:
        location = senate.locate(float(row["lon"]), float(row["lat"]))
        assert location.keys == (row["expected_fl_senate_district"],), row["label"]


def test_batched_lookup_agrees_with_single_lookups(senate):
    rng = np.random.default_rng(7)
    lons, lats = rng.uniform(-80.9, -80.0, 3000), rng.uniform(25.1, 26.0, 3000)
    batched = senate.locate_many(lons, lats)
    for lon, lat, found in zip(lons, lats, batched, strict=True):
        single = senate.locate(float(lon), float(lat)).keys
        assert (senate.keys[found],) == single if found >= 0 else single == ()
