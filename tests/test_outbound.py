"""Server-side request forgery: an organiser (of any organisation) chooses where webhooks and
syncs are sent, so Altavoz's requests go over https to the public internet only, never to
the machine it runs on or the network around it (altavoz/outbound.py). Refused when the URL
is saved, with a message saying why, and again at every connection the worker opens (a
URL saved earlier, a name that resolves elsewhere since): nothing reaches the receiver, and
the try is recorded, to be tried again. These tests run with OUTBOUND_ALLOWED_NETWORKS
empty, as production does, against real local receivers."""

import socket

import pytest
from django.core.exceptions import ValidationError

from altavoz import httpclient
from altavoz.campaigns.models import Campaign
from altavoz.hooks import sending as hook_sending
from altavoz.hooks import services as hooks
from altavoz.hooks import signing
from altavoz.hooks.models import Attempt, Endpoint, Message
from altavoz.sync import sending as sync_sending
from altavoz.sync import services as sync
from altavoz.sync.models import Connection, Push, PushAttempt
from recorded import RecordedServer
from webhook_receiver import Receiver, drained

METADATA = "169.254.169.254"
REFUSED = "does not send to its own machine or network"


@pytest.fixture(autouse=True)
def production_rule(settings, monkeypatch):
    """No network let in, as in production; the test suite's own guard (only 127.0.0.1)
    is opened to the hosts attacked here, so only the rule under test stands between the
    worker and them."""
    settings.OUTBOUND_ALLOWED_NETWORKS = []
    hosts = {"127.0.0.1", "127.0.0.2", "localhost", "::1", "::ffff:127.0.0.1", METADATA,
             "rebind.example"}  # fmt: skip
    monkeypatch.setattr(httpclient, "ALLOWED_HOSTS_FOR_TESTS", hosts)


@pytest.fixture
def receiver():
    running = Receiver().start()
    yield running
    running.stop()


@pytest.fixture
def receiver6():
    running = Receiver(host="::1").start()
    yield running
    running.stop()


def _internal_urls(port: int) -> dict[str, str]:
    return {
        "loopback": f"http://127.0.0.1:{port}/hooks",
        "loopback-https": f"https://127.0.0.1:{port}/hooks",
        "metadata": f"http://{METADATA}/latest/meta-data/",
        "metadata-https": f"https://{METADATA}/latest/meta-data/",
        "localhost": f"https://localhost:{port}/hooks",
        "ipv6-loopback": f"https://[::1]:{port}/hooks",
        "ipv6-unique-local": "https://[fc00::1]/hooks",
        "ipv4-mapped-loopback": f"https://[::ffff:127.0.0.1]:{port}/hooks",
        "private-10": "https://10.0.0.1/hooks",
        "private-192": "https://192.168.1.1/hooks",
        "shared-100-64": "https://100.64.0.1/hooks",
        "unspecified": f"https://0.0.0.0:{port}/hooks",
        "multicast": "https://224.0.0.1/hooks",
    }


INTERNAL = list(_internal_urls(0))


def _send_hooks() -> int:
    return drained(hook_sending.drain, timeout=2)


def _send_pushes() -> int:
    return drained(sync_sending.drain, timeout=2)


@pytest.mark.parametrize("target", INTERNAL)
def test_an_organiser_cannot_register_a_webhook_endpoint_at_an_internal_address(
    client, organisers, receiver, target
):
    url = _internal_urls(receiver.port)[target]
    client.force_login(organisers.b)
    organisation = Campaign.objects.get(slug="other-campaign").organisation
    response = client.post(
        "/admin/hooks/endpoint/add/",
        {"organisation": organisation.pk, "url": url, "events": ["signature.created"]},
    )
    assert response.status_code == 200  # the form again, with the reason
    assert REFUSED in response.content.decode()
    assert not Endpoint.objects.exists()
    with pytest.raises(ValidationError, match=REFUSED):
        hooks.endpoint_create(organisation=organisation, url=url, events=[])
    assert receiver.received == []


def test_plain_http_is_refused_and_https_to_a_public_address_is_kept(client, organisers):
    client.force_login(organisers.a)
    organisation = Campaign.objects.get(slug="miami-287g").organisation
    form = {"organisation": organisation.pk, "events": ["signature.created"]}
    response = client.post("/admin/hooks/endpoint/add/", {**form, "url": "http://8.8.8.8/hook"})
    assert "use an https:// address" in response.content.decode()
    assert not Endpoint.objects.exists()
    response = client.post("/admin/hooks/endpoint/add/", {**form, "url": "https://8.8.8.8/hook"})
    assert response.status_code == 302
    assert Endpoint.objects.get().url == "https://8.8.8.8/hook"


def test_an_endpoint_cannot_be_changed_to_an_internal_address(client, organisers):
    client.force_login(organisers.a)
    organisation = Campaign.objects.get(slug="miami-287g").organisation
    endpoint = hooks.endpoint_create(
        organisation=organisation, url="https://8.8.8.8/hook", events=["signature.created"]
    )
    client.post(
        f"/admin/hooks/endpoint/{endpoint.pk}/change/",
        {"organisation": organisation.pk, "url": f"http://{METADATA}/",
         "events": ["signature.created"]},
    )  # fmt: skip
    endpoint.refresh_from_db()
    assert endpoint.url == "https://8.8.8.8/hook"


@pytest.mark.parametrize("target", ["loopback", "metadata", "localhost", "ipv6-loopback"])
def test_an_organiser_cannot_point_a_sync_connection_at_an_internal_address(
    client, organisers, receiver, target
):
    url = _internal_urls(receiver.port)[target]
    client.force_login(organisers.b)
    organisation = Campaign.objects.get(slug="other-campaign").organisation
    response = client.post(
        "/admin/sync/connection/add/",
        {"organisation": organisation.pk, "name": "AN", "helper_url": url, "key": "k",
         "tag_names": "", "source": ""},
    )  # fmt: skip
    assert response.status_code == 200 and REFUSED in response.content.decode()
    assert not Connection.objects.exists()
    with pytest.raises(ValidationError, match=REFUSED):
        sync.connection_create(organisation=organisation, helper_url=url, api_key="k")


def _saved_unchecked(organisation, url: str) -> Endpoint:
    """An endpoint saved before URLs were checked (or whose name resolves elsewhere now)."""
    return Endpoint.objects.create(
        organisation=organisation, url=url, events=["signature.created"],
        secret=signing.secret_new(),
    )  # fmt: skip


@pytest.mark.parametrize(
    "where", ["loopback", "localhost", "ipv6-loopback", "ipv4-mapped-loopback", "metadata"]
)
def test_the_worker_sends_nothing_to_an_internal_address_and_records_the_refusal(
    addressed, sign, receiver, receiver6, where
):
    port = receiver6.port if where == "ipv6-loopback" else receiver.port
    url = _internal_urls(port)[where].replace("https://", "http://")
    _saved_unchecked(addressed.organisation, url)
    sign()
    assert _send_hooks() == 1
    assert receiver.received == [] and receiver6.received == []
    message = Message.objects.get()
    assert message.status == "queued" and message.attempts == 1  # visible, tried again later
    assert message.last_error.startswith("Refused to connect: ")
    assert REFUSED in message.last_error
    attempt = Attempt.objects.get()
    assert attempt.outcome == "retry" and attempt.status_code is None
    assert REFUSED in attempt.error


def test_a_sync_connection_at_an_internal_address_pushes_nothing(addressed, sign, receiver):
    Connection.objects.create(
        organisation=addressed.organisation, api_key="an-secret-key",
        helper_url=f"http://localhost:{receiver.port}/api/v2/petitions/1/signatures/",
    )  # fmt: skip
    sign(consent_updates=True)
    assert _send_pushes() == 1
    assert receiver.received == []
    push = Push.objects.get()
    assert push.status == "queued" and "localhost (127.0.0.1) is a loopback" in push.last_error
    assert REFUSED in PushAttempt.objects.get().error


def test_a_name_that_resolves_elsewhere_after_the_check_reaches_only_the_checked_address(
    addressed, sign, receiver, settings, monkeypatch
):
    """DNS rebinding: the name answers an allowed address to the check, then another. The
    connection goes to the address checked; the name is not looked up again."""
    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    other = Receiver(host="127.0.0.2", port=receiver.port).start()
    answers = iter(["127.0.0.1"])
    real = socket.getaddrinfo

    def rebinding(host, port, *args, **kwargs):
        if host == "rebind.example":
            return real(next(answers, "127.0.0.2"), port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    try:
        _saved_unchecked(addressed.organisation, f"http://rebind.example:{receiver.port}/hooks")
        sign()
        assert _send_hooks() == 1
        assert len(receiver.received) == 1 and other.received == []
        assert Message.objects.get().status == "sent"
    finally:
        other.stop()


def test_a_webhook_redirect_is_never_followed(addressed, sign, settings):
    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    inside = Receiver(host="127.0.0.2").start()
    redirecting = Receiver(status=307, headers={"Location": inside.url}).start()
    try:
        _saved_unchecked(addressed.organisation, redirecting.url)
        sign()
        _send_hooks()
        assert inside.received == []
        assert "HTTP 307" in Message.objects.get().last_error
    finally:
        inside.stop()
        redirecting.stop()


def test_a_redirect_to_an_internal_address_is_refused(settings):
    """Geocoders and map layers (operator-configured, read with GET) may redirect; a
    redirect to this machine's network is refused like any other connection there."""
    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    inside = RecordedServer(host="127.0.0.2").start()
    outside = RecordedServer().start()
    inside.answer("/secret", body={"secret": True})
    outside.answer("/layer", body="", status=302, headers={"Location": f"{inside.base}/secret"})
    try:
        with pytest.raises(httpclient.HttpRefused, match=REFUSED):
            httpclient.get(f"{outside.base}/layer")
        assert inside.requests == [] and outside.paths() == ["/layer"]
    finally:
        inside.stop()
        outside.stop()


def test_allowed_networks_come_from_the_environment_and_a_bad_one_stops_start_up(
    monkeypatch,
):
    from django.core.exceptions import ImproperlyConfigured

    from altavoz.envconf import env_networks

    monkeypatch.setenv("OUTBOUND_ALLOWED_NETWORKS", "127.0.0.1, 10.20.0.0/16,::1")
    assert env_networks("OUTBOUND_ALLOWED_NETWORKS") == ["127.0.0.1/32", "10.20.0.0/16",
                                                         "::1/128"]  # fmt: skip
    monkeypatch.setenv("OUTBOUND_ALLOWED_NETWORKS", "10.20.0.0/16,intranet")
    with pytest.raises(ImproperlyConfigured, match="'intranet' is not a network"):
        env_networks("OUTBOUND_ALLOWED_NETWORKS")
