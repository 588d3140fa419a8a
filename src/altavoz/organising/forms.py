from django import forms
from django.utils.translation import gettext_lazy as _

from altavoz.districts import bulk
from altavoz.districts.boundaries.area_index import number_order
from altavoz.organising.exports import SignerFilter

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"invalid": _("Enter a date like 2027-06-01 (year, month, day).")}


class ExportFilterForm(forms.Form):
    """Which signers to export. Every mistake is said in plain words beside its field, and
    a district the campaign does not have is a mistake, not an empty file."""

    district = forms.CharField(label=_("District number"), required=False, max_length=20)
    consent = forms.TypedChoiceField(
        label=_("Agreed to updates"),
        required=False,
        choices=[("", _("Everyone")), ("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: {"yes": True, "no": False}.get(value),
        empty_value=None,
    )
    since = forms.DateField(
        label=_("Signed on or after"), required=False, widget=DATE_WIDGET,
        error_messages=DATE_ERRORS,
    )  # fmt: skip
    until = forms.DateField(
        label=_("Signed on or before"), required=False, widget=DATE_WIDGET,
        error_messages=DATE_ERRORS,
    )  # fmt: skip

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign

    def clean_district(self) -> str:
        number = self.cleaned_data["district"].strip()
        numbers = sorted(self.campaign.target_set.areas.values_list("number", flat=True),
                         key=number_order)  # fmt: skip
        if number and number not in numbers:
            raise forms.ValidationError(
                _("This campaign has no district %(number)s. Choose one of: %(numbers)s, or "
                  "leave it empty for every district.")
                % {"number": number, "numbers": ", ".join(numbers)}
            )  # fmt: skip
        return number

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("This date is before the start date. Swap them."))
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
