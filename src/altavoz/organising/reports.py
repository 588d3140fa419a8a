"""Reads for organisers: where support comes from, per day, district, source, channel and
referrer, and status."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from altavoz.campaigns import referrals
from altavoz.campaigns.models import Campaign, Signature
from altavoz.campaigns.selectors import counted_signatures
from altavoz.delivery.models import Delivery
from altavoz.districts.boundaries.area_index import number_order


@dataclass(frozen=True)
class Row:
    label: str
    count: int
    percent: int  # of the largest row, for bar lengths


def _rows(pairs: list[tuple[str, int]]) -> list[Row]:
    top = max((count for _, count in pairs), default=0) or 1
    return [Row(str(label), count, round(100 * count / top)) for label, count in pairs]


def days(campaign: Campaign) -> list[tuple[date, int]]:
    """Signatures per day, every day from the first one to the last (to today while the
    campaign is open), days without any included: a date axis has no gaps."""
    counted = dict(
        counted_signatures(campaign)
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values_list("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )
    if not counted:
        return []
    first, last = min(counted), max(counted)
    if campaign.is_open():
        last = max(last, timezone.localdate())
    return [
        (first + timedelta(days=n), counted.get(first + timedelta(days=n), 0))
        for n in range((last - first).days + 1)
    ]


def per_day(campaign: Campaign) -> list[Row]:
    return _rows([(day.isoformat(), n) for day, n in days(campaign)])


def per_district(campaign: Campaign) -> list[Row]:
    """Every district of the target set, with zero where nobody has signed yet."""
    counts = dict(
        counted_signatures(campaign)
        .filter(outside_place="")
        .values_list("area")
        .annotate(n=Count("id"))
        .values_list("area", "n")
    )
    areas = sorted(campaign.target_set.areas.all(), key=lambda a: (number_order(a.number), a.name))
    pairs = [(area.name, counts.pop(area.pk, 0)) for area in areas]
    unknown = sum(counts.values())
    if unknown:
        pairs.append(("—", unknown))
    return _rows(pairs)


def per_outside_place(campaign: Campaign) -> list[Row]:
    """Petition-only signatures of people outside the districts (no letter), by where they
    live: counted apart from the districts'."""
    places = (
        counted_signatures(campaign)
        .exclude(outside_place="")
        .values_list("outside_place")
        .annotate(n=Count("id"))
        .order_by("-n", "outside_place")
    )
    return _rows(list(places))


def per_source(campaign: Campaign) -> list[Row]:
    sources = (
        counted_signatures(campaign).values_list("source").annotate(n=Count("id")).order_by("-n")
    )
    return _rows([(source or "(direct)", n) for source, n in sources])


def per_channel(campaign: Campaign) -> list[Row]:
    """Signatures by the channel they came through (campaigns.referrals), largest first."""
    counts: dict[str, int] = {}
    sources = counted_signatures(campaign).values_list("source").annotate(n=Count("id"))
    for source, n in sources:
        channel = referrals.channel_of(source)
        counts[channel] = counts.get(channel, 0) + n
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return _rows([(referrals.CHANNELS[channel], n) for channel, n in ranked])


def top_referrers(campaign: Campaign, limit: int = 10) -> list[Row]:
    """The supporters whose share links brought the most signatures that count: first name
    and last initial only, as in public lists."""
    top = (
        counted_signatures(campaign)
        .filter(referred_by__isnull=False)
        .values("referred_by__first_name", "referred_by__last_name")
        .annotate(n=Count("id"))
        .order_by("-n", "referred_by__first_name")[:limit]
    )
    return _rows(
        [
            (Signature(first_name=row["referred_by__first_name"],
                       last_name=row["referred_by__last_name"]).public_name, row["n"])
            for row in top
        ]
    )  # fmt: skip


def delivery_status(campaign: Campaign) -> dict[str, int]:
    rows = (
        Delivery.objects.filter(signature__campaign=campaign)
        .values_list("status")
        .annotate(n=Count("id"))
    )
    counts = dict(rows)
    return {label: counts.get(value, 0) for value, label in Delivery.Status.choices}


def awaiting_confirmation(campaign: Campaign) -> int:
    """Signatures whose email is not confirmed yet (double opt-in): not counted anywhere."""
    return Signature.objects.filter(campaign=campaign, confirmed_at__isnull=True).count()


@dataclass(frozen=True)
class Waiting:
    """A target whose letters cannot leave (or are held), and how many of them wait."""

    text: str
    letters: int


def letters_waiting(campaign: Campaign) -> list[Waiting]:
    """Each target of a published campaign whose letters wait, queued: nobody holds the
    seat, the official has no delivery address, or a changed address is not yet confirmed.
    (A demo's letters reach the local outbox without an address; only held ones wait.)"""
    if campaign.status == Campaign.Status.DRAFT:
        return []
    problems = [p for p in campaign.target_problems() if p.kind == "held" or not campaign.is_demo]
    queued = Delivery.objects.filter(signature__campaign=campaign, status=Delivery.Status.QUEUED)
    counts = dict(
        queued.filter(official__in=[p.official for p in problems if p.official])
        .values_list("official")
        .annotate(n=Count("id"))
        .values_list("official", "n")
    )
    return [Waiting(p.text, counts.get(p.official and p.official.pk, 0)) for p in problems]
