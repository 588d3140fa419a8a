from django import forms
from django.utils.translation import gettext_lazy as _

from altavoz.organising.exports import SignerFilter


class ExportFilterForm(forms.Form):
    district = forms.CharField(label=_("District number"), required=False, max_length=20)
    consent = forms.TypedChoiceField(
        label=_("Agreed to updates"),
        required=False,
        choices=[("", _("Everyone")), ("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: {"yes": True, "no": False}.get(value),
        empty_value=None,
    )
    since = forms.DateField(label=_("Signed on or after"), required=False)
    until = forms.DateField(label=_("Signed on or before"), required=False)

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            raise forms.ValidationError(_("The start date is after the end date."))
        return cleaned

    def signer_filter(self) -> SignerFilter:
        return SignerFilter(**self.cleaned_data)
