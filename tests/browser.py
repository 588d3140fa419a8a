"""Headless Debian Chromium through Playwright, for the browser tests (never a downloaded
browser: no browser is ever downloaded). Screenshots go to test-artifacts/."""

import re
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
# axe-core rules for WCAG 2.0, 2.1 and 2.2, levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
SUPPORTER = {
    "first_name": "Maria",
    "last_name": "Lopez",
    "email": "maria.lopez@example.com",
    "street_address": "3500 Pan American Dr",
    "zip_code": "33133",
}


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def axe_violations(page) -> list[tuple[str, list]]:
    """Each WCAG A/AA rule axe-core finds broken on the page, with the elements at fault."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    results = Axe().run(page, options=options).response
    return [(v["id"], [node["target"] for node in v["nodes"]]) for v in results["violations"]]


def fill_supporter(page, *, district: int | None = 2, **overrides) -> None:
    for name, value in {**SUPPORTER, **overrides}.items():
        page.fill(f"[name={name}]", value)
    if district is not None:
        # "District 2", "Distrito 2", "Distri 2": the page's language names it
        page.get_by_label(re.compile(rf"^(District|Distrito|Distri) {district}\b")).check()


def small_targets(page) -> list[dict]:
    """Controls smaller than 24 x 24 CSS pixels (WCAG 2.2 target size, level AA)."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll(
            'button, input:not([type=hidden]), select, textarea, nav a, .share-links a'))
          .filter(el => el.offsetParent !== null && !el.closest('[aria-hidden=true]'))
          .map(el => { const r = el.getBoundingClientRect();
                       return {el: el.outerHTML.slice(0, 80), w: r.width, h: r.height}; })
          .filter(t => t.w < 24 || t.h < 24)"""
    )
