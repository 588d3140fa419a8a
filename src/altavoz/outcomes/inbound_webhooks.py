"""Offices' replies posted by an email provider (django-anymail's inbound webhooks).

Mounted only for the provider named by REPLIES_INBOUND_PROVIDER, behind the basic auth of
ANYMAIL_WEBHOOK_SECRET (settings refuse to start without one). A reply whose forward fails
answers 503: the provider posts it again later, so it is never lost here.
"""

from anymail.webhooks.amazon_ses import AmazonSESInboundWebhookView
from anymail.webhooks.mailgun import MailgunInboundWebhookView
from anymail.webhooks.postmark import PostmarkInboundWebhookView
from django.conf import settings
from django.http import HttpResponse
from django.urls import path

from altavoz.delivery.channels.base import SendError
from altavoz.outcomes import inbound

VIEWS = {
    "postmark": PostmarkInboundWebhookView,
    "mailgun": MailgunInboundWebhookView,
    "amazon_ses": AmazonSESInboundWebhookView,
}
RETRY_AFTER_SECONDS = 300


def _retrying(view_class: type) -> type:
    class Retrying(view_class):
        def post(self, request, *args, **kwargs):
            try:
                return super().post(request, *args, **kwargs)
            except SendError as exc:
                response = HttpResponse(
                    f"Could not forward the reply now: {exc.reason}", status=503
                )
                response["Retry-After"] = str(RETRY_AFTER_SECONDS)
                return response

    return Retrying


def url_patterns() -> list:
    provider = settings.REPLIES_INBOUND_PROVIDER
    if not provider:
        return []
    view = _retrying(VIEWS[provider]).as_view()
    return [path(f"anymail/{provider}/inbound/", view, name="replies-inbound")]


def recipients_of(message) -> list[str]:
    """Who the provider delivered it to: the envelope recipient when it says, else To and Cc."""
    if getattr(message, "envelope_recipient", None):
        return [message.envelope_recipient]
    return [address.addr_spec for address in [*message.to, *message.cc]]


def on_inbound(sender, event, esp_name: str, **kwargs) -> None:
    message = event.message
    inbound.reply_receive(recipients=recipients_of(message), message=message)
