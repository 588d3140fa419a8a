"""Writes on replies and outcomes: a writer's answer, a reply seen, a position recorded."""

from django.db import transaction
from django.utils import timezone

from altavoz.outcomes.models import LetterReply

Answer = LetterReply.Answer


def letter_reply_answer(*, delivery_id, answer: str) -> LetterReply:
    """Record what the writer says (their latest word counts: "not yet", then "yes")."""
    if answer not in Answer.values:
        raise ValueError(f"Not an answer: {answer!r}")
    now = timezone.now()
    with transaction.atomic():
        reply, _ = LetterReply.objects.select_for_update().get_or_create(delivery_id=delivery_id)
        reply.answer, reply.answered_at = answer, now
        reply.save(update_fields=["answer", "answered_at"])
    return reply


def letter_reply_capture(*, delivery_id) -> None:
    """An office's reply passed through the letter's reply address: keep when the first one
    came, never what it said."""
    LetterReply.objects.get_or_create(delivery_id=delivery_id)
    LetterReply.objects.filter(delivery_id=delivery_id, captured_at__isnull=True).update(
        captured_at=timezone.now()
    )
