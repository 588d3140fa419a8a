"""Send claimed deliveries, whatever their channel: build each message, hand it to the
channel, record the outcome.

Messages go out one after another; while a channel sends one, the next is being built (a
pipelined channel sends on its own thread). Each outcome is committed as soon as it is
known, so a worker killed mid-batch re-sends at most the message it was sending. Supporters
are told by email that their letter was delivered (the "delivered" notice), whatever
channel the letter took.
"""

import logging
import time
from concurrent.futures import Future
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.db.models import Q
from django.utils import timezone

from altavoz.delivery import schedule, selectors, services
from altavoz.delivery.channels.base import Channel, SendError
from altavoz.delivery.channels.email.channel import EmailChannel
from altavoz.delivery.channels.registry import ChannelSet
from altavoz.delivery.models import Delivery

logger = logging.getLogger(__name__)
RECORD_PAUSES = (0.5, 1, 2, 4, 8, 15, 30)
DIGEST = Q(signature__campaign__delivery_mode="digest")
NOTICES_CHANNEL = EmailChannel.name


@dataclass
class Flight:
    """One message for some deliveries: built (or failed to build), then handed over."""

    deliveries: list[Delivery]
    message: Any = None
    message_id: str = ""
    error: SendError | None = None
    future: Future | None = None


def _build(channel: Channel, deliveries: list[Delivery], build) -> Flight:
    try:
        message = build()
    except SendError as exc:  # e.g. a malformed address: fails without being sent
        return Flight(deliveries, error=exc)
    return Flight(deliveries, message=message, message_id=channel.message_id(message))


def _hand_over(channel: Channel, flight: Flight) -> Flight:
    if flight.message is not None:
        flight.future = channel.send_later(flight.message)
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


def _delivered_notices(notices: EmailChannel, flight: Flight) -> list[tuple[Delivery, object]]:
    """The supporters' "delivered" notices (or why one cannot be built), built while the
    letter is still in flight; they are sent only if it is."""
    if not settings.DELIVERY_NOTIFY_SUPPORTERS:
        return []
    built: list[tuple[Delivery, object]] = []
    for delivery in flight.deliveries:
        try:
            built.append((delivery, notices.build_notice(delivery)))
        except SendError as exc:
            built.append((delivery, exc))
    return built


def _notify(notices: EmailChannel, built: list[tuple[Delivery, object]]) -> None:
    """Tell the supporters; a failure here is logged, never held against the letter."""
    for delivery, message in built:
        if isinstance(message, SendError):
            _log_notice(delivery, message)
            continue
        future = notices.send_later(message)
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
    """The channel is unreachable: the untried rows go back to wait as long as the failed one."""
    later = timezone.now() + schedule.retry_delay(failed.attempts + 1)
    services.deliveries_release(deliveries=rest, at=later)


def email_channel(channels: ChannelSet) -> EmailChannel:
    """The set's email channel: supporters' notices and follow-ups go by email."""
    channel = channels.get(NOTICES_CHANNEL)
    assert isinstance(channel, EmailChannel)
    return channel


def send_letters(channels: ChannelSet, deliveries: list[Delivery]) -> int:
    """Send each delivery as its own message, channel by channel; stop a channel early (its
    rest wait untried) when it cannot be reached."""
    in_channel_order = sorted(deliveries, key=lambda d: d.channel)  # stable: due order kept
    return sum(
        _send_through(channels.get(name), email_channel(channels), list(group))
        for name, group in groupby(in_channel_order, key=lambda d: d.channel)
    )


def _send_through(channel: Channel, notices: EmailChannel, deliveries: list[Delivery]) -> int:
    """While letter N is with the channel, letter N+1 and N's delivered notice are built.
    Once N's outcome is recorded, N+1 is handed over and N's notice queued behind it: the
    channel always has a letter to send, and at most one letter has left unrecorded."""
    sent, flight = 0, None
    for index, delivery in enumerate([*deliveries, None]):
        ready = delivery and _build(channel, [delivery], lambda d=delivery: channel.build(d))
        built: list[tuple[Delivery, object]] = []
        error = None
        if flight is not None:
            built = _delivered_notices(notices, flight)
            error = _settle(flight)
            if error is not None and error.connection:
                _give_back(deliveries[index:], flight.deliveries[0])
                return sent
            sent += error is None
        flight = ready and _hand_over(channel, ready)
        if error is None:
            _notify(notices, built)
    return sent


def send_digest(channels: ChannelSet, deliveries: list[Delivery]) -> int:
    """One message for all of a day's letters to one official (channels that send digests)."""
    channel = channels.get(deliveries[0].channel)
    flight = _build(channel, deliveries, lambda: channel.build_digest(deliveries))
    _hand_over(channel, flight)
    built = _delivered_notices(email_channel(channels), flight)
    if _settle(flight) is not None:
        return 0
    _notify(email_channel(channels), built)
    return len(deliveries)


def drain_letters(channels: ChannelSet, *, where: Q | None = None, limit: int | None = None) -> int:
    """Send due individual letters in batches until none is due (or ``limit`` is reached)."""
    batch_size = settings.DELIVERY_BATCH_SIZE
    total = 0
    while limit is None or total < limit:
        size = batch_size if limit is None else min(batch_size, limit - total)
        batch = services.deliveries_claim(where=(where or Q()) & ~DIGEST, limit=size)
        if not batch:
            break
        total += len(batch)
        send_letters(channels, batch)
    return total


def drain_digests(channels: ChannelSet) -> int:
    """Send every due digest: one per campaign, official and channel."""
    total = 0
    for campaign_id, official_id, channel in selectors.due_digest_groups():
        where = DIGEST & Q(signature__campaign_id=campaign_id, official_id=official_id)
        batch = services.deliveries_claim(where=where & Q(channel=channel), limit=10_000)
        if batch:
            total += send_digest(channels, batch)
    return total


# The worker's tasks share one ChannelSet, so consecutive tasks reuse open connections; the
# worker makes it pipelined (start_worker_channels) and closes it whenever it goes idle.
shared_channels = ChannelSet()


def start_worker_channels() -> ChannelSet:
    global shared_channels
    shared_channels = ChannelSet(pipelined=True)
    return shared_channels


def deliver_these(delivery_ids) -> int:
    """The task's work: send these deliveries, those still queued and due."""
    return drain_letters(shared_channels, where=Q(pk__in=delivery_ids), limit=len(delivery_ids))
