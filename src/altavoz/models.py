"""Abstract bases shared by every app's models."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from altavoz.languages import language_of_page


class UUIDModel(models.Model):
    """A row keyed by a random UUID (never a sequential number, so its id may appear in a
    URL without counting the rows), with its creation and update times. Whether a row is
    public is decided elsewhere (campaigns/access.py); this base only gives the key."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class Translated(models.Model):
    """Data whose words a supporter reads: a district's name, a seat's label, the territory a
    map covers. The row's own fields are in settings.LANGUAGE_CODE; ``translations`` holds
    them in the other languages, ``{"es": {"name": "Distrito 2"}}``. An empty or missing
    translation shows the row's own words (a place name such as "Hialeah" needs none)."""

    TRANSLATED_FIELDS: tuple[str, ...] = ()

    translations = models.JSONField(
        _("translations"),
        default=dict,
        blank=True,
        help_text=_('The same words in each other language, e.g. {"es": {"name": "Distrito 2"}}.'),
    )

    class Meta:
        abstract = True

    def translated(self, field: str, language: str | None = None) -> str:
        """``field`` in ``language`` (the active language by default)."""
        words = (self.translations or {}).get(language_of_page(language)) or {}
        return words.get(field) or getattr(self, field)

    def translation_set(self, language: str, field: str, value: str) -> None:
        """Write (or, with an empty value, remove) one translated word on this row."""
        words = dict((self.translations or {}).get(language) or {})
        if value.strip():
            words[field] = value.strip()
        else:
            words.pop(field, None)
        translations = {k: v for k, v in (self.translations or {}).items() if k != language}
        self.translations = {**translations, **({language: words} if words else {})}


class Queued(models.Model):
    """The queue's columns: where the message stands and how its tries went."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        BOUNCED = "bounced", _("Bounced")
        CANCELLED = "cancelled", _("Cancelled")

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
        abstract = True


class Attempt(models.Model):
    """One try at sending a queued message, whatever its outcome: the audit trail."""

    class Outcome(models.TextChoices):
        SENT = "sent", _("Sent")
        RETRY = "retry", _("Failed, will retry")
        FAILED = "failed", _("Failed for good")
        INTERRUPTED = "interrupted", _("Interrupted (worker stopped mid-send)")

    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"))
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    error = models.TextField(_("error"), blank=True)

    # The foreign key to the queued row, in each concrete attempt model.
    QUEUED_FIELD = ""

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} {self.started_at:%Y-%m-%d %H:%M:%S}"


class EmailAttempt(Attempt):
    """A try at sending an email, with the Message-ID it left with."""

    message_id = models.CharField(_("Message-ID"), max_length=300, blank=True)

    class Meta:
        abstract = True


class HttpAttempt(Attempt):
    """A try at posting to another system, with the HTTP status it answered."""

    status_code = models.PositiveIntegerField(_("HTTP status"), null=True, blank=True)

    class Meta:
        abstract = True
