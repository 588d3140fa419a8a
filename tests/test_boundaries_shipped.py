"""The official maps shipped in the repository: the City of Miami's and Miami-Dade's
commission districts and the county's municipalities, read from the files by default (the
zipped Shapefiles reprojected from their .prj), validated, refreshable from the official
layers; and the outdated map the validation must refuse."""

import hashlib
import io
import json
import math
import re
import zipfile
from pathlib import Path

import pyproj
import pytest
import shapefile
import shapely
from django.core.management import CommandError, call_command
from shapely.geometry import mapping, shape

from altavoz.districts.boundaries.definition import SHIPPED, definition_load
from altavoz.districts.boundaries.importer import (
    BoundaryImportError,
    boundary_set_import,
    districts_from_features,
)
from altavoz.districts.boundaries.readers import features_read, read_zipped_shapefile
from altavoz.districts.boundaries.validation import SQ_METRES_PER_SQ_MILE, geodesic_area_sq_mi
from altavoz.districts.models import Area, BoundarySet, BoundaryVersion
from recorded import serve_layer
from synthetic_city import control_point

LAYERS = SHIPPED.parent / "miami" / "layers"
FIXTURES = Path(__file__).parent / "fixtures"
WRONG_VINTAGE = FIXTURES / "miami-commission-pre-settlement.toml"


def districts(name: str) -> dict:
    definition = definition_load(name)
    return districts_from_features(features_read(definition.kind, definition.location), definition)


def test_every_shipped_layer_is_the_file_its_provenance_names():
    provenance = (LAYERS / "PROVENANCE.md").read_text()
    files = sorted(p.name for p in LAYERS.iterdir() if p.name != "PROVENANCE.md")
    assert files == [
        "City_of_Miami_Commission_Districts_2026.zip",
        "Commission_District_Miami_Dade_2026.zip",
        "miami_dade_municipalities.geojson",
    ]
    for name in files:
        digest = hashlib.sha256((LAYERS / name).read_bytes()).hexdigest()
        entry = provenance[provenance.index(f"`{name}`") :]
        assert digest == re.search(r"sha256\s+`([0-9a-f]{64})`", entry).group(1), name


@pytest.mark.parametrize(
    ("name", "kind", "file"),
    [
        ("miami-commission", "shapefile", "City_of_Miami_Commission_Districts_2026.zip"),
        ("miami-dade-commission", "shapefile", "Commission_District_Miami_Dade_2026.zip"),
        ("miami-dade-municipalities", "geojson", "miami_dade_municipalities.geojson"),
    ],
)
def test_the_miami_definitions_read_the_shipped_files_and_refresh_from_arcgis(name, kind, file):
    definition = definition_load(name)
    assert (definition.kind, Path(definition.location)) == (kind, LAYERS / file)
    refresh_kind, url = definition.source_for("refresh")
    assert refresh_kind == "arcgis" and definition.source_for("arcgis") == (refresh_kind, url)
    assert url.startswith("https://services") and url.endswith("/FeatureServer/0")


def test_the_city_shapefile_is_reprojected_from_web_mercator_to_lon_lat():
    features = read_zipped_shapefile(str(LAYERS / "City_of_Miami_Commission_Districts_2026.zip"))
    assert [f.properties["COMDISTID"] for f in features] == [1, 2, 3, 4, 5]
    minx, miny, maxx, maxy = shapely.total_bounds([shape(f.geometry) for f in features])
    assert -80.33 < minx < maxx < -80.13 and 25.70 < miny < maxy < 25.86
    city_hall = shapely.Point(control_point("Miami City Hall"))
    district_2 = shape(features[1].geometry)
    assert district_2.contains(city_hall)


def _zip_in_web_mercator(tmp_path, prj: str | None = None) -> Path:
    """A one-square Shapefile in EPSG:3857 with its .prj: 100 m around City Hall."""
    to_mercator = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)
    lon, lat = control_point("Miami City Hall")
    x, y = to_mercator.transform(lon, lat)
    shp, shx, dbf = io.BytesIO(), io.BytesIO(), io.BytesIO()
    with shapefile.Writer(shp=shp, shx=shx, dbf=dbf, shapeType=shapefile.POLYGON) as writer:
        writer.field("ID", "N")
        writer.poly([[(x - 50, y - 50), (x - 50, y + 50), (x + 50, y + 50), (x + 50, y - 50)]])
        writer.record(1)
    path = tmp_path / "square.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for suffix, data in (("shp", shp), ("shx", shx), ("dbf", dbf)):
            archive.writestr(f"square.{suffix}", data.getvalue())
        archive.writestr("square.prj", prj or pyproj.CRS("EPSG:3857").to_wkt("WKT1_ESRI"))
    return path


def test_any_projected_shapefile_is_read_in_lon_lat_from_its_prj(tmp_path):
    (feature,) = read_zipped_shapefile(str(_zip_in_web_mercator(tmp_path)))
    square = shape(feature.geometry)
    lon, lat = control_point("Miami City Hall")
    assert square.centroid.x == pytest.approx(lon, abs=1e-9)
    assert square.centroid.y == pytest.approx(lat, abs=1e-9)
    # 100 m on the Mercator grid is 100 m x cos(latitude) on the ground.
    ground = (100 * math.cos(math.radians(lat))) ** 2
    assert geodesic_area_sq_mi(square) * SQ_METRES_PER_SQ_MILE == pytest.approx(ground, rel=0.01)


def test_the_shipped_city_map_is_imported_and_validated_by_default(db):
    result = boundary_set_import(definition=definition_load("miami-commission"))
    report = result.version.validation_report
    assert result.districts == 5
    assert "10 control points with an expected district" in report
    assert "5 reference areas within 1%" in report
    assert result.version.source.endswith("City_of_Miami_Commission_Districts_2026.zip")
    city = BoundarySet.objects.get(slug="miami-commission-districts")
    assert city.places == "miami-dade-municipalities"
    assert city.source_url.startswith("https://services1.arcgis.com/")


def test_the_shipped_county_map_is_imported_and_validated_by_default(db):
    result = boundary_set_import(definition=definition_load("miami-dade-commission"))
    assert result.districts == 13
    assert "17 control points with an expected district" in result.version.validation_report
    assert "13 reference areas within 1%" in result.version.validation_report


def test_the_municipalities_are_named_as_people_say_them(db):
    result = boundary_set_import(definition=definition_load("miami-dade-municipalities"))
    assert result.districts == 35
    names = dict(
        Area.objects.filter(boundary_set__slug="miami-dade-municipalities").values_list(
            "number", "name"
        )
    )
    assert names["04"] == "Hialeah" and names["07"] == "North Miami Beach"
    assert names["30"] == "unincorporated Miami-Dade"
    assert Area.objects.get(boundary_set__slug="miami-dade-municipalities", number="01").ocd_id == (
        "ocd-division/country:us/state:fl/place:miami"
    )


def feature(number: int, geometry) -> dict:
    return {"type": "Feature", "properties": {"COMDISTID": number}, "geometry": mapping(geometry)}


def test_the_refresh_reads_the_official_layer(db, recorded):
    """The refresh path, with the real polygons served as the ArcGIS layer would."""
    layer = {
        "type": "FeatureCollection",
        "features": [feature(int(n), d.geometry) for n, d in districts("miami-commission").items()],
    }
    url = serve_layer(recorded, layer)
    call_command("boundaries", "import", "miami-commission", "--source", url, stdout=io.StringIO())
    version = BoundaryVersion.objects.get(boundary_set__slug="miami-commission-districts")
    assert version.source == url
    assert "5 reference areas within 1%" in version.validation_report


def test_the_pre_settlement_map_is_refused_naming_each_district_off_and_by_how_much(db):
    with pytest.raises(CommandError) as refused:
        call_command("boundaries", "import", str(WRONG_VINTAGE))
    message = str(refused.value)
    assert "not activated, validation failed" in message
    for line in [
        "District 2: area 25.722 sq mi, reference 26.299 sq mi (2.2% smaller; tolerance 1%)",
        "District 3: area 5.077 sq mi, reference 4.377 sq mi (16.0% larger; tolerance 1%)",
        "District 4: area 7.066 sq mi, reference 7.486 sq mi (5.6% smaller; tolerance 1%)",
        "District 5: area 10.851 sq mi, reference 10.523 sq mi (3.1% larger; tolerance 1%)",
    ]:
        assert line in message
    assert "District 1:" not in message
    assert "reference areas within" not in message
    assert "10 control points" in message  # the points alone would have let it through
    assert not BoundaryVersion.objects.exists()


def test_the_district_map_agrees_with_the_census_city_limits():
    """An independent check: TIGER 2019's City of Miami (place 1245000) and the union of the
    five districts differ only at the edges and in the water, as recorded."""
    union = shapely.union_all([d.geometry for d in districts("miami-commission").values()])
    place_file = FIXTURES / "tl_2019_place_1245000_city_of_miami.geojson"
    place = shape(json.loads(place_file.read_text())["features"][0]["geometry"])
    assert geodesic_area_sq_mi(union) == pytest.approx(55.936, abs=0.001)
    assert geodesic_area_sq_mi(place) == pytest.approx(56.074, abs=0.001)
    assert geodesic_area_sq_mi(place.difference(union)) == pytest.approx(0.443, abs=0.001)
    assert geodesic_area_sq_mi(union.difference(place)) == pytest.approx(0.306, abs=0.001)
    for label in ("Miami City Hall", "Miami-Dade Government Center", "City District 3"):
        assert place.contains(shapely.Point(control_point(label))), label


def test_a_zip_whose_prj_is_not_a_crs_is_refused(db, tmp_path):
    path = _zip_in_web_mercator(tmp_path, prj="not a coordinate system")
    with pytest.raises(BoundaryImportError, match=r"square\.prj is not a CRS"):
        boundary_set_import(definition=definition_load("miami-commission"), source=str(path))
