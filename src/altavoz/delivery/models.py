"""Every letter to an official is a Delivery row: the delivery queue's truth and its audit
trail. The demo's local outbox (OutboxMessage) is where a demo's emails are kept instead."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from altavoz.districts.models import Official
from altavoz.models import EmailAttempt, Queued, UUIDModel


class Delivery(UUIDModel, Queued):
    """One letter to one official, queued until it is sent (altavoz.queue)."""

    signature = models.ForeignKey(
        "campaigns.Signature", on_delete=models.CASCADE, related_name="deliveries"
    )
    official = models.ForeignKey(
        "districts.Official", on_delete=models.PROTECT, related_name="deliveries"
    )
    channel = models.CharField(
        _("channel"),
        max_length=20,
        default="email",
        help_text=_("How the letter is delivered (email, or another channel)."),
    )

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


class DeliveryAttempt(EmailAttempt):
    """One try at sending a delivery, whatever its outcome: the audit trail."""

    QUEUED_FIELD = "delivery"

    delivery = models.ForeignKey(
        Delivery, on_delete=models.CASCADE, related_name="attempt_log", verbose_name=_("delivery")
    )

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["-started_at"]


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
