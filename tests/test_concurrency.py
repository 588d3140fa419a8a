import threading

import pytest
from django.db import connection
from django.test import Client

from altavoz.campaigns.models import Person, Signature
from altavoz.delivery.models import Delivery

URL = "/act/miami-287g/"
CLIENTS = 8


def _fire_at_once(data: dict) -> list[int]:
    barrier = threading.Barrier(CLIENTS)
    statuses: list[int] = []

    def post():
        try:
            client = Client()
            barrier.wait()
            statuses.append(client.post(URL, data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


@pytest.mark.django_db(transaction=True)
def test_identical_posts_at_the_same_moment_store_one_signature(miami, supporter_post):
    statuses = _fire_at_once(supporter_post())
    assert statuses == [302] * CLIENTS
    assert Person.objects.count() == 1
    assert Signature.objects.count() == 1
    assert Delivery.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_database_enforces_one_signature_per_person_and_campaign(miami, supporter_post):
    assert connection.vendor == "postgresql"
    _fire_at_once(supporter_post())
    signature = Signature.objects.get()
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Signature.objects.create(
            campaign=signature.campaign, person=signature.person, letter_body="again"
        )
