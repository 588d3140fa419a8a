"""Sync to another OSDI system (Action Network first): an organisation's connection, and a
push per signer who gave consent, the queue's truth (as a Delivery is for letters), with
every attempt recorded."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from altavoz import outbound
from altavoz.models import HttpAttempt, Queued, UUIDModel

ACTION_NETWORK = "https://actionnetwork.org/api/v2/"


class Connection(UUIDModel):
    """Where new signers go: the OSDI record signature (or submission) helper of a petition
    or form in the other system, with the key that system gave the organisation."""

    organisation = models.ForeignKey(
        "campaigns.Organisation",
        on_delete=models.CASCADE,
        related_name="sync_connections",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=100, default="Action Network")
    helper_url = models.URLField(
        _("petition or form address"),
        max_length=500,
        help_text=_(
            "Its record signature (or submission) helper, e.g. "
            "https://actionnetwork.org/api/v2/petitions/<id>/signatures/ or "
            ".../forms/<id>/submissions/."
        ),
        validators=[outbound.url_validate],
    )
    api_key = models.CharField(_("API key"), max_length=200, editable=False)
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("campaign"),
        help_text=_("Only this campaign's signers; empty: every campaign's."),
    )
    tags = models.JSONField(_("tags"), default=list, blank=True)
    source = models.CharField(
        _("source code"),
        max_length=64,
        blank=True,
        help_text=_("Empty: each signature's own source code."),
    )
    paused_at = models.DateTimeField(_("paused"), null=True, blank=True)

    class Meta:
        verbose_name = _("sync connection")
        verbose_name_plural = _("sync connections")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Push(UUIDModel, Queued):
    """One signer sent to one connection, on the shared queue (altavoz.queue); its
    ``provider_id`` is the identifier the other system gave the signer."""

    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="pushes")
    signature = models.ForeignKey("campaigns.Signature", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("push")
        verbose_name_plural = _("pushes")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["connection", "signature"], name="push_once")
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="sync_push_due")]

    def __str__(self) -> str:
        return f"{self.signature_id} → {self.connection}"


class PushAttempt(HttpAttempt):
    QUEUED_FIELD = "push"

    push = models.ForeignKey(Push, on_delete=models.CASCADE, related_name="attempt_log")

    class Meta:
        verbose_name = _("push attempt")
        verbose_name_plural = _("push attempts")
        ordering = ["-started_at"]
