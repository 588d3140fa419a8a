"""Send claimed deliveries: build each email, hand it to the mailer, record the outcome.

One Postman per batch keeps each mailer's connection open across messages (SMTP connection
reuse is what makes hundreds of letters a second possible).
"""

import logging
import smtplib
import time

from django.conf import settings
from django.core.mail import mailers
from django.db import InterfaceError, OperationalError, connection
from django.db.models import Q
from django.utils import timezone

from altavoz.delivery import emails, schedule, selectors, services
from altavoz.delivery.errors import SendError, classify
from altavoz.delivery.models import Delivery

logger = logging.getLogger(__name__)
RECORD_PAUSES = (0.5, 1, 2, 4, 8, 15, 30)
DIGEST = Q(signature__campaign__delivery_mode="digest")


def mailer_alias(campaign) -> str:
    """Demo campaigns write to the local outbox; real ones use the configured mailer."""
    return "outbox" if campaign.is_demo else "default"


class Postman:
    def __init__(self) -> None:
        self._mailers: dict = {}

    def send(self, message, *, using: str) -> str:
        """Send one message; return the provider's id for it (or its Message-ID)."""
        reused = using in self._mailers
        try:
            self._send(message, using)
        except SendError:
            raise
        except Exception as exc:
            self.close(using)
            if reused and isinstance(exc, smtplib.SMTPServerDisconnected):
                # The server dropped a connection left open between batches: reconnect once.
                return self.send(message, using=using)
            raise classify(exc) from exc
        status = getattr(message, "anymail_status", None)
        return (status and status.message_id) or message.extra_headers.get("Message-ID", "")

    def _send(self, message, using: str) -> None:
        mailer = self._mailers.get(using)
        if mailer is None:
            mailer = self._mailers[using] = mailers[using]
            mailer.open()
        if not mailer.send_messages([message]):
            raise SendError("The mailer accepted nothing and gave no reason.", connection=True)

    def close(self, using: str | None = None) -> None:
        for alias in [using] if using else list(self._mailers):
            mailer = self._mailers.pop(alias, None)
            if mailer is not None:
                try:
                    mailer.close()
                except Exception:
                    logger.debug("Closing mailer %s failed", alias, exc_info=True)


def _confirm(postman: Postman, delivery: Delivery) -> None:
    """Tell the supporter; a failure here is logged, never held against the letter."""
    if not settings.DELIVERY_CONFIRM_SUPPORTERS:
        return
    try:
        message = emails.confirmation_email(delivery)
        postman.send(message, using=mailer_alias(delivery.signature.campaign))
    except SendError as exc:
        logger.warning("Confirmation for delivery %s not sent: %s", delivery.pk, exc.reason)


def _try(postman: Postman, deliveries: list[Delivery], build) -> SendError | None:
    """Build and send one message for these deliveries, record the outcome on each."""
    message_id, provider_id, error = "", "", None
    try:
        message = build()
        message_id = message.extra_headers.get("Message-ID", "")
        provider_id = postman.send(message, using=mailer_alias(deliveries[0].signature.campaign))
    except SendError as exc:
        error = exc
    for delivery in deliveries:
        _record_durably(
            delivery=delivery, error=error, message_id=message_id, provider_id=provider_id
        )
        if error is None:
            _confirm(postman, delivery)
    return error


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
    """Send each delivery as its own email; stop early if the server cannot be reached."""
    sent = 0
    for index, delivery in enumerate(deliveries):
        error = _try(postman, [delivery], lambda d=delivery: emails.letter_email(d))
        sent += error is None
        if error is not None and error.connection:
            _give_back(deliveries[index + 1 :], delivery)
            break
    return sent


def send_digest(postman: Postman, deliveries: list[Delivery]) -> int:
    """One email for all of a day's letters to one official."""
    error = _try(postman, deliveries, lambda: emails.digest_email(deliveries))
    return 0 if error else len(deliveries)


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
# worker closes it whenever it goes idle.
shared_postman = Postman()


def deliver_one(delivery_id) -> int:
    """The task's work: send this one delivery if it is still queued and due."""
    return drain_letters(shared_postman, where=Q(pk=delivery_id), limit=1)


def send_signature_confirmation(signature_id) -> int:
    """Email the double opt-in link; a failure is logged and raised (the supporter can ask
    for it again from the thank-you page)."""
    from altavoz.campaigns.models import Signature

    signature = (
        Signature.objects.select_related("campaign__organisation", "person")
        .filter(pk=signature_id, confirmed_at__isnull=True)
        .first()
    )
    if signature is None:
        return 0
    postman = Postman()
    try:
        message = emails.signature_confirmation_email(signature)
        postman.send(message, using=mailer_alias(signature.campaign))
    except SendError as exc:
        logger.warning("Confirmation link for signature %s not sent: %s", signature_id, exc.reason)
        raise
    finally:
        postman.close()
    return 1
