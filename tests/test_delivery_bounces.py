"""Bounces and complaints posted by the email provider (Postmark, through django-anymail)."""

import base64
import importlib
import json
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import clear_url_caches

import altavoz.urls
from altavoz.delivery.models import Delivery

FIXTURES = Path(__file__).parent / "fixtures"
SECRET = "hook:s3cret"
AUTH = {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(SECRET.encode()).decode()}
URL = "/anymail/postmark/tracking/"


def _post(client, name: str, **changes):
    payload = {**json.loads((FIXTURES / name).read_text()), **changes}
    return client.post(URL, json.dumps(payload), content_type="application/json", **AUTH)


POSTMARK = "anymail.backends.postmark.EmailBackend"


def _urls_reloaded() -> None:
    """The URLconf as a process started with the current settings builds it."""
    importlib.reload(altavoz.urls)
    clear_url_caches()


def _postmark_site(secret: str | None):
    mailers = {"default": {"BACKEND": POSTMARK, "OPTIONS": {}}}
    return override_settings(
        MAILERS=mailers, ANYMAIL={"WEBHOOK_SECRET": secret, "POSTMARK_SERVER_TOKEN": "x"}
    )


@pytest.fixture
def postmark():
    """A site whose email goes through Postmark, with the webhook's secret set."""
    with _postmark_site(SECRET):
        _urls_reloaded()
        yield
    _urls_reloaded()


@pytest.fixture
def sent(sign):
    sign()
    Delivery.objects.update(
        status=Delivery.Status.SENT, provider_id="883953f4-6105-42a2-a16a-77a8eac79483"
    )
    return Delivery.objects.get()


def test_a_hard_bounce_marks_the_delivery_bounced_with_the_reason(
    postmark, sent, client, admin_client
):
    assert _post(client, "postmark_bounce.json").status_code == 200
    sent.refresh_from_db()
    assert sent.status == Delivery.Status.BOUNCED
    assert sent.last_error.startswith("Bounced (Postmark): john@example.com")
    assert "unknown user" in sent.last_error
    page = admin_client.get("/admin/delivery/delivery/?status__exact=bounced")
    assert b"unknown user" in page.content


def test_a_spam_complaint_marks_the_delivery_found_by_its_metadata(postmark, sent, client):
    response = _post(client, "postmark_spam_complaint.json", Metadata={"delivery": str(sent.pk)})
    assert response.status_code == 200
    sent.refresh_from_db()
    assert sent.status == Delivery.Status.BOUNCED
    assert sent.last_error.startswith("Marked as spam (Postmark)")


def test_a_webhook_without_the_secret_is_refused(postmark, sent, client):
    payload = (FIXTURES / "postmark_bounce.json").read_text()
    response = client.post(URL, payload, content_type="application/json")
    assert response.status_code in (400, 401, 403)
    sent.refresh_from_db()
    assert sent.status == Delivery.Status.SENT


def test_a_bounce_for_an_unknown_message_changes_nothing(postmark, sent, client):
    assert _post(client, "postmark_bounce.json", MessageID="someone-else").status_code == 200
    sent.refresh_from_db()
    assert sent.status == Delivery.Status.SENT


def test_a_site_that_sends_by_smtp_has_no_webhook_to_forge(sent, client):
    """The default: SMTP, no secret. A forged "bounced" event must change nothing."""
    payload = (FIXTURES / "postmark_bounce.json").read_text()
    response = client.post(URL, payload, content_type="application/json")
    assert response.status_code == 404
    sent.refresh_from_db()
    assert sent.status == Delivery.Status.SENT


def test_postmark_without_a_secret_mounts_no_webhook(sent, client):
    """Outside production (which refuses to start so, test_settings.py) nothing is mounted."""
    with _postmark_site(None):
        _urls_reloaded()
        try:
            payload = (FIXTURES / "postmark_bounce.json").read_text()
            response = client.post(URL, payload, content_type="application/json")
        finally:
            _urls_reloaded()
    assert response.status_code == 404
    sent.refresh_from_db()
    assert sent.status == Delivery.Status.SENT


@pytest.mark.parametrize("body", ["not json", "[1, 2]", '"bounce"', b"\xff\xfe{"])
def test_a_body_that_is_not_a_postmark_event_is_a_bad_request(postmark, sent, client, body):
    client.raise_request_exception = False
    response = client.post(URL, body, content_type="application/json", **AUTH)
    assert response.status_code == 400
    sent.refresh_from_db()
    assert sent.status == Delivery.Status.SENT
