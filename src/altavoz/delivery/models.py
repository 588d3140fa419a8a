"""Every letter to an official is a Delivery row: the delivery queue's truth and its audit
trail. The demo's local outbox (OutboxMessage) is where a demo's emails are kept instead."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from altavoz.districts.models import Official
from altavoz.models import UUIDModel


class Delivery(UUIDModel):
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
    claimed_at = models.DateTimeField(
        _("claimed"),
        null=True,
        blank=True,
        help_text=_("When a worker took the row to send it; a stale claim is taken back."),
    )
    claimed_by = models.CharField(_("claimed by"), max_length=32, blank=True)

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

    @property
    def message_key(self) -> str:
        """The left part of the Message-ID: the same on every attempt for this letter."""
        return f"letter.{self.pk}"


class DeliveryAttempt(models.Model):
    """One try at sending a delivery, whatever its outcome: the audit trail."""

    class Outcome(models.TextChoices):
        SENT = "sent", _("Sent")
        RETRY = "retry", _("Failed, will retry")
        FAILED = "failed", _("Failed for good")
        INTERRUPTED = "interrupted", _("Interrupted (worker stopped mid-send)")

    delivery = models.ForeignKey(
        Delivery, on_delete=models.CASCADE, related_name="attempt_log", verbose_name=_("delivery")
    )
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"))
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    error = models.TextField(_("error"), blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} {self.started_at:%Y-%m-%d %H:%M:%S}"


class OfficialDeliveries(Official):
    """Officials seen from the delivery queue: how many letters each has been sent, has
    queued, has lost."""

    class Meta:
        proxy = True
        verbose_name = _("deliveries per official")
        verbose_name_plural = _("deliveries per official")


class OutboxMessage(models.Model):
    """An email kept in the demo's local outbox instead of sent: the organiser reads it in
    the admin. ("Outbox" means only this: the demo's mailbox. The letters waiting to be
    sent are the delivery queue, the Delivery rows.)"""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    organisation = models.ForeignKey(
        "campaigns.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
        help_text=_("Whose campaign the email belongs to; only its organisers read it."),
    )
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
