"""The call: the supporter finds their district (the letter's form and district step,
without the letter), then sees their commissioner's office phone (a ``tel:`` link on a
phone, the number beside the script on a wider screen) and the script in their language,
filled with their first name, district and official. When the office is closed (its
``OfficeHours``, in the office's time zone) the page says when to call and offers a calendar
reminder (.ics). After the call they report how it went (``CallReport``: spoke to staff,
left a voicemail, no answer, busy, and a note), counted per official and district on the
dashboard, in the export, the packet and the API.

Records: the Signature (their participation, counted like any other; no letter, no
Delivery) and its CallReports, at most ``CALLS_PER_OFFICIAL_PER_DAY`` per caller and
official a day (SECURITY.md). Phones come from the City's layer (``officials contacts``);
an official without one is named by the publish check, never guessed.

Shaped for a patch-through call later (the platform dials the caller and connects the
office through a telephony provider): that is a ``dial`` step between the script and the
report, whose outcome the provider's call status would fill instead of the caller.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from altavoz.campaigns import letters
from altavoz.campaigns.actions.base import ActionKind
from altavoz.districts.boundaries.area_index import number_order

if TYPE_CHECKING:
    from django.http import HttpRequest
    from reportlab.platypus.flowables import Flowable

    from altavoz.campaigns.forms import SignatureForm
    from altavoz.campaigns.models import Campaign, OfficeHours
    from altavoz.campaigns.receipts import Receipt
    from altavoz.districts.models import Official
    from altavoz.organising.exports import SignerFilter

MERGE_FIELDS = ("First Name", "District", "Official Name")
CALLS_PER_OFFICIAL_PER_DAY = 3
REMINDER_MINUTES = 15
TEN_DIGITS = re.compile(r"^\D*1?\D*(\d{3})\D*(\d{3})\D*(\d{4})\D*$")
EXPORT_HEADER = [
    "reported_at", "official", "seat", "district", "outcome", "note", "language",
]  # fmt: skip


def day_names() -> list[str]:
    return [_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"),
            _("Saturday"), _("Sunday")]  # fmt: skip


def tel_uri(phone: str) -> str:
    """ "tel:+13052505333" for a US number, "" for anything else (shown, not linked)."""
    digits = TEN_DIGITS.match(phone or "")
    return "tel:+1{}{}{}".format(*digits.groups()) if digits else ""


def office_open(hours: OfficeHours, now: datetime) -> bool:
    local = now.astimezone(ZoneInfo(hours.time_zone))
    return local.weekday() in hours.days() and hours.opens <= local.time() < hours.closes


def next_opening(hours: OfficeHours, now: datetime) -> datetime | None:
    """When the office next opens (in its time zone), within a week; None for no days."""
    zone = ZoneInfo(hours.time_zone)
    local = now.astimezone(zone)
    for ahead in range(8):
        day = local.date() + timedelta(days=ahead)
        start = datetime.combine(day, hours.opens, tzinfo=zone)
        if day.weekday() in hours.days() and start > local:
            return start
    return None


def hours_text(hours: OfficeHours) -> str:
    """ "Monday, Tuesday, Wednesday, Thursday, Friday, 9:00 a.m. to 5:00 p.m." """
    names = day_names()
    days = ", ".join(names[day] for day in sorted(hours.days()))
    return _("%(days)s, %(opens)s to %(closes)s") % {
        "days": days,
        "opens": time_format(hours.opens, "TIME_FORMAT"),
        "closes": time_format(hours.closes, "TIME_FORMAT"),
    }


@dataclass(frozen=True)
class CallTarget:
    """One office to call, as the thank-you page shows it."""

    official: Official
    tel: str
    script: str
    hours: OfficeHours | None
    open_now: bool
    opens_next: datetime | None

    @property
    def hours_text(self) -> str:
        return hours_text(self.hours) if self.hours else ""

    @property
    def hours_confirmed(self) -> bool:
        return bool(self.hours and self.hours.source)

    @property
    def when_to_call(self) -> str:
        if self.opens_next is None:
            return ""
        local = self.opens_next
        # No full stop after it: the time already ends in one ("9:00 a.m.").
        return _("Call on %(day)s, %(date)s, from %(time)s") % {
            "day": day_names()[local.weekday()],
            "date": date_format(local.date(), "DATE_FORMAT"),
            "time": time_format(local.time(), "TIME_FORMAT"),
        }


def script_for(campaign: Campaign, *, first_name: str, district: str, official: str) -> str:
    values = {"First Name": first_name, "District": district, "Official Name": official}
    return letters.fill(campaign.call_script, values)


def call_targets(campaign: Campaign, receipt: Receipt | None, now: datetime) -> list[CallTarget]:
    """The offices the caller's district calls: its seat of the role, and at-large seats."""
    from altavoz.campaigns.models import OfficeHours
    from altavoz.districts.models import Area

    if not (receipt and receipt.area_id):
        return []
    area = Area.objects.filter(pk=receipt.area_id).first()
    officials = list(campaign.targets_for_area(receipt.area_id).select_related("post"))
    hours = {h.post_id: h for h in OfficeHours.objects.filter(campaign=campaign)}
    found = []
    for official in officials:
        office = hours.get(official.post_id)
        script = script_for(
            campaign,
            first_name=receipt.first_name,
            district=area.display_name if area else "",
            official=official.name,
        )
        found.append(
            CallTarget(
                official=official,
                tel=tel_uri(official.phone),
                script=script,
                hours=office,
                open_now=bool(office and office_open(office, now)),
                opens_next=next_opening(office, now) if office else None,
            )
        )
    return found


def _counts(campaign: Campaign, by: str) -> list[dict[str, Any]]:
    """Reports per ``by`` ("official" or "area") and outcome, as rows with a total."""
    from django.db.models import Count

    from altavoz.campaigns.models import CallReport

    rows: dict[Any, dict[str, Any]] = {}
    grouped = (
        CallReport.objects.filter(campaign=campaign)
        .values(by, "outcome")
        .annotate(n=Count("id"))
        .order_by(by)
    )
    empty = dict.fromkeys(CallReport.Outcome.values, 0)
    for row in grouped:
        entry = rows.setdefault(row[by], {"key": row[by], "total": 0, **empty})
        entry[row["outcome"]] += row["n"]
        entry["total"] += row["n"]
    for entry in rows.values():
        entry["cells"] = [entry[value] for value in CallReport.Outcome.values]
    return list(rows.values())


def counts_per_official(campaign: Campaign) -> list[dict[str, Any]]:
    from altavoz.districts.models import Official

    rows = _counts(campaign, "official")
    officials = Official.objects.select_related("post__area").in_bulk([r["key"] for r in rows])
    for row in rows:
        row["official"] = officials[row["key"]]
    return sorted(rows, key=lambda r: number_order(r["official"].post.area.number))


def counts_per_district(campaign: Campaign) -> list[dict[str, Any]]:
    from altavoz.districts.models import Area

    rows = _counts(campaign, "area")
    areas = Area.objects.in_bulk([r["key"] for r in rows if r["key"]])
    for row in rows:
        row["area"] = areas.get(row["key"])
    return sorted(rows, key=lambda r: number_order(r["area"].number if r["area"] else "~"))


class CallKind(ActionKind):
    name: ClassVar[str] = "call"
    label: ClassVar[Any] = gettext_lazy("Call your official")
    text_fields: ClassVar[tuple[str, ...]] = ("call_script",)
    required_fields: ClassVar[tuple[str, ...]] = ("call_script",)
    merge_fields: ClassVar[tuple[str, ...]] = MERGE_FIELDS
    merge_checked: ClassVar[tuple[str, ...]] = ("call_script",)
    page_template: ClassVar[str] = "campaigns/actions/call.html"
    thanks_template: ClassVar[str] = "campaigns/actions/call_thanks.html"
    dashboard_template: ClassVar[str] = "organising/actions/call.html"
    outreach_type: ClassVar[str] = "phone"

    def form_class(self) -> type[SignatureForm]:
        from altavoz.campaigns.forms import ParticipationForm

        return ParticipationForm

    def submit_label(self) -> str:
        return _("Show me who to call")

    def page_context(self, campaign: Campaign, form: SignatureForm) -> dict[str, Any]:
        from altavoz.campaigns.actions.letter import placeholders

        names = placeholders()
        typed = form.data.get("first_name", "").strip() if form.is_bound else ""
        script = script_for(
            campaign,
            first_name=typed or names["First Name"],
            district="[{}]".format(_("your district")),
            official=names["Official Name"],
        )
        return {"script_preview": script}

    def thanks_context(
        self, request: HttpRequest, campaign: Campaign, receipt: Receipt | None
    ) -> dict[str, Any]:
        from altavoz.campaigns.forms import CallReportForm

        targets = call_targets(campaign, receipt, timezone.now())
        return {
            "call_targets": targets,
            "report_form": CallReportForm(officials=[t.official for t in targets]),
            "calls_per_day": CALLS_PER_OFFICIAL_PER_DAY,
        }

    def publish_problems(self, campaign: Campaign) -> list[str]:
        from altavoz.districts.models import Official

        targets = Official.objects.current().filter(post__in=campaign.target_posts())
        missing = [
            _("%(official)s (%(seat)s) has no office phone.")
            % {"official": official.name, "seat": official.post.label}
            for official in targets.select_related("post")
            if not official.phone.strip()
        ]
        if not missing:
            return []
        return [
            _("This campaign cannot go live: callers would have no number to call."),
            *missing,
            _("Add the missing phones under Officials, or keep it a draft."),
        ]

    def dashboard_context(self, campaign: Campaign) -> dict[str, Any]:
        from altavoz.campaigns.models import CallReport

        return {
            "call_outcomes": CallReport.Outcome.choices,
            "calls_per_official": counts_per_official(campaign),
            "calls_per_district": counts_per_district(campaign),
        }

    def export_name(self) -> str:
        return "calls"

    def export_lines(self, campaign: Campaign, only: SignerFilter) -> Iterator[str]:
        from altavoz import csvtext

        return csvtext.lines(self._export_rows(campaign, only))

    def _export_rows(self, campaign: Campaign, only: SignerFilter) -> Iterator[list[Any]]:
        from altavoz.campaigns.models import CallReport

        reports = CallReport.objects.filter(campaign=campaign)
        if only.district:
            reports = reports.filter(area__number=only.district)
        if only.since:
            reports = reports.filter(created_at__date__gte=only.since)
        if only.until:
            reports = reports.filter(created_at__date__lte=only.until)
        yield EXPORT_HEADER
        rows = reports.order_by("created_at").values_list(
            "created_at", "official__name", "official__post__label", "area__name", "outcome",
            "note", "language",
        )  # fmt: skip
        for reported_at, *rest in rows.iterator(chunk_size=2000):
            yield [reported_at.isoformat(), *rest]

    def packet_cover(self, campaign: Campaign, total: int) -> list[Flowable]:
        from altavoz.campaigns.models import CallReport
        from altavoz.organising.packet import para

        calls = CallReport.objects.filter(campaign=campaign).count()
        return [
            para(
                ngettext(
                    "%(n)d resident took part and called the official who represents them.",
                    "%(n)d residents took part and called the official who represents them.",
                    total,
                ) % {"n": total}
            ),
            para(
                ngettext("%(n)d call was reported.", "%(n)d calls were reported.", calls)
                % {"n": calls}
            ),
            para(_("What they said:"), "Heading3"),
            *[para(block) for block in campaign.call_script.split("\n\n")],
        ]  # fmt: skip

    def packet_official(self, campaign: Campaign, official: Official) -> list[Flowable]:
        from altavoz.campaigns.models import CallReport
        from altavoz.organising.packet import para

        row = next((r for r in _counts(campaign, "official") if r["key"] == official.pk), None)
        if row is None:
            return [para(_("No call to this office was reported."))]
        parts = [f"{label}: {row[value]}" for value, label in CallReport.Outcome.choices]
        return [
            para(
                ngettext("%(n)d call reported.", "%(n)d calls reported.", row["total"])
                % {"n": row["total"]}
                + " "
                + "; ".join(parts)
            )
        ]

    def api_fields(self, campaign: Campaign) -> dict[str, Any]:
        def outcomes(row: dict[str, Any]) -> dict[str, int]:
            from altavoz.campaigns.models import CallReport

            return {value: row[value] for value in CallReport.Outcome.values}

        per_official = [
            {"name": r["official"].name, "ocdid": r["official"].post.area.ocd_id,
             "total": r["total"], "outcomes": outcomes(r)}
            for r in counts_per_official(campaign)
        ]  # fmt: skip
        per_district = [
            {"name": r["area"].name if r["area"] else "",
             "ocdid": r["area"].ocd_id if r["area"] else "",
             "total": r["total"], "outcomes": outcomes(r)}
            for r in counts_per_district(campaign)
        ]  # fmt: skip
        return {
            **super().api_fields(campaign),
            "altavoz:call_reports": {"per_official": per_official, "per_district": per_district},
        }
