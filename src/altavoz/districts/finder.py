"""Who represents this address: geocode, find the district(s), name the official(s).

Every outcome is a Finding with a status and a sentence for the person; nothing here raises
for bad input or a failing geocoder. Statuses:

- ``found``: one district, not near an edge;
- ``near_line``: near a district line (or on two), ask the person to check from ``areas``;
- ``outside``: the point is outside every district, and the message says where it is when
  the set names its surrounding municipalities (``BoundarySet.places``): "This address is in
  Hialeah, not in the City of Miami", "... in unincorporated Miami-Dade ...", "... is not in
  Miami-Dade County ..."; ``place`` holds that municipality's name;
- ``invalid``: the address cannot be used (PO box, gibberish, ZIP mismatch...);
- ``no_match`` / ``ambiguous``: the geocoders found nothing / several places;
- ``unavailable``: no map in force for this set, or no geocoder could be reached.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from altavoz.districts import selectors
from altavoz.districts.models import Area, BoundarySet, Official
from altavoz.geocoding import chain
from altavoz.geocoding.address import AddressError, address_parse
from altavoz.geocoding.base import Ambiguous, Match, NoMatch, Unavailable, valid_point


@dataclass(frozen=True)
class Finding:
    status: str
    message: str
    areas: tuple[Area, ...] = ()
    officials: dict = field(default_factory=dict)  # area id -> [Official]
    point: tuple[float, float] | None = None
    matched_address: str = ""
    # outside: where the point is instead, when known, as stored with a petition-only
    # signature for organisers: "Hialeah", "unincorporated Miami-Dade", "outside Miami-Dade
    # County" (the areas' own names; ``message`` says it in the page's language)
    place: str = ""

    @property
    def area(self) -> Area | None:
        return self.areas[0] if self.status == "found" else None

    def holder(self, area: Area) -> Official | None:
        found = self.officials.get(area.pk) or []
        return found[0] if found else None


def _territory(boundary_set: BoundarySet) -> str:
    """ "the City of Miami", in the page's language ("la Ciudad de Miami")."""
    return boundary_set.display_territory or boundary_set.name


def _place_area(boundary_set: BoundarySet, point, on) -> tuple[BoundarySet, Area | None] | None:
    """The municipality the point is in, from the set's places set (None: no places map)."""
    places = BoundarySet.objects.filter(slug=boundary_set.places).first()
    version = selectors.version_in_force(places, on) if places else None
    if version is None:
        return None
    key = selectors.area_index(version).locate(*point).key
    return places, (Area.objects.filter(pk=key).first() if key else None)


def _is_territory(boundary_set: BoundarySet, place: Area) -> bool:
    """Whether the municipality is the set's own territory: its OCD-ID is the parent of the
    districts' (place:miami above place:miami/council_district:2)."""
    return boundary_set.areas.filter(ocd_id__startswith=place.ocd_id + "/").exists()


def _outside(boundary_set: BoundarySet, point, matched: str, on=None) -> Finding:
    territory = _territory(boundary_set)
    found = _place_area(boundary_set, point, on) if boundary_set.places else None
    place = ""
    if found is None:
        message = _("This address is not in %(place)s.") % {"place": territory}
    elif found[1] is None:
        message = _("This address is not in %(county)s, so it is not in %(place)s.") % {
            "county": _territory(found[0]),
            "place": territory,
        }
        place = f"outside {found[0].territory or found[0].name}"
    elif _is_territory(boundary_set, found[1]):
        message = _(
            "This address is at the edge of %(place)s, outside its district map. "
            "If you live in %(place)s, choose your district below."
        ) % {"place": territory}
    else:
        place = found[1].name
        message = _("This address is in %(municipality)s, not in %(place)s.") % {
            "municipality": found[1].display_name,
            "place": territory,
        }
    return Finding("outside", message, point=point, matched_address=matched, place=place)


def _found(areas, near: bool, role, on, point, matched) -> Finding:
    officials = selectors.holders([a.pk for a in areas], role, on)
    if len(areas) == 1 and not near:
        return Finding("found", "", tuple(areas), officials, point, matched)
    message = _("This address is close to a district line. Please confirm your district below.")
    return Finding("near_line", message, tuple(areas), officials, point, matched)


def district_find_point(
    *,
    boundary_set: BoundarySet,
    lon,
    lat,
    role: str | None = None,
    on: date | None = None,
    matched_address: str = "",
) -> Finding:
    """The district(s) of a point (from a geocoder or the browser's location)."""
    try:
        point = valid_point(lon, lat)
    except Unavailable:
        return Finding("invalid", _("That location could not be read."))
    version = selectors.version_in_force(boundary_set, on)
    if version is None:
        return _no_map()
    location = selectors.area_index(version).locate(*point)
    keys = location.keys
    if location.near_boundary:  # the district(s) it is in first, then the others in reach
        keys += tuple(key for key in location.nearby if key not in keys)
    if not keys:
        return _outside(boundary_set, point, matched_address, on)
    by_key = Area.objects.in_bulk(keys)
    areas = [by_key[key] for key in keys if key in by_key]  # the index's order: tie-break
    return _found(areas, location.near_boundary, role, on, point, matched_address)


def _no_map() -> Finding:
    return Finding("unavailable", str(NO_MAP))


NO_MAP = gettext_lazy(
    "This campaign cannot find a district from an address yet. Choose your district below."
)
GEOCODE_MESSAGES = {
    "no_match": gettext_lazy(
        "We could not find this address. "
        "Check the street and ZIP code, or choose your district below."
    ),
    "ambiguous": gettext_lazy(
        "Several places match this address. Add the ZIP code or choose your district below."
    ),
    "unavailable": gettext_lazy(
        "Address lookup is unavailable right now. Choose your district below."
    ),
}


ZIP_DISAGREES = gettext_lazy(
    "We found this street in ZIP code %(found)s, not %(typed)s. "
    "Check your ZIP code, or choose your district below."
)


def zip_disagrees(match: Match, typed: str) -> bool:
    typed = typed.strip()[:5]
    return bool(typed and match.zip_code and match.zip_code != typed)


class NotFound(Exception):
    def __init__(self, finding: Finding):
        super().__init__(finding.message)
        self.finding = finding


def address_geocode(street: str, zip_code: str = "") -> Match:
    """The point for a typed address; NotFound carries the Finding to show instead."""
    try:
        address = address_parse(street, zip_code)
    except AddressError as exc:
        raise NotFound(Finding("invalid", str(exc.message))) from exc
    return _geocoded(address)


def _geocoded(address) -> Match:
    try:
        return chain.geocode(address)
    except (NoMatch, Ambiguous, Unavailable) as exc:
        raise NotFound(Finding(exc.code, str(GEOCODE_MESSAGES[exc.code]))) from exc


def district_find(
    *,
    boundary_set: BoundarySet,
    street: str,
    zip_code: str = "",
    role: str | None = None,
    on: date | None = None,
) -> Finding:
    """The district(s) of a typed address."""
    try:
        address = address_parse(street, zip_code)
    except AddressError as exc:
        return Finding("invalid", str(exc.message))
    if selectors.version_in_force(boundary_set, on) is None:
        return _no_map()
    try:
        match = _geocoded(address)
    except NotFound as exc:
        return exc.finding
    if zip_disagrees(match, zip_code):
        return Finding(
            "invalid",
            str(ZIP_DISAGREES) % {"found": match.zip_code, "typed": zip_code.strip()[:5]},
            matched_address=match.matched_address,
        )
    return district_find_point(
        boundary_set=boundary_set,
        lon=match.lon,
        lat=match.lat,
        role=role,
        on=on,
        matched_address=match.matched_address,
    )
