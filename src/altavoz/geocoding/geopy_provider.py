"""Providers an organisation configures through geopy (Nominatim, or any geopy service
with the organisation's own key), with geopy's requests routed through our one HTTP wrapper.

Nominatim's usage policy (at most one request per second, an identifying User-Agent, cache
the results): the chain caches every answer, the User-Agent comes from the settings, and a
shared cache slot lets at most one request per second through; when the slot is taken the
provider steps aside (Unavailable) rather than make a person wait.
"""

import json
from typing import Any

from django.conf import settings
from django.core.cache import cache
from geopy import exc as geopy_exc
from geopy import get_geocoder_for_service
from geopy.adapters import BaseSyncAdapter

from altavoz import httpclient
from altavoz.geocoding.address import Address
from altavoz.geocoding.base import Match, NoMatch, Unavailable, Unreachable, valid_point


class WrapperAdapter(BaseSyncAdapter):  # type: ignore[misc]  # geopy ships no types
    """geopy's transport, replaced by altavoz.httpclient (timeouts, typed errors, test guard)."""

    def __init__(self, *, proxies: Any = None, ssl_context: Any = None) -> None:
        super().__init__(proxies=proxies, ssl_context=ssl_context)

    def _get(self, url: str, *, timeout: float, headers: dict[str, str]) -> httpclient.Response:
        try:
            response: httpclient.Response = httpclient.get(url, timeout=timeout, headers=headers)
            return response
        except httpclient.HttpTimeout as exc:
            raise geopy_exc.GeocoderTimedOut(str(exc)) from exc
        except httpclient.HttpStatusError as exc:
            raise geopy_exc.GeocoderServiceError(str(exc)) from exc
        except httpclient.HttpError as exc:
            raise geopy_exc.GeocoderUnavailable(str(exc)) from exc

    def get_json(self, url: str, *, timeout: float, headers: dict[str, str]) -> Any:
        body = self._get(url, timeout=timeout, headers=headers).body
        try:
            return json.loads(body)
        except ValueError as exc:
            raise geopy_exc.GeocoderParseError(f"not JSON: {body[:80]!r}") from exc

    def get_text(self, url: str, *, timeout: float, headers: dict[str, str]) -> str:
        return self._get(url, timeout=timeout, headers=headers).body.decode("utf-8", "replace")


# The service did not answer usefully (as opposed to refusing this query, e.g. a bad key).
UNREACHABLE = (
    geopy_exc.GeocoderTimedOut,
    geopy_exc.GeocoderUnavailable,
    geopy_exc.GeocoderServiceError,
    geopy_exc.GeocoderParseError,
)


class GeopyGeocoder:
    def __init__(
        self, service: str, options: dict[str, Any] | None = None, min_interval: float = 1.0
    ):
        self.name = service
        self.min_interval = min_interval
        try:
            cls = get_geocoder_for_service(service)
        except geopy_exc.GeocoderNotFound as exc:
            raise ValueError(f"geopy has no geocoder called {service!r}") from exc
        defaults = {
            "user_agent": settings.HTTP_USER_AGENT,
            "timeout": settings.GEOCODER_TIMEOUT_SECONDS,
        }
        self.geocoder = cls(adapter_factory=WrapperAdapter, **{**defaults, **(options or {})})
        # Nominatim searches the whole world unless told; other services take no such option.
        self.extra = {"country_codes": "us"} if service == "nominatim" else {}

    def _take_slot(self) -> None:
        if self.min_interval and not cache.add(
            f"geopy:{self.name}:slot", 1, timeout=max(1, round(self.min_interval))
        ):
            raise Unavailable(f"{self.name}: one request per {self.min_interval}s (usage policy)")

    def geocode(self, address: Address) -> Match:
        self._take_slot()
        query = ", ".join(
            p for p in (address.street, address.city, address.state, address.zip_code) if p
        )
        try:
            location = self.geocoder.geocode(query, exactly_one=True, **self.extra)
        except UNREACHABLE as exc:
            raise Unreachable(f"{self.name}: {exc}") from exc
        except geopy_exc.GeopyError as exc:
            raise Unavailable(f"{self.name}: {exc}") from exc
        if location is None:
            raise NoMatch(query)
        lon, lat = valid_point(location.longitude, location.latitude)
        return Match(lon=lon, lat=lat, matched_address=location.address, provider=self.name)
