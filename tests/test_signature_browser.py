"""The signature's own pages (the emailed link: confirm, review, change) in a real browser:
axe-core (WCAG 2.2 A and AA) finds nothing on them in any language, and the change form
works by keyboard."""

from pathlib import Path

import pytest

from altavoz.campaigns.models import Campaign, Signature
from altavoz.delivery import tokens
from browser import CHROMIUM, axe_violations, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.vendor_neutral,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium"),
    pytest.mark.django_db(transaction=True),
]
PREFIX = {"en": "", "es": "/es", "ht": "/ht"}


@pytest.fixture
def pending(miami, district):
    """A signature waiting for its confirmation (double opt-in), and its link's path."""
    from altavoz.campaigns.services import signature_create

    Campaign.objects.filter(pk=miami.pk).update(double_opt_in=True)
    miami.refresh_from_db()
    signature_create(
        campaign=miami, email="maria.lopez@example.com", first_name="Maria",
        last_name="Lopez", street_address="3500 Pan American Dr", zip_code="33133",
        letter_body=miami.letter_body, area=district(2),
    )  # fmt: skip
    link = tokens.signature_url(Signature.objects.get())
    return "/signature/" + link.split("/signature/", 1)[1]


@pytest.mark.parametrize("language", ["en", "es", "ht"])
def test_the_signature_pages_pass_axe_in_each_language(open_page, pending, language):
    for suffix, name in (("", "signature"), ("change/", "signature-change")):
        page = open_page(PREFIX[language] + pending + suffix)
        assert page.locator("h1").count() == 1
        assert axe_violations(page) == [], (language, name)
        screenshot(page, f"{name}-{language}")


def test_confirming_by_keyboard_counts_the_signature(open_page, pending):
    page = open_page(pending)
    page.keyboard.press("Tab")
    page.get_by_role("button", name="Confirm my signature").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("text=your signature counts")
    assert Signature.objects.get().confirmed_at is not None
