from django import forms
from django.utils.translation import gettext_lazy as _

from altavoz.districts import bulk
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


class BulkLookupForm(forms.Form):
    """An organisation's own list, to be matched to districts (never stored)."""

    addresses = forms.FileField(
        label=_("List (CSV)"),
        help_text=_(
            "Columns address and zip, or lon and lat; other columns are kept. The matched "
            "list downloads at once; nothing is stored."
        ),
    )

    def __init__(self, *args, max_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes

    def clean_addresses(self):
        upload = self.cleaned_data["addresses"]
        if upload.size > self.max_bytes:
            raise forms.ValidationError(
                _("This file is larger than %(limit)s MB. Split it, or use `altavoz lookup --csv`.")
                % {"limit": self.max_bytes // 1_000_000}
            )
        first = upload.file.readline().decode("utf-8-sig", "replace")
        upload.file.seek(0)
        if bulk.header_problem(first):
            raise forms.ValidationError(
                _("The first line must name an address column (and zip), or lon and lat.")
            )
        return upload
