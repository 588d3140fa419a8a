"""Geocoding: address normalisation, the Census Geocoder, geopy providers, the offline
address points, and the chain with its cache. All HTTP goes to a local recorded server."""

import time
from pathlib import Path

import pytest
import time_machine
from django.core.cache import cache

from altavoz import httpclient
from altavoz.geocoding import chain
from altavoz.geocoding.address import AddressError, address_parse
from altavoz.geocoding.address_points import AddressPointsGeocoder
from altavoz.geocoding.base import Ambiguous, Match, NoMatch, Unavailable
from altavoz.geocoding.census import CensusGeocoder
from altavoz.geocoding.geopy_provider import GeopyGeocoder
from recorded import Reply

SCHOOLS = (
    Path(__file__).resolve().parents[1]
    / "src/altavoz/data/miami/miami_dade_schools_address_points_2015.csv"
)
CENSUS_PATH = "/geocoder/locations/address"
# Shaped like the Census Geocoder's documented JSON; the point is the City Hall anchor of
# data/miami/miami_district_control_points.csv.
CITY_HALL = {
    "matchedAddress": "3500 PAN AMERICAN DR, MIAMI, FL, 33133",
    "coordinates": {"x": -80.234992579394, "y": 25.728661855119},
}


def census_answer(*matches) -> dict:
    return {
        "result": {
            "input": {"benchmark": {"benchmarkName": "Public_AR_Current"}},
            "addressMatches": list(matches),
        }
    }


@pytest.fixture
def census(recorded, settings):
    settings.GEOCODER_CENSUS_URL = recorded.base + "/geocoder"
    settings.GEOCODER_TIMEOUT_SECONDS = 1
    return CensusGeocoder()


def city_hall():
    return address_parse("3500 Pan American Drive", "33133")


# Addresses


def test_spelled_out_and_abbreviated_streets_share_one_key():
    assert address_parse("3500 Pan American Drive", "33133").key == (
        address_parse("3500 pan american dr.", "33133").key
    )
    assert address_parse("12 Northwest 1st Street", "33128").street == "12 NW 1ST ST"


def test_without_a_zip_the_city_and_state_are_part_of_the_key():
    atlanta = address_parse("100 Main St, Atlanta GA")
    miami = address_parse("100 Main St, Miami FL")
    assert atlanta.key != miami.key


def test_unit_numbers_are_kept_but_do_not_change_the_key():
    with_unit = address_parse("1500 SW 8th St Apt 4B", "33135")
    assert with_unit.unit == "APT 4B"
    assert with_unit.key == address_parse("1500 SW 8th St", "33135").key
    assert "APT 4B" in with_unit.one_line()


@pytest.mark.parametrize("typed", ["PO Box 123", "P.O. Box 55, Miami FL 33101"])
def test_po_boxes_are_refused_with_a_reason(typed):
    with pytest.raises(AddressError) as refused:
        address_parse(typed, "33101")
    assert refused.value.code == "po_box"
    assert "not where you live" in str(refused.value.message)


@pytest.mark.parametrize(
    ("typed", "zip_code", "code"),
    [
        ("asdfgh qwerty", "33133", "incomplete"),
        ("", "33133", "empty"),
        ("3500 Pan American Dr " + "x" * 5000, "33133", "too_long"),
        ("3500 Pan American Dr, Miami FL 33133", "33101", "zip_mismatch"),
        ("3500 Pan American Dr", "ABCDE", "zip"),
    ],
)
def test_unusable_addresses_get_a_specific_reason(typed, zip_code, code):
    with pytest.raises(AddressError) as refused:
        address_parse(typed, zip_code)
    assert refused.value.code == code


def test_unicode_and_control_characters_are_normalised():
    address = address_parse("\uff13\uff15\uff10\uff10 Pan\u00a0American\tDr", "33133")
    assert address.street == "3500 PAN AMERICAN DR"


# The Census Geocoder


def test_census_returns_the_matched_point(census, recorded):
    recorded.answer(CENSUS_PATH, body=census_answer(CITY_HALL))
    match = census.geocode(city_hall())
    assert (match.lon, match.lat) == (-80.234992579394, 25.728661855119)
    assert match.provider == "census" and match.zip_code == "33133"
    _, query = recorded.requests[-1]
    assert query["street"] == "3500 PAN AMERICAN DR" and query["zip"] == "33133"
    assert query["benchmark"] == "Public_AR_Current" and query["format"] == "json"


def test_census_without_matches_is_no_match(census, recorded):
    recorded.answer(CENSUS_PATH, body=census_answer())
    with pytest.raises(NoMatch):
        census.geocode(city_hall())


def test_census_matches_far_apart_are_ambiguous(census, recorded):
    elsewhere = {
        "matchedAddress": "3500 PAN AMERICAN DR, X",
        "coordinates": {"x": -81.0, "y": 27.0},
    }
    recorded.answer(CENSUS_PATH, body=census_answer(CITY_HALL, elsewhere))
    with pytest.raises(Ambiguous) as ambiguous:
        census.geocode(city_hall())
    assert len(ambiguous.value.candidates) == 2


def test_census_matches_a_few_metres_apart_are_one_place(census, recorded):
    across = {
        "matchedAddress": "3500 PAN AMERICAN DR",
        "coordinates": {"x": -80.2350, "y": 25.7287},
    }
    recorded.answer(CENSUS_PATH, body=census_answer(CITY_HALL, across))
    assert census.geocode(city_hall()).lon == pytest.approx(-80.234992579394)


@pytest.mark.parametrize(
    "reply",
    [
        Reply("<html>Service Unavailable</html>", content_type="text/html"),
        Reply({"errors": ["Street address cannot be empty"], "status": "400"}, status=400),
        Reply({"result": {"addressMatches": [{"coordinates": {"x": "abc", "y": None}}]}}),
        Reply({"result": "nothing"}),
        Reply("oops", status=500),
        Reply(census_answer(CITY_HALL), delay=1.5),
    ],
    ids=["html", "error", "garbage-coordinates", "no-matches-list", "server-error", "timeout"],
)
def test_census_failures_and_garbage_are_unavailable(census, recorded, reply):
    recorded.answer(CENSUS_PATH, reply)
    with pytest.raises(Unavailable):
        census.geocode(city_hall())


def test_the_wrapper_never_reaches_beyond_this_machine_in_tests(settings):
    settings.GEOCODER_CENSUS_URL = "https://geocoding.geo.census.gov/geocoder"
    with pytest.raises(Unavailable, match="network disabled in tests"):
        CensusGeocoder().geocode(city_hall())
    with pytest.raises(httpclient.HttpError):
        httpclient.get("file:///etc/passwd")


# geopy (Nominatim through our wrapper, parsed by geopy itself)

NOMINATIM_CITY_HALL = [
    {
        "lat": "25.7286619",
        "lon": "-80.2349926",
        "display_name": "Miami City Hall, 3500, Pan American Drive, Miami, FL, 33133, USA",
        "class": "amenity",
        "type": "townhall",
    }
]


@pytest.fixture
def nominatim(recorded):
    domain = recorded.base.removeprefix("http://")
    options = {"domain": domain, "scheme": "http", "user_agent": "altavoz-tests"}
    return GeopyGeocoder("nominatim", options)


def test_a_geopy_provider_parses_a_recorded_nominatim_answer(nominatim, recorded):
    recorded.answer("/search", body=NOMINATIM_CITY_HALL)
    match = nominatim.geocode(city_hall())
    assert (match.lon, match.lat) == (-80.2349926, 25.7286619)
    assert match.provider == "nominatim" and "Pan American" in match.matched_address
    _, query = recorded.requests[-1]
    assert query["q"] == "3500 PAN AMERICAN DR, 33133" and query["format"] == "json"


def test_a_geopy_provider_with_no_result_is_no_match(nominatim, recorded):
    recorded.answer("/search", body=[])
    with pytest.raises(NoMatch):
        nominatim.geocode(city_hall())


def test_nominatim_gets_at_most_one_request_per_second(nominatim, recorded):
    recorded.answer("/search", body=NOMINATIM_CITY_HALL)
    nominatim.geocode(city_hall())
    with pytest.raises(Unavailable, match="usage policy"):
        nominatim.geocode(city_hall())
    assert len(recorded.requests) == 1


def test_a_geopy_provider_that_times_out_is_unavailable(nominatim, recorded, settings):
    nominatim.geocoder.timeout = 0.5
    recorded.answer("/search", body=NOMINATIM_CITY_HALL, delay=1.5)
    with pytest.raises(Unavailable):
        nominatim.geocode(city_hall())


# Offline address points


def test_the_schools_address_points_geocode_offline():
    points = AddressPointsGeocoder(SCHOOLS)
    match = points.geocode(address_parse("14600 Country Walk Drive", "33186"))
    assert (match.lon, match.lat) == (-80.4299033, 25.6295887)
    assert match.matched_address == "14600 COUNTRY WALK DR"
    with pytest.raises(NoMatch):
        points.geocode(address_parse("14600 Country Walk Drive", "33101"))


def test_a_missing_points_file_is_unavailable(tmp_path):
    with pytest.raises(Unavailable):
        AddressPointsGeocoder(tmp_path / "none.csv").geocode(city_hall())


# The chain


class Counting:
    def __init__(self, name, outcome):
        self.name, self.outcome, self.calls = name, outcome, 0

    def geocode(self, address):
        self.calls += 1
        if isinstance(self.outcome, Exception):
            raise self.outcome
        return self.outcome


def test_the_chain_falls_through_to_the_next_provider_and_caches(census, recorded):
    recorded.answer(CENSUS_PATH, body=census_answer(CITY_HALL))
    offline = Counting("offline", NoMatch("x"))
    first = chain.geocode(city_hall(), [offline, census])
    again = chain.geocode(address_parse("3500 pan american dr apt 2", "33133"), [offline, census])
    assert first == again and first.provider == "census"
    assert offline.calls == 1 and len(recorded.requests) == 1


def test_no_match_is_cached_and_unavailable_is_not(census, recorded):
    recorded.answer(CENSUS_PATH, body=census_answer())
    for _ in range(2):
        with pytest.raises(NoMatch):
            chain.geocode(city_hall(), [census])
    assert len(recorded.requests) == 1
    cache.clear()
    down = Counting("down", Unavailable("timeout"))
    for _ in range(2):
        with pytest.raises(Unavailable):
            chain.geocode(city_hall(), [down])
    assert down.calls == 2


def test_the_chain_is_built_from_settings(settings):
    settings.GEOCODERS = ["address_points", "census", "nominatim"]
    settings.GEOCODER_ADDRESS_POINTS_FILE = str(SCHOOLS)
    names = [p.name for p in chain.providers_from_settings()]
    assert names == ["address_points", "census", "nominatim"]


def test_a_geocoder_registered_once_is_accepted_by_settings_and_built_by_the_chain(
    settings, monkeypatch
):
    """The registry is the one list: settings validate against it, the chain builds from it."""
    from altavoz.geocoding import registry

    class CityHall:
        name = "city_hall"

        def geocode(self, address):
            return Match(lon=-80.235, lat=25.7287, matched_address="x", provider=self.name)

    monkeypatch.setattr(registry, "GEOCODERS", dict(registry.GEOCODERS))
    assert registry.unknown(["city_hall"]) == (
        "GEOCODERS: unknown city_hall; use census, address_points or a geopy service name "
        "such as nominatim."
    )
    registry.geocoder_register("city_hall", lambda name: CityHall())
    assert registry.unknown(["city_hall", "census", "nominatim"]) == ""
    settings.GEOCODERS = ["city_hall"]
    cache.clear()
    assert chain.geocode(city_hall()).provider == "city_hall"
    with pytest.raises(ValueError, match="already registered"):
        registry.geocoder_register("nominatim", lambda name: CityHall())


# A provider that cannot be reached is skipped for a while


def test_a_census_timeout_or_server_error_is_unreachable_a_refused_query_is_not(census, recorded):
    from altavoz.geocoding.base import Unreachable

    recorded.answer(CENSUS_PATH, Reply("{}", delay=1.5))
    with pytest.raises(Unreachable):
        census.geocode(city_hall())
    recorded.answer(CENSUS_PATH, Reply({"error": "down"}, status=503))
    with pytest.raises(Unreachable):
        census.geocode(city_hall())
    recorded.answer(CENSUS_PATH, body={"errors": ["Street address is required"]})
    with pytest.raises(Unavailable) as refused:
        census.geocode(city_hall())
    assert not isinstance(refused.value, Unreachable)


def test_the_chain_skips_an_unreachable_provider_until_the_pause_is_over(settings):
    from altavoz.geocoding.base import Match, Unreachable

    settings.GEOCODER_SKIP_SECONDS = 60
    down = Counting("census", Unreachable("no answer within 4s"))
    here = Match(lon=-80.2, lat=25.7, matched_address="x", provider="points")
    points = Counting("points", here)
    assert chain.geocode(city_hall(), [down, points]) == here
    chain.geocode(address_parse("111 NW 1st St", "33128"), [down, points])
    assert down.calls == 1 and points.calls == 2
    assert chain.provider_skipped(down)
    cache.delete("geocoder:skip:census")  # as the pause expiring does
    chain.geocode(address_parse("1 Main St", "33128"), [down, points])
    assert down.calls == 1  # this process read the flag less than a second ago
    with time_machine.travel(time.time() + 2):
        chain.geocode(address_parse("2 Main St", "33128"), [down, points])
    assert down.calls == 2


def test_a_provider_that_answers_no_match_is_never_skipped(settings):
    nothing = Counting("census", NoMatch("x"))
    for street in ("1 Main St", "2 Main St"):
        with pytest.raises(NoMatch):
            chain.geocode(address_parse(street, "33128"), [nothing])
    assert nothing.calls == 2 and not chain.provider_skipped(nothing)
