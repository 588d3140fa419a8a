"""Bounces and complaints from the email provider (django-anymail's tracking webhook).

The receiver only translates the provider's event into one service call.
"""

from anymail.signals import AnymailTrackingEvent

from altavoz.delivery import services

BAD_EVENTS = {"bounced": "Bounced", "complained": "Marked as spam", "rejected": "Rejected"}


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
