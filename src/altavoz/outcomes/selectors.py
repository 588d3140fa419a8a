"""Reads for organisers: per official, letters delivered, replies and their position."""

from dataclasses import dataclass

from django.db.models import Count, Q

from altavoz.delivery.models import Delivery
from altavoz.districts.models import Official
from altavoz.outcomes.models import LetterReply, Position

Answer = LetterReply.Answer


@dataclass(frozen=True)
class OfficialOutcome:
    official: Official
    delivered: int
    said_replied: int  # writers who answered "yes, the office replied"
    said_no_reply: int  # writers who answered "no" (a "not yet" is not counted either way)
    replies_seen: int  # letters whose reply address saw an answer from the office
    position: Position | None

    @property
    def answered(self) -> int:
        return self.said_replied + self.said_no_reply

    @property
    def said_reply_rate(self) -> int | None:
        """Percent of the writers who answered that say the office replied."""
        return round(100 * self.said_replied / self.answered) if self.answered else None

    @property
    def seen_reply_rate(self) -> int | None:
        """Percent of the delivered letters whose office was seen replying."""
        return round(100 * self.replies_seen / self.delivered) if self.delivered else None


def per_official(campaign) -> list[OfficialOutcome]:
    """Every official the campaign's letters reached, or who has a recorded position."""
    sent = Delivery.objects.filter(signature__campaign=campaign, status=Delivery.Status.SENT)
    counts = {
        row["official"]: row
        for row in sent.values("official").annotate(
            delivered=Count("pk"),
            said_replied=Count("pk", filter=Q(reply__answer=Answer.YES)),
            said_no_reply=Count("pk", filter=Q(reply__answer=Answer.NO)),
            replies_seen=Count("pk", filter=Q(reply__captured_at__isnull=False)),
        )
    }
    positions = {p.official_id: p for p in Position.objects.filter(campaign=campaign)}
    ids = set(counts) | set(positions)
    officials = Official.objects.select_related("post__area").in_bulk(ids)
    rows = []
    for official_id in ids:
        row = counts.get(official_id, {})
        rows.append(
            OfficialOutcome(
                official=officials[official_id],
                delivered=row.get("delivered", 0),
                said_replied=row.get("said_replied", 0),
                said_no_reply=row.get("said_no_reply", 0),
                replies_seen=row.get("replies_seen", 0),
                position=positions.get(official_id),
            )
        )
    return sorted(rows, key=lambda r: (r.official.post.area.name, r.official.name))


def replies_by_signature(signature_ids: list) -> dict:
    """For the export: per signature, what its writer said of each office's reply and which
    replies were seen ("Damian Pardo: yes"; several letters joined by "; ")."""
    said: dict = {}
    seen: dict = {}
    replies = LetterReply.objects.filter(delivery__signature_id__in=signature_ids).values_list(
        "delivery__signature_id", "delivery__official__name", "answer", "captured_at"
    )
    for signature_id, name, answer, captured_at in replies.order_by("delivery__official__name"):
        if answer:
            said.setdefault(signature_id, []).append(f"{name}: {answer}")
        if captured_at:
            seen.setdefault(signature_id, []).append(f"{name}: {captured_at.isoformat()}")
    return {
        pk: ("; ".join(said.get(pk, [])), "; ".join(seen.get(pk, [])))
        for pk in set(said) | set(seen)
    }
