"""What organisers were told about their live campaigns, so each problem is told once."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class TargetAlert(models.Model):
    """A target of a live campaign whose letters cannot leave (nobody holds the seat, the
    official has no delivery address) or wait (an address change not yet confirmed). Its
    organisers get one email about it; it is resolved once the letters can go again, and a
    later problem is a new alert."""

    class Kind(models.TextChoices):
        VACANT = "vacant", _("Nobody holds the seat")
        NO_ADDRESS = "no_address", _("No delivery address")
        HELD = "held", _("Address change waiting for confirmation")

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="+", verbose_name=_("campaign")
    )
    post = models.ForeignKey(
        "districts.Post", on_delete=models.CASCADE, related_name="+", verbose_name=_("seat")
    )
    official = models.ForeignKey(
        "districts.Official",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("official"),
    )
    kind = models.CharField(_("problem"), max_length=12, choices=Kind.choices)
    text = models.TextField(_("what organisers were told"))
    noticed_at = models.DateTimeField(_("noticed"), auto_now_add=True)
    emailed_at = models.DateTimeField(_("organisers emailed"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        verbose_name = _("target alert")
        verbose_name_plural = _("target alerts")
        ordering = ["-noticed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "post", "kind"],
                condition=Q(resolved_at__isnull=True),
                name="targetalert_open_once",
            )
        ]

    def __str__(self) -> str:
        return self.text
