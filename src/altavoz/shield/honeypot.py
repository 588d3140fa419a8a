"""The seed's hidden "Form Label" field: people never see it, form-filling bots fill it. A
filled one is refused with a plain message and shown again empty, so a person whose browser
filled it in only has to send again."""

from django import forms
from django.utils.translation import gettext_lazy as _

NAME = "form_label"


def honeypot_field() -> forms.CharField:
    return forms.CharField(
        label=_("Form Label (leave this empty)"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )


def honeypot_check(form: forms.Form, cleaned: dict) -> None:
    """Raise the form's error when the hidden field was filled (and empty it)."""
    if cleaned.get(NAME):
        form.data = form.data.copy()
        form.data[NAME] = ""
        raise forms.ValidationError(
            _("We could not accept this automatically. Check your details and send again."),
            code="honeypot",
        )
