"""Bots are refused, people are told how to try again, and nothing they typed is lost."""

import time

import pytest
import time_machine
from django.core.cache import caches
from django.test import override_settings

from altavoz.campaigns.models import Signature
from altavoz.shield import formtoken, proofofwork, ratelimit
from shared_services import REDIS_URL

URL = "/act/miami-287g/"


@pytest.fixture
def shield(settings):
    settings.SHIELD_MIN_FILL_SECONDS = 3
    settings.PROOF_OF_WORK = "adaptive"
    settings.SHIELD_POW_AFTER = 2
    settings.SHIELD_IP_LIMIT = 5
    settings.SHIELD_EMAIL_LIMIT = 3
    settings.ALTCHA_MAX_NUMBER = 2000  # cheap to solve in tests
    return settings


def _old_token(miami, seconds=10):
    with time_machine.travel(time.time() - seconds, tick=False):
        return formtoken.issue(str(miami.pk))


def _solved(campaign):
    return proofofwork.solve(proofofwork.challenge(str(campaign.pk)))


def test_a_form_sent_faster_than_a_person_types_is_refused_then_accepted(
    client, miami, supporter_post, shield
):
    response = client.post(URL, supporter_post())  # rendered just now
    assert response.status_code == 400
    page = response.content.decode()
    assert "quicker than a person can type" in page
    assert 'value="maria.lopez@example.com"' in page.lower()
    assert Signature.objects.count() == 0
    later = supporter_post(rendered=_old_token(miami))
    assert client.post(URL, later).status_code == 302


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("", "This form could not be verified."),
        ("forged:token", "This form could not be verified."),
    ],
)
def test_a_form_without_a_valid_render_token_is_refused(
    client, miami, supporter_post, shield, token, message
):
    response = client.post(URL, supporter_post(rendered=token))
    assert response.status_code == 403 and message in response.content.decode()
    assert not Signature.objects.exists()


def test_a_form_left_open_for_days_asks_to_send_again(client, miami, supporter_post, shield):
    response = client.post(URL, supporter_post(rendered=_old_token(miami, seconds=3 * 86400)))
    assert "open for a long time" in response.content.decode()


def test_a_token_for_another_campaign_is_refused(client, miami, supporter_post, shield):
    with time_machine.travel(time.time() - 10, tick=False):
        other = formtoken.issue("another-campaign")
    response = client.post(URL, supporter_post(rendered=other))
    assert "could not be verified" in response.content.decode()


def test_a_busy_connection_must_prove_work_and_can(client, miami, supporter_post, shield):
    for n in range(2):
        data = supporter_post(email=f"p{n}@example.com", rendered=_old_token(miami))
        assert client.post(URL, data).status_code == 302
    data = supporter_post(email="third@example.com", rendered=_old_token(miami))
    refused = client.post(URL, data)
    assert refused.status_code == 429
    assert "Turn on JavaScript" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    data["altcha"] = _solved(miami)
    assert client.post(URL, data).status_code == 302
    assert Signature.objects.count() == 3


def test_a_replayed_proof_of_work_is_refused(client, miami, supporter_post, shield):
    payload = _solved(miami)
    first = supporter_post(email="a@example.com", rendered=_old_token(miami), altcha=payload)
    assert client.post(URL, first).status_code == 302
    again = supporter_post(email="b@example.com", rendered=_old_token(miami), altcha=payload)
    response = client.post(URL, again)
    assert "automatic check did not pass" in response.content.decode()
    assert Signature.objects.count() == 1


def test_a_forged_proof_of_work_is_refused(client, miami, supporter_post, shield):
    data = supporter_post(rendered=_old_token(miami), altcha="eyJub3QiOiAidmFsaWQifQ==")
    assert "automatic check did not pass" in client.post(URL, data).content.decode()


def test_too_many_signatures_from_one_connection_are_refused(client, miami, supporter_post, shield):
    statuses = []
    for n in range(7):
        data = supporter_post(
            email=f"p{n}@example.com", rendered=_old_token(miami), altcha=_solved(miami)
        )
        statuses.append(client.post(URL, data).status_code)
    assert statuses == [302] * 5 + [429] * 2
    assert Signature.objects.count() == 5


def test_one_email_signing_over_and_over_is_slowed_down(client, miami, supporter_post, settings):
    settings.SHIELD_EMAIL_LIMIT = 3
    statuses = [client.post(URL, supporter_post()).status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]
    assert Signature.objects.count() == 1


def test_the_challenge_endpoint_serves_fresh_uncached_challenges(client, miami, shield):
    first, second = client.get(f"{URL}challenge.json"), client.get(f"{URL}challenge.json")
    assert first["Cache-Control"] == "no-store"
    assert first.json()["challenge"] != second.json()["challenge"]
    assert proofofwork.verify(proofofwork.solve(first.json()), str(miami.pk))


def test_a_client_cannot_choose_its_address_unless_a_proxy_is_trusted(rf, settings):
    from altavoz.privacy import client_ip

    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.0.0.9", REMOTE_ADDR="127.0.0.1")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "127.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "10.0.0.9"


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "altavoz.rediscache.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
)
def test_rate_limits_are_shared_through_redis():
    import redis

    caches["default"].clear()
    counts = [ratelimit.count_hit("ip:shared", window=3600) for _ in range(3)]
    assert counts == [1, 2, 3]
    assert ratelimit.hits("ip:shared", window=3600) == 3  # read back through the cache
    server = redis.Redis.from_url(REDIS_URL)
    [key] = server.keys("*rl:ip:shared:*")
    assert 0 < server.ttl(key) <= 3601  # the window's counter expires with it
    caches["default"].clear()


def _solved_for(client, slug="miami-287g") -> str:
    """A challenge from the campaign's endpoint, solved as the browser's widget does."""
    return proofofwork.solve(client.get(f"/act/{slug}/challenge.json").json())


def _page_token(client, url=URL) -> str:
    """The render token of the campaign page as a visitor gets it."""
    import re

    page = client.get(url).content.decode()
    return re.search(r'name="rendered" value="([^"]+)"', page)[1]


REDIS_CACHE = {"default": {"BACKEND": "altavoz.rediscache.RedisCache", "LOCATION": REDIS_URL}}


@pytest.mark.parametrize("store", ["database", "redis"])
def test_one_page_signs_for_one_email_address_only(client, miami, supporter_post, shield, store):
    shield.SHIELD_POW_AFTER = 10
    if store == "redis":
        shield.CACHES = REDIS_CACHE
        caches["default"].clear()
    token = _page_token(client)
    with time_machine.travel(time.time() + 10, tick=False):
        first = supporter_post(email="first@example.com", rendered=token)
        assert client.post(URL, first).status_code == 302
        replayed = client.post(URL, {**first, "email": "second@example.com"})
        assert replayed.status_code == 400
        assert "already sent a signature for another email" in replayed.content.decode()
        assert token not in replayed.content.decode()  # shown again with a new token
        assert client.post(URL, first).status_code == 302  # the same form sent twice
    assert Signature.objects.count() == 1


def test_a_proof_of_work_solved_for_another_campaign_is_refused(
    client, miami, organisers, supporter_post, shield
):
    other = organisers.other_campaign
    other.status = other.Status.LIVE
    other.save()
    data = supporter_post(rendered=_old_token(miami), altcha=_solved_for(client, other.slug))
    response = client.post(URL, data)
    assert "automatic check did not pass" in response.content.decode()
    assert Signature.objects.count() == 0


def test_addresses_of_one_ipv6_network_share_one_limit(client, miami, supporter_post, shield):
    """A home or phone gets a whole /64: rotating addresses within it is one client."""
    statuses = []
    for n in range(7):
        data = supporter_post(email=f"p{n}@example.com", rendered=_old_token(miami))
        data["altcha"] = _solved_for(client)
        response = client.post(URL, data, REMOTE_ADDR=f"2001:db8:5:6::{n + 1:x}")
        statuses.append(response.status_code)
    assert statuses == [302] * 5 + [429] * 2
    other_network = client.post(
        URL,
        supporter_post(email="x@example.com", rendered=_old_token(miami)),
        REMOTE_ADDR="2001:db8:5:7::1",
    )
    assert other_network.status_code == 302


def test_expired_counters_are_deleted_by_the_sweep(db):
    from altavoz.shield import store
    from altavoz.shield.models import Counter

    store.count("rl:old", seconds=60)
    with time_machine.travel(time.time() + 120, tick=False):
        store.count("rl:new", seconds=60)
        assert store.counters_prune() == 1
    assert list(Counter.objects.values_list("key", flat=True)) == ["rl:new"]
