"""The campaign page kept rendered per language: every visitor still gets their own render
token, which (with the browser's word that the form was sent from this site) protects the
form in place of a CSRF cookie, and the counter and Recent participants are fresh within
seconds."""

import re

import pytest
import time_machine
from django.test import Client

from altavoz.campaigns.models import Signature

URL = "/act/miami-287g/"
HIDDEN = re.compile(r'name="(rendered|source)" value="([^"]*)"')
AREA = re.compile(r'name="area" value="([0-9a-f-]{36})"')


def hidden(page: str) -> dict:
    return dict(HIDDEN.findall(page))


def visit(client=None, *, language: str = "", **headers) -> str:
    """The campaign page; in another language through its URL prefix (/es/, /ht/)."""
    response = (client or Client()).get(f"/{language}{URL}" if language else URL, **headers)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def stale_within(settings):
    """Seconds after which the page must show a new signature."""
    return settings.PAGE_LIVE_SECONDS + 1


def test_each_visitor_gets_their_own_form_token_and_no_cookie(miami):
    first, second = Client(), Client()
    one, two = hidden(visit(first)), hidden(visit(second))
    assert one["rendered"] != two["rendered"]
    assert not first.cookies and not second.cookies  # nothing to make, nothing to refuse
    assert "altavoz-slot" not in visit()


def test_a_form_from_the_kept_page_signs_with_csrf_enforced(miami, supporter_post):
    browser = Client(enforce_csrf_checks=True)
    page = visit(browser)
    visit()  # someone else's visit in between changes nothing for this one
    form = supporter_post(area=AREA.findall(page)[0], **hidden(page))
    response = browser.post(URL, form, headers={"Origin": "http://testserver"})
    assert response.status_code == 302
    assert response["Location"].startswith(URL + "thanks/")


@pytest.mark.parametrize("rendered", ["", "forged:token"])
def test_a_form_without_its_render_token_is_refused(miami, supporter_post, rendered):
    browser = Client(enforce_csrf_checks=True)
    page = visit(browser)
    response = browser.post(URL, supporter_post(**{**hidden(page), "rendered": rendered}))
    assert response.status_code == 403
    assert 'value="Maria"' in response.content.decode()  # what was typed is kept
    assert not Signature.objects.exists()


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},
        {"Origin": "null"},  # a sandboxed frame, or a page that strips its origin
        {"Origin": "https://testserver"},  # another scheme is another site
        {"Sec-Fetch-Site": "cross-site"},  # a browser that sends no Origin
        {"Sec-Fetch-Site": "same-site"},  # a sibling host is another site too
    ],
)
@pytest.mark.parametrize("path", [URL, "/embed/miami-287g/"])
def test_a_form_sent_from_another_sites_page_is_refused(miami, supporter_post, headers, path):
    """Another site makes its visitors' browsers sign (each from its own connection, so
    past the per-connection limits) with render tokens it fetched here: the browser's own
    headers give it away, on the page and in the embed alike."""
    browser = Client()
    page = visit(browser)
    response = browser.post(path, supporter_post(**hidden(page)), headers=headers)
    assert response.status_code == 403
    assert "could not be verified" in response.content.decode()
    assert not Signature.objects.exists()


def test_a_site_the_organisers_trust_may_send_the_form(miami, supporter_post, settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://act.example.org"]
    browser = Client()
    page = visit(browser)
    response = browser.post(
        URL, supporter_post(**hidden(page)), headers={"Origin": "https://act.example.org"}
    )
    assert response.status_code == 302


def test_the_form_token_is_issued_when_the_page_is_served_not_when_it_was_kept(
    miami, supporter_post, settings
):
    settings.SHIELD_MIN_FILL_SECONDS = 3
    with time_machine.travel("2026-11-25 10:00:00 +0000", tick=False) as clock:
        visit()  # the page is kept now
        clock.shift(30)
        browser = Client()
        page = visit(browser)  # served from memory 30 s later
        response = browser.post(URL, supporter_post(**hidden(page)))
        assert response.status_code == 400  # too fast: its token says it was shown just now
        assert "quicker than a person" in response.content.decode()


def test_the_counter_and_recent_participants_follow_within_seconds(miami, sign, stale_within):
    with time_machine.travel("2026-11-25 10:00:00 +0000", tick=False) as clock:
        assert "Be the first to sign." in visit()
        sign(first_name="Rosa", last_name="Diaz")
        assert "Be the first to sign." in visit()  # kept: a spike reads memory, not the table
        clock.shift(stale_within)
        page = visit()
    assert "Rosa D." in page
    assert "1 signature" in page


def test_the_page_is_kept_per_language(miami):
    assert '<html lang="es">' in visit(language="es")
    assert '<html lang="en">' in visit()
    assert '<html lang="ht">' in visit(language="ht")
    assert '<html lang="es">' in visit(language="es")


def test_an_edited_campaign_shows_within_seconds(miami, settings):
    with time_machine.travel("2026-11-25 10:00:00 +0000", tick=False) as clock:
        visit()
        miami.title = "A new title for the spike"
        miami.save()
        clock.shift(settings.PAGE_LIVE_SECONDS + 1)
        assert "A new title for the spike" in visit()


def test_the_share_source_is_carried_and_escaped(miami):
    assert hidden(visit(QUERY_STRING="source=newsletter"))["source"] == "newsletter"
    page = Client().get(URL, {"source": '"><script>alert(1)</script>'}).content.decode()
    assert "<script>alert(1)" not in page


def test_a_closed_campaign_is_not_served_from_memory(miami, settings):
    with time_machine.travel("2026-11-25 10:00:00 +0000", tick=False) as clock:
        visit()
        miami.status = miami.Status.CLOSED
        miami.save()
        clock.shift(settings.PAGE_LIVE_SECONDS + 1)
        assert "This action is closed." in visit()
