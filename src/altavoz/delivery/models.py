"""Every letter to an official is a Delivery row: the queue's truth and its audit trail."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from altavoz.models import PublicModel


class Delivery(PublicModel):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        BOUNCED = "bounced", _("Bounced")
        CANCELLED = "cancelled", _("Cancelled")

    signature = models.ForeignKey(
        "campaigns.Signature", on_delete=models.CASCADE, related_name="deliveries"
    )
    official = models.ForeignKey(
        "districts.Official", on_delete=models.PROTECT, related_name="deliveries"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    provider_id = models.CharField(_("provider message id"), max_length=200, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["signature", "official"], name="delivery_once")
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]

    def __str__(self) -> str:
        return f"{self.official.name}: {self.get_status_display()}"


class OutboxMessage(models.Model):
    """An email kept instead of sent (demo mode): the organiser reads it in the admin."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    from_email = models.CharField(_("from"), max_length=300)
    to = models.TextField(_("to"))
    subject = models.CharField(_("subject"), max_length=300)
    headers = models.JSONField(_("headers"), default=dict)
    text = models.TextField(_("text"))
    html = models.TextField(_("HTML"), blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject
