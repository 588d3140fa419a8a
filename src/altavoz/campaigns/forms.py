"""The supporter's form: every field validated on the server with a message that says how
to fix it, and everything typed kept when something else is wrong."""

import copy
import re
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from altavoz import kept, validation
from altavoz.campaigns import questions, referrals
from altavoz.campaigns.models import Campaign
from altavoz.districts.models import Area, Official
from altavoz.shield.honeypot import honeypot_check, honeypot_field

LETTER_MAX_CHARS = 5000
STORY_MAX_CHARS = 500
SOURCE_PATTERN = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")

us_zip = RegexValidator(  # ASCII digits only: \d would take any script's digits
    r"^[0-9]{5}(-[0-9]{4})?$",
    _("Enter a 5-digit US ZIP code, like 33133 (or ZIP+4, like 33133-1234)."),
)


def line_field(
    label, max_length, required_message, autocomplete, validator=validation.validate_text_line
) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        validators=[validator],
        widget=forms.TextInput(attrs={"autocomplete": autocomplete}),
        error_messages={
            "required": required_message,
            "max_length": _("Keep this under %(limit_value)d characters (it has %(show_value)d)."),
        },
    )


class DistrictChoiceField(forms.ModelChoiceField):
    """Districts labelled with the official who holds the seat: "District 2 — Damian Pardo"."""

    def __init__(self, *, campaign: Campaign, **kwargs):
        self.campaign = campaign
        super().__init__(
            queryset=Area.objects.filter(boundary_set=campaign.target_set_id).order_by("number"),
            widget=forms.RadioSelect,
            empty_label=None,
            **kwargs,
        )

    @cached_property
    def holders(self) -> dict:
        """Area id -> name of the official holding its seat (asked only when shown)."""
        campaign = self.campaign
        return {
            o.post.area_id: o.name
            for o in Official.objects.current()
            .filter(
                post__area__boundary_set=campaign.target_set_id, post__role=campaign.target_role
            )
            .select_related("post")
        }

    def to_python(self, value):
        """The chosen district among the campaign's, as read at most PAGE_LIVE_SECONDS ago in
        this process (during a spike every signature asks)."""
        if value in self.empty_values:
            return None
        areas = kept.remembered(
            ("areas", self.campaign.target_set_id),
            settings.PAGE_LIVE_SECONDS,
            lambda: {str(area.pk): area for area in self.queryset},
        )
        area = areas.get(str(getattr(value, "pk", value)))
        if area is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return area

    def label_from_instance(self, obj: Area) -> str:
        """In the page's language: "Distrito 2 — Damian Pardo" on a Spanish page (the
        areas kept across requests carry every language's name)."""
        holder = self.holders.get(obj.pk)
        return f"{obj.display_name} — {holder}" if holder else obj.display_name


class SignatureForm(forms.Form):
    first_name = line_field(
        _("First name"), 100, _("Enter your first name."), "given-name",
        validation.validate_person_name,
    )  # fmt: skip
    last_name = line_field(
        _("Last name"), 100, _("Enter your last name."), "family-name",
        validation.validate_person_name,
    )  # fmt: skip
    email = forms.CharField(
        label=_("Email"),
        max_length=254,
        validators=[validation.validate_email_address],
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"required": _("Enter your email address.")},
    )
    street_address = line_field(
        _("Street address"),
        200,
        _("Enter your street address, like 3500 Pan American Dr."),
        "street-address",
    )
    zip_code = forms.CharField(
        label=_("ZIP code"),
        max_length=10,
        validators=[us_zip],
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
        error_messages={"required": _("Enter your 5-digit ZIP code.")},
    )
    letter_body = forms.CharField(
        label=_("Your message"),
        max_length=LETTER_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 14}),
        error_messages={
            "required": _(
                "Your message is empty. Write a few words or restore the suggested text."
            ),
            "max_length": _(
                "Your message is %(show_value)d characters long; the limit is %(limit_value)d."
            ),
        },
    )
    consent_updates = forms.BooleanField(
        label=_("Send me updates about this campaign and related actions."), required=False
    )
    is_public = forms.BooleanField(
        label=_("Show my first name in Recent participants."), required=False, initial=True
    )
    source = forms.CharField(required=False, widget=forms.HiddenInput, max_length=200)
    ref = forms.CharField(required=False, widget=forms.HiddenInput, max_length=200)
    # A point the browser gave (the person's location, or a point on the map): it decides
    # the district when the typed address cannot be found (lookup.district_check).
    lat = forms.CharField(required=False, widget=forms.HiddenInput, max_length=32)
    lon = forms.CharField(required=False, widget=forms.HiddenInput, max_length=32)
    rendered = forms.CharField(required=False, widget=forms.HiddenInput, max_length=300)
    form_label = honeypot_field()  # the seed's hidden "Form Label" field (shield.honeypot)

    def __init__(self, *args, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)  # no fields yet: base_fields is empty (below)
        self.campaign = campaign
        self.fields = _fields_for(type(self), campaign)

    def question_fields(self) -> list:
        """The bound fields of the organiser's questions, in order."""
        return [self[name] for name in self.fields if name.startswith(questions.PREFIX)]

    def clean(self):
        cleaned = super().clean()
        honeypot_check(self, cleaned)
        return cleaned

    def chosen_area(self) -> str:
        """The district chosen so far (sent, or picked on the map), as the radios' value."""
        chosen = self.data.get("area") if self.is_bound else self.initial.get("area")
        return str(chosen or "")

    NOT_STORED = frozenset({"form_label", "rendered", "lat", "lon"})

    def signature_fields(self) -> dict:
        """The cleaned values that make up a signature (the anti-bot fields and the point
        are not), the answers to the organiser's questions under ``answers``."""
        fields = {
            k: v
            for k, v in self.cleaned_data.items()
            if k not in self.NOT_STORED and not k.startswith(questions.PREFIX)
        }
        return {**fields, "answers": questions.answers_from(self.cleaned_data)}

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean_source(self) -> str:
        """Share links carry a source code; anything that does not look like one is dropped."""
        source = self.cleaned_data.get("source", "").strip()
        return source if SOURCE_PATTERN.match(source) else ""

    def clean_ref(self) -> str:
        """A supporter's referral code (campaigns.referrals); anything else is dropped."""
        return referrals.cleaned_code(self.cleaned_data.get("ref", ""))

    def clean_letter_body(self) -> str:
        body = self.cleaned_data["letter_body"].replace("\r\n", "\n").strip()
        if not body:
            raise forms.ValidationError(self.fields["letter_body"].error_messages["required"])
        return body


def _campaign_fields(form_class, campaign: Campaign) -> dict:
    """The form's fields for this campaign, in the request's language: the declared ones,
    the campaign's districts, its letter as the message's starting text."""
    declared = form_class.declared_fields
    fields = {**declared}
    fields["area"] = DistrictChoiceField(
        campaign=campaign,
        label=_("Your district"),
        error_messages={
            "required": _("Choose your district, so your letter reaches your commissioner."),
            "invalid_choice": _("Choose one of the districts listed."),
        },
    )
    fields["letter_body"] = copy.copy(declared["letter_body"])
    fields["letter_body"].initial = campaign.letter_body
    if campaign.story_prompt:
        fields["story"] = _story_field(campaign)
    fields.update(questions.form_fields(campaign))
    return fields


def _story_field(campaign: Campaign) -> forms.Field:
    """The signer's own words that open the letter, asked in the campaign's words."""
    return forms.CharField(
        label=campaign.story_prompt,
        required=False,
        max_length=STORY_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _(
            "Your story is %(show_value)d characters long; keep it under %(limit_value)d."
        )},
    )  # fmt: skip


def _fields_for(form_class, campaign: Campaign) -> dict:
    """Fields of the form's own: Django deep-copies every field for each form (the largest
    part of building a signature's form), but a form here only ever changes its fields'
    own attributes (``required``, ``disabled``), never a field's widget, validators or
    messages. So each form gets a shallow copy of each field of the campaign's set, kept
    per process for PAGE_LIVE_SECONDS like its districts; the district field, whose
    queryset and choices are its own, is copied whole."""
    key = ("form-fields", form_class, campaign.pk, campaign.updated_at, get_language())
    kept_fields = kept.remembered(
        key, settings.PAGE_LIVE_SECONDS, lambda: _campaign_fields(form_class, campaign)
    )
    fields = {name: copy.copy(field) for name, field in kept_fields.items()}
    fields["area"] = copy.deepcopy(kept_fields["area"])
    return fields


# Django would deep-copy these for every form; _fields_for gives each form its fields instead.
SignatureForm.base_fields = {}


class ParticipationForm(SignatureForm):
    """The supporter's details and district without a letter, for kinds that send none (the
    call, a pledge): the same rules, the same district step and shield."""

    def __init__(self, *args, campaign: Campaign, **kwargs):
        super().__init__(*args, campaign=campaign, **kwargs)
        del self.fields["letter_body"]
        self.fields["area"].error_messages["required"] = _("Choose your district.")


ParticipationForm.base_fields = {}  # as SignatureForm: each form gets its own


class SignatureChangeForm(SignatureForm):
    """The signer changing their signature through the link emailed to them: the same
    fields and rules, without the email (the link proves it) or the anti-bot fields."""

    def __init__(self, *args, signature, locked: bool, **kwargs):
        initial = {name: getattr(signature, name) for name in CHANGEABLE if name != "area"}
        initial["area"] = signature.area_id
        initial.update(questions.stored_values(signature.answers.select_related("question")))
        super().__init__(*args, campaign=signature.campaign, initial=initial, **kwargs)
        for name in ("email", "source", "ref", "rendered", "form_label", "story"):
            self.fields.pop(name, None)  # the story is asked once, when signing
        if not signature.campaign.action_kind.sends_letters:
            del self.fields["letter_body"]
        if locked:  # a letter has left: what it said stays as sent
            for name in AS_SENT_FIELDS:
                if name in self.fields:
                    self.fields[name].disabled = True
            for field in self.quoted_question_fields():
                field.disabled, field.required = True, False

    def quoted_question_fields(self) -> list[forms.Field]:
        """The questions whose answers a letter quotes (those with a merge field)."""
        return [
            field
            for name, field in self.fields.items()
            if name.startswith(questions.PREFIX) and field.question.merge_field  # type: ignore[attr-defined]
        ]

    def changes(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k in CHANGEABLE}

    def answer_changes(self) -> dict:
        """Question id -> its answer now ("" once emptied), for each question the signer may
        still change (services.signature_change)."""
        return {
            name.removeprefix(questions.PREFIX): questions.answer_text(self.cleaned_data[name])
            for name, field in self.fields.items()
            if name.startswith(questions.PREFIX) and not field.disabled
        }


AS_SENT_FIELDS = ("first_name", "last_name", "street_address", "zip_code", "area", "letter_body")
CHANGEABLE = (*AS_SENT_FIELDS, "is_public", "consent_updates")


NOTE_MAX_CHARS = 1000


class CallReportForm(forms.Form):
    """How a call went: which office, the outcome, a note if the caller wants."""

    official = forms.TypedChoiceField(
        label=_("Office"),
        coerce=str,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Report a call to one of the offices shown.")},
    )
    outcome = forms.ChoiceField(
        label=_("How did it go?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the call went.")},
    )
    note = forms.CharField(
        label=_("Anything to add? (optional)"),
        required=False,
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": _(
                "Your note is %(show_value)d characters long; the limit is %(limit_value)d."
            )
        },
    )

    def __init__(self, *args: Any, officials: list[Official], **kwargs: Any) -> None:
        from altavoz.campaigns.models import CallReport

        super().__init__(*args, **kwargs)
        self.officials = {str(official.pk): official for official in officials}
        cast(forms.ChoiceField, self.fields["official"]).choices = [
            (pk, pk) for pk in self.officials
        ]
        cast(forms.ChoiceField, self.fields["outcome"]).choices = CallReport.Outcome.choices

    def clean_note(self) -> str:
        note = self.cleaned_data["note"].replace("\r\n", "\n").strip()
        validation.validate_text_block(note)
        return note
