"""Boundary sets are imported data: definitions, readers, validation, vintages."""

import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from shapely.geometry import shape

from altavoz.districts import selectors
from altavoz.districts.boundaries.definition import SHIPPED, definition_load, definition_parse
from altavoz.districts.boundaries.importer import BoundaryImportError, boundary_set_import
from altavoz.districts.boundaries.validation import SQ_METRES_PER_SQ_MILE, geodesic_area_sq_mi
from altavoz.districts.models import Area, AreaShape, BoundarySet, BoundaryVersion, Post
from recorded import LAYER, LAYER_INFO, serve_layer
from synthetic_city import feature_collection


def import_city(recorded, **breakage):
    url = serve_layer(recorded, feature_collection(**breakage))
    return boundary_set_import(definition=definition_load("miami-commission"), source=url)


def test_every_shipped_definition_parses():
    names = sorted(p.stem for p in SHIPPED.glob("*.toml"))
    assert names == [
        "fl-senate",
        "miami-commission",
        "miami-dade-commission",
        "miami-dade-municipalities",
        "us-congress-fl",
    ]
    for name in names:
        definition = definition_load(name)
        assert definition.vintage and definition.ocd_id_template.startswith("ocd-division/")


def test_it_imports_the_tiger_senate_set_from_the_zipped_shapefile(db):
    result = boundary_set_import(definition=definition_load("fl-senate"))
    senate = BoundarySet.objects.get(slug="fl-senate")
    assert result.districts == 40 and senate.areas.count() == 40
    area = senate.areas.get(number="38")
    assert area.ocd_id == "ocd-division/country:us/state:fl/sldu:38"
    assert area.name == "Senate District 38"
    assert Post.objects.get(area=area).label == "State Senator, District 38"
    assert result.version.valid_from == date(2022, 11, 8)
    assert "2 control points" in result.version.validation_report


def test_it_imports_a_geojson_set(db, tmp_path):
    subset = SHIPPED.parent / "tiger" / "tl_2025_12_sldu_miami_dade_subset.geojson"
    text = definition_load("fl-senate").text.replace('kind = "shapefile"', 'kind = "geojson"')
    text = text.replace("../tiger/tl_2025_12_sldu.zip", str(subset))
    result = boundary_set_import(definition=definition_parse(text, SHIPPED / "subset.toml"))
    assert result.districts == 8
    numbers = set(
        Area.objects.filter(boundary_set__slug="fl-senate").values_list("number", flat=True)
    )
    assert numbers == {"28", "34", "35", "36", "37", "38", "39", "40"}


def test_the_arcgis_reader_pages_through_the_layer_as_geojson(db, recorded, miami):
    result = import_city(recorded)
    assert result.districts == 5
    queries = [q for path, q in recorded.requests if path.endswith("/query")]
    assert [q["resultOffset"] for q in queries] == ["0", "2", "4"]
    assert all(q["f"] == "geojson" and q["outSR"] == "4326" for q in queries)
    assert all(
        q["orderByFields"] == "OBJECTID" and q["resultRecordCount"] == "1000" for q in queries
    )
    assert "5 reference areas within 1%" in result.version.validation_report


def test_the_import_keeps_the_demo_areas_posts_and_officials(db, recorded, miami, district):
    before = district(2).pk
    import_city(recorded)
    assert district(2).pk == before
    assert district(2).shapes.count() == 1
    assert miami.targets_for_area(before).get().name == "Damian Pardo"


def test_the_arcgis_reader_pages_by_the_layers_own_id_field_and_record_limit(db, recorded):
    url = serve_layer(recorded, feature_collection())
    recorded.answer(LAYER, body={**LAYER_INFO, "objectIdField": "FID", "maxRecordCount": 500})
    boundary_set_import(definition=definition_load("miami-commission"), source=url)
    _, query = recorded.requests[-1]
    assert query["orderByFields"] == "FID" and query["resultRecordCount"] == "500"


def test_an_arcgis_error_answer_is_reported(db, recorded):
    recorded.answer(LAYER, body=LAYER_INFO)
    recorded.answer(f"{LAYER}/query", body={"error": {"code": 400, "message": "Invalid query"}})
    with pytest.raises(BoundaryImportError, match="Invalid query"):
        boundary_set_import(
            definition=definition_load("miami-commission"), source=recorded.base + LAYER
        )


def test_a_control_point_in_the_wrong_district_refuses_the_set_and_names_it(db, recorded, miami):
    with pytest.raises(BoundaryImportError) as refused:
        import_city(recorded, keys={"2": "3", "3": "2"})
    message = str(refused.value)
    assert "not activated" in message
    assert "'Miami City Hall'" in message
    assert "expected District 2, found District 3" in message
    assert not BoundaryVersion.objects.exists()


def test_a_district_more_than_one_percent_off_its_reference_area_is_refused(db, recorded, miami):
    with pytest.raises(BoundaryImportError) as refused:
        import_city(recorded, scale={"4": 1.02})
    message = str(refused.value)
    assert "District 4: area 7.636 sq mi, reference 7.486 sq mi (2.0% larger" in message
    assert "District 1" not in message
    assert not BoundaryVersion.objects.exists()


def test_a_district_within_one_percent_passes(db, recorded, miami):
    assert import_city(recorded, scale={"4": 1.005}).districts == 5


def test_a_new_vintage_closes_the_old_one_the_day_before_it_starts(db):
    senate = definition_load("fl-senate")
    first = boundary_set_import(definition=senate).version
    second = boundary_set_import(definition=senate, valid_from=date(2027, 1, 3)).version
    first.refresh_from_db()
    assert first.valid_to == date(2027, 1, 2) and second.valid_to is None
    assert selectors.version_in_force("fl-senate", date(2027, 1, 2)) == first
    assert selectors.version_in_force("fl-senate", date(2027, 1, 3)) == second


def test_reimporting_the_same_start_replaces_the_version(db):
    senate = definition_load("fl-senate")
    first = boundary_set_import(definition=senate).version
    second = boundary_set_import(definition=senate).version
    first.refresh_from_db()
    assert not first.is_active
    assert selectors.version_in_force("fl-senate", date(2026, 1, 1)) == second
    assert BoundarySet.objects.get(slug="fl-senate").areas.count() == 40


def test_the_command_imports_and_reports_failures_precisely(db, recorded, miami, tmp_path):
    call_command("boundaries", "import", "fl-senate", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert BoundaryVersion.objects.filter(boundary_set__slug="fl-senate").count() == 1
    url = serve_layer(recorded, feature_collection(keys={"5": "1", "1": "5"}))
    with pytest.raises(CommandError, match="'City District 5 interior point'"):
        call_command("boundaries", "import", "miami-commission", "--source", url)


def test_a_missing_definition_lists_the_shipped_ones(db):
    with pytest.raises(CommandError, match="fl-senate, miami-commission"):
        call_command("boundaries", "import", "no-such-set")


def test_a_source_that_is_not_geojson_is_refused(db, tmp_path):
    bad = tmp_path / "bad.geojson"
    bad.write_text(json.dumps({"type": "Feature"}))
    text = definition_load("fl-senate").text.replace('kind = "shapefile"', 'kind = "geojson"')
    definition = definition_parse(text, SHIPPED / "x.toml")
    with pytest.raises(BoundaryImportError, match="not a GeoJSON FeatureCollection"):
        boundary_set_import(definition=definition, source=str(bad))


def test_a_layer_that_ignores_paging_is_refused_not_looped(db, recorded):
    first_page = feature_collection()
    first_page["features"] = first_page["features"][:2]
    first_page["properties"] = {"exceededTransferLimit": True}
    recorded.answer(LAYER, body=LAYER_INFO)
    recorded.answer(f"{LAYER}/query", body=first_page)
    with pytest.raises(BoundaryImportError, match="repeats its first page"):
        boundary_set_import(
            definition=definition_load("miami-commission"), source=recorded.base + LAYER
        )
    assert recorded.paths() == [LAYER, f"{LAYER}/query", f"{LAYER}/query"]


def test_a_mis_keyed_tiger_set_is_refused_at_the_anchor_points(db):
    text = definition_load("fl-senate").text.replace('number = "SLDUST"', 'number = "GEOID"')
    definition = definition_parse(text, SHIPPED / "fl-senate.toml")
    with pytest.raises(BoundaryImportError) as refused:
        boundary_set_import(definition=definition)
    assert (
        "control point 'Miami City Hall' (-80.234992579394, 25.728661855119): "
        "expected Senate District 38, found Senate District 12038"
    ) in str(refused.value)


def test_district_areas_are_measured_as_the_census_measures_them():
    """Our geodesic area of each TIGER senate district equals its ALAND + AWATER."""
    path = SHIPPED.parent / "tiger" / "tl_2025_12_sldu_miami_dade_subset.geojson"
    for feature in json.loads(path.read_text())["features"]:
        census = feature["properties"]["ALAND"] + feature["properties"]["AWATER"]
        ours = geodesic_area_sq_mi(shape(feature["geometry"])) * SQ_METRES_PER_SQ_MILE
        assert ours == pytest.approx(census, rel=1e-4), feature["properties"]["SLDUST"]


def test_two_districts_mapped_to_one_ocd_id_are_refused(db):
    text = definition_load("fl-senate").text.replace("sldu:{number}", "sldu:{STATEFP}")
    definition = definition_parse(text, SHIPPED / "fl-senate.toml")
    with pytest.raises(
        BoundaryImportError, match="both map to ocd-division/country:us/state:fl/sldu:12"
    ):
        boundary_set_import(definition=definition)


def test_the_import_is_one_transaction(db, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(AreaShape.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError):
        boundary_set_import(definition=definition_load("fl-senate"))
    assert not BoundarySet.objects.filter(slug="fl-senate").exists()
    assert not Area.objects.filter(ocd_id__contains="sldu").exists()
    assert not BoundaryVersion.objects.exists()
