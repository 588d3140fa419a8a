"""Signed webhooks: events written in the same transaction as what they report, sent by the
worker to a real local receiver, signed per Standard Webhooks (verified with the
`standardwebhooks` package), retried with backoff while the receiver is down, recorded
attempt by attempt, an endpoint failing for days disabled with a note to its organisers,
any message replayed with the same webhook-id, and nothing lost when a worker is killed."""

import json
import signal
from datetime import timedelta

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

import worker_process as wp
from altavoz.campaigns import services as campaign_services
from altavoz.campaigns.models import Campaign
from altavoz.hooks import sending, services
from altavoz.hooks.models import Attempt, Endpoint, Event, Message
from webhook_receiver import LOOPBACK, Receiver, drained

ALL = ["signature.created", "signature.confirmed", "delivery.sent", "delivery.failed",
       "campaign.closed"]  # fmt: skip


@pytest.fixture
def receiver(loopback_allowed):
    running = Receiver().start()
    yield running
    running.stop()


@pytest.fixture
def endpoint(addressed, receiver):
    return services.endpoint_create(
        organisation=addressed.organisation, url=receiver.url, events=["signature.created"]
    )


def drain() -> int:
    return drained(sending.drain)


def verified(secret: str, headers: dict, body: bytes) -> dict:
    return Webhook(secret).verify(body, headers)


def test_a_signature_is_sent_signed_with_its_osdi_shape(endpoint, receiver, sign):
    signature = sign(email="ana@example.com")
    assert drain() == 1
    ((headers, body),) = receiver.received
    payload = verified(endpoint.secret, headers, body)
    assert payload["type"] == "signature.created"
    assert payload["data"]["identifiers"] == [f"altavoz:{signature.pk}"]
    person = payload["data"]["_embedded"]["osdi:person"]
    assert person["email_addresses"][0]["address"] == "ana@example.com"
    assert headers["webhook-id"] == Message.objects.get().webhook_id
    assert Attempt.objects.get().outcome == "sent"


def test_a_forged_or_altered_message_does_not_verify(endpoint, receiver, sign):
    sign()
    drain()
    ((headers, body),) = receiver.received
    with pytest.raises(WebhookVerificationError):
        verified(endpoint.secret, headers, body.replace(b"Maria", b"Mallory"))
    other = services.endpoint_create(organisation=endpoint.organisation, url=receiver.url,
                                     events=[])  # fmt: skip
    with pytest.raises(WebhookVerificationError):
        verified(other.secret, headers, body)


def test_only_the_chosen_events_of_the_organisations_endpoints_are_sent(
    endpoint, receiver, sign, organisers, district
):
    other = Campaign.objects.get(slug="other-campaign")
    campaign_services.signature_create(
        campaign=other, email="b@example.com", first_name="B", last_name="B",
        street_address="1 St", zip_code="33133", letter_body="x", area=district(2),
    )  # fmt: skip
    sign()
    assert [e.kind for e in Event.objects.all()] == ["signature.created"]
    assert Event.objects.get().organisation_id == endpoint.organisation_id


def test_an_endpoint_deleted_while_another_process_keeps_it_costs_no_signature(
    endpoint, receiver, sign, addressed
):
    """Each process keeps the organisation's endpoints a few seconds (hooks.events
    .endpoints_of); one deleted meanwhile gets no message, and the signature is kept."""
    sign(email="first@example.com")  # this process now keeps the endpoint
    Endpoint.objects.filter(pk=endpoint.pk).delete()  # as another process's admin would
    later = sign(email="second@example.com")
    assert later.pk and later.confirmed_at
    assert not Message.objects.filter(event__data__identifiers=[f"altavoz:{later.pk}"]).exists()


def test_a_new_signatures_events_are_written_without_reading_anything_back(
    addressed, receiver, sign, district
):
    """A signature that counts at once is two events telling the same rows, written from
    what is in hand: the endpoints this process keeps, the signature as written (they had
    been read twice each, and written by the ORM: four times a plain signature's CPU for
    an organisation with a webhook, bench/RESULTS.md)."""
    both = services.endpoint_create(
        organisation=addressed.organisation,
        url=receiver.url,
        events=["signature.created", "signature.confirmed"],
    )
    other = services.endpoint_create(
        organisation=addressed.organisation,
        url=receiver.url + "other",
        events=["signature.confirmed"],
    )
    sign(email="warm@example.com")  # this process now keeps the endpoints
    area = district(2)
    with CaptureQueriesContext(connection) as captured:
        signature_id = campaign_services.signature_create(
            campaign=addressed, email="ana@example.com", first_name="Ana", last_name="D",
            street_address="1 NW 1st St", zip_code="33128", letter_body="x", area=area,
        ).signature_id  # fmt: skip
    read = [q["sql"].split('"')[1] for q in captured if q["sql"].startswith("SELECT")]
    assert "hooks_endpoint" not in read and "campaigns_signature" not in read
    events = Event.objects.filter(data__identifiers=[f"altavoz:{signature_id}"])
    created, confirmed = (
        events.get(kind="signature.created"),
        events.get(kind="signature.confirmed"),
    )
    assert created.data == confirmed.data
    assert confirmed.data["_embedded"]["osdi:person"]["email_addresses"][0]["address"] == (
        "ana@example.com"
    )
    assert [m.endpoint_id for m in Message.objects.filter(event=created)] == [both.pk]
    told = {m.endpoint_id for m in Message.objects.filter(event=confirmed)}
    assert told == {both.pk, other.pk}


def test_a_new_signatures_events_tell_what_the_api_reads_back(addressed, receiver, sign):
    """The events are shaped from the rows just written, not read again: they must say what
    the API says of the stored rows, answers included, for a new person and for a known one
    (whose stored record, not what was typed, is told)."""
    from altavoz import kept
    from altavoz.api import resources
    from altavoz.campaigns.models import Person, Question

    services.endpoint_create(organisation=addressed.organisation, url=receiver.url, events=ALL)
    asked = Question.objects.create(campaign=addressed, position=1, label="Your neighborhood",
                                    kind=Question.Kind.SHORT_TEXT)  # fmt: skip
    Person.objects.create(organisation=addressed.organisation, email="known@example.com",
                          first_name="Stored", last_name="Name")  # fmt: skip
    kept.forget()
    new = sign(email="ana@example.com", answers={asked.pk: "Allapattah"}, consent_updates=True)
    known = sign(email="Known@Example.com", first_name="Typed")
    for signature in (new, known):
        told = Event.objects.filter(data__identifiers=[f"altavoz:{signature.pk}"])
        assert {event.kind for event in told} == {"signature.created", "signature.confirmed"}
        for event in told:
            assert event.data == json.loads(
                json.dumps(resources.signature_with_person_read(signature.pk))
            )
    (told, *_) = Event.objects.filter(data__identifiers=[f"altavoz:{known.pk}"])
    assert told.data["_embedded"]["osdi:person"]["given_name"] == "Stored"
    (told, *_) = Event.objects.filter(data__identifiers=[f"altavoz:{new.pk}"])
    assert told.data["altavoz:answers"][0]["answer"] == "Allapattah"


def test_the_event_is_written_in_the_transaction_of_what_it_reports(endpoint, sign):
    with pytest.raises(RuntimeError), transaction.atomic():
        sign()
        assert Event.objects.count() == 1
        raise RuntimeError("rolled back")
    assert not Event.objects.exists() and not Message.objects.exists()


def test_letters_sent_and_campaigns_closed_are_events_too(endpoint, receiver, sign, addressed,
                                                          settings):  # fmt: skip
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    Endpoint.objects.filter(pk=endpoint.pk).update(events=ALL)
    sign()
    from altavoz.delivery import sending as letters
    from altavoz.delivery.channels.registry import ChannelSet

    channels = ChannelSet()
    letters.drain_letters(channels)
    channels.shutdown()
    Campaign.objects.filter(pk=addressed.pk).update(deadline=timezone.now() - timedelta(hours=1))
    campaign_services.campaigns_close_due()
    assert drain() == 4
    kinds = [verified(endpoint.secret, h, b)["type"] for h, b in receiver.received]
    assert sorted(kinds) == ["campaign.closed", "delivery.sent", "signature.confirmed",
                             "signature.created"]  # fmt: skip
    sent = next(json.loads(b) for h, b in receiver.received if b"delivery.sent" in b)
    assert sent["data"]["targets"][0]["name"] == "Damian Pardo"
    assert sent["data"]["altavoz:status"] == "sent"
    # shaped from the letter in hand, as recorded: what the API reads of the stored row
    from altavoz.api import resources
    from altavoz.delivery.models import Delivery

    stored = Delivery.objects.select_related(*resources.OUTREACH_RELATED).get()
    told = {**resources.outreach(stored), "altavoz:last_error": stored.last_error}
    assert sent["data"] == json.loads(json.dumps(told))


def test_a_receiver_down_then_back_gets_the_message_once_with_the_same_id(
    endpoint, receiver, sign, settings
):
    receiver.status = 503
    sign()
    assert drain() == 1
    message = Message.objects.get()
    assert message.status == "queued" and message.attempts == 1
    assert "HTTP 503" in message.last_error
    wait = message.next_attempt_at - timezone.now()
    assert timedelta(seconds=20) < wait < timedelta(seconds=40)  # 30 s +-25%
    assert drain() == 0  # not due yet
    receiver.stop()  # now nobody answers at all
    with time_machine.travel(message.next_attempt_at + timedelta(seconds=1)):
        assert drain() == 1
    message.refresh_from_db()
    assert message.attempts == 2 and "127.0.0.1" in message.last_error
    receiver.status = 204
    receiver.start()  # back, on the same port
    with time_machine.travel(message.next_attempt_at + timedelta(seconds=1)):
        assert drain() == 1
    message.refresh_from_db()
    assert message.status == "sent" and message.attempts == 3
    assert receiver.ids() == [message.webhook_id]
    assert [a.outcome for a in Attempt.objects.order_by("started_at")] == [
        "retry", "retry", "sent",
    ]  # fmt: skip


def test_an_endpoint_failing_for_days_is_disabled_and_its_organisers_told(
    endpoint, receiver, sign, organisers, mailoutbox, settings
):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    organisers.a.email = "organiser@example.org"
    organisers.a.save()
    receiver.status = 500
    sign()
    drain()
    Endpoint.objects.filter(pk=endpoint.pk).update(
        failing_since=timezone.now() - timedelta(days=3, minutes=1)
    )
    message = Message.objects.get()
    with time_machine.travel(message.next_attempt_at + timedelta(seconds=1)):
        drain()
    endpoint.refresh_from_db()
    assert endpoint.disabled_at is not None and "queued" in endpoint.disabled_reason
    (note,) = mailoutbox
    assert note.to == ["organiser@example.org"] and endpoint.url in note.subject
    sign()  # events go on being recorded for it, and wait
    assert Message.objects.filter(status="queued").count() == 2
    receiver.status = 204
    assert drain() == 0
    services.endpoints_enable(queryset=Endpoint.objects.filter(pk=endpoint.pk))
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        assert drain() == 2
    assert len(receiver.received) == 2


def test_a_rotated_secret_signs_beside_the_old_one_for_a_day(endpoint, receiver, sign):
    new = services.endpoint_secret_rotate(endpoint=endpoint)
    sign()
    drain()
    ((headers, body),) = receiver.received
    assert len(headers["webhook-signature"].split()) == 2
    verified(new, headers, body)
    verified(endpoint.secret, headers, body)
    receiver.received.clear()
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        sign()
        drain()
        ((headers, body),) = receiver.received
        verified(new, headers, body)
        with pytest.raises(WebhookVerificationError):
            verified(endpoint.secret, headers, body)


def test_an_organiser_replays_a_message_from_the_admin_with_the_same_id(
    client, endpoint, receiver, sign, organisers
):
    sign()
    drain()
    message = Message.objects.get()
    client.force_login(organisers.a)
    client.post("/admin/hooks/message/", {"action": "replay", "_selected_action": [message.pk]})
    assert drain() == 1
    assert receiver.ids() == [message.webhook_id, message.webhook_id]
    client.force_login(organisers.b)  # another organisation's organiser cannot
    client.post("/admin/hooks/message/", {"action": "replay", "_selected_action": [message.pk]})
    assert drain() == 0


def test_an_organiser_makes_an_endpoint_and_sees_its_secret_once(client, organisers, receiver):
    client.force_login(organisers.a)
    organisation = Campaign.objects.get(slug="miami-287g").organisation
    response = client.post(
        "/admin/hooks/endpoint/add/",
        {"organisation": organisation.pk, "url": receiver.url,
         "events": ["signature.created", "campaign.closed"]},
        follow=True,
    )  # fmt: skip
    endpoint = Endpoint.objects.get()
    assert endpoint.secret in response.content.decode()
    assert endpoint.events == ["signature.created", "campaign.closed"]
    page = client.get(f"/admin/hooks/endpoint/{endpoint.pk}/change/").content.decode()
    assert endpoint.secret not in page


MESSAGES = 40


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_loses_no_event(sign, addressed, loopback_allowed):
    slow = Receiver(delay=0.05).start()
    try:
        endpoint = services.endpoint_create(
            organisation=addressed.organisation, url=slow.url, events=["signature.created"]
        )
        for _ in range(MESSAGES):
            sign()
        url = wp.test_database_url()
        # Leases and retries of seconds, not minutes: the killed worker's batch comes back soon.
        env = {"HOOK_LEASE_SECONDS": "2", "HOOK_RETRY_BASE_SECONDS": "1",
               "HOOK_RETRY_CAP_SECONDS": "2", "DELIVERY_NOTIFY_SUPPORTERS": "0",
               "OUTBOUND_ALLOWED_NETWORKS": LOOPBACK,
               "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}  # fmt: skip
        first = wp.start_worker(database_url=url, smtp_port=1, **env)
        try:
            wp.wait_until(lambda: len(slow.received) >= 5, timeout=30, what="5 webhooks")
            first.send_signal(signal.SIGKILL)
            first.wait()
        finally:
            wp.stop(first)
        assert Message.objects.filter(status="sent").count() < MESSAGES
        second = wp.start_worker(database_url=url, smtp_port=1, **env)
        try:
            wp.wait_until(
                lambda: Message.objects.filter(status="sent").count() == MESSAGES,
                timeout=60, what="every message is sent",
            )  # fmt: skip
        finally:
            output = wp.stop(second)
        assert "Traceback" not in output
        ids = slow.ids()
        assert set(ids) == {m.webhook_id for m in Message.objects.all()}  # none lost
        # Sent again: at most the chunk not yet recorded at the kill, each with its same id.
        assert len(ids) - len(set(ids)) <= sending.SENT_CHUNK
        for headers, body in slow.received:
            verified(endpoint.secret, headers, body)
    finally:
        slow.stop()


def test_replies_and_outcomes_are_events_too(endpoint, receiver, sign, addressed, settings):
    from datetime import date

    from altavoz.delivery import sending as letters
    from altavoz.delivery.channels.registry import ChannelSet
    from altavoz.delivery.models import Delivery
    from altavoz.outcomes import services as outcome_services
    from altavoz.outcomes.models import Position

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    sign()
    channels = ChannelSet()
    letters.drain_letters(channels)
    channels.shutdown()
    assert drain() == 1  # the signature's own event
    receiver.received.clear()
    Endpoint.objects.filter(pk=endpoint.pk).update(events=["reply.recorded", "outcome.recorded"])
    letter = Delivery.objects.get()
    outcome_services.letter_reply_answer(delivery_id=letter.pk, answer="yes")
    outcome_services.letter_reply_capture(delivery_id=letter.pk)
    outcome_services.letter_reply_capture(delivery_id=letter.pk)  # the same reply, again
    position = Position(
        campaign=addressed, official=letter.official, stance=Position.Stance.VOTED_NO,
        stated_on=date(2027, 6, 12), source_url="https://example.org/minutes",
    )  # fmt: skip
    outcome_services.position_record(position=position, by=None)
    assert drain() == 3
    payloads = [verified(endpoint.secret, h, b) for h, b in receiver.received]
    kinds = sorted(p["type"] for p in payloads)
    assert kinds == ["outcome.recorded", "reply.recorded", "reply.recorded"]
    replies = [p["data"]["altavoz:reply"] for p in payloads if p["type"] == "reply.recorded"]
    assert {r["writer_says"] for r in replies} == {"yes"}
    assert any(r["seen_date"] for r in replies)
    outcome = next(p["data"] for p in payloads if p["type"] == "outcome.recorded")
    assert outcome["altavoz:position"]["stance"] == "voted_no"
    assert outcome["target"]["name"] == letter.official.name
