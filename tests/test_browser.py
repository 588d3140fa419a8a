"""The whole action in a real browser against a live server: with JavaScript, without it, at a
phone's size and by keyboard alone; axe-core (WCAG 2.2 A and AA) on every state of the page
in each language; and a first load that is small and asks nothing of any other host."""

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from altavoz.campaigns.models import Signature
from altavoz.delivery.models import Delivery
from browser import (
    CHROMIUM,
    PHONE,
    SUPPORTER,
    axe_violations,
    fill_supporter,
    screenshot,
    small_targets,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.vendor_neutral,
    pytest.mark.usefixtures("miami"),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium"),
    pytest.mark.django_db(transaction=True),
]
PAGES = {"en": "/act/miami-287g/", "es": "/es/act/miami-287g/", "ht": "/ht/act/miami-287g/"}
THANKS = {"en": "Thank you, Maria!", "es": "¡Gracias, Maria!", "ht": "Mèsi, Maria!"}
FIRST_LOAD_LIMIT = 100 * 1024


def _signed(language: str) -> Signature:
    signature = Signature.objects.select_related("person", "area").get()
    assert signature.language == language
    assert signature.area.number == "2"
    assert Delivery.objects.filter(signature=signature).count() == 1
    return signature


SEND = {"en": "Sign and send", "es": "Firmar y enviar", "ht": "Siyen epi voye"}
DISTRICT_2 = {"en": "District 2", "es": "Distrito 2", "ht": "Distri 2"}


def _send_and_thank(page, language: str, name: str, *, tap: bool = False) -> None:
    """Press the page's send button (or tap it), land on the thank-you page in the same
    language, and find the signature stored in that language."""
    button = page.get_by_role("button", name=SEND[language])
    button.tap() if tap else button.click()
    page.wait_for_url(PAGES[language] + "thanks/**")
    assert page.get_by_role("heading", level=1).inner_text() == THANKS[language]
    screenshot(page, f"{name}-thanks")
    _signed(language)


def test_the_whole_action_with_javascript(open_page):
    page = open_page(PAGES["en"])
    fill_supporter(page)
    assert page.locator(".greeting").inner_text() == "Dear Commissioner Damian Pardo,"
    screenshot(page, "action-js-filled")
    _send_and_thank(page, "en", "action-js")


def test_the_whole_action_without_javascript(open_page):
    page = open_page(PAGES["es"], java_script_enabled=False)
    fill_supporter(page)
    screenshot(page, "action-nojs-es-filled")
    _send_and_thank(page, "es", "action-nojs-es")


def test_the_whole_action_on_a_phone(open_page):
    page = open_page(PAGES["ht"], **PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "action-phone-ht-page")
    fill_supporter(page)
    _send_and_thank(page, "ht", "action-phone-ht", tap=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def _tab_to(page, predicate: str, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => {predicate})(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached an element where {predicate}")


def test_the_whole_action_by_keyboard_alone(open_page):
    page = open_page(PAGES["en"])
    for name in ["first_name", "last_name", "email", "street_address", "zip_code"]:
        _tab_to(page, f"el.name === '{name}'")
        page.keyboard.type(SUPPORTER[name])
    _tab_to(page, "el.name === 'area'")
    page.keyboard.press("Space")  # District 1
    page.keyboard.press("ArrowDown")  # District 2
    assert page.evaluate("document.activeElement.labels[0].textContent").startswith("District 2")
    _tab_to(page, "el.classList.contains('send')")
    page.keyboard.press("Enter")
    page.wait_for_url("**/thanks/**")
    screenshot(page, "action-keyboard-thanks")
    _signed("en")


def test_errors_are_summarised_first_with_links_to_each_field(open_page):
    page = open_page(PAGES["en"])
    page.get_by_role("button", name="Sign and send").click()
    page.wait_for_selector("#error-summary")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    links = page.locator("#error-summary a")
    assert links.count() == 6
    for href in links.evaluate_all("links => links.map(a => a.getAttribute('href'))"):
        assert page.locator(href).count() == 1, href
    screenshot(page, "error-summary")


@pytest.mark.parametrize("language", ["en", "es", "ht"])
@pytest.mark.usefixtures("city_map")
def test_axe_finds_no_wcag_violation_in_any_state_of_the_action(open_page, settings, language):
    settings.PROOF_OF_WORK = "adaptive"
    page = open_page(PAGES[language])
    states = {"page": None, "error": None, "lookup": None, "thanks": None}
    states["page"] = axe_violations(page)
    page.locator("button.send").click()
    page.wait_for_selector("#error-summary")
    states["error"] = axe_violations(page)
    screenshot(page, f"axe-{language}-error")
    fill_supporter(page, district=None)
    page.wait_for_selector(".lookup-found")
    assert page.get_by_label(f"{DISTRICT_2[language]} — Damian Pardo").is_checked()
    states["lookup"] = axe_violations(page)
    screenshot(page, f"axe-{language}-lookup")
    page.wait_for_selector("altcha-widget [data-state=verified]", state="attached")
    page.locator("button.send").click()
    page.wait_for_url("**/thanks/**")
    states["thanks"] = axe_violations(page)
    assert small_targets(page) == []
    screenshot(page, f"axe-{language}-thanks")
    assert states == {"page": [], "error": [], "lookup": [], "thanks": []}


def test_every_control_is_at_least_24_pixels_square(open_page):
    for options in ({}, PHONE):
        page = open_page(PAGES["en"], **options)
        assert small_targets(page) == []


def test_the_first_load_is_under_100_kb_and_only_from_this_server(open_page, live_server, settings):
    settings.PROOF_OF_WORK = "adaptive"
    seen = []
    page = open_page("about:blank")
    page.on("requestfinished", lambda request: seen.append(request))
    page.on("requestfailed", lambda request: seen.append(request))
    page.goto(PAGES["en"], wait_until="networkidle")
    here = urlsplit(live_server.url).netloc
    assert {urlsplit(request.url).netloc for request in seen} == {here}
    sizes = [request.sizes() for request in seen]
    transferred = sum(s["responseBodySize"] + s["responseHeadersSize"] for s in sizes)
    print(f"first load: {len(seen)} requests, {transferred} bytes")
    assert 0 < transferred < FIRST_LOAD_LIMIT
