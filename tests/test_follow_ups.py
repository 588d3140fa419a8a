"""The emails after the letter: "did the office reply?" a set number of days after delivery
(never after the deadline, never to someone who unsubscribed, once, and once more after a
"not yet"), and what the official did, once, to every writer; through the letters' queue."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from altavoz import queue
from altavoz.delivery.channels.email.channel import EmailChannel
from altavoz.delivery.models import Delivery
from altavoz.delivery.services import person_unsubscribe
from altavoz.outcomes import sending, services
from altavoz.outcomes.models import FollowUp, FollowUpAttempt, LetterReply, Position

Purpose = FollowUp.Purpose
DAYS = 5


@pytest.fixture
def asking(addressed, settings):
    """The campaign asks writers about replies 5 days after delivery; its deadline is far."""
    outbox = "altavoz.delivery.channels.email.outbox.OutboxBackend"
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
                        "outbox": {"BACKEND": outbox}}  # fmt: skip
    addressed.reply_question_days = DAYS
    addressed.deadline = timezone.now() + timedelta(days=60)
    addressed.save(update_fields=["reply_question_days", "deadline"])
    return addressed


@pytest.fixture
def delivered(asking, sign, drain):
    """Letters signed and delivered now: ``delivered(n, language=...)``."""

    def make(n=1, **overrides):
        signatures = [sign(**overrides) for _ in range(n)]
        drain()
        mail.outbox.clear()
        return signatures

    return make


def _send_due() -> int:
    email = EmailChannel()
    try:
        return sending.drain_follow_ups(email)
    finally:
        email.shutdown()


def _later(days: float):
    return time_machine.travel(timezone.now() + timedelta(days=days), tick=False)


def test_the_writer_is_asked_once_after_the_set_days_in_their_language(delivered):
    delivered(1, language="es")
    assert services.follow_ups_schedule() == 0  # too early
    with _later(DAYS + 0.1):
        assert services.follow_ups_schedule() == 1
        assert services.follow_ups_schedule() == 0  # once
        assert _send_due() == 1
    (email,) = mail.outbox
    assert email.to == ["supporter1@example.com"]
    assert email.subject.startswith("¿Le respondió la oficina de")
    assert "/es/replied/" in email.body and "?answer=not_yet" in email.body
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    follow_up = FollowUp.objects.get()
    assert follow_up.status == queue.Status.SENT
    assert follow_up.attempt_log.get().outcome == "sent"


def test_nobody_is_asked_after_the_deadline(delivered, asking):
    delivered(1)
    asking.deadline = timezone.now() + timedelta(days=DAYS - 1)
    asking.save(update_fields=["deadline"])
    with _later(DAYS + 0.1):
        assert services.follow_ups_schedule() == 0


def test_a_question_queued_before_the_deadline_is_not_sent_after_it(delivered, asking):
    delivered(1)
    asking.deadline = timezone.now() + timedelta(days=DAYS + 1)
    asking.save(update_fields=["deadline"])
    with _later(DAYS + 0.1):
        services.follow_ups_schedule()
    with _later(DAYS + 2):  # the worker was down until after the meeting
        _send_due()
    assert mail.outbox == []
    assert FollowUp.objects.get().status == queue.Status.CANCELLED


def test_someone_who_unsubscribed_is_never_asked(delivered):
    (signature,) = delivered(1)
    person_unsubscribe(person=signature.person)
    with _later(DAYS + 0.1):
        assert services.follow_ups_schedule() == 0
        assert _send_due() == 0
    assert mail.outbox == []


def test_a_writer_who_answered_or_whose_reply_was_seen_is_not_asked(delivered):
    delivered(2)
    first, second = Delivery.objects.order_by("created_at")
    services.letter_reply_answer(delivery_id=first.pk, answer=LetterReply.Answer.YES)
    services.letter_reply_capture(delivery_id=second.pk)
    with _later(DAYS + 0.1):
        assert services.follow_ups_schedule() == 0


def test_not_yet_is_asked_once_more_later(delivered):
    delivered(1)
    letter = Delivery.objects.get()
    with _later(DAYS + 0.1):
        services.follow_ups_schedule()
        _send_due()
        services.letter_reply_answer(delivery_id=letter.pk, answer=LetterReply.Answer.NOT_YET)
    with _later(2 * DAYS + 0.2):
        assert services.follow_ups_schedule() == 1
        _send_due()
    with _later(3 * DAYS + 0.3):
        assert services.follow_ups_schedule() == 0  # once more, not for ever
    purposes = sorted(FollowUp.objects.values_list("purpose", flat=True))
    assert purposes == [Purpose.REPLY_QUESTION_AGAIN, Purpose.REPLY_QUESTION]
    assert len(mail.outbox) == 2


def _position(campaign, official, stance=Position.Stance.VOTED_NO) -> Position:
    return Position.objects.create(
        campaign=campaign, official=official, stance=stance, stated_on=date(2027, 6, 12),
        source_url="https://example.org/minutes",
    )  # fmt: skip


def test_every_writer_hears_what_the_official_did_once_in_their_language(delivered, asking):
    delivered(1, language="en")
    delivered(1, language="ht")
    official = Delivery.objects.first().official
    position = _position(asking, official)
    assert services.position_announce(position=position) == 2
    assert services.position_announce(position=position) == 0  # once, whoever asks again
    assert _send_due() == 2
    english, creole = sorted(mail.outbox, key=lambda m: m.to[0])
    assert f"{official.name} voted no on June 12, 2027. Thank you for writing." in english.body
    assert "te vote kont" in creole.body
    assert "https://example.org/minutes" in english.body
    assert _send_due() == 0


def test_the_outcome_email_skips_writers_who_unsubscribed(delivered, asking):
    stays, leaves = delivered(2)
    person_unsubscribe(person=leaves.person)
    position = _position(asking, Delivery.objects.first().official)
    assert services.position_announce(position=position) == 1
    _send_due()
    assert [m.to for m in mail.outbox] == [[stays.person.email]]


def test_a_failed_send_is_recorded_and_retried_with_the_same_message_id(delivered, settings):
    delivered(1)
    with _later(DAYS + 0.1):
        services.follow_ups_schedule()
        settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2}}}  # fmt: skip
        _send_due()
    follow_up = FollowUp.objects.get()
    assert follow_up.status == queue.Status.QUEUED and follow_up.attempts == 1
    first = follow_up.attempt_log.get()
    assert first.outcome == "retry" and first.error
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    with _later(DAYS + 1):
        _send_due()
    follow_up.refresh_from_db()
    assert follow_up.status == queue.Status.SENT
    (email,) = mail.outbox
    assert (
        email.extra_headers["Message-ID"] == f"<reply_question.{follow_up.pk}@demo.altavoz.invalid>"
    )


def test_a_follow_up_whose_worker_died_is_taken_back_and_sent_once(delivered):
    delivered(1)
    with _later(DAYS + 0.1):
        services.follow_ups_schedule()
        (_claimed,) = queue.claim(FollowUp.objects.all(), limit=10)  # then the worker dies
        assert _send_due() == 0  # nobody else takes a claimed row
    with _later(DAYS + 1):
        assert sending.follow_ups_reclaim_stuck() == 1
    with _later(DAYS + 2):  # after the retry's wait
        assert _send_due() == 1
        assert _send_due() == 0
    assert len(mail.outbox) == 1
    outcomes = sorted(FollowUpAttempt.objects.values_list("outcome", flat=True))
    assert outcomes == ["interrupted", "sent"]
