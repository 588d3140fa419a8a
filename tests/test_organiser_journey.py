"""The organiser's whole journey in Debian's Chromium, as a fresh organiser of a fresh
organisation: the organisation made by the command, sign in, a campaign for the Miami-Dade
County Commission made with each mistake an organiser makes (and its message seen),
translated, previewed in two languages, published once platform staff have imported who
holds the seats, signed by a supporter, then the dashboard, an export (a wrong filter first)
and the delivery packet's first page. One screenshot per step in test-artifacts/journey-*.

The county roster below is test data (placeholder names and example.org addresses), standing
for the roster platform staff would import: none is shipped (data/miami/PROVENANCE.md)."""

import csv
import io
import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from altavoz.campaigns.models import Campaign, Signature
from altavoz.delivery.models import Delivery
from browser import ARTIFACTS, CHROMIUM, screenshot

pytestmark = [
    pytest.mark.vendor_neutral,
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium"),
    pytest.mark.django_db(transaction=True),
]
ORGANISATION = "Miami Immigrant Rights Coalition"
TITLE = "Tell Miami-Dade County Commissioners to fund immigrant legal services"
SLUG = "tell-miami-dade-county-commissioners-to-fund-immigrant-legal-services"  # from the title
COUNTY = "Miami-Dade County Commission Districts"
SCHOOL = {"street_address": "15551 SW 142nd Ave", "zip_code": "33186"}  # County District 9
SPANISH = {
    "title": "Pida a la Comisión del Condado de Miami-Dade que financie servicios legales",
    "call_to_action": "Actúe ahora",
    "summary": "Los servicios legales mantienen unidas a las familias.",
    "body": "Las familias sin abogado pierden sus casos.",
    "letter_subject": "Financie los servicios legales para inmigrantes",
    "letter_body": "Le pido que financie los servicios legales para inmigrantes.",
    "petition_statement": "Al firmar, pido a la Comisión que financie estos servicios.",
}
CREOLE = {
    "title": "Mande Komisyon Konte Miami-Dade finanse sèvis legal pou imigran",
    "call_to_action": "Aji kounye a",
    "summary": "Sèvis legal kenbe fanmi yo ansanm.",
    "body": "Fanmi ki pa gen avoka pèdi ka yo.",
    "letter_subject": "Finanse sèvis legal pou imigran",
    "letter_body": "Mwen mande w finanse sèvis legal pou imigran.",
    "petition_statement": "Lè m siyen, mwen mande Komisyon an finanse sèvis sa yo.",
    "letter_greeting": "Chè [Official Name],",
    "letter_closing": "Avèk respè,\n\n[First Name] [Last Name]",
}


class Journey:
    """The steps' screenshots, numbered in order."""

    def __init__(self) -> None:
        self.count = 0

    def shot(self, page, name: str) -> None:
        self.count += 1
        screenshot(page, f"journey-{self.count:02d}-{name}")


@pytest.fixture
def journey(miami_maps, live_server, settings):
    """A fresh organisation and its organiser, made by the commands; the live server's own
    address as SITE_URL; addresses found with the shipped address points (no network)."""
    from io import StringIO

    settings.CSRF_COOKIE_SECURE = settings.SESSION_COOKIE_SECURE = False
    settings.SITE_URL = live_server.url
    settings.GEOCODERS = ["address_points"]
    settings.GEOCODER_ADDRESS_POINTS_FILE = str(settings.DEMO_ADDRESS_POINTS)
    call_command("organisation", "add", "miami-rights", "--name", ORGANISATION)
    out = StringIO()
    call_command("organiser", "add", "ana", "--email", "ana@miami-rights.example.org",
                 "--organisation", "miami-rights", stdout=out)  # fmt: skip
    password = re.search(r"First password \(change it after signing in\): (\S+)", out.getvalue())
    return password.group(1)


def _sign_in(page, password: str, steps: Journey) -> None:
    page.goto("/admin/login/")
    page.fill("#id_username", "ana")
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    assert "Campaigns" in page.content()
    steps.shot(page, "signed-in")


def _campaign_with_mistakes(page, steps: Journey) -> None:
    page.goto("/admin/campaigns/campaign/add/")
    assert "Miami-Dade County Commission Districts" in page.locator(".targets-guide").inner_text()
    page.select_option("#id_organisation", label=ORGANISATION)
    page.fill("#id_title", TITLE)  # the slug follows it
    page.check("#id_languages_1")  # Spanish
    page.check("#id_languages_2")  # Haitian Creole
    page.fill("#id_call_to_action", "Act now")
    page.fill("#id_summary", "Legal services keep families together.")
    page.fill("#id_body", "Families without a lawyer lose their cases.")
    yesterday = timezone.localdate() - timedelta(days=1)
    page.fill("#id_deadline_0", yesterday.isoformat())
    page.fill("#id_deadline_1", "18:00:00")
    page.fill("#id_letter_subject", "Fund legal services for immigrants")
    page.fill("#id_letter_body", "I ask you to fund legal services for immigrants.")
    page.fill("#id_petition_statement", "By signing, I ask the Commission to fund them.")
    page.fill("#id_letter_closing", "Sincerely,\n\n[Frist Name] [Last Name]")
    page.select_option("#id_target_set", label=COUNTY)
    page.fill("#id_target_role", "Commissioner")
    page.click("input[name=_continue]")
    page.wait_for_selector(".errornote")
    steps.shot(page, "mistakes")
    text = " ".join(page.locator("#content-main").inner_text().split())
    assert "This deadline has passed. Choose a later date." in text
    assert "set the status to Closed" not in text
    assert "Unknown merge field [Frist Name]" in text
    assert 'No seat called "Commissioner" in Miami-Dade County Commission Districts' in text
    assert "Use one of: County Commissioner." in text
    assert page.input_value("#id_title") == TITLE  # what was typed is kept


def _campaign_fixed(page, steps: Journey) -> Campaign:
    page.fill("#id_deadline_0", (timezone.localdate() + timedelta(days=60)).isoformat())
    page.fill("#id_letter_closing", "Sincerely,\n\n[First Name] [Last Name]")
    page.fill("#id_target_role", "County Commissioner")
    page.click("input[name=_continue]")
    page.wait_for_selector("nav.campaign-tools")
    steps.shot(page, "created")
    return Campaign.objects.get(slug=SLUG)


def _tool_bar_fits(page) -> None:
    """Every tool in view at 1280 px: nothing to scroll to, sideways or down."""
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    boxes = page.locator("nav.campaign-tools a").evaluate_all(
        "links => links.map(a => { const r = a.getBoundingClientRect();"
        " return [a.textContent, r.right, r.bottom]; })"
    )
    labels = [label.strip() for label, _r, _b in boxes]
    for wanted in ("English", "Español", "Kreyòl ayisyen", "Publish", "Dashboard",
                   "Export signers (CSV)", "Delivery packet (PDF)"):  # fmt: skip
        assert wanted in labels, wanted
    assert all(right <= 1280 and bottom <= 720 for _label, right, bottom in boxes), boxes


def _translate(page, steps: Journey) -> None:
    for field, value in SPANISH.items():
        page.fill(f"#id_translations-0-{field}", value)
    for field, value in CREOLE.items():
        page.fill(f"#id_translations-1-{field}", value)
    page.click("input[name=_continue]")
    page.wait_for_selector("nav.campaign-tools")
    missing = page.locator(".field-translations_missing a")
    assert missing.all_inner_texts() == ["Spanish: letter greeting, letter closing missing"]
    steps.shot(page, "translations-missing")
    missing.click()
    assert page.url.endswith("#id_translations-0-letter_greeting")
    page.fill("#id_translations-0-letter_greeting", "Estimado(a) [Official Name]:")
    page.fill("#id_translations-0-letter_closing", "Atentamente,\n\n[First Name] [Last Name]")
    page.click("input[name=_continue]")
    page.wait_for_selector("nav.campaign-tools")
    assert page.locator(".field-translations_missing .readonly").inner_text() == "None"
    steps.shot(page, "translated")


def _preview(page, steps: Journey) -> None:
    for language, title, closing in (
        ("Español", SPANISH["title"], "Atentamente, [su nombre] [su apellido]"),
        ("English", TITLE, "Sincerely, [your first name] [your last name]"),
    ):
        page.locator("nav.campaign-tools").get_by_role("link", name=language).click()
        page.wait_for_selector(".preview-banner")
        assert page.locator("h1").inner_text() == title
        assert " ".join(page.locator(".closing").inner_text().split()) == closing
        steps.shot(page, f"preview-{language.lower()}")
        page.go_back()


def _publish(page, steps: Journey, campaign: Campaign, roster: Path) -> None:
    page.locator("nav.campaign-tools").get_by_role("link", name="Publish").click()
    problems = page.locator(".golive-problems li")
    assert problems.count() == 13
    assert (
        "County Commissioner, District 9: nobody holds this seat today."
        in (problems.all_inner_texts())[8]
    )
    assert page.locator("input[value='Publish now']").count() == 0
    steps.shot(page, "publish-problems")
    # Platform staff import who holds the county seats (test data, see the docstring).
    call_command("officials", "import", str(roster), "--set", "miami-dade-commission-districts")
    page.reload()
    assert "Ready to go live" in page.content()
    assert "No native speaker has reviewed the Spanish, Haitian Creole texts" in page.content()
    steps.shot(page, "publish-ready")
    page.check("#publish-unreviewed")  # the organiser accepts it, for now
    page.click("input[value='Publish now']")
    page.wait_for_selector("nav.campaign-tools")
    assert f"{TITLE} is live." in page.locator(".messagelist").inner_text()
    steps.shot(page, "published")
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.LIVE


def _county_roster(path: Path) -> Path:
    with path.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["office", "district", "name", "in_office_since", "official_email"])
        for n in range(1, 14):
            out.writerow(["County Commissioner", n, f"Test Commissioner {n}", "2024-11-19",
                          f"district{n}@county.example.org"])  # fmt: skip
    return path


def _supporter_signs(chromium, live_server, steps: Journey) -> None:
    context = chromium.new_context(base_url=live_server.url)
    page = context.new_page()
    page.goto(f"/act/{SLUG}/")
    for name, value in {"first_name": "Maria", "last_name": "Lopez",
                        "email": "maria.lopez@example.com", **SCHOOL}.items():  # fmt: skip
        page.fill(f"[name={name}]", value)
    page.wait_for_selector(".lookup-found")
    assert page.get_by_label("District 9 — Test Commissioner 9").is_checked()
    steps.shot(page, "supporter-filled")
    page.get_by_role("button", name="Sign and send").click()
    page.wait_for_url(f"**/act/{SLUG}/thanks/")
    assert page.get_by_role("heading", level=1).inner_text() == "Thank you, Maria!"
    assert page.input_value("#share-url").startswith(f"{live_server.url}/act/{SLUG}/")
    steps.shot(page, "supporter-thanks")
    context.close()
    signature = Signature.objects.get(campaign__slug=SLUG)
    assert signature.area.number == "9" and signature.district_verified
    assert [d.official.name for d in Delivery.objects.filter(signature=signature)] == [
        "Test Commissioner 9"
    ]


def _dashboard_and_export(page, steps: Journey) -> None:
    page.locator("nav.campaign-tools").get_by_role("link", name="Dashboard").click()
    assert "1 signature of 1,000" in page.locator(".count").inner_text()
    steps.shot(page, "dashboard")
    page.fill("#id_district", "99")
    page.click("button:has-text('Download CSV')")
    page.wait_for_selector("#export-errors")
    errors = page.locator("#export-errors").inner_text()
    assert (
        "This campaign has no district 99. Choose one of: 1, 2, 3, 4, 5, 6, 7, 8, 9, 10" in errors
    )
    assert page.input_value("#id_district") == "99"  # the filters are kept
    steps.shot(page, "export-mistake")
    page.fill("#id_district", "9")
    with page.expect_download() as download:
        page.click("button:has-text('Download CSV')")
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text())))
    assert [(r["first_name"], r["district"]) for r in rows] == [("Maria", "District 9")]


def _packet(page, steps: Journey, campaign: Campaign) -> None:
    from pypdf import PdfReader

    response = page.request.get(f"/organise/campaigns/{campaign.pk}/packet.pdf")
    assert response.headers["content-type"] == "application/pdf"
    first = PdfReader(io.BytesIO(response.body())).pages[0].extract_text()
    text = " ".join(first.split())
    assert ORGANISATION in text and TITLE in text
    assert "1 resident signed this petition" in text
    assert "District 2 0 District 3 0" in text and "District 9 1 District 10 0" in text
    pdf = ARTIFACTS / "journey-packet.pdf"
    pdf.write_bytes(response.body())
    if shutil.which("pdftoppm"):
        target = ARTIFACTS / f"journey-{steps.count + 1:02d}-packet-first-page"
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile",
                        str(pdf), str(target)], check=True)  # fmt: skip


def test_a_fresh_organiser_launches_a_campaign_alone(
    chromium,
    live_server,
    journey,
    tmp_path,
):
    steps = Journey()
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 720}
    )
    page = context.new_page()
    try:
        _sign_in(page, journey, steps)
        _campaign_with_mistakes(page, steps)
        campaign = _campaign_fixed(page, steps)
        _tool_bar_fits(page)
        _translate(page, steps)
        _preview(page, steps)
        _publish(page, steps, campaign, _county_roster(tmp_path / "county.csv"))
        _supporter_signs(chromium, live_server, steps)
        _dashboard_and_export(page, steps)
        _packet(page, steps, campaign)
    finally:
        context.close()


@pytest.mark.parametrize("prefix", ["", "/es", "/ht"])
def test_the_request_form_and_the_join_page_pass_axe(
    chromium,
    live_server,
    settings,
    miami,
    prefix,
):
    from altavoz.onboarding import services, tokens
    from browser import axe_violations

    settings.ORGANISATION_REQUESTS = True
    settings.CSRF_COOKIE_SECURE = settings.SESSION_COOKIE_SECURE = False
    context = chromium.new_context(base_url=live_server.url)
    page = context.new_page()
    try:
        page.goto(f"{prefix}/start/")
        found = {"form": axe_violations(page)}
        page.locator("button.send").click()
        page.wait_for_selector("#error-summary")
        found["errors"] = axe_violations(page)
        screenshot(page, f"request-form{prefix.replace('/', '-')}-errors")
        request = services.organisation_request_create(
            organisation_name="Axe Org", requester_name="Ana", requester_email="ana@example.org",
            language=prefix.strip("/") or "en",
        )  # fmt: skip
        services.organisation_request_approve(request=request, by="test")
        request.refresh_from_db()
        page.goto(tokens.invitation_url(request).replace(settings.SITE_URL, ""))
        found["join"] = axe_violations(page)
        screenshot(page, f"join{prefix.replace('/', '-')}")
    finally:
        context.close()
    assert found == {"form": [], "errors": [], "join": []}
