"""Signer exports as CSV, streamed row by row so any size exports in constant memory."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from altavoz import csvtext
from altavoz.campaigns import referrals
from altavoz.campaigns.models import Answer, Campaign
from altavoz.campaigns.selectors import counted_signatures
from altavoz.outcomes import selectors as outcome_selectors

HEADER = [
    "signed_at", "first_name", "last_name", "email", "street_address", "zip_code",
    "district", "district_from_map", "consent_updates", "source", "language",
    "office_replied_says_writer", "office_reply_seen", "channel", "referred_by", "story",
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
        "language", "referred_by__person__email", "story",
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


def _answers(signature_ids: list) -> dict:
    """(signature id, question id) -> answer, for one chunk of signatures."""
    rows = Answer.objects.filter(signature_id__in=signature_ids).values_list(
        "signature_id", "question_id", "value"
    )
    return {(signature, question): value for signature, question, value in rows}


def _rows(campaign: Campaign, only: SignerFilter) -> Iterator[list]:
    """The header (one more column per question of the organiser's), then each signer."""
    asked = list(campaign.questions.values_list("id", "label"))
    yield [*HEADER, *(label for _id, label in asked)]
    for chunk in _chunks(signers(campaign, only).iterator(chunk_size=CHUNK)):
        ids = [row[0] for row in chunk]
        replies = outcome_selectors.replies_by_signature(ids)
        answers = _answers(ids) if asked else {}
        for pk, signed_at, *rest, source, language, referrer, story in chunk:
            said, seen = replies.get(pk, ("", ""))
            answered = [answers.get((pk, q), "").replace("\n", "; ") for q, _label in asked]
            yield [signed_at.isoformat(), *rest, source, language, said, seen,
                   referrals.channel_of(source), referrer or "", story, *answered]  # fmt: skip


def csv_lines(campaign: Campaign, only: SignerFilter) -> Iterator[str]:
    return csvtext.lines(_rows(campaign, only))
