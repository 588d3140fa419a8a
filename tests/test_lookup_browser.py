"""In a real browser (headless Chromium): typing the address and ZIP names the commissioner,
chooses the district and fills the greeting; "Use my location" does the same; the page
makes no request to any other site."""

import os
import shutil
from urllib.parse import urlsplit

import pytest

from synthetic_city import control_point

CHROMIUM = "/usr/bin/chromium"

pytestmark = [
    pytest.mark.vendor_neutral,
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason="needs Chromium at /usr/bin/chromium"),
]


@pytest.fixture
def area_ids(city_map) -> dict[int, str]:
    """District number -> area id, read before the browser starts: while Playwright runs,
    ORM calls from the test body would open a second connection (its greenlet has its own
    context) that is never closed."""
    return {int(a.number): str(a.pk) for a in city_map.target_set.areas.all()}


@pytest.fixture
def browser():
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls
    # (fixtures) are synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def open_page(browser, live_server, **context):
    page = browser.new_context(**context).new_page()
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    page.goto(live_server.url + "/act/miami-287g/")
    return page, hosts


def test_typing_the_address_names_the_commissioner_and_fills_the_greeting(
    transactional_db, area_ids, live_server, browser
):
    from playwright.sync_api import expect

    page, hosts = open_page(browser, live_server)
    page.fill("#id_street_address", "3500 Pan American Drive")
    page.fill("#id_zip_code", "33133")
    expect(page.locator("#lookup-result")).to_have_text(
        "Your commissioner: District 2 — Damian Pardo"
    )
    expect(page.locator(".greeting")).to_have_text("Dear Commissioner Damian Pardo,")
    expect(page.locator(f"input[name=area][value='{area_ids[2]}']")).to_be_checked()
    page.check(f"input[name=area][value='{area_ids[5]}']")
    expect(page.locator(".greeting")).to_have_text("Dear Commissioner Christine King,")
    assert hosts == {urlsplit(live_server.url).netloc}


def test_use_my_location_finds_the_district(transactional_db, city_map, live_server, browser):
    from playwright.sync_api import expect

    lon, lat = control_point("City District 4")
    page, _ = open_page(
        browser,
        live_server,
        geolocation={"latitude": lat, "longitude": lon},
        permissions=["geolocation"],
    )
    page.click("#use-location")
    expect(page.locator("#lookup-result")).to_have_text(
        'Your commissioner: District 4 — Ralph "Rafael" Rosado'
    )


def test_an_address_outside_the_city_says_so_and_keeps_the_chooser(
    transactional_db, city_map, live_server, browser
):
    from playwright.sync_api import expect

    page, _ = open_page(browser, live_server)
    page.fill("#id_street_address", "PO Box 99")
    page.fill("#id_zip_code", "33101")
    expect(page.locator("#lookup-result")).to_contain_text("A PO box is not where you live")
    expect(page.locator("input[name=area]:checked")).to_have_count(0)
