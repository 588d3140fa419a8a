"""The embed in Debian's Chromium, on a page served from another loopback origin (an
organisation's site) that frames the campaign with the one-line snippet: a signature goes
through with no cookie, the frame takes its content's height, it works with JavaScript off,
and a site the campaign does not name is refused the frame."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from altavoz import kept
from altavoz.campaigns.models import Campaign, Signature
from browser import CHROMIUM, fill_supporter, screenshot

pytestmark = [
    pytest.mark.vendor_neutral,
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium"),
    pytest.mark.django_db(transaction=True),
]


class OrganisationSite:
    """A page on another origin (127.0.0.2 or .3: another site to the browser, cookies
    included), serving ``html`` at /."""

    def __init__(self, host: str, html: str):
        body = html.encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.url = f"http://{host}:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site():
    made = []

    def make(host: str, html: str) -> OrganisationSite:
        made.append(OrganisationSite(host, html))
        return made[-1]

    yield make
    for each in made:
        each.close()


def _snippet(live_server, language: str = "") -> str:
    extra = f' data-language="{language}"' if language else ""
    return (
        "<!doctype html><html lang=en><title>Our coalition</title><h1>Our coalition</h1>"
        f'<script src="{live_server.url}/static/altavoz/embed.js" data-campaign="miami-287g"'
        f"{extra} async></script><p>Footer of the organisation's page</p>"
    )


def _allow(campaign, *origins):
    Campaign.objects.filter(pk=campaign.pk).update(embed_origins=list(origins))
    kept.forget()


def _embed_frame(page):
    page.wait_for_selector("iframe")
    frame = page.frame_locator("iframe")
    frame.locator("form").wait_for()
    return next(f for f in page.frames if "/embed/miami-287g/" in f.url)


def test_a_signature_goes_through_the_embed_on_another_site_with_no_cookie(
    chromium, live_server, miami, site, settings
):
    settings.CSRF_COOKIE_SECURE = settings.SESSION_COOKIE_SECURE = False
    organisation = site("127.0.0.2", _snippet(live_server))
    _allow(miami, organisation.url)
    context = chromium.new_context(viewport={"width": 420, "height": 800})
    page = context.new_page()
    sent = []
    page.on("request", lambda r: sent.append(r) if r.method == "POST" else None)
    page.goto(organisation.url)
    frame = _embed_frame(page)
    # the frame takes its content's height (far from the 900 px it starts with)
    page.wait_for_function(
        "() => document.querySelector('iframe').style.height !== '900px'", timeout=10_000
    )
    height = page.evaluate("() => document.querySelector('iframe').getBoundingClientRect().height")
    content = frame.evaluate("() => document.documentElement.getBoundingClientRect().height")
    assert abs(height - content) <= 2
    fill_supporter(frame)
    frame.get_by_role("button", name="Sign and send").click()
    frame.wait_for_selector("text=Your letter is queued for delivery to:")
    assert "Damian Pardo" in frame.content()
    screenshot(page, "embed-thanks-on-another-site")
    signature = Signature.objects.get()
    assert signature.person.email == "maria.lopez@example.com"
    (post,) = sent
    assert "cookie" not in post.all_headers()  # nothing stored in the browser was needed
    context.close()


def test_the_embed_speaks_the_language_the_snippet_asks_for(chromium, live_server, miami, site):
    organisation = site("127.0.0.2", _snippet(live_server, "es"))
    _allow(miami, organisation.url)
    context = chromium.new_context()
    page = context.new_page()
    page.goto(organisation.url)
    frame = _embed_frame(page)
    assert "/es/embed/miami-287g/" in frame.url
    assert frame.get_by_role("button", name="Firmar y enviar").is_visible()
    context.close()


def test_the_embed_works_with_javascript_off(chromium, live_server, miami, site, settings):
    """The organisation's page may frame it with a plain iframe; without JavaScript the
    district is chosen from the list and the form still signs."""
    settings.CSRF_COOKIE_SECURE = settings.SESSION_COOKIE_SECURE = False
    html = (
        "<!doctype html><html lang=en><title>Plain</title>"
        f'<iframe src="{live_server.url}/embed/miami-287g/" title="Sign" width="400" '
        'height="1500"></iframe>'
    )
    organisation = site("127.0.0.2", html)
    _allow(miami, organisation.url)
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(organisation.url)
    frame = _embed_frame(page)
    fill_supporter(frame)
    frame.get_by_role("button", name="Sign and send").click()
    frame.wait_for_selector("text=Your letter is queued for delivery to:")
    assert Signature.objects.count() == 1
    context.close()


def test_a_site_the_campaign_does_not_name_is_refused_the_frame(chromium, live_server, miami, site):
    allowed = site("127.0.0.2", _snippet(live_server))
    other = site("127.0.0.3", _snippet(live_server))
    _allow(miami, allowed.url)
    context = chromium.new_context()
    page = context.new_page()
    refusals = []
    page.on("console", lambda m: refusals.append(m.text) if "frame-ancestors" in m.text else None)
    page.goto(other.url)
    page.wait_for_selector("iframe")
    page.wait_for_timeout(1500)
    frame = page.frames[1]
    assert frame.query_selector("form") is None
    assert any("request has been blocked" in text for text in refusals), refusals
    context.close()
