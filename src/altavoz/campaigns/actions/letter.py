"""The letter: the supporter signs the petition and sends their own letter (a greeting and
closing fixed by the campaign, a body they may edit) to the officials of their district.

Records the letter's words on the Signature (``letter_body``) and, once it counts, one
Delivery per target official (delivered through a channel, email first). Its page block is
the letter fieldset; the thank-you page names where the letter goes; the dashboard shows the
letters per status and the targets letters wait for; the packet's cover quotes the letter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, cast

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from altavoz.campaigns import letters
from altavoz.campaigns.actions.base import ActionKind

if TYPE_CHECKING:
    from django.http import HttpRequest
    from reportlab.platypus.flowables import Flowable

    from altavoz.campaigns.forms import DistrictChoiceField, SignatureForm
    from altavoz.campaigns.models import Campaign, Signature
    from altavoz.campaigns.receipts import Receipt


def placeholders() -> dict[str, str]:
    """What each merge field reads as until the supporter's own words are known: the same
    kind of friendly placeholder for every one of them."""
    return {
        "First Name": "[{}]".format(_("your first name")),
        "Last Name": "[{}]".format(_("your last name")),
        "Official Name": "[{}]".format(_("your commissioner's name")),
    }


def _typed_values(campaign: Campaign, form: SignatureForm) -> dict[str, str]:
    holders = cast("DistrictChoiceField", form.fields["area"]).holders
    chosen = form.chosen_area()
    official = next((name for pk, name in holders.items() if str(pk) == chosen), None)
    values = placeholders()
    if official:
        values["Official Name"] = official
    for field, merge in (("first_name", "First Name"), ("last_name", "Last Name")):
        typed = form.data.get(field, "").strip() if form.is_bound else ""
        if typed:
            values[merge] = typed
    return values


class LetterKind(ActionKind):
    name: ClassVar[str] = "letter"
    label: ClassVar[Any] = gettext_lazy("Petition and letter")
    text_fields: ClassVar[tuple[str, ...]] = (
        "letter_intro", "letter_subject", "letter_greeting", "letter_body",
        "petition_statement", "letter_closing",
    )  # fmt: skip
    required_fields: ClassVar[tuple[str, ...]] = (
        "letter_subject", "letter_body", "petition_statement",
    )  # fmt: skip
    merge_fields: ClassVar[tuple[str, ...]] = letters.MERGE_FIELDS
    merge_checked: ClassVar[tuple[str, ...]] = (
        "letter_subject", "letter_greeting", "letter_body", "petition_statement", "letter_closing",
    )  # fmt: skip
    sends_letters: ClassVar[bool] = True
    page_template: ClassVar[str] = "campaigns/actions/letter.html"
    thanks_template: ClassVar[str] = "campaigns/actions/letter_thanks.html"
    dashboard_template: ClassVar[str] = "organising/actions/letter.html"
    outreach_type: ClassVar[str] = "email"

    def submit_label(self) -> str:
        return _("Sign and send")

    def page_context(self, campaign: Campaign, form: SignatureForm) -> dict[str, Any]:
        """Greeting and closing as the supporter will send them, as far as we know them
        yet. The page's script puts the official's name in once a district is chosen."""
        values = _typed_values(campaign, form)
        names_only = {k: v for k, v in values.items() if k != "Official Name"}
        return {
            "greeting": letters.fill(campaign.letter_greeting, values),
            "greeting_template": letters.fill(campaign.letter_greeting, names_only),
            "closing": letters.fill(campaign.letter_closing, values),
        }

    def thanks_context(
        self, request: HttpRequest, campaign: Campaign, receipt: Receipt | None
    ) -> dict[str, Any]:
        area_id = receipt and receipt.area_id
        targets = campaign.targets_for_area(area_id).select_related("post") if area_id else []
        return {"targets": list(targets)}

    def publish_problems(self, campaign: Campaign) -> list[str]:
        problems = campaign.undeliverable_posts()
        if not problems:
            return []
        return [
            _("This campaign cannot go live: letters could not be delivered."),
            *problems,
            _("Add the missing addresses under Officials, or keep it a draft."),
        ]

    def dashboard_context(self, campaign: Campaign) -> dict[str, Any]:
        from altavoz.organising import reports

        return {
            "waiting": reports.letters_waiting(campaign),
            "delivery_status": reports.delivery_status(campaign),
        }

    def packet_cover(self, campaign: Campaign, total: int) -> list[Flowable]:
        from django.utils.translation import ngettext
        from reportlab.lib.units import inch
        from reportlab.platypus import Spacer

        from altavoz.organising.packet import para

        done = ngettext(
            "%(n)d resident signed this petition and sent their own letter to the official "
            "who represents them.",
            "%(n)d residents signed this petition and sent their own letter to the official "
            "who represents them.",
            total,
        ) % {"n": total}
        return [
            para(done),
            Spacer(1, 0.1 * inch),
            para(_("What they signed:"), "Heading3"),
            para(campaign.petition_statement),
            para(_("The letter they sent:"), "Heading3"),
            *[para(block) for block in campaign.letter_body.split("\n\n")],
        ]

    def signature_api_fields(self, signature: Signature) -> dict[str, Any]:
        return {"comments": signature.letter_body}
