"""Point in district, in memory (AreaIndex): shapely 2 prepared polygons behind a grid.

A point matches an area when the area *covers* it, so a point exactly on a boundary line
matches (for a point, ``intersects`` is ``covers``; shapely's ``intersects_xy`` is the fast
vectorised form). A point whose surrounding square of half-side ``near_metres`` (25 m by
default: 25 m along the axes, up to 35 m toward the corners) crosses an area's edge is flagged
``near_boundary`` so the page asks the person to confirm their district.

Distances in metres use a local equirectangular scale at the point's latitude: one degree of
latitude is 110,574 m and one degree of longitude is 111,320 m x cos(latitude). Over the few
tens of metres the flag looks at, the error is far below a geocoder's own error.

Where the map itself is ambiguous, a fixed tie-break (the City of Miami's official layer has
both: District 1 and District 4 overlap in two slivers of 320 m² and 10 m², at most 0.00013
sq mi, and the union of its districts has one hole of 0.0025 m² between Districts 1 and 4):

- a point covered by several areas belongs to the first of them in the index's order, which
  is the order of district numbers (``selectors.area_index`` builds it so): District 1, not 4;
- a point in a *gap*, a hole in the union of all areas smaller than ``GAP_MAX_SQ_METRES``
  (100 m²: a digitising seam, not an enclave), belongs to the nearest area (the first in
  order when two are equally near). Larger holes are real enclaves: outside.

Both kinds of point are within a few metres of a line, so the page still asks the person
to confirm (``near_boundary``); the tie-break decides what bulk matching, the command line
and the pre-selected answer say.

The grid: the set's extent is cut into cells. A cell whose box, widened by ``near_metres``,
lies strictly inside one area answers "that area, not near an edge" without touching the
polygons; a cell that touches no area answers "outside". Only cells along edges fall back to
the polygons. That keeps single lookups in the hundreds of thousands per second.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely

METRES_PER_DEGREE_LAT = 110_574.0
METRES_PER_DEGREE_LON_AT_EQUATOR = 111_320.0
DEFAULT_NEAR_METRES = 25.0
GRID_CELLS = 512
BLOCK = 16  # the grid is built a block of BLOCK x BLOCK cells at a time where it divides it
GAP_MAX_SQ_METRES = 100.0
OUTSIDE = -1
EDGE = -2


@dataclass(frozen=True)
class Location:
    """Where a point falls: the matching area keys (usually one; in the index's order, so
    ``key`` is the tie-break's answer) and whether it is close to an edge. ``keys`` is empty
    outside every area; ``nearby`` lists areas within reach."""

    keys: tuple
    near_boundary: bool = False
    nearby: tuple = ()

    @property
    def key(self):
        return self.keys[0] if self.keys else None


def number_order(number: str) -> tuple:
    """Sort key for district numbers, the tie-break's order: 2 before 10, numbers first."""
    return (0, int(number), "") if number.isdigit() else (1, 0, number)


def degrees_for_metres(metres: float, lat: float) -> tuple[float, float]:
    """(longitude degrees, latitude degrees) spanned by ``metres`` at latitude ``lat``."""
    lon_scale = METRES_PER_DEGREE_LON_AT_EQUATOR * max(math.cos(math.radians(lat)), 1e-6)
    return metres / lon_scale, metres / METRES_PER_DEGREE_LAT


def _sq_metres(polygon) -> float:
    """A small polygon's area in m², on the local equirectangular scale."""
    lon_m, lat_m = degrees_for_metres(1.0, polygon.centroid.y)
    return polygon.area / (lon_m * lat_m)


def gaps_between(geometries) -> list:
    """The holes in the union of the areas smaller than GAP_MAX_SQ_METRES."""
    if not len(geometries):
        return []
    union = shapely.union_all(geometries)
    holes = [shapely.Polygon(ring) for part in shapely.get_parts(union) for ring in part.interiors]
    return [hole for hole in holes if _sq_metres(hole) < GAP_MAX_SQ_METRES]


def _reach(lon: float, lat: float, metres: float):
    """The square of half-side ``metres`` around the point (corners reach metres x 1.41)."""
    dlon, dlat = degrees_for_metres(metres, lat)
    return shapely.box(lon - dlon, lat - dlat, lon + dlon, lat + dlat)


class AreaIndex:
    """All areas of one boundary version, ready for lookups."""

    def __init__(
        self,
        keys: Sequence,
        geometries: Sequence,
        *,
        near_metres: float = DEFAULT_NEAR_METRES,
        grid_cells: int = GRID_CELLS,
    ):
        self.keys = list(keys)
        self.geometries = np.array(geometries, dtype=object)
        self.near_metres = near_metres
        shapely.prepare(self.geometries)
        gaps = gaps_between(self.geometries)
        self.gaps = shapely.union_all(gaps) if gaps else None
        if self.gaps is not None:
            shapely.prepare(self.gaps)
        self._build_grid(grid_cells)

    def _build_grid(self, cells: int) -> None:
        if not len(self.geometries):
            self.bounds, self.grid = (0.0, 0.0, 0.0, 0.0), np.full((1, 1), OUTSIDE)
            self.cell_w = self.cell_h = 1.0
            return
        minx, miny, maxx, maxy = shapely.total_bounds(self.geometries)
        self.bounds = (minx, miny, maxx, maxy)
        self.cell_w = (maxx - minx) / cells or 1.0
        self.cell_h = (maxy - miny) / cells or 1.0
        # Widen each cell by the flag distance, measured where a degree of longitude is
        # shortest (the latitude farthest from the equator), so the widening is never short.
        far_lat = max(abs(miny), abs(maxy))
        self._pad = degrees_for_metres(self.near_metres, far_lat)
        self._block = BLOCK if cells % BLOCK == 0 else 1
        touching = np.zeros(cells * cells, dtype=np.int32)
        owner = np.full(cells * cells, OUTSIDE, dtype=np.int32)
        for i, geometry in enumerate(self.geometries):
            inside, edge = self._blocks_of(geometry, cells)
            boxes = self._boxes(edge, cells, 1)
            hit = shapely.intersects(geometry, boxes)
            within = edge[hit][shapely.contains_properly(geometry, boxes[hit])]
            touching[edge[hit]] += 1
            touching[inside] += 1
            owner[within] = owner[inside] = i
        # A cell answers for one area only when no other area reaches into it (overlaps).
        grid = np.where(touching == 0, OUTSIDE, EDGE)
        alone = (touching == 1) & (owner != OUTSIDE)
        grid[alone] = owner[alone]
        self.grid = grid.reshape(cells, cells)

    def _blocks_of(self, geometry, cells: int) -> tuple[np.ndarray, np.ndarray]:
        """Cells (flat indices) inside the geometry, judged a block of BLOCK x BLOCK cells at
        a time, and the cells of the blocks its edge crosses (to be judged one by one)."""
        size = self._block
        blocks = self._near(geometry, cells // size, self.cell_w * size, self.cell_h * size)
        boxes = self._boxes(blocks, cells // size, size)
        hit = shapely.intersects(geometry, boxes)
        whole = shapely.contains_properly(geometry, boxes[hit])
        return self._cells_of(blocks[hit][whole], cells), self._cells_of(blocks[hit][~whole], cells)

    def _cells_of(self, blocks: np.ndarray, cells: int) -> np.ndarray:
        size = self._block
        per_row = cells // size
        bx, by = blocks // per_row, blocks % per_row
        offsets = np.arange(size)
        ix = (bx[:, None, None] * size + offsets[None, :, None]).repeat(size, axis=2)
        iy = (by[:, None, None] * size + offsets[None, None, :]).repeat(size, axis=1)
        return (ix * cells + iy).ravel()

    def _near(self, geometry, count: int, width: float, height: float) -> np.ndarray:
        """Flat indices, in a count x count grid of the given cell size, of the cells whose
        widened box meets the geometry's bounding box."""
        minx, miny, _, _ = self.bounds
        pad_x, pad_y = self._pad
        gx0, gy0, gx1, gy1 = geometry.bounds
        ix = np.arange(
            max(int((gx0 - pad_x - minx) / width) - 1, 0),
            min(int((gx1 + pad_x - minx) / width) + 2, count),
        )
        iy = np.arange(
            max(int((gy0 - pad_y - miny) / height) - 1, 0),
            min(int((gy1 + pad_y - miny) / height) + 2, count),
        )
        return (ix[:, None] * count + iy[None, :]).ravel()

    def _boxes(self, flat: np.ndarray, count: int, size: int) -> np.ndarray:
        """The widened boxes of cells (size 1) or blocks (of size x size cells) by index."""
        minx, miny, _, _ = self.bounds
        pad_x, pad_y = self._pad
        width, height = self.cell_w * size, self.cell_h * size
        x0 = minx + (flat // count) * width
        y0 = miny + (flat % count) * height
        return shapely.box(x0 - pad_x, y0 - pad_y, x0 + width + pad_x, y0 + height + pad_y)

    def _cell(self, lon: float, lat: float) -> int:
        minx, miny, maxx, maxy = self.bounds
        if not (minx <= lon <= maxx and miny <= lat <= maxy):
            return OUTSIDE
        cells = self.grid.shape[0]
        ix = min(int((lon - minx) / self.cell_w), cells - 1)
        iy = min(int((lat - miny) / self.cell_h), cells - 1)
        return int(self.grid[ix, iy])

    def locate(self, lon: float, lat: float) -> Location:
        """The area(s) covering the point, flagged when within ``near_metres`` of an edge."""
        if not (math.isfinite(lon) and math.isfinite(lat)):
            return Location(keys=())
        cell = self._cell(lon, lat)
        if cell >= 0:
            return Location(keys=(self.keys[cell],))
        if cell == OUTSIDE and not self._near_extent(lon, lat):
            return Location(keys=())
        return self._locate_exactly(lon, lat)

    def _near_extent(self, lon: float, lat: float) -> bool:
        minx, miny, maxx, maxy = self.bounds
        pad_x, pad_y = degrees_for_metres(self.near_metres, lat)
        inside_padded = minx - pad_x <= lon <= maxx + pad_x and miny - pad_y <= lat <= maxy + pad_y
        inside = minx <= lon <= maxx and miny <= lat <= maxy
        return inside_padded and not inside

    def _in_gap(self, lon: float, lat: float) -> bool:
        return self.gaps is not None and bool(shapely.intersects_xy(self.gaps, lon, lat))

    def _nearest(self, lon: float, lat: float) -> int:
        return int(np.argmin(shapely.distance(self.geometries, shapely.Point(lon, lat))))

    def _locate_exactly(self, lon: float, lat: float) -> Location:
        hits = np.flatnonzero(shapely.intersects_xy(self.geometries, lon, lat))
        if not len(hits) and self._in_gap(lon, lat):
            hits = [self._nearest(lon, lat)]
        reach = _reach(lon, lat, self.near_metres)
        nearby = np.flatnonzero(shapely.intersects(self.geometries, reach))
        near = any(not self.geometries[i].contains_properly(reach) for i in nearby)
        return Location(
            keys=tuple(self.keys[i] for i in hits),
            near_boundary=bool(near),
            nearby=tuple(self.keys[i] for i in nearby),
        )

    def locate_many(self, lons, lats) -> np.ndarray:
        """Vectorised: the index of the covering area per point, -1 outside every area, with
        the same tie-break as ``locate``. (No near-boundary flag: this is for bulk work such
        as re-assigning districts.)"""
        lons, lats = np.asarray(lons, dtype=float), np.asarray(lats, dtype=float)
        result = self._cells_many(lons, lats)
        edge = np.flatnonzero(result == EDGE)
        result[edge] = OUTSIDE
        for i, geometry in enumerate(self.geometries):
            todo = edge[result[edge] == OUTSIDE]
            hit = shapely.intersects_xy(geometry, lons[todo], lats[todo])
            result[todo[hit]] = i
        if self.gaps is not None:
            todo = edge[result[edge] == OUTSIDE]
            for j in todo[shapely.intersects_xy(self.gaps, lons[todo], lats[todo])]:
                result[j] = self._nearest(lons[j], lats[j])
        return result

    def _cells_many(self, lons: np.ndarray, lats: np.ndarray) -> np.ndarray:
        minx, miny, maxx, maxy = self.bounds
        cells = self.grid.shape[0]
        inside = (lons >= minx) & (lons <= maxx) & (lats >= miny) & (lats <= maxy)
        ix = np.clip(((lons - minx) / self.cell_w).astype(np.int64), 0, cells - 1)
        iy = np.clip(((lats - miny) / self.cell_h).astype(np.int64), 0, cells - 1)
        return np.where(inside, self.grid[ix, iy], OUTSIDE).astype(np.int32)
