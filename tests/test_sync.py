"""Sync to Action Network: each signer who gave consent is pushed, once, to the
organisation's petition or form there through its OSDI record signature helper, by the same
durable queue as letters and webhooks, through the one HTTP wrapper. Tested against
Action Network's documented answers, and end to end against Altavoz's own OSDI API: one
organisation syncing into another in the same test."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

from altavoz.api import keys
from altavoz.campaigns.models import Campaign, Person, Signature
from altavoz.sync import sending, services
from altavoz.sync.models import Connection, Push, PushAttempt
from webhook_receiver import Receiver, drained

RECORDED = (Path(__file__).parent / "fixtures" / "actionnetwork_record_signature.json").read_bytes()


@pytest.fixture
def action_network(loopback_allowed):
    """A local server answering as Action Network's helper does (recorded answer)."""
    running = Receiver(status=200, reply=RECORDED).start()
    yield running
    running.stop()


@pytest.fixture
def connection(addressed, action_network):
    return services.connection_create(
        organisation=addressed.organisation, helper_url=action_network.url,
        api_key="an-secret-key", tags=["287g", "miami"], source="altavoz",
    )  # fmt: skip


def drain() -> int:
    return drained(sending.drain)


def test_a_consenting_signer_is_pushed_with_tags_and_source(connection, action_network, sign):
    signature = sign(email="ana@example.com", consent_updates=True, first_name="Ana")
    assert drain() == 1
    ((headers, body),) = action_network.received
    assert headers["osdi-api-token"] == "an-secret-key"
    sent = json.loads(body)
    assert sent["person"]["given_name"] == "Ana"
    assert sent["person"]["email_addresses"] == [
        {"address": "ana@example.com", "status": "subscribed"}
    ]
    assert sent["person"]["postal_addresses"][0]["postal_code"] == "33133"
    assert sent["add_tags"] == ["287g", "miami"]
    assert sent["action_network:referrer_data"] == {"source": "altavoz"}
    assert sent["altavoz:district"] == signature.area.ocd_id
    push = Push.objects.get()
    assert push.status == "sent"
    assert push.provider_id == "action_network:71497ab2-b3e7-4896-af46-126ac7287dab"
    assert PushAttempt.objects.get().status_code == 200


def test_a_signer_without_consent_is_never_pushed(connection, sign):
    sign(consent_updates=False)
    assert not Push.objects.exists() and drain() == 0


def test_a_connection_deleted_while_another_process_keeps_it_costs_no_signature(connection, sign):
    """Each process keeps a campaign's connections a few seconds (services.connections_of);
    one deleted meanwhile gets no push, and the consenting signature is kept."""
    sign(email="first@example.com", consent_updates=True)  # this process keeps it now
    Connection.objects.filter(pk=connection.pk).delete()  # as another process's admin would
    later = sign(email="second@example.com", consent_updates=True)
    assert later.pk and later.confirmed_at
    assert not Push.objects.filter(signature=later).exists()


def test_with_double_opt_in_the_push_waits_for_the_confirmation(connection, sign, addressed):
    from altavoz.campaigns import services as campaign_services

    Campaign.objects.filter(pk=addressed.pk).update(double_opt_in=True)
    addressed.refresh_from_db()
    signature = sign(consent_updates=True)
    assert not Push.objects.exists()
    campaign_services.signature_confirm(signature=signature, revision=signature.revision)
    assert Push.objects.count() == 1


def test_action_networks_empty_answer_is_a_refusal_not_a_success(connection, action_network,
                                                                 sign):  # fmt: skip
    action_network.reply = b""
    sign(consent_updates=True)
    drain()
    push = Push.objects.get()
    assert push.status == "failed" and "recorded nothing" in push.last_error


def test_a_wrong_key_fails_for_good_and_a_busy_server_is_tried_again(
    connection, action_network, sign
):
    action_network.status, action_network.reply = 401, b'{"error": "API Key invalid"}'
    sign(consent_updates=True)
    drain()
    assert Push.objects.get().status == "failed"
    assert "API Key invalid" in Push.objects.get().last_error
    action_network.status = 503
    sign(consent_updates=True)
    drain()
    busy = Push.objects.get(status="queued")
    assert busy.attempts == 1 and busy.next_attempt_at > timezone.now() + timedelta(seconds=40)
    action_network.status, action_network.reply = 200, RECORDED
    with time_machine.travel(busy.next_attempt_at + timedelta(seconds=1)):
        assert drain() == 1
    busy.refresh_from_db()
    assert busy.status == "sent" and busy.attempts == 2
    services.pushes_replay(queryset=Push.objects.filter(status="failed"))
    assert drain() == 1
    assert Push.objects.filter(status="sent").count() == 2


def test_the_key_is_never_shown_again_in_the_admin(client, organisers, action_network):
    client.force_login(organisers.a)
    organisation = Campaign.objects.get(slug="miami-287g").organisation
    response = client.post(
        "/admin/sync/connection/add/",
        {"organisation": organisation.pk, "name": "AN", "helper_url": action_network.url,
         "key": "an-very-secret", "tag_names": "a, b", "source": ""},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    connection = services.Connection.objects.get()
    assert connection.api_key == "an-very-secret" and connection.tags == ["a", "b"]
    page = client.get(f"/admin/sync/connection/{connection.pk}/change/").content.decode()
    assert "an-very-secret" not in page


@pytest.mark.django_db(transaction=True)
def test_end_to_end_one_altavoz_organisation_syncs_into_another(
    live_server, organisers, addressed, district, settings, loopback_allowed
):
    """Organisation A pushes its consenting signers to organisation B's petition through
    B's own OSDI API: B records them through the same door as its page."""
    from altavoz.campaigns import services as campaign_services

    settings.API_RATE_LIMIT = 1000
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]
    b_campaign = Campaign.objects.get(slug="other-campaign")
    _, b_key = keys.apikey_create(organisation=b_campaign.organisation, name="from A",
                                  scope="write")  # fmt: skip
    base = live_server.url.replace("localhost", "127.0.0.1")
    services.connection_create(
        organisation=addressed.organisation, api_key=b_key, tags=["from-a"], source="a-sync",
        helper_url=f"{base}/api/v1/petitions/{b_campaign.pk}/signatures/",
    )  # fmt: skip
    for n, consent in ((1, True), (2, False), (3, True)):
        campaign_services.signature_create(
            campaign=addressed, email=f"s{n}@example.com", first_name="Sam", last_name=str(n),
            street_address="3500 Pan American Dr", zip_code="33133", letter_body="Vote no.",
            area=district(2), consent_updates=consent,
        )  # fmt: skip
    assert drain() == 2
    pushes = {p.signature.person.email: p for p in Push.objects.select_related("signature__person")}
    assert {p.status for p in pushes.values()} == {"sent"}
    received = Signature.objects.filter(campaign=b_campaign).select_related("person", "area")
    assert sorted(s.person.email for s in received) == ["s1@example.com", "s3@example.com"]
    for signature in received:
        assert signature.area.number == "2" and signature.source == "a-sync"
        assert signature.person.organisation_id == b_campaign.organisation_id
        assert signature.person.consent_updates is True
        assert pushes[signature.person.email].provider_id == f"altavoz:{signature.pk}"
    assert not Person.objects.filter(organisation=b_campaign.organisation,
                                     email="s2@example.com").exists()  # fmt: skip
