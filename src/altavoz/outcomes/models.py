"""What came of the letters: did each office reply, and what did each official do.

A letter's writer tells us whether the office replied (``LetterReply.answer``), or the
letter's own reply address sees the office's answer pass (``LetterReply.captured_at``); the
two are kept apart, because one is a person's word and the other a fact we saw. After the
meeting an organiser records each official's position or vote (``Position``), with its source.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from altavoz.models import EmailAttempt, Queued, UUIDModel


class LetterReply(models.Model):
    """Whether the office answered one letter (one delivered Delivery)."""

    class Answer(models.TextChoices):
        YES = "yes", _("Yes, the office replied")
        NO = "no", _("No reply")
        NOT_YET = "not_yet", _("Not yet")

    delivery = models.OneToOneField(
        "delivery.Delivery",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="reply",
        verbose_name=_("letter"),
    )
    answer = models.CharField(_("the writer says"), max_length=8, choices=Answer, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    captured_at = models.DateTimeField(
        _("reply seen"),
        null=True,
        blank=True,
        help_text=_(
            "When the office's first reply passed through the letter's reply address (only "
            "that it exists is kept, never what it says)."
        ),
    )

    class Meta:
        verbose_name = _("reply to a letter")
        verbose_name_plural = _("replies to letters")

    def __str__(self) -> str:
        return str(self.delivery)


class Position(UUIDModel):
    """What an official did or said on a campaign's question, with where it is recorded."""

    class Stance(models.TextChoices):
        VOTED_NO = "voted_no", _("Voted no")
        VOTED_YES = "voted_yes", _("Voted yes")
        ABSTAINED = "abstained", _("Abstained")
        ABSENT = "absent", _("Absent from the vote")
        SAID_OPPOSE = "said_oppose", _("Said they oppose")
        SAID_SUPPORT = "said_support", _("Said they support")
        UNDECIDED = "undecided", _("Said they are undecided")

    campaign = models.ForeignKey(
        "campaigns.Campaign",
        on_delete=models.CASCADE,
        related_name="positions",
        verbose_name=_("campaign"),
    )
    official = models.ForeignKey(
        "districts.Official",
        on_delete=models.PROTECT,
        related_name="positions",
        verbose_name=_("official"),
    )
    stance = models.CharField(_("position or vote"), max_length=12, choices=Stance)
    stated_on = models.DateField(_("date"), help_text=_("The day of the vote or statement."))
    source_url = models.URLField(
        _("source"),
        max_length=500,
        help_text=_("Where anyone can check it: the meeting's minutes or video, an article."),
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    writers_told_at = models.DateTimeField(
        _("writers told"),
        null=True,
        blank=True,
        help_text=_("When the email to everyone who wrote to this official was queued (once)."),
    )

    class Meta:
        verbose_name = _("position or vote")
        verbose_name_plural = _("positions and votes")
        ordering = ["campaign", "official__name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "official"], name="position_once")
        ]

    def __str__(self) -> str:
        return f"{self.official.name}: {self.get_stance_display()}"

    def sentence(self) -> str:
        """What the official did, as the writers read it (in the active language)."""
        words = {"name": self.official.name, "date": date_format(self.stated_on)}
        return str(STANCE_SENTENCES[self.stance]) % words

    def clean(self) -> None:
        """Only an official the campaign writes to has a position on it."""
        if self.campaign_id and self.official_id:
            targets = self.campaign.target_posts()
            if not targets.filter(pk=self.official.post_id).exists():
                raise ValidationError(
                    {"official": _("This campaign does not write to this official.")}
                )


Stance = Position.Stance
# Whole sentences, one per stance: each language words them its own way.
STANCE_SENTENCES = {
    Stance.VOTED_NO: _("%(name)s voted no on %(date)s."),
    Stance.VOTED_YES: _("%(name)s voted yes on %(date)s."),
    Stance.ABSTAINED: _("%(name)s abstained in the vote on %(date)s."),
    Stance.ABSENT: _("%(name)s was absent from the vote on %(date)s."),
    Stance.SAID_OPPOSE: _("On %(date)s, %(name)s said they oppose it."),
    Stance.SAID_SUPPORT: _("On %(date)s, %(name)s said they support it."),
    Stance.UNDECIDED: _("On %(date)s, %(name)s said they are undecided."),
}


class FollowUp(UUIDModel, Queued):
    """One email to a letter's writer after the letter: "did the office reply?" (asked once,
    and once more after a "not yet"), or what the official did. Sent by the same queue as
    letters: claimed once, every try recorded, retried, never sent twice."""

    class Purpose(models.TextChoices):
        REPLY_QUESTION = "reply_question", _("Did the office reply?")
        REPLY_QUESTION_AGAIN = "reply_again", _("Did the office reply? (asked again)")
        OUTCOME = "outcome", _("What the official did")

    delivery = models.ForeignKey(
        "delivery.Delivery",
        on_delete=models.CASCADE,
        related_name="follow_ups",
        verbose_name=_("letter"),
    )
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose)

    class Meta:
        verbose_name = _("follow-up email")
        verbose_name_plural = _("follow-up emails")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "purpose"], name="follow_up_once")
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="follow_up_due")]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.delivery})"

    @property
    def message_key(self) -> str:
        """The left part of the Message-ID: the same on every attempt for this email."""
        return f"{self.purpose}.{self.pk}"


class FollowUpAttempt(EmailAttempt):
    QUEUED_FIELD = "follow_up"

    follow_up = models.ForeignKey(
        FollowUp,
        on_delete=models.CASCADE,
        related_name="attempt_log",
        verbose_name=_("follow-up email"),
    )

    class Meta:
        verbose_name = _("follow-up attempt")
        verbose_name_plural = _("follow-up attempts")
        ordering = ["-started_at"]
