"""The count of a campaign's signatures: kept by the database in shares (SignatureCount),
exact whatever writes a signature, and read without counting the signatures."""

import threading

import pytest
from django.db import connection, transaction
from django.db.models import Sum
from django.db.utils import OperationalError
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from altavoz.campaigns.models import Signature, SignatureCount
from altavoz.campaigns.selectors import counted_signatures, signature_count
from altavoz.campaigns.services import signature_confirm, signature_create

SIGNERS = 8
EACH = 25


def _new_signature(campaign, name: str) -> Signature:
    result = signature_create(
        campaign=campaign, email=f"{name}@example.com", first_name="Ana", last_name=name,
        street_address="3500 Pan American Dr", zip_code="33133", letter_body="No.",
        area=None,
    )  # fmt: skip
    return result.signature


def _exact(campaign) -> int:
    return counted_signatures(campaign).count()


@pytest.mark.django_db(transaction=True)
def test_the_count_follows_every_change_of_what_counts(sign, addressed):
    first, second, third = sign(), sign(), sign()
    assert signature_count(addressed) == _exact(addressed) == 3
    Signature.objects.filter(pk=first.pk).update(confirmed_at=None)  # an admin's change
    assert signature_count(addressed) == 2
    Signature.objects.filter(pk=first.pk).update(confirmed_at=timezone.now())
    Signature.objects.filter(pk=second.pk).delete()
    assert signature_count(addressed) == _exact(addressed) == 2
    third.save()  # saved again as it is: still counted once
    assert signature_count(addressed) == 2


@pytest.mark.django_db(transaction=True)
def test_a_double_opt_in_signature_counts_once_confirmed(sign, addressed):
    addressed.double_opt_in = True
    addressed.save(update_fields=["double_opt_in"])
    pending = sign()
    assert signature_count(addressed) == 0
    assert signature_confirm(signature=pending, revision=0)
    assert not signature_confirm(signature=pending, revision=0)  # the link used twice
    assert signature_count(addressed) == _exact(addressed) == 1


@pytest.mark.django_db(transaction=True)
def test_reading_the_count_does_not_count_signatures(sign, addressed):
    sign(), sign()
    with CaptureQueriesContext(connection) as queries:
        assert signature_count(addressed) == 2
    (query,) = queries.captured_queries
    assert "campaigns_signaturecount" in query["sql"]
    assert '"campaigns_signature"' not in query["sql"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_signers_are_all_counted_in_several_shares(miami):
    """Eight signers at once, each in their own connection: every signature counted exactly
    once, spread over the shares."""
    barrier = threading.Barrier(SIGNERS)
    failures = []

    def signer(n: int) -> None:
        try:
            barrier.wait()
            for i in range(EACH):
                _new_signature(miami, f"signer{n}-{i}")
        except Exception as error:  # reported by the assertion below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=signer, args=(n,)) for n in range(SIGNERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert signature_count(miami) == _exact(miami) == SIGNERS * EACH
    shares = SignatureCount.objects.filter(campaign=miami)
    assert shares.count() > 1
    assert shares.aggregate(n=Sum("signatures"))["n"] == SIGNERS * EACH


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_signer_does_not_wait_for_another_signers_open_transaction(miami):
    """No hot row: while one signature's transaction is open (its share of the count locked),
    every other signature commits, on another share, without waiting for it."""
    holding, done = threading.Event(), threading.Event()

    def hold() -> None:
        try:
            with transaction.atomic():
                _new_signature(miami, "slow")
                holding.set()
                done.wait(20)
        finally:
            connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    committed = 0
    try:
        assert holding.wait(10)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '300ms'")
        for i in range(8):
            try:
                _new_signature(miami, f"quick{i}")
                committed += 1
            except OperationalError:  # lock timeout: it waited for the held share
                pass
    finally:
        done.set()
        thread.join()
    assert committed == 8
    assert signature_count(miami) == _exact(miami) == committed + 1
