"""On the page: the live "Your commissioner" line (JSON endpoint), browser location, the
no-JavaScript district step, and bad input that never becomes a 500."""

import re

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from altavoz.campaigns.models import Signature
from altavoz.districts.boundaries.area_index import degrees_for_metres
from recorded import Reply
from synthetic_city import a_school_in, control_point

URL = "/act/miami-287g/"
LOOKUP = URL + "lookup/"


def lookup(client, **params):
    response = client.get(LOOKUP, params)
    assert response.status_code == 200
    return response.json()


def test_typing_an_address_names_the_commissioner_and_fills_the_greeting(
    client, city_map, district
):
    answer = lookup(client, street="3500 Pan American Drive", zip="33133")
    assert answer["status"] == "found"
    assert answer["message"] == "Your commissioner: District 2 — Damian Pardo"
    assert answer["greeting"] == "Dear Commissioner Damian Pardo,"
    assert answer["districts"][0]["id"] == str(district(2).pk)


def test_the_second_anchor_is_in_district_five(client, city_map):
    answer = lookup(client, street="111 NW 1st Street", zip="33128")
    assert answer["message"] == "Your commissioner: District 5 — Christine King"


def test_an_address_outside_the_city_gets_a_plain_answer(client, city_map):
    school = a_school_in("Hialeah")
    answer = lookup(client, street=school["address"], zip=school["zip"])
    assert answer == {
        "status": "outside",
        "message": "This address is not in the City of Miami. "
        "This action is for people who live in the City of Miami.",
        "districts": [],
        "greeting": "",
        "petition_only": False,
    }


def test_browser_location_finds_the_district(client, city_map):
    lon, lat = control_point("City District 4")
    answer = lookup(client, lat=lat, lon=lon)
    assert answer["message"] == 'Your commissioner: District 4 — Ralph "Rafael" Rosado'


def test_a_point_a_few_metres_from_a_district_line_asks_to_confirm(client, city_map):
    lon, lat = control_point("City District 3")
    edge = lon + 0.0005  # the east edge of the square around the point
    answer = lookup(client, lat=lat, lon=edge - degrees_for_metres(5, lat)[0])
    assert answer["status"] == "near_line"
    assert "close to a district line" in answer["message"]
    assert [d["label"] for d in answer["districts"]] == ["District 3 — Rolando Escalona"]


def test_without_a_map_the_page_says_lookup_is_unavailable(client, miami):
    answer = lookup(client, street="3500 Pan American Dr", zip="33133")
    assert answer["status"] == "unavailable"
    assert "Choose your district below" in answer["message"]


def census_answers(recorded, settings, reply: Reply) -> None:
    """Only the Census Geocoder is asked, and it gives this recorded reply."""
    settings.GEOCODERS = ["census"]
    settings.GEOCODER_CENSUS_URL = recorded.base + "/geocoder"
    settings.GEOCODER_TIMEOUT_SECONDS = 1
    recorded.answer("/geocoder/locations/address", reply)


def census_match(matched: str, lon: float, lat: float) -> Reply:
    match = {"matchedAddress": matched, "coordinates": {"x": lon, "y": lat}}
    return Reply({"result": {"addressMatches": [match]}})


def test_when_no_geocoder_answers_lookup_is_unavailable(client, city_map, recorded, settings):
    census_answers(recorded, settings, Reply("{}", delay=1.5))
    answer = lookup(client, street="3500 Pan American Dr", zip="33133")
    assert answer["status"] == "unavailable"
    assert answer["message"].startswith("Address lookup is unavailable right now.")


def test_an_address_in_another_state_is_not_in_the_city(client, city_map, recorded, settings):
    atlanta = census_match("100 MAIN ST, ATLANTA, GA, 30303", -84.39, 33.75)
    census_answers(recorded, settings, atlanta)
    answer = lookup(client, street="100 Main St, Atlanta GA", zip="30303")
    assert answer["message"].startswith("This address is not in the City of Miami.")


def test_a_zip_that_disagrees_with_the_street_is_named(client, city_map, recorded, settings):
    city_hall = census_match(
        "3500 PAN AMERICAN DR, MIAMI, FL, 33133", -80.234992579394, 25.728661855119
    )
    census_answers(recorded, settings, city_hall)
    answer = lookup(client, street="3500 Pan American Dr", zip="33101")
    assert answer["status"] == "invalid"
    assert answer["message"].startswith("We found this street in ZIP code 33133, not 33101.")


@pytest.mark.parametrize(
    ("street", "zip_code", "status", "says"),
    [
        ("asdf qwer zxcv", "33133", "invalid", "house number and street"),
        ("PO Box 1234", "33101", "invalid", "PO box"),
        ("3500 Pan American Dr " + "x" * 5000, "33133", "invalid", "too long"),
        ("3500 Pan American Dr, Miami FL 33133", "33101", "invalid", "ZIP 33133"),
        ("3500 Pan American Dr", "33101", "no_match", "Check the street and ZIP code"),
        ("🙂 Calle Ocho ñandú", "33135", "invalid", "house number and street"),
        ("3500 Pan American Dr", "", "no_match", "Check the street and ZIP code"),
    ],
    ids=["gibberish", "po-box", "5000-chars", "zip-mismatch", "zip-disagrees", "unicode", "no-zip"],
)
def test_bad_input_gets_a_specific_answer(client, city_map, street, zip_code, status, says):
    answer = lookup(client, street=street, zip=zip_code)
    assert answer["status"] == status
    assert says in answer["message"]


@pytest.mark.parametrize("params", [{"lat": "abc", "lon": "1"}, {"lat": "nan", "lon": "inf"}, {}])
def test_bad_coordinates_and_empty_queries_are_answered(client, city_map, params):
    assert lookup(client, **params)["status"] == "invalid"


def test_the_endpoint_is_rate_limited_per_visitor(client, city_map, settings):
    settings.LOOKUP_RATE_PER_MINUTE = 3
    for _ in range(3):
        assert (
            client.get(LOOKUP, {"street": "3500 Pan American Dr", "zip": "33133"}).status_code
            == 200
        )
    refused = client.get(LOOKUP, {"street": "3500 Pan American Dr", "zip": "33133"})
    assert refused.status_code == 429
    assert "choose your district" in refused.json()["message"]
    other = client.get(LOOKUP, {"zip": "33133"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


# Without JavaScript


def test_without_javascript_the_server_looks_up_and_asks_to_confirm(
    client, city_map, supporter_post, district
):
    response = client.post(URL, supporter_post(area=None))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your commissioner: District 2 — Damian Pardo" in html
    assert re.search(rf'value="{district(2).pk}"[^>]*checked', html)
    assert "Dear Commissioner Damian Pardo," in html
    assert not Signature.objects.exists()
    assert client.post(URL, supporter_post()).status_code == 302


def test_without_javascript_an_address_outside_the_city_keeps_the_chooser(
    client, city_map, supporter_post
):
    school = a_school_in("Hialeah")
    post = supporter_post(area=None, street_address=school["address"], zip_code=school["zip"])
    response = client.post(URL, post)
    assert response.status_code == 400
    html = response.content.decode()
    assert "This address is not in the City of Miami." in html
    assert html.count('name="area"') == 5
    assert not Signature.objects.exists()


def test_without_javascript_lookups_share_the_rate_limit(
    client, city_map, supporter_post, settings
):
    settings.LOOKUP_RATE_PER_MINUTE = 1
    assert client.post(URL, supporter_post(area=None)).status_code == 200
    refused = client.post(URL, supporter_post(area=None))
    assert refused.status_code == 400
    assert "Choose your district" in refused.content.decode()


def test_without_a_map_the_chooser_still_works(client, miami, supporter_post):
    response = client.post(URL, supporter_post(area=None))
    assert response.status_code == 400
    assert "cannot find a district from an address yet" in response.content.decode()
    assert client.post(URL, supporter_post()).status_code == 302


def test_a_geocoder_answering_garbage_degrades_to_the_chooser(
    client, city_map, recorded, settings, supporter_post
):
    census_answers(recorded, settings, Reply("<html>", content_type="text/html"))
    response = client.post(URL, supporter_post(area=None))
    assert response.status_code == 400
    assert "Address lookup is unavailable right now." in response.content.decode()


def test_the_page_script_is_a_static_file_and_nothing_is_inline_or_third_party(
    client, city_map, settings
):
    html = client.get(URL).content.decode()
    scripts = re.findall(r"<script([^>]*)>", html)
    assert any('src="/static/altavoz/lookup.js"' in attrs for attrs in scripts)
    for attrs in scripts:
        assert "src=" in attrs or 'type="application/json"' in attrs, attrs
    for url in re.findall(r'(?:src|href)="((?:https?:)?//[^"]*)"', html):
        assert url.startswith(settings.SITE_URL + "/"), url  # only this site's own pages
    assert 'data-lookup-url="/act/miami-287g/lookup/"' in html
    assert "Use my location" in html


any_text = st.text(max_size=300) | st.text(alphabet=st.characters(codec="utf-8"), max_size=6000)


@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(street=any_text, zip_code=any_text, lat=any_text)
def test_any_lookup_gets_a_clear_answer(client, city_map, settings, street, zip_code, lat):
    settings.LOOKUP_RATE_PER_MINUTE = 10_000
    answer = client.get(LOOKUP, {"street": street, "zip": zip_code})
    assert answer.status_code == 200 and answer.json()["message"]
    by_point = client.get(LOOKUP, {"lat": lat, "lon": street[:20]})
    assert by_point.status_code == 200 and by_point.json()["message"]
