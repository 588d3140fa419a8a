import csv
import os

import pytest
from django.core.management import call_command

from altavoz.campaigns.models import Campaign
from altavoz.districts.boundaries.definition import definition_load
from altavoz.districts.boundaries.importer import boundary_set_import
from recorded import RecordedServer, serve_layer
from synthetic_city import control_point, feature_collection, schools
from webhook_receiver import LOOPBACK

SUPPORTER = {
    "first_name": "Maria",
    "last_name": "Lopez",
    "email": "Maria.Lopez@Example.com",
    "street_address": "3500 Pan American Dr",
    "zip_code": "33133",
    "is_public": "on",
}


@pytest.fixture(autouse=True)
def relaxed_shield(settings):
    """Most tests post many forms at once from one address; the shield's own tests
    (test_shield.py) put its real thresholds back. The cache (geocodes, rate limits,
    counters) and the pages kept in memory start empty for every test."""
    from django.core.cache import cache

    from altavoz import kept

    settings.SHIELD_MIN_FILL_SECONDS = 0
    settings.PROOF_OF_WORK = "off"
    settings.SHIELD_IP_LIMIT = 10_000
    settings.SHIELD_EMAIL_LIMIT = 10_000
    cache.clear()
    kept.forget()
    yield
    cache.clear()
    kept.forget()


@pytest.fixture(autouse=True)
def quick_password_hashing(settings):
    """Users made and signed in by tests hash their passwords quickly (password_hashing.py)."""
    settings.PASSWORD_HASHERS = ["password_hashing.QuickPBKDF2PasswordHasher"]


@pytest.fixture(autouse=True)
def wake_ups_at_once(settings):
    """Each commit enqueues its own wake-up task at once: a gathered one, sent later from
    another thread, could outlive its test (test_wakeups.py tests the gathering)."""
    settings.DELIVERY_WAKE_SECONDS = 0


@pytest.fixture(autouse=True)
def english_by_default():
    """Each test starts in the default language: a request to /es/ or /ht/ activates that
    language in the test's thread, and it would otherwise stay active for the next test."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def miami(db) -> Campaign:
    """The demo Miami 287(g) campaign with the City of Miami roster, as `make demo` loads it
    but without the maps (a second each): supporters choose their district. Tests of the
    lookup use ``miami_maps`` (the shipped maps) or ``city_map`` (a made-up one)."""
    call_command("loaddemo", "--without-maps", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return Campaign.objects.get(slug="miami-287g")


@pytest.fixture
def miami_maps(db) -> Campaign:
    """The demo exactly as `make demo` loads it: the campaign, the shipped City of Miami,
    Miami-Dade and municipal maps, the roster and the contacts from the City's layer."""
    call_command("loaddemo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return Campaign.objects.get(slug="miami-287g")


@pytest.fixture
def district(miami):
    def by_number(number: int):
        return miami.target_set.areas.get(number=str(number))

    return by_number


@pytest.fixture
def supporter_post(miami, district):
    """A complete, valid POST for the Miami page, for District 2 unless overridden."""

    from altavoz.shield import formtoken

    def build(**overrides):
        data = {
            **SUPPORTER,
            "letter_body": miami.letter_body,
            "area": str(district(2).pk),
            "rendered": formtoken.issue(str(miami.pk)),
        }
        data.update(overrides)
        return {k: v for k, v in data.items() if v is not None}

    return build


def pytest_collection_modifyitems(config, items):
    from django.db import connection

    if connection.vendor != "postgresql":
        skip = pytest.mark.skip(reason="needs PostgreSQL: run with DATABASE_URL=postgres://...")
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)


@pytest.fixture
def organisers(miami, django_user_model):
    """Two organisers: `a` organises the Miami demo's organisation, `b` another one, which
    runs its own campaign (`b.campaign`) on the same districts."""
    from types import SimpleNamespace

    from altavoz.campaigns import access
    from altavoz.campaigns.models import Organisation

    other = Organisation.objects.create(name="Other Org", slug="other-org")
    theirs = Campaign.objects.get(pk=miami.pk)
    theirs.pk, theirs.slug, theirs.organisation = None, "other-campaign", other
    theirs.save()
    people = {}
    for key, org in (("a", miami.organisation), ("b", other)):
        user = django_user_model.objects.create_user(
            f"organiser-{key}", password="pw", is_staff=True
        )
        user.groups.add(access.organiser_group())
        org.members.add(user)
        people[key] = user
    return SimpleNamespace(a=people["a"], b=people["b"], other_campaign=theirs)


@pytest.fixture
def addressed(miami):
    """The Miami campaign made real (not a demo), with test addresses for each commissioner."""
    from altavoz.districts.models import Official

    for official in Official.objects.filter(post__area__boundary_set=miami.target_set):
        official.email = f"commissioner{official.post.area.number}@city.example"
        official.save(update_fields=["email"])
    miami.is_demo = False
    miami.save(update_fields=["is_demo"])
    return miami


@pytest.fixture
def sign(addressed, district):
    """Sign the campaign as a new supporter (District 2 unless told), through the service."""
    from altavoz.campaigns.services import signature_create

    counter = iter(range(1, 1_000_000))

    def signer(**overrides):
        n = next(counter)
        values = {
            "campaign": addressed,
            "email": f"supporter{n}@example.com",
            "first_name": "Maria",
            "last_name": f"Lopez{n}",
            "street_address": "3500 Pan American Dr",
            "zip_code": "33133",
            "letter_body": addressed.letter_body,
            "area": district(2),
        }
        values.update(overrides)
        return signature_create(**values).signature

    return signer


@pytest.fixture
def commissioner(addressed, district):
    """Change the District 2 commissioner's record: ``commissioner(email="...")``."""

    def update(**fields):
        official = district(2).posts.get().officials.get()
        for name, value in fields.items():
            setattr(official, name, value)
        official.save()
        return official

    return update


@pytest.fixture
def drain():
    """Send every due letter and digest now, as one worker cycle does; return how many.
    ``drain(pipelined=True)`` sends from each channel's thread, as the worker does (SMTP only:
    that thread has its own database connection, outside the test's transaction)."""
    from altavoz.delivery import sending
    from altavoz.delivery.channels.registry import ChannelSet

    def run(*, pipelined: bool = False) -> int:
        channels = ChannelSet(pipelined=pipelined)
        try:
            return sending.drain_letters(channels) + sending.drain_digests(channels)
        finally:
            channels.shutdown()

    return run


@pytest.fixture(autouse=True)
def no_network():
    """Tests never use the network: the one HTTP wrapper only reaches 127.0.0.1."""
    from altavoz import httpclient

    httpclient.ALLOWED_HOSTS_FOR_TESTS = {"127.0.0.1"}


@pytest.fixture
def loopback_allowed(settings):
    """Let the one HTTP wrapper reach 127.0.0.1, where the tests' receivers and recorded
    servers listen (altavoz.outbound refuses this machine's addresses otherwise)."""
    settings.OUTBOUND_ALLOWED_NETWORKS = [LOOPBACK]


@pytest.fixture
def recorded(loopback_allowed):
    """A local HTTP server answering with recorded responses (see tests/recorded.py)."""
    server = RecordedServer().start()
    yield server
    server.stop()


@pytest.fixture
def city_map(miami, recorded, settings, tmp_path):
    """The synthetic City of Miami map imported through the ArcGIS reader, and an offline
    geocoder that knows the two anchor addresses (with their recorded points) and the
    schools of Miami-Dade."""
    boundary_set_import(
        definition=definition_load("miami-commission"),
        source=serve_layer(recorded, feature_collection()),
    )
    points = tmp_path / "points.csv"
    with points.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["address", "zip", "lon", "lat"])
        for label, street, zip_code in [
            ("Miami City Hall", "3500 Pan American Dr", "33133"),
            ("Miami-Dade Government Center", "111 NW 1st St", "33128"),
        ]:
            out.writerow([street, zip_code, *control_point(label)])
        for row in schools():
            out.writerow([row["address"], row["zip"], row["lon"], row["lat"]])
    settings.GEOCODERS = ["address_points"]
    settings.GEOCODER_ADDRESS_POINTS_FILE = str(points)
    return miami


@pytest.fixture
def emailed_links(django_capture_on_commit_callbacks, mailoutbox):
    """``with emailed_links() as sent:`` runs what the requests inside commit, then sends the
    signature links they queued as the worker would; ``sent`` lists those emails."""
    from contextlib import contextmanager

    from django_tasks_db.models import DBTaskResult

    from altavoz.delivery.tasks import send_signature_link

    @contextmanager
    def capture():
        sent: list = []
        with django_capture_on_commit_callbacks(execute=True):
            yield sent
        before = len(mailoutbox)
        queued = DBTaskResult.objects.filter(task_path=send_signature_link.module_path)
        for task in queued:
            send_signature_link.call(*task.args_kwargs["args"])
        queued.delete()
        sent.extend(mailoutbox[before:])

    return capture


@pytest.fixture(scope="module")
def chromium(django_db_setup):
    """One headless Debian Chromium per test module (tests/browser.py). Playwright's sync
    API keeps an event loop in this thread while it runs, so Django is told, for these tests
    only, that the tests' own database calls here are safe (they are: nothing else runs in
    this thread)."""
    from playwright.sync_api import sync_playwright

    from browser import CHROMIUM, CHROMIUM_ARGS

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def open_page(chromium, live_server, settings):
    """Pages in fresh browser contexts on the live server (plain http: cookies not Secure):
    ``open_page(path, **context options)``. Load the data a test needs before it opens."""
    settings.CSRF_COOKIE_SECURE = settings.SESSION_COOKIE_SECURE = False
    contexts = []

    def opener(path: str, **options):
        context = chromium.new_context(base_url=live_server.url, **options)
        contexts.append(context)
        page = context.new_page()
        page.goto(path)
        return page

    yield opener
    for context in contexts:
        context.close()
