"""Bounces and complaints from the email provider (django-anymail's tracking webhook).

The webhook is mounted only where Postmark sends the email and ANYMAIL_WEBHOOK_SECRET
guards it with basic auth (settings refuse to start a production site with Postmark and no
secret): a forged event could otherwise mark any sent letter bounced. The receiver only
translates the provider's event into one service call.
"""

from anymail.signals import AnymailTrackingEvent
from anymail.webhooks.postmark import PostmarkTrackingWebhookView
from django.conf import settings
from django.core.exceptions import BadRequest
from django.urls import path

from altavoz.delivery import services

POSTMARK_BACKEND = "anymail.backends.postmark.EmailBackend"
BAD_EVENTS = {"bounced": "Bounced", "complained": "Marked as spam", "rejected": "Rejected"}


class PostmarkTracking(PostmarkTrackingWebhookView):
    """Anymail's Postmark view; a body that is not a Postmark event is a 400, not a 500."""

    def parse_events(self, request):
        try:
            return super().parse_events(request)
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            raise BadRequest("The body is not a Postmark event.") from error


def url_patterns() -> list:
    """The tracking webhook's URL, where Postmark is the email backend and a secret is set."""
    postmark = settings.MAILERS["default"]["BACKEND"] == POSTMARK_BACKEND
    if not (postmark and settings.ANYMAIL.get("WEBHOOK_SECRET")):
        return []
    view = PostmarkTracking.as_view()
    return [path("anymail/postmark/tracking/", view, name="postmark-tracking")]


def on_tracking(sender, event: AnymailTrackingEvent, esp_name: str, **kwargs) -> None:
    label = BAD_EVENTS.get(event.event_type)
    if label is None:
        return
    detail = event.description or event.mta_response or event.reject_reason or ""
    reason = f"{label} ({esp_name}): {event.recipient or ''} {detail}".strip()
    delivery_id = (event.metadata or {}).get("delivery", "")
    services.deliveries_bounce(
        provider_id=event.message_id or "", reason=reason, delivery_id=delivery_id
    )
