"""Every geocoder Altavoz can ask, registered by name in one place.

Settings check ``GEOCODERS`` against this registry (``unknown``), and the chain builds each
named provider from it (``provider_build``). A provider is a class in its own module of this
package (``name``, ``geocode(address) -> Match``, see base.py); registering it is one entry
here: its name and a factory that builds it from the settings, or returns None when it is
not configured (an address-points geocoder without a file). Every service geopy knows
(``nominatim``, ...) is one family, built by geopy_provider.

The factories import their module when called, so settings.py can import this registry
before Django is set up.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING

from geopy.geocoders import SERVICE_TO_GEOCODER

if TYPE_CHECKING:  # the providers' modules load only when one is built
    from altavoz.geocoding.base import Geocoder

Factory = Callable[[str], "Geocoder | None"]


def _census(name: str) -> "Geocoder | None":
    from altavoz.geocoding.census import CensusGeocoder

    return CensusGeocoder()


def _address_points(name: str) -> "Geocoder | None":
    from django.conf import settings

    from altavoz.geocoding.address_points import AddressPointsGeocoder

    path = settings.GEOCODER_ADDRESS_POINTS_FILE
    return AddressPointsGeocoder(path) if path else None


def _geopy(name: str) -> "Geocoder | None":
    from django.conf import settings

    from altavoz.geocoding.geopy_provider import GeopyGeocoder

    return GeopyGeocoder(name, settings.GEOCODER_GEOPY_OPTIONS)


GEOCODERS: dict[str, Factory] = {
    "census": _census,
    "address_points": _address_points,
}
GEOPY_SERVICES: frozenset[str] = frozenset(SERVICE_TO_GEOCODER)


def geocoder_register(name: str, factory: Factory) -> None:
    """Add a geocoder under ``name`` (a name geopy uses is taken by geopy's family)."""
    if name in GEOCODERS or name in GEOPY_SERVICES:
        raise ValueError(f"a geocoder called {name!r} is already registered")
    GEOCODERS[name] = factory


def _factory(name: str) -> Factory | None:
    if name in GEOCODERS:
        return GEOCODERS[name]
    return _geopy if name in GEOPY_SERVICES else None


def unknown(names: list[str]) -> str:
    """A sentence naming what ``names`` holds that is not a geocoder ("" when all are)."""
    missing = sorted(name for name in names if _factory(name) is None)
    if not missing:
        return ""
    ours = ", ".join(GEOCODERS)
    return (
        f"GEOCODERS: unknown {', '.join(missing)}; use {ours} or a geopy service name such "
        "as nominatim."
    )


def provider_build(name: str) -> "Geocoder | None":
    """The geocoder registered as ``name``, built from the settings (None: not configured)."""
    factory = _factory(name)
    if factory is None:
        raise KeyError(unknown([name]))
    return factory(name)
