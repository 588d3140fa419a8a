"""What every geocoder returns or raises. A provider module has one class with ``name``
and ``geocode(address) -> Match``."""

from dataclasses import dataclass
from typing import Any, Protocol

from altavoz.geocoding.address import Address


@dataclass(frozen=True)
class Match:
    lon: float
    lat: float
    matched_address: str
    provider: str
    zip_code: str = ""  # the ZIP of the matched address, when the provider says it


class GeocodeError(Exception):
    code = "error"


class NoMatch(GeocodeError):
    """The provider answered: no such address."""

    code = "no_match"


class Ambiguous(GeocodeError):
    """Several different places match; ``candidates`` are their addresses."""

    code = "ambiguous"

    def __init__(self, candidates: list[str]):
        super().__init__(f"{len(candidates)} matches")
        self.candidates = candidates


class Unavailable(GeocodeError):
    """The provider could not be asked or answered nonsense (timeout, network, garbage)."""

    code = "unavailable"


class Unreachable(Unavailable):
    """The provider's service did not answer usefully (network, timeout, server error,
    garbage): the chain skips that provider for GEOCODER_SKIP_SECONDS."""


class Geocoder(Protocol):
    name: str

    def geocode(self, address: Address) -> Match: ...


def valid_point(lon: Any, lat: Any) -> tuple[float, float]:
    """Coordinates from outside, checked: numbers, on Earth. Garbage is Unavailable."""
    try:
        x, y = float(lon), float(lat)
    except (TypeError, ValueError):
        raise Unavailable(f"coordinates are not numbers: {lon!r}, {lat!r}") from None
    if not (-180 <= x <= 180 and -90 <= y <= 90):
        raise Unavailable(f"coordinates off the Earth: {x}, {y}")
    return x, y
