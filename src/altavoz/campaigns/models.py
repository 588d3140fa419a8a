"""Organisations, their campaigns, the people who act and what they signed.

Names follow OSDI where it has one (Person, Signature).
"""

import copy
import datetime
import hashlib
import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import DomainNameValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from altavoz import validation
from altavoz.campaigns import letters
from altavoz.campaigns.framing import origin_problem as framing_problem
from altavoz.districts.models import BoundarySet, Official, Post
from altavoz.models import Translated, UUIDModel


class Organisation(UUIDModel):
    """The group that runs campaigns and in whose name letters are sent. One asked for
    through the public form ("start using Altavoz") waits, pending, for platform staff."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        PENDING = "pending", _("Waiting for platform staff")
        DECLINED = "declined", _("Declined")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    sender_email = models.EmailField(
        _("sender email"),
        blank=True,
        help_text=_("Letters are sent From this address; empty uses the site default."),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="organisations",
        verbose_name=_("members"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    reply_domain = models.CharField(
        _("reply domain"),
        max_length=200,
        blank=True,
        validators=[DomainNameValidator(accept_idna=False)],
        help_text=_(
            "Optional. Letters then carry their own reply address at this domain "
            "(reply+…@domain): an office's reply reaches the writer, and the letter is marked "
            "replied. The domain's mail must reach Altavoz (see the README). Empty: offices "
            "reply to the writer's own address."
        ),
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def default_languages() -> list[str]:
    return [settings.LANGUAGE_CODE]


def language_name(code: str) -> str:
    return str(dict(settings.LANGUAGES).get(code, code))


class Campaign(UUIDModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        LIVE = "live", _("Live")
        CLOSED = "closed", _("Closed")

    class DeliveryMode(models.TextChoices):
        INDIVIDUAL = "individual", _("One email per letter")
        DIGEST = "digest", _("One daily digest per official, with a CSV")

    class Nonresidents(models.TextChoices):
        EXCLUDED = "excluded", _("They cannot take part")
        PETITION = "petition", _("They may sign the petition, without a letter")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="campaigns"
    )
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    kind = models.CharField(
        _("action"),
        max_length=20,
        default="letter",
        help_text=_("What supporters do: sign and send a letter, or call their official."),
    )
    is_demo = models.BooleanField(
        _("demo"),
        default=False,
        help_text=_("A demo sends every letter to the local outbox, never to the officials."),
    )

    title = models.CharField(_("headline"), max_length=200)
    call_to_action = models.CharField(_("call to action"), max_length=100)
    summary = models.CharField(_("summary"), max_length=300)
    body = models.TextField(
        _("explanation"),
        help_text=_(
            'Plain text. Blank line = new paragraph; "- " starts a bullet, "1. " a number.'
        ),
    )
    action_prompt = models.CharField(_("action prompt"), max_length=200, blank=True)
    lookup_prompt = models.CharField(_("district lookup prompt"), max_length=200, blank=True)
    letter_intro = models.CharField(_("letter introduction"), max_length=300, blank=True)
    story_prompt = models.CharField(
        _("personal story prompt"),
        max_length=300,
        blank=True,
        help_text=_(
            'Optional, e.g. "In one sentence, why does this matter to you?". The answer opens '
            "the letter: offices weigh personal messages far above form letters."
        ),
    )

    letter_subject = models.CharField(_("letter subject"), max_length=200, blank=True)
    letter_greeting = models.CharField(
        _("letter greeting"),
        max_length=200,
        default="Dear [Official Name],",
        help_text=_("Fixed. Merge fields: [First Name] [Last Name] [Official Name]."),
    )
    letter_body = models.TextField(
        _("letter body"), blank=True, help_text=_("Supporters may edit this part before sending.")
    )
    petition_statement = models.TextField(_("petition statement"), blank=True)
    letter_closing = models.TextField(
        _("letter closing"), default="Sincerely,\n\n[First Name] [Last Name]"
    )
    call_script = models.TextField(
        _("call script"),
        blank=True,
        help_text=_(
            "What a caller says to the office (call campaigns). Merge fields: [First Name] "
            "[District] [Official Name]."
        ),
    )

    target_set = models.ForeignKey(
        BoundarySet,
        on_delete=models.PROTECT,
        related_name="campaigns",
        verbose_name=_("target districts"),
        help_text=_("Each supporter writes to the officials of their district in this set."),
    )
    target_role = models.CharField(
        _("target role"),
        max_length=100,
        help_text=_('Which seat in the district, e.g. "Commissioner".'),
    )
    at_large_sets = models.ManyToManyField(
        BoundarySet,
        blank=True,
        related_name="+",
        verbose_name=_("also write to"),
        help_text=_(
            "Seats elected by the whole territory (one area, such as the City of Miami's "
            "Mayor): every supporter's letter goes to them too."
        ),
    )
    delivery_mode = models.CharField(
        _("delivery mode"),
        max_length=10,
        choices=DeliveryMode.choices,
        default=DeliveryMode.INDIVIDUAL,
        help_text=_("Offices that ask not to be flooded can get one digest a day instead."),
    )
    nonresidents = models.CharField(
        _("people outside the districts"),
        max_length=10,
        choices=Nonresidents.choices,
        default=Nonresidents.EXCLUDED,
        help_text=_(
            "What someone whose address is outside the target districts may do. Their "
            "petition signatures are counted apart on the dashboard; no letter is ever sent."
        ),
    )
    double_opt_in = models.BooleanField(
        _("confirm emails first"),
        default=False,
        help_text=_(
            "A signature counts, and its letter is sent, only after the supporter clicks the "
            "link we email them. Recommended when a campaign is under attack by bots."
        ),
    )
    goal = models.PositiveIntegerField(
        _("signature goal"), default=1000, validators=[MinValueValidator(1)]
    )
    deadline = models.DateTimeField(_("deadline"))
    deadline_label = models.CharField(
        _("deadline label"),
        max_length=200,
        blank=True,
        help_text=_('What happens at the deadline, e.g. "the June 12th City Commission meeting".'),
    )
    meeting_date = models.DateField(
        _("meeting date"),
        null=True,
        blank=True,
        help_text=_("Supporters can add this day to their calendar from the thank-you page."),
    )
    meeting_title = models.CharField(_("meeting name"), max_length=200, blank=True)
    meeting_location = models.CharField(_("meeting place"), max_length=300, blank=True)
    require_verified_address = models.BooleanField(
        _("only addresses found on the map"),
        default=False,
        help_text=_(
            "On: a signature needs an address the geocoder finds in a district (or a point "
            "on the map). Off: when the address cannot be checked, the signer chooses the "
            "district and the letter says it was chosen, not verified."
        ),
    )
    reply_question_days = models.PositiveSmallIntegerField(
        _("ask writers about replies after (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "That many days after a letter is delivered, its writer gets one email: did the "
            "office reply? Never after the deadline. Empty: never ask."
        ),
    )
    packet_includes_addresses = models.BooleanField(
        _("street addresses in the delivery packet"),
        default=False,
        help_text=_("Off: the printed packet lists names and districts only."),
    )
    embed_origins = models.JSONField(
        _("sites that may embed it"),
        default=list,
        blank=True,
        help_text=_(
            "The addresses of the sites allowed to show this campaign's form and counter "
            "in a frame, one per line, like https://example.org. No other site can."
        ),
    )
    languages = models.JSONField(
        _("languages"),
        default=default_languages,
        help_text=_(
            "The languages this page is offered in. The texts above are the English ones; "
            "add the others under Translations."
        ),
    )

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    # The texts a supporter reads or sends, written again for each language (see
    # CampaignTranslation). The campaign's own texts are in settings.LANGUAGE_CODE.
    TRANSLATABLE_FIELDS = (
        "title", "call_to_action", "summary", "body", "action_prompt", "lookup_prompt",
        "letter_intro", "letter_subject", "letter_greeting", "letter_body", "petition_statement",
        "letter_closing", "call_script", "deadline_label", "meeting_title", "story_prompt",
    )  # fmt: skip

    def clean(self) -> None:
        errors: dict[str, list] = self._kind_problems()
        if "kind" not in errors:
            unknown = self.action_kind.unknown_merge_fields(
                self, _("Unknown merge field %(fields)s. Use only %(known)s."),
                extra=self.question_merge_fields(),
            )  # fmt: skip
            for field, problems in unknown.items():
                errors.setdefault(field, []).extend(problems)
        known = {code for code, _name in settings.LANGUAGES}
        if not self.languages or not set(self.languages) <= known:
            errors["languages"] = [
                _("Choose one or more of: %(known)s.")
                % {"known": ", ".join(language_name(code) for code in sorted(known))}
            ]
        framing = [framing_problem(o) for o in self.embed_origins or []]
        if any(framing):
            errors["embed_origins"] = [problem for problem in framing if problem]
        if self.deadline and self.status != self.Status.CLOSED and self.deadline <= timezone.now():
            errors["deadline"] = [self._past_deadline()]
        if self.target_set_id and not self.target_posts().exists():
            errors["target_role"] = [
                _(
                    'No seat called "%(role)s" in %(set)s, so letters would reach nobody. '
                    "Use one of: %(roles)s."
                )
                % {
                    "role": self.target_role,
                    "set": self.target_set,
                    "roles": ", ".join(self.available_roles()) or _("(this set has no seats yet)"),
                }
            ]
        elif self.status == self.Status.LIVE and not self.is_demo and self.target_set_id:
            problems = self.action_kind.publish_problems(self)
            if problems:
                errors["status"] = problems
        if errors:
            raise ValidationError(errors)

    def question_merge_fields(self) -> list[str]:
        """The merge fields the organiser's questions add to the letter (once saved)."""
        if self.pk is None:
            return []
        return [name for name in self.questions.values_list("merge_field", flat=True) if name]

    @property
    def action_kind(self):
        """What supporters do here (campaigns/actions): the letter, the call..."""
        from altavoz.campaigns.actions import kind_of

        return kind_of(self)

    def _kind_problems(self) -> dict[str, list]:
        from altavoz.campaigns.actions import KINDS

        if self.kind not in KINDS:
            known = ", ".join(str(kind.label) for kind in KINDS.values())
            return {"kind": [_("Choose one of: %(known)s.") % {"known": known}]}
        return self.action_kind.clean(self)

    def _past_deadline(self) -> str:
        """A draft is told to choose a later date; only a live campaign may also close."""
        if self.status == self.Status.LIVE:
            return _("This deadline has passed. Choose a later date, or set the status to Closed.")
        return _("This deadline has passed. Choose a later date.")

    def available_roles(self) -> list[str]:
        posts = Post.objects.filter(area__boundary_set=self.target_set_id)
        return sorted(set(posts.values_list("role", flat=True)))

    def is_open(self, now=None) -> bool:
        return self.status == self.Status.LIVE and (now or timezone.now()) < self.deadline

    def at_large_ids(self) -> list:
        """The sets whose seats every supporter also writes to (none before it is saved)."""
        if self.pk is None:
            return []
        return list(self.at_large_sets.values_list("pk", flat=True))

    def target_posts(self) -> "models.QuerySet[Post]":
        """Every seat letters go to: the role's seat in each district, and the seats of
        the sets elected at large."""
        return Post.objects.filter(
            Q(area__boundary_set=self.target_set_id, role=self.target_role)
            | Q(area__boundary_set__in=self.at_large_ids())
        )

    def targets_for_area(self, area_id: object) -> "models.QuerySet[Official]":
        """The officials a supporter in this district writes to, today: the district's
        seat of the role, and the seats elected at large."""
        return (
            Official.objects.current()
            .filter(
                Q(post__area_id=area_id, post__role=self.target_role)
                | Q(post__area__boundary_set__in=self.at_large_ids())
            )
            .select_related("post__area")
        )

    def undeliverable_posts(self) -> list[str]:
        """Why letters could not reach each target seat today; empty when all can."""
        return [p.text for p in self.target_problems() if p.blocks_publishing]

    def target_problems(self):
        """Each target seat whose letters cannot leave today, or wait (campaigns.targets)."""
        from altavoz.campaigns.targets import target_problems

        return target_problems(self.target_posts())

    def in_language(self, language: str | None) -> "Campaign":
        """This campaign with its texts in ``language``: each translated text replaces the
        campaign's own, an empty or missing one falls back to it. A copy for reading only,
        made once per language and campaign instance (from prefetched translations when
        there are any). Asked of a copy, it answers for the campaign the copy came from, so
        a campaign kept across requests serves each request in that request's language."""
        base = self.__dict__.get("_language_base", self)
        if not language or language == settings.LANGUAGE_CODE:
            return base
        copies = base.__dict__.setdefault("_language_copies", {})
        if language not in copies:
            copies[language] = base._localised(language)
        return copies[language]

    def _localised(self, language: str) -> "Campaign":
        translation = next((t for t in self.translations.all() if t.language == language), None)
        if translation is None:
            return self
        localised = copy.copy(self)
        localised.__dict__["_language_base"] = self
        for field in self.TRANSLATABLE_FIELDS:
            value = getattr(translation, field)
            if value.strip():
                setattr(localised, field, value)
        return localised

    def missing_translations(self) -> list[str]:
        """Each offered language whose texts are not all written, with what is missing."""
        written = {t.language: t for t in self.translations.all()}
        problems = []
        for code in self.languages or []:
            if code == settings.LANGUAGE_CODE:
                continue
            translation = written.get(code)
            if translation is None:
                problems.append(
                    _("%(language)s: not translated") % {"language": language_name(code)}
                )
                continue
            missing = translation.missing_fields(self)
            if missing:
                problems.append(
                    _("%(language)s: %(fields)s missing")
                    % {"language": language_name(code), "fields": ", ".join(missing)}
                )
        return problems

    def unreviewed_languages(self, languages: list[str] | None = None) -> list[str]:
        """The offered languages (other than the campaign's own; ``languages`` when about to
        offer those) whose texts no native speaker has signed off as they are now: missing,
        never reviewed, or changed since."""
        written = {t.language: t for t in self.translations.all()}
        return [
            code
            for code in (self.languages if languages is None else languages) or []
            if code != settings.LANGUAGE_CODE
            and (code not in written or written[code].review_state != ReviewState.REVIEWED)
        ]

    def unreviewed_warning(self, languages: list[str] | None = None) -> str:
        """What publishing asks the organiser to confirm; "" when every language is reviewed."""
        unreviewed = self.unreviewed_languages(languages)
        if not unreviewed:
            return ""
        return _(
            "No native speaker has reviewed the %(languages)s texts of this campaign (its "
            "headline, page and the letter sent in supporters' names). Publish only if you "
            "accept that, or have them reviewed first."
        ) % {"languages": ", ".join(language_name(code) for code in unreviewed)}

    def review_summary(self) -> list[tuple[str, bool]]:
        """Each offered language's review in words, for the organiser, and whether it is
        reviewed as it stands."""
        written = {t.language: t for t in self.translations.all()}
        unreviewed = self.unreviewed_languages()
        return [
            (written[code].review_text() if code in written else
             _("%(language)s: not translated") % {"language": language_name(code)},
             code not in unreviewed)
            for code in self.languages or [] if code != settings.LANGUAGE_CODE
        ]  # fmt: skip

    def compose_letter(
        self,
        *,
        body: str,
        first_name: str,
        last_name: str,
        official_name: str,
        language: str | None = None,
        story: str = "",
        answers: dict[str, str] | None = None,
    ):
        """The letter as sent, with the greeting, petition and closing in ``language`` (in
        this copy's own when none is named), opened by the signer's ``story``; ``answers``
        fill the questions' merge fields."""
        texts = self.in_language(language) if language else self
        values = {**(answers or {}), "First Name": first_name, "Last Name": last_name,
                  "Official Name": official_name}  # fmt: skip
        return letters.compose(
            greeting=texts.letter_greeting,
            body=body,
            statement=texts.petition_statement,
            closing=texts.letter_closing,
            values=values,
            story=story,
        )


class ReviewState(models.TextChoices):
    UNREVIEWED = "unreviewed", _("not reviewed by a native speaker")
    REVIEWED = "reviewed", _("reviewed by a native speaker")
    CHANGED = "changed", _("changed since its review")


class CampaignTranslation(UUIDModel):
    """A campaign's texts in one more language. Its text fields are added below, one for
    each of Campaign.TRANSLATABLE_FIELDS, optional: an empty one shows the campaign's own.

    Whether a native speaker read them against the English, who and when, is recorded with
    a fingerprint of the texts they read: a text changed since is no longer reviewed."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    reviewed_by = models.CharField(
        _("reviewed by (native speaker)"),
        max_length=200,
        blank=True,
        help_text=_(
            "Who read these texts against the English as a native speaker of this language. "
            "Leave empty until someone has: the admin then shows this language as not reviewed, "
            "and publishing asks you to confirm."
        ),
    )
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    reviewed_texts = models.CharField(
        _("fingerprint of the texts reviewed"), max_length=64, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "language"], name="campaign_translation_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign} ({self.language})"

    def texts_fingerprint(self) -> str:
        """A fingerprint of the texts as they are (what a review signs off)."""
        texts = [getattr(self, field) for field in Campaign.TRANSLATABLE_FIELDS]
        return hashlib.sha256(json.dumps(texts).encode()).hexdigest()

    def review_record(self, *, by: str, on) -> None:
        """Record that ``by``, a native speaker, reviewed the texts as they are now, on
        ``on``; an empty ``by`` or date withdraws the review. The caller saves."""
        complete = bool(by.strip()) and on is not None
        self.reviewed_by, self.reviewed_on = (by.strip(), on) if complete else ("", None)
        self.reviewed_texts = self.texts_fingerprint() if complete else ""

    @property
    def review_state(self) -> str:
        if not (self.reviewed_by and self.reviewed_on and self.reviewed_texts):
            return ReviewState.UNREVIEWED
        if self.reviewed_texts != self.texts_fingerprint():
            return ReviewState.CHANGED
        return ReviewState.REVIEWED

    def review_text(self) -> str:
        """ "Spanish: reviewed by a native speaker (Ana Pérez, 2027-01-10)"."""
        state = self.review_state
        words = {"language": language_name(self.language), "state": ReviewState(state).label}
        if state == ReviewState.UNREVIEWED:
            return _("%(language)s: %(state)s") % words
        return _("%(language)s: %(state)s (%(who)s, %(when)s)") % {
            **words,
            "who": self.reviewed_by,
            "when": date_format(self.reviewed_on, "DATE_FORMAT"),
        }

    def missing_fields(self, campaign: Campaign) -> list[str]:
        """The names of the texts the campaign has and this translation does not."""
        return [
            str(Campaign._meta.get_field(field).verbose_name)
            for field in Campaign.TRANSLATABLE_FIELDS
            if getattr(campaign, field).strip() and not getattr(self, field).strip()
        ]

    def clean(self) -> None:
        errors = {}
        if self.language == settings.LANGUAGE_CODE:
            errors["language"] = [
                _("The campaign's own texts are the %(language)s ones: edit them above.")
                % {"language": language_name(self.language)}
            ]
        if self.campaign_id:
            errors.update(
                self.campaign.action_kind.unknown_merge_fields(
                    self, _("Unknown merge field %(fields)s. Keep them in English: %(known)s."),
                    extra=self.campaign.question_merge_fields(),
                )
            )  # fmt: skip
        if errors:
            raise ValidationError(errors)


def _translation_field(name: str) -> models.Field:
    """The campaign's field of that name, made optional for a translation."""
    _name, _path, args, kwargs = Campaign._meta.get_field(name).deconstruct()
    kwargs.update(blank=True, default="")
    return type(Campaign._meta.get_field(name))(*args, **kwargs)


for _field_name in Campaign.TRANSLATABLE_FIELDS:
    CampaignTranslation.add_to_class(_field_name, _translation_field(_field_name))


SIGNER_RULES = {
    "first_name": validation.validate_person_name,
    "last_name": validation.validate_person_name,
    "street_address": validation.validate_text_line,
}
PERSON_RULES = {"email": validation.validate_email_address, **SIGNER_RULES}


class Person(UUIDModel):
    """A supporter of one organisation, known by their normalised email address."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="people")
    email = models.EmailField(_("email"))
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    street_address = models.CharField(_("street address"), max_length=200)
    zip_code = models.CharField(_("ZIP code"), max_length=10)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    consent_updates = models.BooleanField(_("agreed to receive updates"), default=False)
    consent_updated_at = models.DateTimeField(_("consent recorded"), null=True, blank=True)
    verified_at = models.DateTimeField(_("email confirmed"), null=True, blank=True)
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "email"], name="person_unique_email")
        ]
        # The API's pages of an organisation's people, oldest first (api/hal.collection).
        indexes = [models.Index(fields=["organisation", "created_at", "id"], name="person_pages")]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} <{self.email}>"

    def clean(self) -> None:
        """The supporter's form's rules (altavoz.validation) hold in the admin too; an
        erased person's placeholder address is left as it is."""
        if self.erased_at is None:
            validation.check_fields(self, PERSON_RULES)


class Signature(UUIDModel):
    """A person's action on a campaign: one per person and campaign. It keeps the name and
    address its signer typed (what the letter says), and changes only through the link
    emailed to the address that signed (see services.signature_change)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="signatures")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="signatures")
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    street_address = models.CharField(_("street address"), max_length=200)
    zip_code = models.CharField(_("ZIP code"), max_length=10)
    area = models.ForeignKey(
        "districts.Area",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    district_verified = models.BooleanField(
        _("district from the map"),
        default=False,
        help_text=_(
            "On when the address (or a point on the map) was found in this district; off when "
            "the signer chose it and the address could not be checked."
        ),
    )
    consent_updates = models.BooleanField(
        _("asked for updates"),
        default=False,
        help_text=_(
            "What the signer ticked. It reaches the person's record only once the email "
            "address is proven theirs (or when the person is new)."
        ),
    )
    revision = models.PositiveIntegerField(
        _("revision"),
        default=0,
        help_text=_("One more on each change; a link names the revision it shows."),
    )
    letter_body = models.TextField(
        _("letter body as written"), blank=True, help_text=_("Empty for actions without a letter.")
    )
    story = models.TextField(
        _("personal story"),
        blank=True,
        help_text=_("The signer's own words; they open the letter."),
    )
    language = models.CharField(_("language"), max_length=10, default="en")
    source = models.CharField(_("source code"), max_length=64, blank=True)
    referral_code = models.CharField(
        _("referral code"),
        max_length=16,
        blank=True,
        help_text=_("On this signer's share links: signatures that arrive through them say so."),
    )
    referred_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("referred by"),
    )
    is_public = models.BooleanField(_("shown in Recent participants"), default=True)
    ip_hash = models.CharField(_("IP address hash"), max_length=64, blank=True)
    outside_place = models.CharField(
        _("lives outside the districts, in"),
        max_length=200,
        blank=True,
        help_text=_(
            "Set when the address is outside the campaign's districts (petition only: no "
            'letter): where it is, e.g. "Hialeah".'
        ),
    )
    confirmed_at = models.DateTimeField(
        _("counted since"),
        null=True,
        blank=True,
        help_text=_("Empty while the supporter has not confirmed their email (double opt-in)."),
    )

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "person"], name="signature_once_per_person")
        ]
        indexes = [
            models.Index(fields=["campaign", "-created_at"], name="signature_recent"),
            models.Index(fields=["campaign", "confirmed_at"], name="signature_counted"),
            models.Index(fields=["campaign", "referral_code"], name="signature_referral"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.campaign}"

    def clean(self) -> None:
        """The name and address the letter says hold to the supporter's form's rules."""
        validation.check_fields(self, SIGNER_RULES)

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def public_name(self) -> str:
        """First name and last initial: all that public lists ever show."""
        initial = f" {self.last_name[:1].upper()}." if self.last_name else ""
        return f"{self.first_name}{initial}"

    def merge_answers(self) -> dict[str, str]:
        """The answers to questions that have a merge field, by its name, for the letter."""
        return {
            answer.question.merge_field: answer.value.replace("\n", ", ")
            for answer in self.answers.all()
            if answer.question.merge_field
        }


class ShareImage(UUIDModel):
    """The picture the organiser uploaded for the campaign's shared links, as served: a
    1200 x 630 JPEG without the upload's metadata (campaigns.shareimage). A campaign without
    one shares a picture drawn for it."""

    campaign = models.OneToOneField(
        Campaign, on_delete=models.CASCADE, related_name="share_image", verbose_name=_("campaign")
    )
    jpeg = models.BinaryField(_("image (JPEG, 1200 x 630)"))

    class Meta:
        verbose_name = _("share image")
        verbose_name_plural = _("share images")

    def __str__(self) -> str:
        return str(self.campaign)


class Question(UUIDModel, Translated):
    """A question of the organiser's on the campaign's form, of any kind of action: its
    answers are stored per signature (Answer). Written in the campaign's language; its words
    in the other languages are in ``translations`` (edited beside it in the admin)."""

    class Kind(models.TextChoices):
        SHORT_TEXT = "short_text", _("Short text")
        LONG_TEXT = "long_text", _("Long text")
        SINGLE_CHOICE = "single_choice", _("One choice")
        MULTIPLE_CHOICE = "multiple_choice", _("Several choices")
        CHECKBOX = "checkbox", _("A box to tick")
        NUMBER = "number", _("Number")

    CHOICE_KINDS = (Kind.SINGLE_CHOICE, Kind.MULTIPLE_CHOICE)
    TRANSLATED_FIELDS = ("label", "help_text", "choices")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="questions", verbose_name=_("campaign")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SHORT_TEXT)
    label = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("hint"), max_length=300, blank=True)
    choices = models.TextField(
        _("choices"), blank=True, help_text=_("One per line (for one or several choices).")
    )
    required = models.BooleanField(_("required"), default=False)
    merge_field = models.CharField(
        _("merge field"),
        max_length=40,
        blank=True,
        help_text=_(
            'A name to use the answer in the letter: "Neighborhood" is written [Neighborhood].'
        ),
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["position", "created_at"]

    def __str__(self) -> str:
        return self.label

    def choice_list(self, language: str | None = None) -> list[str]:
        """The choices, in ``language`` where translated (the same number, in order)."""
        own = [line.strip() for line in self.choices.splitlines() if line.strip()]
        words = [line.strip() for line in self.translated("choices", language).splitlines()]
        words = [line for line in words if line]
        return words if len(words) == len(own) else own

    def clean(self) -> None:
        errors = {}
        if self.kind in self.CHOICE_KINDS and len(self.choice_list(settings.LANGUAGE_CODE)) < 2:
            errors["choices"] = [_("Write at least two choices, one per line.")]
        name = self.merge_field.strip()
        if name and (not letters.MERGE_NAME.match(name) or name in letters.MERGE_FIELDS):
            errors["merge_field"] = [
                _("Use letters and spaces only, and not %(known)s.")
                % {"known": ", ".join(letters.MERGE_FIELDS)}
            ]
        if errors:
            raise ValidationError(errors)


class Answer(UUIDModel):
    """One signer's answer to one question: the text, the number, "yes", or the choices
    (in the campaign's language, one per line)."""

    signature = models.ForeignKey(
        Signature, on_delete=models.CASCADE, related_name="answers", verbose_name=_("signature")
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="answers", verbose_name=_("question")
    )
    value = models.TextField(_("answer"))

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["signature", "question"], name="answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.value}"


WEEKDAYS = "0,1,2,3,4"  # Monday to Friday (Python's weekday numbers)


class OfficeHours(UUIDModel):
    """When a seat's office answers the phone, for one call campaign: a day's opening and
    closing times in the office's time zone. Nobody publishes the City of Miami offices'
    hours, so the demo's are the organiser's default (``source`` empty), said as such on the
    page; an organiser who confirms them with an office writes where from."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="office_hours")
    post = models.ForeignKey(
        "districts.Post", on_delete=models.CASCADE, related_name="+", verbose_name=_("seat")
    )
    weekdays = models.CharField(
        _("days"),
        max_length=20,
        default=WEEKDAYS,
        help_text=_("Days the office answers, 0 = Monday ... 6 = Sunday, e.g. 0,1,2,3,4."),
    )
    opens = models.TimeField(_("opens"), default=datetime.time(9, 0))
    closes = models.TimeField(_("closes"), default=datetime.time(17, 0))
    time_zone = models.CharField(_("time zone"), max_length=64, default="America/New_York")
    source = models.CharField(
        _("source"),
        max_length=300,
        blank=True,
        help_text=_(
            "Where these hours come from (the office, its website). Empty: a default you "
            "set, shown to callers as not confirmed with the office."
        ),
    )

    class Meta:
        verbose_name = _("office hours")
        verbose_name_plural = _("office hours")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "post"], name="office_hours_once")
        ]

    def __str__(self) -> str:
        return f"{self.post}: {self.opens:%H:%M}-{self.closes:%H:%M}"

    def days(self) -> set[int]:
        return {int(day) for day in self.weekdays.split(",") if day.strip().isdigit()}

    def clean(self) -> None:
        from zoneinfo import available_timezones

        errors = {}
        if not self.days() or not self.days() <= set(range(7)):
            errors["weekdays"] = [_("Write the days as numbers from 0 (Monday) to 6 (Sunday).")]
        if self.opens and self.closes and self.opens >= self.closes:
            errors["closes"] = [_("The office must close after it opens.")]
        if self.time_zone not in available_timezones():
            errors["time_zone"] = [_('Use a time zone name such as "America/New_York".')]
        if errors:
            raise ValidationError(errors)


class CallReport(models.Model):
    """How one call to one official's office went, as the caller reported it."""

    class Outcome(models.TextChoices):
        SPOKE_TO_STAFF = "spoke_to_staff", _("I spoke to staff")
        VOICEMAIL = "voicemail", _("I left a voicemail")
        NO_ANSWER = "no_answer", _("No answer")
        BUSY = "busy", _("The line was busy")

    created_at = models.DateTimeField(_("reported"), auto_now_add=True)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="call_reports")
    official = models.ForeignKey(
        "districts.Official", on_delete=models.PROTECT, related_name="+", verbose_name=_("official")
    )
    area = models.ForeignKey(
        "districts.Area",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    outcome = models.CharField(_("how it went"), max_length=20, choices=Outcome.choices)
    note = models.TextField(_("note"), blank=True, max_length=1000)
    language = models.CharField(_("language"), max_length=10, default="en")
    caller_hash = models.CharField(
        _("caller (hashed)"),
        max_length=64,
        help_text=_("A salted hash of the caller's email: it limits reports, names nobody."),
    )

    class Meta:
        verbose_name = _("call report")
        verbose_name_plural = _("call reports")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["campaign", "official"], name="call_report_official")]

    def __str__(self) -> str:
        return f"{self.official}: {self.get_outcome_display()}"


class SignatureCount(models.Model):
    """One share of a campaign's count of signatures that count: the count is the sum of its
    shares. The database keeps them (a trigger on the signature table, migrations 0011 and
    0012): each signature that starts to count adds one, in its own transaction, to a share
    no other transaction holds at that moment (on PostgreSQL; SQLite has one writer), so
    signers never wait for one another on a hot row, and the count stays exact whatever
    writes the signature (a form, the API, the admin, a confirmation, a deletion). A
    campaign has about as many shares as signatures ever in flight at once: reading the
    count is a sum over a few dozen rows, at any size."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    shard = models.PositiveSmallIntegerField()
    signatures = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "shard"], name="signature_count_shard")
        ]

    def __str__(self) -> str:
        return f"{self.campaign}: {self.signatures} (share {self.shard})"
