"""The organiser's own questions on a campaign's form (Question), whatever the action: each
becomes a form field in the page's language with a clear message when it is not answered
right, and its answer is stored per signature (Answer) in the campaign's language."""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from altavoz import kept, validation
from altavoz.campaigns.models import Campaign, Question

PREFIX = "question_"
SHORT_MAX, LONG_MAX = 300, 2000


def asked(campaign: Campaign) -> list[Question]:
    """The campaign's questions, in order, as read at most PAGE_LIVE_SECONDS ago here."""
    return kept.remembered(
        ("questions", campaign.pk),
        settings.PAGE_LIVE_SECONDS,
        lambda: list(Question.objects.filter(campaign_id=campaign.pk)),
    )


def field_name(question: Question) -> str:
    return f"{PREFIX}{question.pk.hex}"


def _choices(question: Question) -> list[tuple[str, str]]:
    """(stored value in the campaign's language, what the page shows in its own)."""
    own = question.choice_list(settings.LANGUAGE_CODE)
    return list(zip(own, question.choice_list(get_language()), strict=True))


def _text(question: Question, long: bool) -> forms.Field:
    limit = LONG_MAX if long else SHORT_MAX
    return forms.CharField(
        max_length=limit,
        widget=forms.Textarea(attrs={"rows": 4}) if long else forms.TextInput(),
        validators=[] if long else [validation.validate_text_line],
        error_messages={
            "required": _("Answer this question."),
            "max_length": _("Keep this under %(limit_value)d characters (it has %(show_value)d)."),
        },
    )


def _field(question: Question) -> forms.Field:
    kind = Question.Kind
    if question.kind in (kind.SHORT_TEXT, kind.LONG_TEXT):
        return _text(question, long=question.kind == kind.LONG_TEXT)
    if question.kind == kind.SINGLE_CHOICE:
        return forms.ChoiceField(
            choices=_choices(question), widget=forms.RadioSelect,
            error_messages={"required": _("Choose one answer."),
                            "invalid_choice": _("Choose one of the answers listed.")},
        )  # fmt: skip
    if question.kind == kind.MULTIPLE_CHOICE:
        return forms.MultipleChoiceField(
            choices=_choices(question), widget=forms.CheckboxSelectMultiple,
            error_messages={"required": _("Choose at least one answer."),
                            "invalid_choice": _("Choose among the answers listed.")},
        )  # fmt: skip
    if question.kind == kind.CHECKBOX:
        return forms.BooleanField(error_messages={"required": _("Tick this box to send.")})
    return forms.DecimalField(
        max_digits=12, decimal_places=2, widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={"required": _("Answer with a number."),
                        "invalid": _("Enter a number, like 12 or 3.5."),
                        "max_digits": _("Enter a smaller number."),
                        "max_decimal_places": _("Use at most two decimals."),
                        "max_whole_digits": _("Enter a smaller number.")},
    )  # fmt: skip


def form_fields(campaign: Campaign) -> dict[str, forms.Field]:
    """One form field per question, labelled in the page's language."""
    fields = {}
    for question in asked(campaign):
        field = _field(question)
        field.required = question.required
        field.label = question.translated("label")
        field.help_text = question.translated("help_text")
        field.question = question  # type: ignore[attr-defined]  # read back by the form
        fields[field_name(question)] = field
    return fields


def answer_text(value) -> str:
    """A cleaned answer as stored: text, a number, "yes", or the choices one per line."""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, list):
        return "\n".join(value)
    return (value or "").strip()


def stored_values(answers) -> dict:
    """Stored answers (Answer rows, their questions joined) as the form's values, by field
    name: ``answer_text`` read back, so that the signer can change them."""
    kind = Question.Kind
    values: dict = {}
    for answer in answers:
        question = answer.question
        if question.kind == kind.MULTIPLE_CHOICE:
            values[field_name(question)] = answer.value.split("\n")
        elif question.kind == kind.CHECKBOX:
            values[field_name(question)] = answer.value == "yes"
        else:
            values[field_name(question)] = answer.value
    return values


def answers_from(cleaned: dict) -> dict:
    """Question id -> stored answer, for the questions answered in a cleaned form."""
    answers = {}
    for name, value in cleaned.items():
        if name.startswith(PREFIX) and answer_text(value):
            answers[name.removeprefix(PREFIX)] = answer_text(value)
    return answers
