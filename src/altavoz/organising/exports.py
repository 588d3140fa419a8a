"""Signer exports as CSV, streamed row by row so any size exports in constant memory."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from itertools import batched

from altavoz import csvtext
from altavoz.campaigns import referrals
from altavoz.campaigns.models import Answer, Campaign
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
        "id", "created_at", "first_name", "last_name", "person__email", "street_address",
        "zip_code", "area__name", "district_verified", "person__consent_updates", "source",
        "language", "referred_by__person__email", "story",
    )  # fmt: skip


def _answers(signature_ids: list) -> dict:
    """(signature id, question id) -> answer, for one chunk of signatures."""
    rows = Answer.objects.filter(signature_id__in=signature_ids)
    return {
        (s, q): value for s, q, value in rows.values_list("signature_id", "question_id", "value")
    }


def _rows(campaign: Campaign, only: SignerFilter) -> Iterator[list]:
    asked = list(campaign.questions.values_list("id", "label"))
    yield [*HEADER, "story", *(label for _id, label in asked)]
    rows = signers(campaign, only).iterator(chunk_size=CHUNK)
    for chunk in batched(rows, CHUNK):
        answers = _answers([row[0] for row in chunk]) if asked else {}
        for pk, signed_at, *rest, source, language, referrer, story in chunk:
            channel = referrals.channel_of(source)
            said = [answers.get((pk, question), "").replace("\n", "; ") for question, _l in asked]
            yield [signed_at.isoformat(), *rest, source, language, channel, referrer or "",
                   story, *said]  # fmt: skip


def csv_lines(campaign: Campaign, only: SignerFilter) -> Iterator[str]:
    return csvtext.lines(_rows(campaign, only))
