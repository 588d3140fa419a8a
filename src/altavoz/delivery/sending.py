"""Send claimed deliveries: build each email, hand it to the Postman, record the outcome.

Letters go out one after another on one open connection; while the server answers one, the
next is being built (with a pipelined Postman). Each outcome is committed as soon as it is
known, so a worker killed mid-batch re-sends at most the letter it was sending.
"""

import logging
import time
from concurrent.futures import Future
from dataclasses import dataclass

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.db.models import Q
from django.utils import timezone

from altavoz.delivery import emails, schedule, selectors, services
from altavoz.delivery.errors import SendError
from altavoz.delivery.models import Delivery
from altavoz.delivery.postman import Postman

logger = logging.getLogger(__name__)
RECORD_PAUSES = (0.5, 1, 2, 4, 8, 15, 30)
DIGEST = Q(signature__campaign__delivery_mode="digest")


def mailer_alias(campaign) -> str:
    """Demo campaigns write to the local outbox; real ones use the configured mailer."""
    return "outbox" if campaign.is_demo else "default"


@dataclass
class Flight:
    """One message for some deliveries: built (or failed to build), then handed over."""

    deliveries: list[Delivery]
    message: object = None
    error: SendError | None = None
    future: Future | None = None

    @property
    def message_id(self) -> str:
        return self.message.extra_headers.get("Message-ID", "") if self.message else ""


def _build(deliveries: list[Delivery], build) -> Flight:
    try:
        return Flight(deliveries, message=build())
    except SendError as exc:  # e.g. a malformed address: fails without being sent
        return Flight(deliveries, error=exc)


def _hand_over(postman: Postman, flight: Flight) -> Flight:
    if flight.message is not None:
        using = mailer_alias(flight.deliveries[0].signature.campaign)
        flight.future = postman.send_later(flight.message, using=using)
    return flight


def _settle(flight: Flight) -> SendError | None:
    """Wait for the send and record the outcome on each delivery."""
    provider_id, error = "", flight.error
    if flight.future is not None:
        try:
            provider_id = flight.future.result()
        except SendError as exc:
            error = exc
    for delivery in flight.deliveries:
        _record_durably(
            delivery=delivery, error=error, message_id=flight.message_id, provider_id=provider_id
        )
    return error


def _delivered_notices(flight: Flight) -> list[tuple[Delivery, object]]:
    """The supporters' "delivered" notices (or why one cannot be built), built while the letter is
    still in flight; they are sent only if it is."""
    if not settings.DELIVERY_NOTIFY_SUPPORTERS:
        return []
    built = []
    for delivery in flight.deliveries:
        try:
            built.append((delivery, emails.delivered_email(delivery)))
        except SendError as exc:
            built.append((delivery, exc))
    return built


def _notify(postman: Postman, notices: list[tuple[Delivery, object]]) -> None:
    """Tell the supporters; a failure here is logged, never held against the letter."""
    for delivery, message in notices:
        if isinstance(message, SendError):
            _log_notice(delivery, message)
            continue
        future = postman.send_later(message, using=mailer_alias(delivery.signature.campaign))
        future.add_done_callback(lambda done, d=delivery: _log_notice(d, done.exception()))


def _log_notice(delivery: Delivery, exc: BaseException | None) -> None:
    if exc is not None:
        logger.warning("Delivered notice for delivery %s not sent: %s", delivery.pk, exc)


def _record_durably(**outcome) -> None:
    """Record an outcome even across a database restart: the letter has left, and losing the
    record would send it again. Gives up (the lease then takes the row back) after ~a minute."""
    for pause in RECORD_PAUSES:
        try:
            services.delivery_record(**outcome)
            return
        except (OperationalError, InterfaceError) as exc:
            logger.warning("Database unavailable (%s); recording again in %ss", exc, pause)
            connection.close()
            time.sleep(pause)
    services.delivery_record(**outcome)


def _give_back(rest: list[Delivery], failed: Delivery) -> None:
    """The server is unreachable: the untried rows go back to wait as long as the failed one."""
    later = timezone.now() + schedule.retry_delay(failed.attempts + 1)
    services.deliveries_release(deliveries=rest, at=later)


def send_letters(postman: Postman, deliveries: list[Delivery]) -> int:
    """Send each delivery as its own email; stop early (the rest wait untried) when the
    server cannot be reached.

    While letter N is with the server, letter N+1 and N's delivered notice are built. Once N's
    outcome is recorded, N+1 is handed over and N's notice queued behind it: the
    server always has a letter to answer, and at most one letter has left unrecorded."""
    sent, flight = 0, None
    for index, delivery in enumerate([*deliveries, None]):
        ready = delivery and _build([delivery], lambda d=delivery: emails.letter_email(d))
        notices, error = [], None
        if flight is not None:
            notices = _delivered_notices(flight)
            error = _settle(flight)
            if error is not None and error.connection:
                _give_back(deliveries[index:], flight.deliveries[0])
                return sent
            sent += error is None
        flight = ready and _hand_over(postman, ready)
        if error is None:
            _notify(postman, notices)
    return sent


def send_digest(postman: Postman, deliveries: list[Delivery]) -> int:
    """One email for all of a day's letters to one official."""
    flight = _hand_over(postman, _build(deliveries, lambda: emails.digest_email(deliveries)))
    notices = _delivered_notices(flight)
    if _settle(flight) is not None:
        return 0
    _notify(postman, notices)
    return len(deliveries)


def drain_letters(postman: Postman, *, where: Q | None = None, limit: int | None = None) -> int:
    """Send due individual letters in batches until none is due (or ``limit`` is reached)."""
    batch_size = settings.DELIVERY_BATCH_SIZE
    total = 0
    while limit is None or total < limit:
        size = batch_size if limit is None else min(batch_size, limit - total)
        batch = services.deliveries_claim(where=(where or Q()) & ~DIGEST, limit=size)
        if not batch:
            break
        total += len(batch)
        send_letters(postman, batch)
    return total


def drain_digests(postman: Postman) -> int:
    """Send every due digest: one per campaign and official."""
    total = 0
    for campaign_id, official_id in selectors.due_digest_groups():
        where = DIGEST & Q(signature__campaign_id=campaign_id, official_id=official_id)
        batch = services.deliveries_claim(where=where, limit=10_000)
        if batch:
            total += send_digest(postman, batch)
    return total


# The worker's tasks share one Postman, so consecutive tasks reuse the open connection; the
# worker makes it pipelined (start_worker_postman) and closes it whenever it goes idle.
shared_postman = Postman()


def start_worker_postman() -> Postman:
    global shared_postman
    shared_postman = Postman(pipelined=True)
    return shared_postman


def deliver_these(delivery_ids) -> int:
    """The task's work: send these deliveries, those still queued and due."""
    return drain_letters(shared_postman, where=Q(pk__in=delivery_ids), limit=len(delivery_ids))


def send_signature_link(signature_id) -> int:
    """Email a signature's link (see emails.signature_link_email); a failure is logged and
    raised (the supporter can ask for it again from the thank-you page)."""
    from altavoz.campaigns.models import Signature

    related = ("campaign__organisation", "person")
    signature = Signature.objects.select_related(*related).filter(pk=signature_id).first()
    if signature is None or signature.person.erased_at is not None:
        return 0
    send_now(
        lambda: [emails.signature_link_email(signature)],
        using=mailer_alias(signature.campaign),
        what=f"Link for signature {signature_id}",
    )
    return 1


def send_now(build, *, using: str = "default", what: str) -> int:
    """Send the messages ``build()`` makes, on one connection, outside the letters' queue (a
    link, an invitation, an alert); a failure is logged, naming ``what``, and raised."""
    postman = Postman()
    try:
        messages = build()
        for message in messages:
            postman.send(message, using=using)
    except SendError as exc:
        logger.warning("%s not sent: %s", what, exc.reason)
        raise
    finally:
        postman.close()
    return len(messages)
