"""Bounces and complaints posted by the email provider (Postmark, through django-anymail)."""

import base64
import json
from pathlib import Path

import pytest
from django.test import override_settings

from altavoz.delivery.models import Delivery

FIXTURES = Path(__file__).parent / "fixtures"
SECRET = "hook:s3cret"
AUTH = {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(SECRET.encode()).decode()}
URL = "/anymail/postmark/tracking/"


def _post(client, name: str, **changes):
    payload = {**json.loads((FIXTURES / name).read_text()), **changes}
    return client.post(URL, json.dumps(payload), content_type="application/json", **AUTH)


@pytest.fixture
def sent(sign):
    sign()
    Delivery.objects.update(
        status=Delivery.Status.SENT, provider_id="883953f4-6105-42a2-a16a-77a8eac79483"
    )
    return Delivery.objects.get()


@override_settings(ANYMAIL={"WEBHOOK_SECRET": SECRET})
def test_a_hard_bounce_marks_the_delivery_bounced_with_the_reason(sent, client, admin_client):
    assert _post(client, "postmark_bounce.json").status_code == 200
    sent.refresh_from_db()
    assert sent.status == Delivery.Status.BOUNCED
    assert sent.last_error.startswith("Bounced (Postmark): john@example.com")
    assert "unknown user" in sent.last_error
    page = admin_client.get("/admin/delivery/delivery/?status__exact=bounced")
    assert b"unknown user" in page.content


@override_settings(ANYMAIL={"WEBHOOK_SECRET": SECRET})
def test_a_spam_complaint_marks_the_delivery_found_by_its_metadata(sent, client):
    response = _post(client, "postmark_spam_complaint.json", Metadata={"delivery": str(sent.pk)})
    assert response.status_code == 200
    sent.refresh_from_db()
    assert sent.status == Delivery.Status.BOUNCED
    assert sent.last_error.startswith("Marked as spam (Postmark)")


@override_settings(ANYMAIL={"WEBHOOK_SECRET": SECRET})
def test_a_webhook_without_the_secret_is_refused(sent, client):
    payload = (FIXTURES / "postmark_bounce.json").read_text()
    response = client.post(URL, payload, content_type="application/json")
    assert response.status_code in (400, 401, 403)
    sent.refresh_from_db()
    assert sent.status == Delivery.Status.SENT


@override_settings(ANYMAIL={"WEBHOOK_SECRET": SECRET})
def test_a_bounce_for_an_unknown_message_changes_nothing(sent, client):
    assert _post(client, "postmark_bounce.json", MessageID="someone-else").status_code == 200
    sent.refresh_from_db()
    assert sent.status == Delivery.Status.SENT
