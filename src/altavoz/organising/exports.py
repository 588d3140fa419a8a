"""Signer exports as CSV, streamed row by row so any size exports in constant memory."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from altavoz import csvtext
from altavoz.campaigns.models import Campaign
from altavoz.campaigns.selectors import counted_signatures
from altavoz.outcomes import selectors as outcome_selectors

HEADER = [
    "signed_at", "first_name", "last_name", "email", "street_address", "zip_code",
    "district", "district_from_map", "consent_updates", "source", "language",
    "office_replied_says_writer", "office_reply_seen",
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
        "pk", "created_at", "first_name", "last_name", "person__email", "street_address",
        "zip_code", "area__name", "district_verified", "person__consent_updates", "source",
        "language",
    )  # fmt: skip


def _chunks(rows: Iterator[tuple]) -> Iterator[list[tuple]]:
    chunk: list[tuple] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _rows(campaign: Campaign, only: SignerFilter) -> Iterator[list]:
    yield HEADER
    for chunk in _chunks(signers(campaign, only).iterator(chunk_size=CHUNK)):
        replies = outcome_selectors.replies_by_signature([row[0] for row in chunk])
        for pk, signed_at, *rest in chunk:
            said, seen = replies.get(pk, ("", ""))
            yield [signed_at.isoformat(), *rest, said, seen]


def csv_lines(campaign: Campaign, only: SignerFilter) -> Iterator[str]:
    return csvtext.lines(_rows(campaign, only))
