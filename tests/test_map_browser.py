"""The district map on the campaign page in a real browser (headless Chromium): choosing a
district on it by mouse, touch and keyboard selects the radio and fills the greeting; with
JavaScript off each district is a link that comes back with it chosen; axe finds nothing."""

from pathlib import Path

import pytest

from browser import CHROMIUM, PHONE, axe_violations, screenshot

pytestmark = [
    pytest.mark.vendor_neutral,
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium"),
    pytest.mark.django_db(transaction=True),
]
PAGE = "/act/miami-287g/"


@pytest.fixture
def areas(miami_maps) -> dict[int, str]:
    """District number -> area id, read before the browser runs."""
    return {int(a.number): str(a.pk) for a in miami_maps.target_set.areas.all()}


@pytest.fixture
def map_page(open_page, areas):
    """The campaign page, with the city map imported, in a fresh browser context."""
    return lambda **options: open_page(PAGE, **options)


def _on_map(page, number: int):
    return page.locator(f".district-map a[href^='?district={number}#']")


def _label_point(page, number: int) -> tuple[float, float]:
    """Where the district's number is written on the map: inside the district itself (its
    bounding box's centre may not be, for a district shaped like District 4)."""
    box = _on_map(page, number).locator("text").bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def _click(page, number: int) -> None:
    _on_map(page, number).scroll_into_view_if_needed()
    page.mouse.click(*_label_point(page, number))


def _chosen(page, areas, number: int) -> None:
    from playwright.sync_api import expect

    expect(page.locator(f"input[name=area][value='{areas[number]}']")).to_be_checked()
    expect(_on_map(page, number)).to_have_class("district is-selected")


def test_clicking_a_district_on_the_map_chooses_it(map_page, areas):
    from playwright.sync_api import expect

    page = map_page()
    _click(page, 5)
    _chosen(page, areas, 5)
    expect(page.locator(".greeting")).to_have_text("Dear Commissioner Christine King,")
    assert page.url.endswith(PAGE)  # chosen in place, no page load
    page.get_by_label("District 2 — Damian Pardo").check()
    _chosen(page, areas, 2)  # and the map follows the list
    screenshot(page, "map-click")


def test_tapping_a_district_on_a_phone_chooses_it(map_page, areas):
    page = map_page(**PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    _on_map(page, 3).scroll_into_view_if_needed()
    page.touchscreen.tap(*_label_point(page, 3))
    _chosen(page, areas, 3)
    screenshot(page, "map-phone")


def test_the_map_works_by_keyboard(map_page, areas):
    page = map_page()
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('href') || ''").startswith(
            "?district=1"
        ):
            break
    page.keyboard.press("Tab")  # District 2 on the map
    page.keyboard.press("Enter")
    _chosen(page, areas, 2)


def test_without_javascript_a_district_on_the_map_is_a_link_back_with_it_chosen(map_page, areas):
    from playwright.sync_api import expect

    page = map_page(java_script_enabled=False)
    _click(page, 4)
    page.wait_for_url("**?district=4#id_area")
    _chosen(page, areas, 4)
    expect(page.locator(".greeting")).to_have_text('Dear Commissioner Ralph "Rafael" Rosado,')


def test_axe_finds_nothing_wrong_with_the_map_chosen(map_page, areas):
    page = map_page()
    assert axe_violations(page) == []
    _click(page, 1)
    _chosen(page, areas, 1)
    assert axe_violations(page) == []
    screenshot(page, "map-axe")
