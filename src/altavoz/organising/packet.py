"""The delivery packet: a printable PDF per campaign to hand to officials at the meeting.

A cover page (what the supporters did, in the campaign's kind's words), the totals per
district, and one section per official listing the constituents who took part (names and
district; street addresses only if the campaign says so), with the kind's own part.
"""

from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from altavoz.campaigns.actions import kind_of
from altavoz.campaigns.models import Campaign
from altavoz.campaigns.selectors import counted_signatures
from altavoz.districts.models import Official
from altavoz.organising import answers, reports
from altavoz.outcomes import selectors as outcome_selectors

STYLES = getSampleStyleSheet()
GRID = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8ecf1")),
        ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
)


def para(text: str, style: str = "BodyText") -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), STYLES[style])


def _cover(campaign: Campaign, total: int) -> list[Flowable]:
    """The organisation, the date, the headline, then what the supporters did (the kind's
    words: the letter they sent, the calls they made)."""
    today = timezone.localdate().strftime("%B %-d, %Y")
    return [
        para(campaign.organisation.name, "Title"),
        para(today),
        Spacer(1, 0.2 * inch),
        para(campaign.title, "Heading1"),
        *kind_of(campaign).packet_cover(campaign, total),
    ]


def _totals(campaign: Campaign) -> list[Flowable]:
    rows = [[_("District"), _("Signatures")]] + [
        [row.label, str(row.count)] for row in reports.per_district(campaign)
    ]
    table = Table(rows, colWidths=[3.5 * inch, 1.5 * inch])
    table.setStyle(GRID)
    return [para(_("Signatures per district"), "Heading2"), table]


def _outcomes(campaign: Campaign) -> list[Flowable]:
    """Per official: letters delivered, replies (as writers say, as the reply address saw)
    and the position or vote recorded, with its date."""
    rows = outcome_selectors.per_official(campaign)
    if not rows:
        return []
    table = [[_("Official"), _("Letters delivered"), _("Writers say the office replied"),
              _("Replies seen"), _("Calls reported"), _("Position or vote")]]  # fmt: skip
    for row in rows:
        position = row.position
        stance = (
            f"{position.get_stance_display()}, {date_format(position.stated_on)}"
            if position
            else "—"
        )
        said = f"{row.said_replied} / {row.answered}" if row.answered else "—"
        table.append([row.official.name, str(row.delivered), said, str(row.replies_seen),
                      str(row.calls_reported), stance])  # fmt: skip
    grid = Table(table, repeatRows=1)
    grid.setStyle(GRID)
    return [para(_("Replies and outcomes per official"), "Heading2"), grid]


def _district(signature) -> str:
    """The district as the letter states it: chosen, not verified, unless the map gave it."""
    if signature.area is None:
        return "—"
    if signature.district_verified:
        return signature.area.name
    return _("%(district)s (chosen by the writer; address not verified)") % {
        "district": signature.area.name
    }


def _whose(campaign: Campaign, official: Official | None) -> dict:
    """The signatures an official's section lists: their district's; every letter writer's
    for a seat elected at large (a mayor); those without a district for ``None``."""
    if official is None:
        return {"area__isnull": True}
    if official.post.area.boundary_set_id != campaign.target_set_id:
        return {"area__isnull": False}
    return {"area_id": official.post.area_id}


def _constituents(campaign: Campaign, official: Official | None) -> list[Flowable]:
    signatures = (
        counted_signatures(campaign)
        .filter(person__erased_at__isnull=True, **_whose(campaign, official))
        .select_related("area")
        .order_by("last_name", "first_name")
    )
    header = [_("Name"), _("District")]
    if campaign.packet_includes_addresses:
        header.append(_("Street address"))
    rows = [header]
    for signature in signatures.iterator(chunk_size=2000):
        row = [f"{signature.first_name} {signature.last_name}", _district(signature)]
        if campaign.packet_includes_addresses:
            row.append(f"{signature.street_address}, {signature.zip_code}")
        rows.append(row)
    title = f"{official.post.label} — {official.name}" if official else _("District not given")
    flow: list[Flowable] = [PageBreak(), para(title, "Heading1")]
    signed = len(rows) - 1
    flow.append(
        para(ngettext("%(n)d constituent signed.", "%(n)d constituents signed.", signed)
              % {"n": signed})
    )  # fmt: skip
    if official is not None:
        flow += kind_of(campaign).packet_official(campaign, official)
    if len(rows) > 1:
        table = Table(rows, repeatRows=1)
        table.setStyle(GRID)
        flow.append(table)
    return flow + _stories(campaign, official)


def _stories(campaign: Campaign, official: Official | None) -> list[Flowable]:
    """The constituents' own words, each with its writer's name."""
    told = answers.stories(campaign, **_whose(campaign, official))
    if not told:
        return []
    flow: list[Flowable] = [Spacer(1, 0.2 * inch), para(_("In their own words"), "Heading2")]
    for name, story in told:
        flow.append(para(f'"{story}" ({name})'))
    return flow


def _questions(campaign: Campaign) -> list[Flowable]:
    """The answers to the campaign's questions, counted per choice."""
    flow: list[Flowable] = []
    for asked in answers.questions_summary(campaign):
        flow.append(para(asked.question.label, "Heading3"))
        lines = [f"{row.label}: {row.count}" for row in asked.rows] or [
            ngettext("%(n)d answer.", "%(n)d answers.", asked.answered) % {"n": asked.answered}
        ]
        flow += [para(line) for line in lines]
    return flow


def build_packet(campaign: Campaign) -> bytes:
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=LETTER, title=campaign.title, author=campaign.organisation.name
    )
    total = counted_signatures(campaign).count()
    story = [*_cover(campaign, total), Spacer(1, 0.3 * inch), *_totals(campaign),
             *_questions(campaign)]  # fmt: skip
    story += _outcomes(campaign)
    officials = (
        Official.objects.current()
        .filter(post__in=campaign.target_posts())
        .select_related("post__area")
        .order_by("post__area__number")
    )
    for official in officials:
        story += _constituents(campaign, official)
    if counted_signatures(campaign).filter(area__isnull=True).exists():
        story += _constituents(campaign, None)
    document.build(story)
    return buffer.getvalue()
