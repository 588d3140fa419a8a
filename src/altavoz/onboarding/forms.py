"""The public request form and the first organiser's account form."""

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.utils.translation import gettext_lazy as _

from altavoz import validation
from altavoz.campaigns.forms import line_field
from altavoz.shield.honeypot import honeypot_check, honeypot_field


class OrganisationRequestForm(forms.Form):
    organisation_name = line_field(
        _("Your organisation's name"), 200, _("Enter your organisation's name."), "organization"
    )
    requester_name = line_field(
        _("Your name"), 200, _("Enter your name."), "name", validation.validate_person_name
    )
    requester_email = forms.CharField(
        label=_("Your email"),
        max_length=254,
        validators=[validation.validate_email_address],
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"required": _("Enter your email address: the invitation goes there.")},
        help_text=_("Once platform staff approve your organisation, we email you a link there."),
    )
    website = forms.URLField(
        label=_("Your organisation's website (optional)"),
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={"invalid": _("Enter a web address like https://example.org.")},
    )
    plans = forms.CharField(
        label=_("What will you campaign on? (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": _("Keep this under %(limit_value)d characters (it has %(show_value)d).")
        },
    )
    rendered = forms.CharField(required=False, widget=forms.HiddenInput, max_length=300)
    form_label = honeypot_field()  # as on the supporter's form (shield.honeypot)

    def clean_requester_email(self) -> str:
        return self.cleaned_data["requester_email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        honeypot_check(self, cleaned)
        return cleaned


class FirstOrganiserForm(forms.Form):
    """The account of the organisation's first organiser (the requester, by the link)."""

    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        validators=[get_user_model().username_validator],
        help_text=_("You sign in with it. Letters, digits and @ . + - _ only."),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("The same password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is taken. Choose another."))
        return username

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ. Type the same one twice."))
        elif first:
            user = get_user_model()(username=cleaned.get("username", ""), email=self.email)
            try:
                password_validation.validate_password(first, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
