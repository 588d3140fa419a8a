"""Read a boundary source into plain features: (properties, GeoJSON geometry) in lon/lat.

Three kinds: a GeoJSON file, a zipped Shapefile (pyshp) and an ArcGIS FeatureServer layer,
read with paged ``query`` calls (``f=geojson``, ``outSR=4326``) through the one HTTP wrapper.

A zipped Shapefile in a projected coordinate system (the City of Miami's and Miami-Dade's
layers are in Web Mercator, EPSG:3857) is reprojected to lon/lat (WGS 84) with pyproj, from
the CRS its ``.prj`` member declares. Geographic ones (TIGER's NAD83 lon/lat) are read as
they are: NAD83 and WGS 84 differ by 1-2 m in Florida, far below a geocoder's error.
"""

import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyproj
import shapefile
import shapely
from shapely.geometry import mapping, shape

from altavoz import httpclient

ARCGIS_PAGE_SIZE = 1000
ARCGIS_MAX_PAGES = 1000


class SourceError(ValueError):
    pass


@dataclass(frozen=True)
class Feature:
    properties: dict
    geometry: dict


def _features_from_geojson(data, where: str) -> list[Feature]:
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise SourceError(f"{where}: not a GeoJSON FeatureCollection")
    features = []
    for n, item in enumerate(data.get("features") or [], start=1):
        if not isinstance(item, dict) or not item.get("geometry"):
            raise SourceError(f"{where}: feature {n} has no geometry")
        features.append(Feature(item.get("properties") or {}, item["geometry"]))
    return features


def read_geojson(path: str) -> list[Feature]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SourceError(f"{path}: {exc}") from exc
    return _features_from_geojson(data, path)


def _shapefile_member(archive: zipfile.ZipFile, path: str) -> str:
    names = [n for n in archive.namelist() if n.lower().endswith(".shp")]
    if len(names) != 1:
        raise SourceError(f"{path}: expected one .shp in the zip, found {len(names)}")
    return names[0][:-4]


def _to_lon_lat(archive: zipfile.ZipFile, stem: str, path: str):
    """A function that takes the layer's geometries to lon/lat, or None when they are in
    lon/lat already (or the zip has no ``.prj``: geographic is then the only safe reading)."""
    try:
        wkt = archive.read(f"{stem}.prj").decode("utf-8", "replace")
    except KeyError:
        return None
    try:
        crs = pyproj.CRS.from_wkt(wkt)
    except pyproj.exceptions.CRSError as exc:
        raise SourceError(f"{path}: {stem}.prj is not a CRS pyproj reads: {exc}") from exc
    if crs.is_geographic:
        return None
    transformer = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True)

    def reproject(coords: np.ndarray) -> np.ndarray:
        lon, lat = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([lon, lat])

    return lambda geometry: mapping(shapely.transform(shape(geometry), reproject))


def read_zipped_shapefile(path: str) -> list[Feature]:
    """A zipped Shapefile, in lon/lat: reprojected from the CRS of its ``.prj`` if projected."""
    try:
        with zipfile.ZipFile(path) as archive:
            stem = _shapefile_member(archive, path)
            convert = _to_lon_lat(archive, stem, path)
            with shapefile.Reader(
                shp=archive.open(f"{stem}.shp"),
                dbf=archive.open(f"{stem}.dbf"),
                shx=archive.open(f"{stem}.shx"),
            ) as reader:
                features = [
                    Feature(dict(record.record.as_dict()), record.shape.__geo_interface__)
                    for record in reader.iterShapeRecords()
                ]
    except (OSError, KeyError, zipfile.BadZipFile, shapefile.ShapefileException) as exc:
        raise SourceError(f"{path}: {exc}") from exc
    if convert is None:
        return features
    return [Feature(f.properties, convert(f.geometry)) for f in features]


def _arcgis_get(url: str, params: dict) -> dict:
    try:
        answer = httpclient.get_json(url, params=params)
    except httpclient.HttpError as exc:
        raise SourceError(f"{url}: {exc}") from exc
    if not isinstance(answer, dict):
        raise SourceError(f"{url}: the server answered something that is not an object")
    if "error" in answer:
        raise SourceError(f"{url}: the server answered an error: {answer['error']}")
    return answer


@dataclass(frozen=True)
class LayerInfo:
    object_id_field: str
    page_size: int


def _layer_info(url: str) -> LayerInfo:
    """The layer's own description (``?f=json``): its object id field, to page in a stable
    order, and the most records it returns per query."""
    info = _arcgis_get(url, {"f": "json"})
    field = info.get("objectIdField") or "OBJECTID"
    most = info.get("maxRecordCount") or ARCGIS_PAGE_SIZE
    return LayerInfo(str(field), max(1, min(int(most), ARCGIS_PAGE_SIZE)))


def _arcgis_page(url: str, layer: LayerInfo, offset: int) -> dict:
    params = {
        "where": "1=1",
        "outFields": "*",
        "returnGeometry": "true",
        "outSR": "4326",
        "f": "geojson",
        "resultOffset": offset,
        "resultRecordCount": layer.page_size,
        "orderByFields": layer.object_id_field,
    }
    return _arcgis_get(f"{url}/query", params)


def _more_pages(page: dict, count: int) -> bool:
    """ArcGIS sets exceededTransferLimit (top level, or under properties in f=geojson)."""
    flag = page.get("exceededTransferLimit") or (page.get("properties") or {}).get(
        "exceededTransferLimit"
    )
    return bool(flag) and count > 0


def read_arcgis_layer(url: str) -> list[Feature]:
    """All features of a FeatureServer layer, paged with resultOffset/resultRecordCount
    in object id order."""
    layer = _layer_info(url)
    features: list[Feature] = []
    for _ in range(ARCGIS_MAX_PAGES):
        page = _arcgis_page(url, layer, len(features))
        batch = _features_from_geojson(page, url)
        if batch and features and batch[0] == features[-len(batch)]:
            raise SourceError(f"{url}: the layer repeats its first page (no paging support)")
        features.extend(batch)
        if not _more_pages(page, len(batch)):
            return features
    raise SourceError(f"{url}: more than {ARCGIS_MAX_PAGES} pages; stopping")


READERS = {
    "geojson": read_geojson,
    "shapefile": read_zipped_shapefile,
    "arcgis": read_arcgis_layer,
}


def features_read(kind: str, location: str) -> list[Feature]:
    return READERS[kind](location)
