import threading
from contextlib import contextmanager

import pytest
from django.db import connection, transaction
from django.db.models import Q
from django.test import Client

from altavoz.campaigns.models import Person, Signature
from altavoz.campaigns.services import signature_confirm
from altavoz.delivery import services
from altavoz.delivery.models import Delivery
from altavoz.delivery.sending import DIGEST

URL = "/act/miami-287g/"
CLIENTS = 8


def _fire_at_once(data: dict) -> list[int]:
    return _fire_each_at_once([data] * CLIENTS)


@pytest.mark.django_db(transaction=True)
def test_identical_posts_at_the_same_moment_store_one_signature(miami, supporter_post):
    statuses = _fire_at_once(supporter_post())
    assert statuses == [302] * CLIENTS
    assert Person.objects.count() == 1
    assert Signature.objects.count() == 1
    assert Delivery.objects.count() == 1


def _fire_each_at_once(posts: list[dict]) -> list[int]:
    barrier = threading.Barrier(len(posts))
    statuses: list[int] = []

    def post(data):
        try:
            client = Client()
            barrier.wait()
            statuses.append(client.post(URL, data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(data,)) for data in posts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


@pytest.mark.django_db(transaction=True)
def test_racing_submissions_with_one_email_store_one_whole_signature(
    miami, supporter_post, district
):
    """A victim and an attacker sending the same email at the same moment: one signature,
    all of it from one submission, and one letter."""
    posts = [
        supporter_post(
            first_name=f"Writer{n}", letter_body=f"Letter {n}.", area=str(district(n).pk)
        )
        for n in range(1, 6)
    ]
    assert _fire_each_at_once(posts) == [302] * 5
    signature = Signature.objects.get()
    n = signature.first_name.removeprefix("Writer")
    assert (signature.letter_body, signature.area.number) == (f"Letter {n}.", n)
    assert Person.objects.get().first_name == f"Writer{n}"
    assert Delivery.objects.get().official.post.area.number == n


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_database_enforces_one_signature_per_person_and_campaign(miami, supporter_post):
    assert connection.vendor == "postgresql"
    _fire_at_once(supporter_post())
    signature = Signature.objects.get()
    from django.db import IntegrityError

    with pytest.raises(IntegrityError), transaction.atomic():
        Signature.objects.create(
            campaign=signature.campaign, person=signature.person, letter_body="again",
            first_name="x", last_name="y", street_address="z", zip_code="33133",
        )  # fmt: skip


@contextmanager
def _held_in_another_transaction(action):
    """Run `action` in a transaction on another connection and keep that transaction, and
    the locks it took, open until the block ends. Yields what `action` returned."""
    result, holding, done = [], threading.Event(), threading.Event()

    def hold():
        try:
            with transaction.atomic():
                result.append(action())
                holding.set()
                done.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert holding.wait(10)
        yield result[0]
    finally:
        done.set()
        thread.join()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_claiming_letters_of_one_campaign_at_once_each_get_their_own(sign):
    """A claim locks its Delivery rows only: locking the campaign it reads through would make
    every other worker's claim skip all of that campaign's letters until the sweep."""
    letters = ~DIGEST  # as the workers ask: through the signature to its campaign
    mine, theirs = (Delivery.objects.get(signature=sign()) for _ in range(2))
    with _held_in_another_transaction(
        lambda: services.deliveries_claim(where=letters & Q(pk=theirs.pk), limit=1)
    ) as claimed:
        got = services.deliveries_claim(where=letters & Q(pk=mine.pk), limit=1)
    assert [d.pk for d in claimed] == [theirs.pk]
    assert [d.pk for d in got] == [mine.pk]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_confirmations_of_one_campaign_do_not_wait_for_each_other(sign, addressed):
    """Confirming locks the signature, not its campaign or person: in a spike, confirmations
    must not queue one behind another on the campaign's row."""
    addressed.double_opt_in = True
    addressed.save(update_fields=["double_opt_in"])
    first, second = sign(), sign()
    assert Signature.objects.filter(confirmed_at__isnull=True).count() == 2
    with _held_in_another_transaction(
        lambda: signature_confirm(signature=first, revision=0)
    ) as confirmed:
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")  # waiting on a lock fails the test
        try:
            assert signature_confirm(signature=second, revision=0) is True
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET lock_timeout")
    assert confirmed is True
    assert Signature.objects.filter(confirmed_at__isnull=False).count() == 2
