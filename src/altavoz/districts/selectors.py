"""Reads for districts: the boundary version in force, its in-memory index, who holds a seat."""

import threading
from collections import Counter, OrderedDict, defaultdict
from dataclasses import dataclass, replace
from datetime import date

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from shapely.geometry import shape

from altavoz import kept
from altavoz.districts.boundaries.area_index import AreaIndex, number_order
from altavoz.districts.maps import DistrictMap, map_draw
from altavoz.districts.models import (
    Area,
    AreaShape,
    BoundarySet,
    BoundaryVersion,
    Official,
    Post,
)

# Versions never change once stored, so an index built for one is good for the process's
# life; the few most recent are kept.
_INDEXES: OrderedDict = OrderedDict()
_INDEXES_KEPT = 16
_INDEXES_LOCK = threading.Lock()


def version_in_force(boundary_set: BoundarySet | str, on: date | None = None):
    """The set's boundary version in force on ``on`` (today by default). Today's is kept in
    the process for PAGE_LIVE_SECONDS: every lookup of a spike asks (an import forgets it)."""
    day = on or timezone.localdate()
    if on is not None:
        return _version_on(boundary_set, day)
    key = ("version", getattr(boundary_set, "pk", boundary_set), day)
    return kept.remembered(key, settings.PAGE_LIVE_SECONDS, lambda: _version_on(boundary_set, day))


def _version_on(boundary_set: BoundarySet | str, day: date):
    filters = (
        {"boundary_set__slug": boundary_set}
        if isinstance(boundary_set, str)
        else {"boundary_set": boundary_set}
    )
    return (
        BoundaryVersion.objects.filter(is_active=True, valid_from__lte=day, **filters)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("-valid_from", "-created_at")
        .first()
    )


def _index_build(version: BoundaryVersion) -> AreaIndex:
    """The version's areas in district-number order: the lookup's tie-break (a point two
    areas cover belongs to the first; see boundaries.area_index)."""
    shapes = AreaShape.objects.filter(version=version).values_list(
        "area_id", "area__number", "geometry"
    )
    ordered = sorted(shapes, key=lambda row: number_order(row[1]))
    keys = [area_id for area_id, _, _ in ordered]
    geometries = [shape(geometry) for _, _, geometry in ordered]
    return AreaIndex(keys, geometries, near_metres=settings.NEAR_BOUNDARY_METRES)


def area_index(version: BoundaryVersion) -> AreaIndex:
    with _INDEXES_LOCK:
        index = _INDEXES.get(version.pk)
        if index is not None:
            _INDEXES.move_to_end(version.pk)
            return index
    index = _index_build(version)  # outside the lock: building takes a moment
    with _INDEXES_LOCK:
        _INDEXES[version.pk] = index
        while len(_INDEXES) > _INDEXES_KEPT:
            _INDEXES.popitem(last=False)
    return index


def holders(area_ids, role: str | None = None, on: date | None = None) -> dict:
    """Area id -> list of officials holding a seat there today (optionally one role)."""
    officials = Official.objects.current(on).filter(post__area_id__in=list(area_ids))
    if role:
        officials = officials.filter(post__role=role)
    result: dict = {}
    for official in officials.select_related("post", "post__area"):
        result.setdefault(official.post.area_id, []).append(official)
    return result


_MAPS: OrderedDict = OrderedDict()


def district_map(boundary_set: BoundarySet, on: date | None = None) -> DistrictMap | None:
    """The set's districts in force, drawn (districts.maps); None without a map. The drawing
    is kept per version, like the lookup index; the areas' names and their translations
    are read again every PAGE_LIVE_SECONDS (the admin may change them)."""
    version = version_in_force(boundary_set, on)
    if version is None:
        return None
    with _INDEXES_LOCK:
        drawn = _MAPS.get(version.pk)
    if drawn is None:
        shapes = AreaShape.objects.filter(version=version).values_list(
            "area_id", "area__number", "area__name", "geometry"
        )
        rows = sorted(shapes, key=lambda row: number_order(row[1]))
        drawn = map_draw([(key, num, name, shape(geo)) for key, num, name, geo in rows])
        with _INDEXES_LOCK:
            _MAPS[version.pk] = drawn
            while len(_MAPS) > _INDEXES_KEPT:
                _MAPS.popitem(last=False)
    return _named(drawn, version)


def _named(drawn: DistrictMap, version: BoundaryVersion) -> DistrictMap:
    """The drawing with each area's current name and translations."""
    words = kept.remembered(
        ("area-words", version.pk),
        settings.PAGE_LIVE_SECONDS,
        lambda: {
            str(pk): (name, translations)
            for pk, name, translations in Area.objects.filter(shapes__version=version).values_list(
                "pk", "name", "translations"
            )
        },
    )
    areas = []
    for area in drawn.areas:
        name, translations = words.get(area.key, (area.name, {}))
        areas.append(replace(area, name=name, translations=translations or {}))
    return replace(drawn, areas=tuple(areas))


@dataclass(frozen=True)
class SeatSummary:
    """One kind of seat a campaign can target: a set's role, with how ready it is."""

    boundary_set: BoundarySet
    role: str
    seats: int
    held: int  # seats someone holds today
    addressed: int  # holders with a delivery address
    has_map: bool  # addresses can be looked up (a boundary version in force)

    @property
    def at_large(self) -> bool:
        """One seat for the whole territory, such as a mayor's."""
        return self.seats == 1


def seat_summaries() -> list[SeatSummary]:
    """Every set's seats, by role: what organisers can target today, and what is missing."""
    seats = Counter(Post.objects.values_list("area__boundary_set", "role"))
    holders = Official.objects.current().values_list(
        "post__area__boundary_set", "post__role", "post_id", "email"
    )
    held, addressed = defaultdict(set), Counter()
    for set_id, role, post_id, email in holders:
        held[(set_id, role)].add(post_id)
        addressed[(set_id, role)] += bool(email)
    sets = BoundarySet.objects.in_bulk({set_id for set_id, _role in seats})
    rows = [
        SeatSummary(sets[set_id], role, count, len(held[(set_id, role)]),
                    addressed[(set_id, role)], version_in_force(sets[set_id]) is not None)
        for (set_id, role), count in seats.items()
    ]  # fmt: skip
    return sorted(rows, key=lambda row: (row.boundary_set.name, row.role))
