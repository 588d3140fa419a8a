"""What every action kind is. A kind decides what a supporter does on the campaign page and
what that records; the page, the dashboard, the export, the packet and the API ask the
campaign's kind (``actions.kind_of(campaign)``) instead of assuming a letter.

The parts common to every kind stay where they are: the supporter's details and district
(SignatureForm's fields, the district step, the shield), the Signature row (one per person
and campaign: the participation counted, listed in Recent participants, exported), the
counter and the charts per district, day and source.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from django.http import HttpRequest
    from reportlab.platypus.flowables import Flowable

    from altavoz.campaigns.forms import SignatureForm
    from altavoz.campaigns.models import Campaign, Signature
    from altavoz.campaigns.receipts import Receipt
    from altavoz.districts.models import Official
    from altavoz.organising.exports import SignerFilter


class ActionKind:
    """One kind of action. Subclasses set the class attributes and override what differs."""

    name: ClassVar[str]  # stored in Campaign.kind
    label: ClassVar[Any]  # a lazily translated name
    # The campaign texts this kind uses (admin fieldset, merge-field checks, translations).
    text_fields: ClassVar[tuple[str, ...]] = ()
    # Texts a campaign of this kind must have before it is saved.
    required_fields: ClassVar[tuple[str, ...]] = ()
    # The merge fields its texts may use ("[First Name]"), and the texts checked for them.
    merge_fields: ClassVar[tuple[str, ...]] = ()
    merge_checked: ClassVar[tuple[str, ...]] = ()
    # Whether a counted signature sends letters to the officials (Delivery rows).
    sends_letters: ClassVar[bool] = False
    # The kind's block of the campaign page's form, and of the thank-you page.
    page_template: ClassVar[str]
    thanks_template: ClassVar[str]
    # Its part of the organiser's dashboard ("" for none).
    dashboard_template: ClassVar[str] = ""
    # OSDI's outreach type for the API's advocacy campaign ("email", "phone", ...).
    outreach_type: ClassVar[str] = ""

    def form_class(self) -> type[SignatureForm]:
        from altavoz.campaigns.forms import SignatureForm

        return SignatureForm

    def submit_label(self) -> str:
        raise NotImplementedError

    def page_context(self, campaign: Campaign, form: SignatureForm) -> dict[str, Any]:
        """What the kind's page block needs beyond the campaign and the form."""
        return {}

    def thanks_context(
        self, request: HttpRequest, campaign: Campaign, receipt: Receipt | None
    ) -> dict[str, Any]:
        return {}

    def clean(self, campaign: Campaign) -> dict[str, list[str]]:
        """Problems with the campaign's texts for this kind, by field."""
        from django.utils.translation import gettext as _

        return {
            field: [_("This field is required.")]
            for field in self.required_fields
            if not str(getattr(campaign, field) or "").strip()
        }

    def unknown_merge_fields(
        self, texts: Any, message: str, extra: Sequence[str] = ()
    ) -> dict[str, list[str]]:
        """Each checked text of ``texts`` (a campaign or its translation) naming a merge
        field this kind does not have (nor ``extra``: the organiser's questions'), with
        ``message`` ("Unknown merge field %(fields)s...")."""
        from altavoz.campaigns import letters

        errors: dict[str, list[str]] = {}
        names = (*self.merge_fields, *extra)
        known = ", ".join(f"[{name}]" for name in names)
        for field in self.merge_checked:
            unknown = sorted(letters.merge_fields_in(getattr(texts, field)) - set(names))
            if unknown:
                fields = ", ".join(f"[{name}]" for name in unknown)
                errors[field] = [message % {"fields": fields, "known": known}]
        return errors

    def publish_problems(self, campaign: Campaign) -> list[str]:
        """What stops a campaign of this kind going live, beyond the common checks."""
        return []

    def dashboard_context(self, campaign: Campaign) -> dict[str, Any]:
        return {}

    def export_name(self) -> str:
        """The export's file name part ("signers", "calls")."""
        return "signers"

    def export_lines(self, campaign: Campaign, only: SignerFilter) -> Iterator[str]:
        """The export as CSV lines, streamed."""
        from altavoz.organising import exports

        return exports.csv_lines(campaign, only)

    def packet_cover(self, campaign: Campaign, total: int) -> list[Flowable]:
        """The packet's first page after the headline: what the supporters did."""
        return []

    def packet_official(self, campaign: Campaign, official: Official) -> list[Flowable]:
        """Anything the kind adds to an official's section of the packet."""
        return []

    def api_fields(self, campaign: Campaign) -> dict[str, Any]:
        """What the API's campaign resources say about this kind."""
        return {"altavoz:action_kind": self.name}

    def signature_api_fields(self, signature: Signature) -> dict[str, Any]:
        return {}
