"""A request to start using Altavoz: a pending organisation, who asked for it, and what
platform staff decided. Its requester becomes the first organiser through an emailed link."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from altavoz.models import UUIDModel


class OrganisationRequest(UUIDModel):
    """Made by the public form ("start using Altavoz"); seen and decided by platform staff
    only (campaigns/access.py: STAFF_MODELS), never by other organisations' organisers."""

    organisation = models.OneToOneField(
        "campaigns.Organisation",
        on_delete=models.CASCADE,
        related_name="request",
        verbose_name=_("organisation"),
    )
    requester_name = models.CharField(_("requester's name"), max_length=200)
    requester_email = models.EmailField(_("requester's email"))
    website = models.CharField(_("website"), max_length=200, blank=True)
    plans = models.TextField(_("what they will campaign on"), blank=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    ip_hash = models.CharField(_("IP address hash"), max_length=64, blank=True)
    decided_by = models.CharField(_("decided by"), max_length=200, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    invited_at = models.DateTimeField(
        _("invitation sent"),
        null=True,
        blank=True,
        help_text=_("The link in the latest invitation works once, for 7 days; sending a new "
                    "one makes the older links stop working."),
    )  # fmt: skip
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("first organiser"),
    )

    class Meta:
        verbose_name = _("request to start using Altavoz")
        verbose_name_plural = _("requests to start using Altavoz")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.organisation.name} ({self.requester_email})"
