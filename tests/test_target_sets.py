"""A target set for every seat the data has: the County Commission (map shipped, no roster),
the City of Miami Mayor, or the City Commissioners and the Mayor at once (the only seats the
seed data lets every supporter write to together); what exists and how to get more is shown
where targets are chosen. Signatures and letters stay right with several sets."""

import pytest

from altavoz.campaigns import golive, services
from altavoz.campaigns.models import Campaign
from altavoz.delivery.models import Delivery
from altavoz.districts.models import Area, BoundarySet, Official
from test_campaign_editing import _form_data

URL = "/act/miami-287g/"


def _change(campaign) -> str:
    return f"/admin/campaigns/campaign/{campaign.pk}/change/"


@pytest.fixture
def mayor(addressed):
    """The City of Miami's Mayor, with a (test) address, and the set that holds the seat."""
    official = Official.objects.get(post__role="Mayor")
    Official.objects.filter(pk=official.pk).update(email="mayor@city.example")
    return BoundarySet.objects.get(slug="miami-city")


def test_the_edit_page_shows_what_can_be_targeted_and_how_to_get_more(
    client, miami_maps, organisers
):
    client.force_login(organisers.a)
    html = client.get(_change(miami_maps)).content.decode()
    guide = html.split('class="targets-guide"', 1)[1].split("</div>", 1)[0]
    rows = {
        cells[0]: cells[1:]
        for cells in ([c.strip() for c in row.split("<td>")[1:]] for row in guide.split("<tr>")[2:])
    }
    county = next(v for k, v in rows.items() if k.startswith("Miami-Dade County Commission"))
    assert "<code>County Commissioner</code>" in county[0] and county[1].startswith("13")
    assert "nobody yet: ask platform staff" in county[2] and "yes (a map)" in county[4]
    city = next(v for k, v in rows.items() if k.startswith("City of Miami Commission"))
    assert city[1].startswith("5") and city[3].startswith("4")  # District 3 has no address
    mayor = next(v for k, v in rows.items() if k.startswith("City of Miami <small>"))
    assert "<code>Mayor</code>" in mayor[0] and "Also write to" in mayor[0]
    assert "no: supporters choose their district" in mayor[4]
    assert "altavoz boundaries import NAME" in guide
    assert "altavoz officials import ROSTER.csv --set SLUG" in guide


def test_the_county_commission_can_be_targeted_and_its_empty_seats_are_named(miami_maps):
    county = BoundarySet.objects.get(slug="miami-dade-commission-districts")
    Campaign.objects.filter(pk=miami_maps.pk).update(
        target_set=county, target_role="County Commissioner", status="draft", is_demo=False
    )
    campaign = Campaign.objects.get(pk=miami_maps.pk)
    campaign.full_clean()  # the seats exist
    problems = [p.text for p in golive.publish_problems(campaign)]
    assert len(problems) == 13
    assert "County Commissioner, District 9: nobody holds this seat today." in problems


def test_the_mayor_alone_can_be_targeted(client, mayor, supporter_post):
    Campaign.objects.filter(slug="miami-287g").update(target_set=mayor, target_role="Mayor")
    city = Area.objects.get(boundary_set=mayor)
    response = client.post(URL, supporter_post(area=str(city.pk)))
    assert response.status_code == 302
    assert [d.official.name for d in Delivery.objects.all()] == ["Eileen Higgins"]


def test_commissioners_and_the_mayor_at_once(client, mayor, supporter_post, drain, organisers):
    campaign = Campaign.objects.get(slug="miami-287g")
    campaign.at_large_sets.set([mayor])
    page = client.post(URL, supporter_post(), follow=True).content.decode()
    assert "Damian Pardo" in page and "Eileen Higgins" in page  # "your letter goes to"
    assert sorted(d.official.name for d in Delivery.objects.all()) == [
        "Damian Pardo",
        "Eileen Higgins",
    ]
    assert drain() == 2
    from test_organising import _pdf_text

    client.force_login(organisers.a)
    packet = _pdf_text(client.get(f"/organise/campaigns/{campaign.pk}/packet.pdf").content)[1]
    assert "Mayor of the City of Miami — Eileen Higgins" in packet
    assert packet.count("Maria Lopez") == 2  # her district's section, and the Mayor's


def test_the_mayor_without_an_address_keeps_the_campaign_from_going_live(addressed):
    addressed.at_large_sets.set([BoundarySet.objects.get(slug="miami-city")])
    Campaign.objects.filter(pk=addressed.pk).update(status="draft")
    problems = [p.text for p in golive.publish_problems(Campaign.objects.get(pk=addressed.pk))]
    assert problems == ["Mayor of the City of Miami: Eileen Higgins has no delivery email address."]
    assert services.campaign_publish(campaign=Campaign.objects.get(pk=addressed.pk))


def test_a_greeting_naming_one_seat_is_flagged_when_letters_go_to_two(mayor):
    campaign = Campaign.objects.get(slug="miami-287g")
    campaign.at_large_sets.set([mayor])
    warnings = [p.text for p in golive.publish_warnings(campaign)]
    assert any(
        w.startswith("The greeting names one seat (Commissioner), but letters also go to: Mayor")
        for w in warnings
    )
    campaign.letter_greeting = "Dear [Official Name],"
    assert not any("greeting" in w for w in golive.publish_warnings(campaign))


def test_only_a_seat_for_the_whole_territory_can_be_added(client, miami, organisers):
    county = BoundarySet.objects.create(
        slug="miami-dade-county", name="Miami-Dade County", authority="Miami-Dade County",
        territory="Miami-Dade County",
    )  # fmt: skip
    Area.objects.create(boundary_set=county, ocd_id="ocd-division/x", number="1", name="County")
    client.force_login(organisers.a)
    data = _form_data(miami, at_large_sets=[str(county.pk)])
    html = client.post(_change(miami), data).content.decode()
    assert "Miami-Dade County covers Miami-Dade County, not the City of Miami" in html
    assert not Campaign.objects.get(pk=miami.pk).at_large_sets.exists()
    data = _form_data(miami, at_large_sets=[str(BoundarySet.objects.get(slug="miami-city").pk)])
    assert client.post(_change(miami), data).status_code == 302
    assert [s.slug for s in Campaign.objects.get(pk=miami.pk).at_large_sets.all()] == ["miami-city"]
