"""District maps drawn on the server: a boundary version's areas as SVG path data, small
enough to inline in a page (no tiles, no script, no request to anyone).

Coordinates are projected with an equirectangular projection centred on the map (one
degree of longitude is cos(latitude) of one of latitude), which at a city's size is as good
as any, then simplified to about half a pixel at the drawing's width and written with one
decimal. The City of Miami's five districts come to about 4 KB.
"""

import math
from dataclasses import dataclass, field

import shapely
from shapely.ops import polylabel

from altavoz.languages import language_of_page

WIDTH = 320
SIMPLIFY_PIXELS = 0.5
MARGIN = 4


@dataclass(frozen=True)
class MapArea:
    key: str  # the area's id, as the district chooser's radio values
    number: str
    name: str
    path: str  # SVG path data
    label_x: float
    label_y: float
    translations: dict = field(default_factory=dict)  # the area's, {"es": {"name": ...}}

    @property
    def display_name(self) -> str:
        """The name in the active language ("Distrito 2" on a Spanish page)."""
        words = self.translations.get(language_of_page()) or {}
        return words.get("name") or self.name


@dataclass(frozen=True)
class DistrictMap:
    width: int
    height: int
    areas: tuple[MapArea, ...]

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"


class _Projection:
    """lon/lat to pixels, north up, ``width`` wide with a small margin."""

    def __init__(self, bounds, width: int):
        minx, miny, maxx, maxy = bounds
        self.x_scale = math.cos(math.radians((miny + maxy) / 2))
        span_x = (maxx - minx) * self.x_scale or 1.0
        self.scale = (width - 2 * MARGIN) / span_x
        self.minx, self.maxy = minx, maxy
        self.width = width
        self.height = round((maxy - miny) * self.scale + 2 * MARGIN)

    def __call__(self, coords):
        x = MARGIN + (coords[:, 0] - self.minx) * self.x_scale * self.scale
        y = MARGIN + (self.maxy - coords[:, 1]) * self.scale
        coords = coords.copy()
        coords[:, 0], coords[:, 1] = x, y
        return coords


def _ring(coords) -> str:
    points = [f"{x:.1f} {y:.1f}" for x, y in coords[:-1]]
    return "M" + "L".join(points) + "Z"


def path_data(geometry) -> str:
    """SVG path data for a (projected) polygon or multipolygon, holes included."""
    rings = []
    for part in shapely.get_parts(geometry):
        if part.geom_type != "Polygon" or part.is_empty:
            continue
        rings.append(_ring(part.exterior.coords))
        rings.extend(_ring(ring.coords) for ring in part.interiors)
    return "".join(rings)


def _label_point(geometry) -> tuple[float, float]:
    largest = max(shapely.get_parts(geometry), key=lambda part: part.area)
    point = polylabel(largest, tolerance=1.0)
    return round(point.x, 1), round(point.y, 1)


def map_draw(areas: list[tuple[str, str, str, object]], width: int = WIDTH) -> DistrictMap:
    """``areas``: (key, number, name, lon/lat geometry) in the order to draw them."""
    if not areas:
        return DistrictMap(width, 0, ())
    project = _Projection(shapely.total_bounds([a[3] for a in areas]), width)
    drawn = []
    for key, number, name, geometry in areas:
        flat = shapely.transform(geometry, project)
        flat = shapely.simplify(flat, SIMPLIFY_PIXELS, preserve_topology=True)
        drawn.append(MapArea(str(key), number, name, path_data(flat), *_label_point(flat)))
    return DistrictMap(project.width, project.height, tuple(drawn))
