"""The live counter for the organisation's own site: the count, the goal and a bar, as HTML
for a frame (only on the sites the campaign allows) and as an SVG picture (anywhere),
cacheable, without JavaScript or cookies."""

import xml.etree.ElementTree as ET
from html import unescape

import pytest

from altavoz import kept
from altavoz.campaigns.models import Campaign
from test_campaign_editing import _change, _form_data

COUNTER = "/act/miami-287g/counter/"
SVG = "/act/miami-287g/counter.svg"
SVG_NS = "{http://www.w3.org/2000/svg}"


def _allow(campaign, *origins) -> None:
    Campaign.objects.filter(pk=campaign.pk).update(embed_origins=list(origins))
    kept.forget()


def test_the_counter_shows_the_count_the_goal_and_a_bar_without_script_or_cookie(
    client, miami, sign, settings
):
    for _ in range(3):
        sign()
    response = client.get(COUNTER)
    html = response.content.decode()
    assert response.status_code == 200
    assert "3 signatures" in html
    assert "Goal: 1,000" in html
    assert '<progress max="1000" value="3"' in html
    assert f'href="{settings.SITE_URL}/act/miami-287g/" target="_blank"' in html
    assert "<script" not in html
    assert not response.cookies
    assert response["Cache-Control"] == "public, max-age=60"


def test_the_counter_speaks_the_language_of_its_address(client, miami):
    html = client.get("/es/act/miami-287g/counter/").content.decode()
    assert "Meta: 1,000" in html
    assert '<html lang="es">' in html


def test_no_site_may_frame_the_counter_until_the_campaign_names_it(client, miami):
    response = client.get(COUNTER)
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_the_sites_the_campaign_names_may_frame_the_counter_and_only_them(client, miami):
    _allow(miami, "https://org.example", "http://127.0.0.2:8001")
    response = client.get(COUNTER)
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors https://org.example http://127.0.0.2:8001;" in policy + ";"
    assert "X-Frame-Options" not in response
    # every other page still refuses every frame
    page = client.get("/act/miami-287g/")
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]
    assert page["X-Frame-Options"] == "DENY"


def test_the_svg_counter_is_a_picture_with_the_count_and_a_proportional_bar(client, miami, sign):
    for _ in range(5):
        sign()
    Campaign.objects.filter(pk=miami.pk).update(goal=10, title='Vote "NO" <now> & here')
    kept.forget()
    response = client.get(SVG)
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Cache-Control"] == "public, max-age=60"
    svg = ET.fromstring(response.content)  # noqa: S314 (our own answer) well-formed: marks escaped
    texts = [t.text for t in svg.iter(f"{SVG_NS}text")]
    assert texts == ["5 signatures", "Goal: 10"]
    assert svg.find(f"{SVG_NS}title").text.startswith('Vote "NO" <now> & here: 5 signatures')
    bars = [r.get("width") for r in svg.iter(f"{SVG_NS}rect")]
    assert bars == ["400", "368", "184"]  # half the goal: half the bar


def test_the_svg_counter_in_creole(client, miami):
    svg = ET.fromstring(client.get("/ht/act/miami-287g/counter.svg").content)  # noqa: S314
    assert [t.text for t in svg.iter(f"{SVG_NS}text")] == ["0 siyati", "Objektif: 1,000"]


def test_a_draft_has_no_counter(client, miami):
    Campaign.objects.filter(pk=miami.pk).update(status=Campaign.Status.DRAFT)
    assert client.get(COUNTER).status_code == 404
    assert client.get(SVG).status_code == 404


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("org.example", "write the address as https://example.org"),
        ("https://org.example/petition", "only the site's address, without a page"),
        ("javascript:alert(1)", "write the address as https://example.org"),
        ("https://org.example:port", "the port must be a number"),
    ],
)
def test_the_organiser_is_told_which_site_address_is_wrong_and_keeps_the_rest(
    client, organisers, miami, typed, says
):
    client.force_login(organisers.a)
    data = {**_form_data(miami), "embed_origins": f"https://ok.example\n{typed}"}
    response = client.post(_change(miami), data)
    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert says in html
    assert "https://ok.example" in html  # what was typed is kept


def test_site_addresses_are_stored_as_browsers_send_them(client, organisers, miami):
    client.force_login(organisers.a)
    typed = "HTTPS://Org.Example/\n\n  https://org.example  \nhttp://127.0.0.2:8001"
    response = client.post(_change(miami), {**_form_data(miami), "embed_origins": typed})
    assert response.status_code == 302
    miami.refresh_from_db()
    assert miami.embed_origins == ["https://org.example", "http://127.0.0.2:8001"]
    page = client.get(_change(miami)).content.decode()
    assert "/act/miami-287g/counter.svg" in page  # the code to paste, on the campaign's page
