"""The lookup on the real, shipped maps, as `make demo` loads them: every real address point
answered, where an address outside the city is, the overlaps and the hole of the official
layer, the geocoder chain when the Census is down, and what an outside person may do."""

import csv
import re

import pytest
import shapely
import time_machine
from django.utils import timezone

from altavoz.campaigns import district_answers
from altavoz.campaigns.models import Campaign, Signature
from altavoz.delivery.models import Delivery
from altavoz.districts import selectors
from altavoz.districts.boundaries.area_index import gaps_between
from altavoz.districts.models import Official
from altavoz.geocoding import chain
from altavoz.geocoding.address import address_parse
from recorded import Reply
from synthetic_city import SCHOOLS, a_school_in, control_point, schools

URL = "/act/miami-287g/"
LOOKUP = URL + "lookup/"
# Rows where the 2015 file and the 2026 layers disagree, each explained by the 2026
# municipal layer (data/miami/layers/PROVENANCE.md): OBJECTID -> where the layers put it.
EXPLAINED = {
    "339": "Miguel Angel Gabela",  # "Miami-Dade" in 2015; in the City (District 1) in 2026
    "96": "Miami Gardens",  # "TIITF/ HRS" is not a municipality
    "179": "El Portal",  # "Miami-Dade" (unincorporated) in 2015
    "262": "El Portal",  # same address as 179
    "385": "North Miami",  # "Miami-Dade" in 2015
    "199": "Bay Harbor Islands",  # spelt "Bay Harbor Island" in the file
}


@pytest.fixture
def offline(settings):
    """The demo's offline geocoder alone: the shipped Miami-Dade address points."""
    settings.GEOCODERS = ["address_points"]
    settings.GEOCODER_ADDRESS_POINTS_FILE = str(SCHOOLS)


def _answer(campaign: Campaign, row: dict) -> str:
    """What the page says a school's address is: its commissioner, or its municipality."""
    finding = district_answers.find_for_campaign(
        campaign, street=row["address"], zip_code=row["zip"]
    )
    if finding.status in ("found", "near_line"):
        return finding.holder(finding.areas[0]).name
    assert finding.status == "outside", (row["source"], finding.status, finding.message)
    return finding.place


def _expected(row: dict) -> str:
    municipality = row["municipality_per_source"]
    return "unincorporated Miami-Dade" if municipality == "Miami-Dade" else municipality


def test_every_real_address_point_gets_its_commissioner_or_its_municipality(miami_maps, offline):
    commissioners = set(
        Official.objects.filter(post__role="Commissioner").values_list("name", flat=True)
    )
    disagreements = {}
    rows = schools()
    assert len(rows) == 435
    for row in rows:
        said = _answer(miami_maps, row)
        in_city = said in commissioners
        object_id = row["source"].rsplit(" ", 1)[1]
        agrees = in_city == (row["in_city_of_miami_per_source"] == "yes") and (
            in_city or said.casefold() == _expected(row).casefold()
        )
        if not agrees:
            disagreements[object_id] = said
    assert disagreements == EXPLAINED


def test_an_address_in_another_municipality_is_named(client, miami_maps, offline):
    school = a_school_in("Hialeah")
    answer = client.get(LOOKUP, {"street": school["address"], "zip": school["zip"]}).json()
    assert answer["status"] == "outside"
    assert answer["message"].startswith("This address is in Hialeah, not in the City of Miami.")
    assert answer["districts"] == [] and answer["petition_only"] is False


def test_an_unincorporated_address_says_so(client, miami_maps, offline):
    school = a_school_in("Miami-Dade")
    answer = client.get(LOOKUP, {"street": school["address"], "zip": school["zip"]}).json()
    assert answer["message"].startswith(
        "This address is in unincorporated Miami-Dade, not in the City of Miami."
    )


def test_a_point_outside_the_county_says_so(client, miami_maps):
    lon, lat = control_point("Fort Lauderdale")
    answer = client.get(LOOKUP, {"lon": lon, "lat": lat}).json()
    assert answer["message"] == (
        "This address is not in Miami-Dade County, so it is not in the City of Miami. "
        "This action is for people who live in the City of Miami."
    )


def test_a_point_in_the_city_outside_its_district_map_is_told_so(client, miami_maps):
    city = miami_maps.target_set
    union = shapely.union_all(selectors.area_index(selectors.version_in_force(city)).geometries)
    places = selectors.area_index(selectors.version_in_force("miami-dade-municipalities"))
    miami = places.geometries[places.keys.index(_municipality_key("01"))]
    edge = miami.difference(union.buffer(0.001)).representative_point()
    answer = client.get(LOOKUP, {"lon": edge.x, "lat": edge.y}).json()
    assert answer["status"] == "outside"
    assert answer["message"].startswith(
        "This address is at the edge of the City of Miami, outside its district map."
    )


def _municipality_key(number: str):
    from altavoz.districts.models import Area

    return Area.objects.get(boundary_set__slug="miami-dade-municipalities", number=number).pk


def test_the_demo_finds_a_real_address_and_its_commissioner(client, miami_maps, offline):
    school = next(r for r in schools() if r["source"].endswith("OBJECTID 339"))
    answer = client.get(LOOKUP, {"street": school["address"], "zip": school["zip"]}).json()
    assert answer["message"] == "Your commissioner: District 1 — Miguel Angel Gabela"
    assert answer["greeting"] == "Dear Commissioner Miguel Angel Gabela,"


# The official layer's overlaps and hole: a fixed tie-break.


def _city_index(campaign):
    return selectors.area_index(selectors.version_in_force(campaign.target_set))


def _number(area_id) -> str:
    from altavoz.districts.models import Area

    return Area.objects.get(pk=area_id).number


def test_a_point_two_districts_cover_belongs_to_the_lower_number_and_is_confirmed(
    client, miami_maps, district
):
    index = _city_index(miami_maps)
    one, four = (index.geometries[index.keys.index(district(n).pk)] for n in (1, 4))
    slivers = [p for p in shapely.get_parts(one.intersection(four)) if p.geom_type == "Polygon"]
    assert len(slivers) == 2  # 320 m² and 10 m²
    for sliver in slivers:
        point = sliver.representative_point()
        location = index.locate(point.x, point.y)
        assert [_number(k) for k in location.keys] == ["1", "4"] and location.near_boundary
        assert _number(location.key) == "1"
        assert _number(index.keys[index.locate_many([point.x], [point.y])[0]]) == "1"
        answer = client.get(LOOKUP, {"lon": point.x, "lat": point.y}).json()
        assert answer["status"] == "near_line"
        assert [d["number"] for d in answer["districts"]] == ["1", "4"]


def test_a_point_in_the_hole_between_districts_belongs_to_the_nearest(client, miami_maps):
    index = _city_index(miami_maps)
    (gap,) = gaps_between(index.geometries)
    point = gap.representative_point()
    assert not shapely.intersects_xy(index.geometries, point.x, point.y).any()
    location = index.locate(point.x, point.y)
    assert [_number(k) for k in location.keys] == ["1"] and location.near_boundary
    assert _number(index.keys[index.locate_many([point.x], [point.y])[0]]) == "1"
    answer = client.get(LOOKUP, {"lon": point.x, "lat": point.y}).json()
    assert answer["status"] == "near_line"
    assert [d["number"] for d in answer["districts"]] == ["1", "4"]


# The demo's geocoder chain: the Census first, then the shipped address points.


@pytest.fixture
def census_down(recorded, settings):
    """The Census Geocoder answering nothing within its timeout, before the address points."""
    settings.GEOCODERS = ["census", "address_points"]
    settings.GEOCODER_ADDRESS_POINTS_FILE = str(SCHOOLS)
    settings.GEOCODER_CENSUS_URL = recorded.base + "/geocoder"
    settings.GEOCODER_TIMEOUT_SECONDS = 1
    settings.GEOCODER_SKIP_SECONDS = 60
    recorded.answer("/geocoder/locations/address", Reply("{}", delay=1.5))
    return recorded


def _timed(client, school: dict) -> tuple[dict, float]:
    started = timezone.now()
    answer = client.get(LOOKUP, {"street": school["address"], "zip": school["zip"]}).json()
    return answer, (timezone.now() - started).total_seconds()


def test_an_unreachable_census_is_skipped_for_a_while_and_the_points_answer(
    client, miami_maps, census_down
):
    hialeah, gardens = a_school_in("Hialeah"), a_school_in("Miami Gardens")
    first, waited = _timed(client, hialeah)
    assert first["message"].startswith("This address is in Hialeah")
    assert waited >= 1.0  # the first visitor waits for the Census's timeout
    second, waited = _timed(client, gardens)
    assert second["message"].startswith("This address is in Miami Gardens")
    assert waited < 0.5  # the next one does not: the Census is skipped
    assert len(census_down.requests) == 1
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=61)):
        doral = a_school_in("Doral")
        chain.geocode(address_parse(doral["address"], doral["zip"]))
    assert len(census_down.requests) == 2  # asked again once the pause is over


def test_the_demo_settings_ask_the_census_then_the_shipped_points():
    import subprocess
    import sys

    code = (
        "from django.conf import settings; import django; django.setup(); "
        "from altavoz.geocoding import chain; "
        "print([p.name for p in chain.providers_from_settings()], "
        "settings.GEOCODER_ADDRESS_POINTS_FILE.endswith('schools_address_points_2015.csv'))"
    )
    env = {"DJANGO_SETTINGS_MODULE": "altavoz.settings", "ALTAVOZ_DEMO": "1", "PATH": ""}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip().endswith("['census', 'address_points'] True")


# What a person outside the city may do.


def _no_js_post(client, supporter_post, school: dict, **extra):
    post = supporter_post(area=None, street_address=school["address"], zip_code=school["zip"])
    return client.post(URL, {**post, **extra})


def test_by_default_someone_outside_the_city_cannot_take_part_and_keeps_what_they_typed(
    client, miami_maps, offline, supporter_post
):
    response = _no_js_post(client, supporter_post, a_school_in("Hialeah"), petition_only="1")
    html = response.content.decode()
    assert response.status_code == 400
    assert "This address is in Hialeah, not in the City of Miami." in html
    assert "This action is for people who live in the City of Miami." in html
    assert 'value="Maria.Lopez@Example.com"' in html
    assert not Signature.objects.exists()


def test_a_campaign_may_let_them_sign_the_petition_without_a_letter(
    client, miami_maps, offline, supporter_post, organisers
):
    miami_maps.nonresidents = Campaign.Nonresidents.PETITION
    miami_maps.save()
    school = a_school_in("Hialeah")
    offered = _no_js_post(client, supporter_post, school)
    html = offered.content.decode()
    assert offered.status_code == 200 and not Signature.objects.exists()
    assert "You can still sign the petition: your name is counted, and no letter is sent." in html
    assert '<input type="hidden" name="petition_only" value="1">' in html
    signed = _no_js_post(client, supporter_post, school, petition_only="1")
    assert signed.status_code == 302
    signature = Signature.objects.get()
    assert (signature.area, signature.outside_place) == (None, "Hialeah")
    assert not Delivery.objects.exists()
    thanks = client.get(signed["Location"]).content.decode()
    assert "no letter is sent" in thanks
    client.force_login(organisers.a)
    dashboard = client.get(f"/organise/campaigns/{miami_maps.pk}/").content.decode()
    assert "1 of them lives outside the City of Miami and signed the petition only" in dashboard
    assert re.search(r"<th scope=\"row\">Hialeah</th><td>1</td>", dashboard)


def test_the_lookup_tells_the_page_when_the_petition_is_open_to_them(client, miami_maps, offline):
    miami_maps.nonresidents = Campaign.Nonresidents.PETITION
    miami_maps.save()
    school = a_school_in("Coral Gables")
    answer = client.get(LOOKUP, {"street": school["address"], "zip": school["zip"]}).json()
    assert answer["petition_only"] is True
    assert answer["message"] == (
        "This address is in Coral Gables, not in the City of Miami. "
        "You can still sign the petition: your name is counted, and no letter is sent."
    )


# Contacts from the City's layer.


def test_each_seat_has_the_phone_and_website_of_the_citys_layer(miami_maps):
    contacts = {
        o.post.area.number: (o.phone, o.website, o.email, o.contact_as_of.isoformat())
        for o in Official.objects.filter(post__role="Commissioner").select_related("post__area")
    }
    assert contacts == {
        "1": (
            "(305) 250-5430",
            "www.miamigov.com/district1",
            "MAGabela@miamigov.com",
            "2025-06-10",
        ),
        "2": ("(305) 250-5333", "www.miamigov.com/district2", "DPardo@miamigov.com", "2025-06-10"),
        "3": ("(305) 250-5380", "www.miamigov.com/district3", "", "2025-06-10"),
        "4": ("(305) 250-5420", "www.miamigov.com/district4", "rrosado@miamigov.com", "2025-06-10"),
        "5": ("(305) 250-5390", "www.miamigov.com/district5", "cking@miamigov.com", "2025-06-10"),
    }
    escalona = Official.objects.get(name="Rolando Escalona")
    assert escalona.contact_source == (
        "City of Miami GIS layer Commission_Districts, file dated 2025-06-10: phone, website "
        "(email not taken: the layer's email for this seat is Joe Carollo's, "
        "not Rolando Escalona's)"
    )
    pardo = Official.objects.get(name="Damian Pardo")
    assert pardo.contact_source.endswith("file dated 2025-06-10: phone, website, email")


def test_the_go_live_check_names_district_3_as_the_one_missing_an_address(miami_maps):
    miami_maps.is_demo = False
    assert [str(p) for p in miami_maps.undeliverable_posts()] == [
        "Commissioner, District 3: Rolando Escalona has no delivery email address."
    ]


def test_contacts_never_replace_an_address_an_organiser_entered(miami_maps):
    from django.core.management import call_command

    Official.objects.filter(name="Damian Pardo").update(email="pardo@confirmed.example")
    call_command("officials", "contacts", "miami-commission", stdout=open("/dev/null", "w"))  # noqa: SIM115
    pardo = Official.objects.get(name="Damian Pardo")
    assert pardo.email == "pardo@confirmed.example"
    assert "already has pardo@confirmed.example" in pardo.contact_source


# The map on the page.


def test_the_page_shows_the_five_districts_on_a_small_inline_map(client, miami_maps):
    html = client.get(URL).content.decode()
    figure = re.search(r'<figure class="district-map">.*?</figure>', html, re.S).group(0)
    assert len(figure.encode()) <= 15 * 1024
    links = re.findall(r'<a href="\?district=(\d)#id_area" class="district"', figure)
    assert links == ["1", "2", "3", "4", "5"]
    assert "http" not in figure  # drawn here: no tile, no request to anyone


def test_a_district_picked_on_the_map_without_javascript_is_chosen(client, miami_maps, district):
    html = client.get(URL, {"district": "3"}).content.decode()
    assert re.search(rf'value="{district(3).pk}"[^>]*checked', html)
    assert f'class="district is-selected" data-area="{district(3).pk}"' in html
    assert "Dear Commissioner Rolando Escalona," in html


def test_the_found_district_is_highlighted_after_the_no_javascript_lookup(
    client, miami_maps, offline, supporter_post, district
):
    school = next(r for r in schools() if r["source"].endswith("OBJECTID 339"))
    post = supporter_post(area=None, street_address=school["address"], zip_code=school["zip"])
    html = client.post(URL, post).content.decode()
    assert f'class="district is-selected" data-area="{district(1).pk}"' in html


def test_without_a_map_the_chooser_says_only_to_choose(client, miami):
    html = client.get(URL).content.decode()
    assert "Choose the district you live in." in html
    assert "we will find your district" not in html
    assert "Use my location" not in html and "district-map" not in html


def test_the_schools_file_is_the_one_the_demo_geocodes_with():
    with SCHOOLS.open(newline="") as handle:
        assert {"address", "zip", "lon", "lat"} <= set(csv.DictReader(handle).fieldnames)


def test_the_admin_shows_where_each_contact_comes_from_and_when(client, miami_maps, organisers):
    client.force_login(organisers.a)
    listing = client.get("/admin/districts/official/").content.decode()
    assert "City of Miami GIS layer Commission_Districts, file dated 2025-06-10" in listing
    assert "June 10, 2025" in listing and "(305) 250-5333" in listing
    pardo = Official.objects.get(name="Damian Pardo")
    page = client.get(f"/admin/districts/official/{pardo.pk}/change/").content.decode()
    assert "Contacts source" in page and "Contacts as of" in page
    assert "file dated 2025-06-10: phone, website, email" in page


LAYER_SOURCE = "City of Miami GIS layer Commission_Districts, file dated 2025-06-10"


def test_the_layers_emails_are_recorded_and_hold_letters_until_staff_confirm(miami):
    from django.core.management import call_command

    from altavoz.districts.boundaries.definition import definition_load
    from altavoz.districts.boundaries.importer import boundary_set_import

    boundary_set_import(definition=definition_load("miami-commission"))
    call_command("officials", "contacts", "miami-commission", stdout=open("/dev/null", "w"))  # noqa: SIM115
    pardo = Official.objects.get(name="Damian Pardo")
    assert pardo.email == "DPardo@miamigov.com" and pardo.letters_held_since is not None
    change = pardo.address_changes.get()
    assert (change.old_value, change.new_value, change.changed_by) == (
        "",
        "DPardo@miamigov.com",
        LAYER_SOURCE,
    )
    assert not Official.objects.get(name="Rolando Escalona").address_changes.exists()


def test_the_demo_loader_confirms_the_demos_addresses_on_the_record(miami_maps):
    from altavoz.campaigns.management.commands.loaddemo import DEMO_CONFIRMER

    pardo = Official.objects.get(name="Damian Pardo")
    assert pardo.letters_held_since is None
    assert pardo.address_changes.get().confirmed_by == DEMO_CONFIRMER


def test_an_organiser_sets_what_people_outside_may_do_in_the_admin(client, miami_maps, organisers):
    client.force_login(organisers.a)
    page = client.get(f"/admin/campaigns/campaign/{miami_maps.pk}/change/").content.decode()
    assert 'name="nonresidents"' in page
    assert "They may sign the petition, without a letter" in page
