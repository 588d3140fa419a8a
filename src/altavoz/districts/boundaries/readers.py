"""Read a boundary source into plain features: (properties, GeoJSON geometry) in lon/lat.

Three kinds: a GeoJSON file, a zipped Shapefile (pyshp) and an ArcGIS FeatureServer layer,
read with paged ``query`` calls (``f=geojson``, ``outSR=4326``) through the one HTTP wrapper.
"""

import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

import shapefile

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


def read_zipped_shapefile(path: str) -> list[Feature]:
    """A zipped Shapefile in geographic coordinates (TIGER: NAD83 lon/lat)."""
    try:
        with zipfile.ZipFile(path) as archive:
            stem = _shapefile_member(archive, path)
            with shapefile.Reader(
                shp=archive.open(f"{stem}.shp"),
                dbf=archive.open(f"{stem}.dbf"),
                shx=archive.open(f"{stem}.shx"),
            ) as reader:
                return [
                    Feature(dict(record.record.as_dict()), record.shape.__geo_interface__)
                    for record in reader.iterShapeRecords()
                ]
    except (OSError, KeyError, zipfile.BadZipFile, shapefile.ShapefileException) as exc:
        raise SourceError(f"{path}: {exc}") from exc


def _arcgis_page(url: str, offset: int) -> dict:
    params = {
        "where": "1=1",
        "outFields": "*",
        "returnGeometry": "true",
        "outSR": "4326",
        "f": "geojson",
        "resultOffset": offset,
        "resultRecordCount": ARCGIS_PAGE_SIZE,
        "orderByFields": "OBJECTID",
    }
    try:
        page = httpclient.get_json(f"{url}/query", params=params)
    except httpclient.HttpError as exc:
        raise SourceError(f"{url}: {exc}") from exc
    if isinstance(page, dict) and "error" in page:
        raise SourceError(f"{url}: the server answered an error: {page['error']}")
    return page


def _more_pages(page: dict, count: int) -> bool:
    """ArcGIS sets exceededTransferLimit (top level, or under properties in f=geojson)."""
    flag = page.get("exceededTransferLimit") or (page.get("properties") or {}).get(
        "exceededTransferLimit"
    )
    return bool(flag) and count > 0


def read_arcgis_layer(url: str) -> list[Feature]:
    """All features of a FeatureServer layer, paged with resultOffset/resultRecordCount."""
    features: list[Feature] = []
    for _ in range(ARCGIS_MAX_PAGES):
        page = _arcgis_page(url, len(features))
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
