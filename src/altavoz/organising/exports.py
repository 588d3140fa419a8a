"""Signer exports as CSV, streamed row by row so any size exports in constant memory."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from altavoz import csvtext
from altavoz.campaigns import referrals
from altavoz.campaigns.models import Campaign
from altavoz.campaigns.selectors import counted_signatures

HEADER = [
    "signed_at", "first_name", "last_name", "email", "street_address", "zip_code",
    "district", "district_from_map", "consent_updates", "source", "language", "channel",
    "referred_by",
]  # fmt: skip
CHUNK = 2000


@dataclass(frozen=True)
class SignerFilter:
    district: str = ""  # area number, e.g. "2"
    consent: bool | None = None
    since: date | None = None
    until: date | None = None


def signers(campaign: Campaign, only: SignerFilter):
    queryset = counted_signatures(campaign).filter(person__erased_at__isnull=True)
    if only.district:
        queryset = queryset.filter(area__number=only.district)
    if only.consent is not None:
        queryset = queryset.filter(person__consent_updates=only.consent)
    if only.since:
        queryset = queryset.filter(created_at__date__gte=only.since)
    if only.until:
        queryset = queryset.filter(created_at__date__lte=only.until)
    return queryset.order_by("created_at").values_list(
        "created_at", "first_name", "last_name", "person__email", "street_address",
        "zip_code", "area__name", "district_verified", "person__consent_updates", "source",
        "language", "referred_by__person__email",
    )  # fmt: skip


def _rows(campaign: Campaign, only: SignerFilter) -> Iterator[list]:
    yield HEADER
    for signed_at, *rest, source, language, referrer in signers(campaign, only).iterator(
        chunk_size=CHUNK
    ):
        channel = referrals.channel_of(source)
        yield [signed_at.isoformat(), *rest, source, language, channel, referrer or ""]


def csv_lines(campaign: Campaign, only: SignerFilter) -> Iterator[str]:
    return csvtext.lines(_rows(campaign, only))
