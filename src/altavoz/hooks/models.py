"""Signed webhooks: an organisation's endpoints, the events written in the same transaction
as what they report, and one message per endpoint and event, the queue's truth (as a
Delivery is for letters), with every attempt recorded."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from altavoz import outbound
from altavoz.models import HttpAttempt, Queued, UUIDModel


class EventKind(models.TextChoices):
    SIGNATURE_CREATED = "signature.created", _("A signature is made")
    SIGNATURE_CONFIRMED = "signature.confirmed", _("A signature counts (confirmed)")
    DELIVERY_SENT = "delivery.sent", _("A letter is sent")
    DELIVERY_FAILED = "delivery.failed", _("A letter failed for good")
    CAMPAIGN_CLOSED = "campaign.closed", _("A campaign closes")
    REPLY_RECORDED = (
        "reply.recorded",
        _("A reply to a letter is recorded"),
    )
    OUTCOME_RECORDED = "outcome.recorded", _("An official's position or vote is recorded")


class Endpoint(UUIDModel):
    """Where an organisation wants to hear of events, and which ones."""

    organisation = models.ForeignKey(
        "campaigns.Organisation",
        on_delete=models.CASCADE,
        related_name="webhook_endpoints",
        verbose_name=_("organisation"),
    )
    url = models.URLField(_("URL"), max_length=500, validators=[outbound.url_validate])
    events = models.JSONField(_("events"), default=list)
    secret = models.CharField(_("signing secret"), max_length=100, editable=False)
    previous_secret = models.CharField(max_length=100, blank=True, editable=False)
    previous_secret_until = models.DateTimeField(null=True, blank=True, editable=False)
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True, editable=False)
    disabled_at = models.DateTimeField(_("disabled"), null=True, blank=True)
    disabled_reason = models.TextField(_("why it was disabled"), blank=True, editable=False)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["url"]

    def __str__(self) -> str:
        return self.url


class Event(UUIDModel):
    """Something that happened, as the endpoints are told it (OSDI-shaped ``data``)."""

    organisation = models.ForeignKey(
        "campaigns.Organisation",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("event"), max_length=40, choices=EventKind.choices)
    data = models.JSONField(_("data"))

    class Meta:
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.created_at:%Y-%m-%d %H:%M:%S}"


class Message(UUIDModel, Queued):
    """One event for one endpoint, on the shared queue (altavoz.queue). Its id is the
    ``webhook-id`` on every try and replay, so a receiver can tell a repeat."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="messages")
    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="messages")

    class Meta:
        verbose_name = _("webhook message")
        verbose_name_plural = _("webhook messages")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="hook_message_due")]

    def __str__(self) -> str:
        return f"{self.event.kind} → {self.endpoint.url}"

    @property
    def webhook_id(self) -> str:
        return f"msg_{self.pk.hex}"


class Attempt(HttpAttempt):
    """One try at sending a message, whatever came of it."""

    QUEUED_FIELD = "message"

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attempt_log")

    class Meta:
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")
        ordering = ["-started_at"]
