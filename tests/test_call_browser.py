"""The call action in a real browser at a phone's size, in Haitian Creole: the district, the
tel: button, the script, the report; axe-core (WCAG 2.2 A and AA) on the page and the call
panel; on a wide screen the number is shown beside the script and the button is not."""

import re
from pathlib import Path

import pytest

from altavoz.campaigns.models import CallReport
from browser import CHROMIUM, PHONE, axe_violations, fill_supporter, screenshot, small_targets

pytestmark = [
    pytest.mark.browser,
    pytest.mark.vendor_neutral,
    pytest.mark.usefixtures("miami_maps"),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium"),
    pytest.mark.django_db(transaction=True),
]
CALL = "/ht/act/miami-287g-call/"


def _fill(page) -> None:
    fill_supporter(page, district=None)
    page.get_by_role("radio", name=re.compile(r"^Distri 2 ")).check()


def test_a_call_on_a_phone_from_the_district_to_the_report(open_page, settings):
    settings.PROOF_OF_WORK = "off"
    page = open_page(CALL, **PHONE)
    assert axe_violations(page) == []
    _fill(page)
    page.get_by_role("button", name="Montre m ki moun pou m rele").tap()
    page.wait_for_url(f"{CALL}thanks/**")
    button = page.locator(".call-button a")
    assert button.is_visible() and button.get_attribute("href").startswith("tel:+1305")
    assert "non mwen se Maria" in page.locator(".call-target .script").inner_text()
    assert axe_violations(page) == [] and small_targets(page) == []
    screenshot(page, "call-phone-ht")
    page.get_by_label("Mwen te kite yon mesaj vokal").check()
    page.get_by_role("button", name="Rapòte apèl mwen").tap()
    page.wait_for_selector(".reported")
    assert CallReport.objects.get().outcome == "voicemail"


def test_on_a_wide_screen_the_number_is_shown_and_the_button_is_not(open_page, settings):
    settings.PROOF_OF_WORK = "off"
    page = open_page(CALL)
    _fill(page)
    page.get_by_role("button", name="Montre m ki moun pou m rele").click()
    page.wait_for_url(f"{CALL}thanks/**")
    assert not page.locator(".call-button a").is_visible()
    assert page.locator(".call-number strong").is_visible()
    screenshot(page, "call-wide-ht")
