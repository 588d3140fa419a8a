"""The US Census Geocoder (free, no key): the default provider.

GET {GEOCODER_CENSUS_URL}/locations/address?street=..&zip=..&benchmark=..&format=json
answers ``{"result": {"addressMatches": [{"matchedAddress", "coordinates": {"x", "y"}}]}}``.
No match is an empty list; several matches more than a few metres apart are ambiguous;
errors come as ``{"errors": [...]}`` (Unavailable); timeouts, server errors and garbage are
Unreachable (the chain then skips the Census for a while).
"""

import math
import re

from django.conf import settings

from altavoz import httpclient
from altavoz.geocoding.address import Address
from altavoz.geocoding.base import Ambiguous, Match, NoMatch, Unavailable, Unreachable, valid_point

# Matches closer than this are one place (the Census often returns both sides of a street).
SAME_PLACE_METRES = 100.0
TRAILING_ZIP = re.compile(r"(\d{5})(?:-\d{4})?\s*$")


def _metres_apart(a: tuple[float, float], b: tuple[float, float]) -> float:
    scale = math.cos(math.radians((a[1] + b[1]) / 2))
    return math.hypot((a[0] - b[0]) * 111_320 * scale, (a[1] - b[1]) * 110_574)


def _matches(payload: object) -> list[tuple[str, tuple[float, float]]]:
    if not isinstance(payload, dict):
        raise Unavailable("the Census Geocoder answered something that is not an object")
    if payload.get("errors"):
        raise Unavailable(f"the Census Geocoder refused the query: {payload['errors']}")
    result = payload.get("result")
    if not isinstance(result, dict) or not isinstance(result.get("addressMatches"), list):
        raise Unavailable("the Census Geocoder answer has no result.addressMatches")
    found = []
    for item in result["addressMatches"]:
        coords = item.get("coordinates") if isinstance(item, dict) else None
        if not isinstance(coords, dict):
            raise Unavailable("a Census match has no coordinates")
        found.append(
            (str(item.get("matchedAddress", "")), valid_point(coords.get("x"), coords.get("y")))
        )
    return found


class CensusGeocoder:
    name = "census"

    def __init__(self, url: str | None = None, benchmark: str | None = None):
        self.url = (url or settings.GEOCODER_CENSUS_URL).rstrip("/")
        self.benchmark = benchmark or settings.GEOCODER_CENSUS_BENCHMARK

    def _ask(self, address: Address) -> object:
        params = {"street": address.street, "benchmark": self.benchmark, "format": "json"}
        params.update({k: v for k, v in (("city", address.city), ("state", address.state)) if v})
        if address.zip_code:
            params["zip"] = address.zip_code[:5]
        try:
            return httpclient.get_json(
                f"{self.url}/locations/address",
                params=params,
                timeout=settings.GEOCODER_TIMEOUT_SECONDS,
            )
        except httpclient.HttpError as exc:
            raise Unreachable(str(exc)) from exc

    def geocode(self, address: Address) -> Match:
        found = _matches(self._ask(address))
        if not found:
            raise NoMatch(address.one_line())
        first = found[0][1]
        if any(_metres_apart(first, point) > SAME_PLACE_METRES for _, point in found[1:]):
            raise Ambiguous([name for name, _ in found])
        matched = found[0][0]
        zip_code = TRAILING_ZIP.search(matched)
        return Match(
            lon=first[0],
            lat=first[1],
            matched_address=matched,
            provider=self.name,
            zip_code=zip_code.group(1) if zip_code else "",
        )
