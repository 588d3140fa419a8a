"""The provider chain: ask each configured geocoder in turn, cache what they say.

A provider that has no match or cannot be reached passes to the next; several matches stop
the chain (the person has to say which). Matches are cached for GEOCODE_CACHE_SECONDS and
"no match" for a day, keyed by the normalised address; failures to reach a provider are
never cached.

A provider that could not be reached (Unreachable: a timeout, a refused connection, a server
error) is skipped by every lookup for GEOCODER_SKIP_SECONDS (a flag in the shared cache), so
when the Census Geocoder is down one visitor waits for its timeout, not every visitor: the
next provider answers at once (each process reads the flag at most once a second). After
that time it is asked again.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache

from altavoz import kept
from altavoz.geocoding import registry
from altavoz.geocoding.address import Address
from altavoz.geocoding.base import (
    Ambiguous,
    GeocodeError,
    Geocoder,
    Match,
    NoMatch,
    Unavailable,
    Unreachable,
)

NO_MATCH_CACHE_SECONDS = 24 * 3600
SKIP_READ_SECONDS = 1


def providers_from_settings() -> list[Geocoder]:
    """GEOCODERS lists names in order, each registered in geocoding/registry.py; one that is
    not configured (address points without a file) is left out."""
    built = (registry.provider_build(name) for name in settings.GEOCODERS)
    return [provider for provider in built if provider is not None]


def _cache_key(address: Address) -> str:
    return "geocode:v1:" + hashlib.sha256(address.key.encode()).hexdigest()


def _skip_key(provider: Geocoder) -> str:
    return f"geocoder:skip:{provider.name}"


def provider_skipped(provider: Geocoder) -> bool:
    """Whether the shared flag says to skip ``provider``; read at most once a second per
    process (every lookup of a spike asks)."""
    key = _skip_key(provider)
    return bool(kept.remembered(key, SKIP_READ_SECONDS, lambda: bool(cache.get(key))))


def _ask(provider: Geocoder, address: Address) -> Match:
    if provider_skipped(provider):
        raise Unavailable(f"{provider.name}: skipped after a recent failure to reach it")
    try:
        return provider.geocode(address)
    except Unreachable:
        if settings.GEOCODER_SKIP_SECONDS:
            cache.set(_skip_key(provider), 1, settings.GEOCODER_SKIP_SECONDS)
            kept.forget(_skip_key(provider))  # this process sees it at once
        raise


def _ask_all(address: Address, providers: list[Geocoder]) -> Match:
    failures: list[GeocodeError] = []
    for provider in providers:
        try:
            return _ask(provider, address)
        except Ambiguous:
            raise
        except (NoMatch, Unavailable) as exc:
            failures.append(exc)
    if any(isinstance(f, NoMatch) for f in failures):
        raise NoMatch(address.one_line())
    raise Unavailable("; ".join(str(f) for f in failures) or "no geocoder configured")


def geocode(address: Address, providers: list[Geocoder] | None = None) -> Match:
    """The point for an address, from the cache or the first provider that knows it."""
    key = _cache_key(address)
    cached = cache.get(key)
    if cached == "no-match":
        raise NoMatch(address.one_line())
    if isinstance(cached, dict):
        return Match(**cached)
    try:
        match = _ask_all(address, providers if providers is not None else providers_from_settings())
    except NoMatch:
        cache.set(key, "no-match", NO_MATCH_CACHE_SECONDS)
        raise
    cache.set(key, match.__dict__, settings.GEOCODE_CACHE_SECONDS)
    return match
