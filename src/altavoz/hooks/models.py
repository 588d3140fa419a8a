"""Signed webhooks: an organisation's endpoints, the events written in the same transaction
as what they report, and one message per endpoint and event, the queue's truth (as a
Delivery is for letters), with every attempt recorded."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from altavoz.models import UUIDModel


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
    url = models.URLField(_("URL"), max_length=500)
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


class Message(UUIDModel):
    """One event for one endpoint: queued, sending, sent or failed. Its id is the
    ``webhook-id`` on every try and replay, so a receiver can tell a repeat."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="messages")
    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="messages")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    claimed_by = models.CharField(_("claimed by"), max_length=32, blank=True)

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


class Attempt(models.Model):
    """One try at sending a message, whatever came of it."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attempt_log")
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"))
    status_code = models.PositiveIntegerField(_("HTTP status"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.outcome} {self.started_at:%Y-%m-%d %H:%M:%S}"
