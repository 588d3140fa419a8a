"""signature_create's hand-written statements (altavoz.statements): one person per email,
one signature per person and campaign, and a submission never changes what is stored; a
change through the emailed link moves the letters not yet sent. Runs on PostgreSQL and on
SQLite."""

import uuid
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from altavoz.campaigns import services
from altavoz.campaigns.models import Campaign, Person, Signature
from altavoz.campaigns.services import signature_change, signature_create
from altavoz.delivery.models import Delivery


def _sign(campaign, area, **overrides):
    values = {
        "campaign": campaign,
        "email": "Ana@Example.com ",
        "first_name": "Ana",
        "last_name": "Diaz",
        "street_address": "1 NW 1st St",
        "zip_code": "33128",
        "letter_body": "Please vote NO.",
        "area": area,
        "source": "newsletter",
    }
    return signature_create(**{**values, **overrides})


def test_signing_again_stores_nothing_new(addressed, district):
    first = _sign(addressed, district(2))
    again = _sign(
        addressed, district(3), first_name="Anabel", source="sms", email="ana@example.com",
        letter_body="Other words.", consent_updates=True, is_public=False,
    )  # fmt: skip
    assert (first.created, again.created) == (True, False)
    assert again.signature_id == first.signature_id and again.deliveries == 0
    person = Person.objects.get()
    assert (person.email, person.first_name, person.consent_updates) == (
        "ana@example.com",
        "Ana",
        False,
    )
    signature = Signature.objects.get()
    assert (signature.first_name, signature.letter_body, signature.area) == (
        "Ana",
        "Please vote NO.",
        district(2),
    )
    assert signature.source == "newsletter" and signature.is_public
    assert Delivery.objects.filter(signature=signature).count() == 1


def test_a_known_person_signing_another_campaign_keeps_their_record(addressed, district):
    _sign(addressed, district(2))
    other = Campaign.objects.get(pk=addressed.pk)
    other.pk, other.slug = None, "second-campaign"
    other.save()
    result = _sign(other, district(5), first_name="Someone", consent_updates=True)
    assert result.created
    person = Person.objects.get()
    assert (person.first_name, person.consent_updates) == ("Ana", False)
    signature = result.signature
    assert (signature.first_name, signature.consent_updates) == ("Someone", True)


def test_consent_given_by_a_new_person_is_stamped(addressed, district):
    _sign(addressed, district(2), consent_updates=True)
    person = Person.objects.get()
    assert person.consent_updates and person.consent_updated_at is not None


def test_a_change_of_district_cancels_the_letter_not_sent_and_queues_one_for_the_new_seat(
    addressed, district
):
    signature = _sign(addressed, district(2)).signature
    signature_change(signature=signature, revision=0, changes={"area": district(3)})
    letters = {
        d.official.post.area.number: d.status
        for d in Delivery.objects.select_related("official__post__area")
    }
    assert letters == {"2": Delivery.Status.CANCELLED, "3": Delivery.Status.QUEUED}
    assert Signature.objects.get().revision == 1


def test_moving_back_to_the_first_district_queues_its_letter_again(addressed, district):
    """2, then 3, then 2 again: the letter to District 2's official, cancelled by the first
    change, goes after all (not left cancelled by the one-letter-per-official rule)."""
    signature = _sign(addressed, district(2)).signature
    signature_change(signature=signature, revision=0, changes={"area": district(3)})
    signature_change(signature=signature, revision=1, changes={"area": district(2)})
    letters = {
        d.official.post.area.number: d.status
        for d in Delivery.objects.select_related("official__post__area")
    }
    assert letters == {"2": Delivery.Status.QUEUED, "3": Delivery.Status.CANCELLED}


def test_what_a_sent_letter_said_cannot_be_changed(addressed, district):
    signature = _sign(addressed, district(2)).signature
    Delivery.objects.update(status=Delivery.Status.SENT, sent_at=timezone.now())
    changed = signature_change(
        signature=signature,
        revision=0,
        changes={"letter_body": "Rewritten", "area": district(3), "is_public": False},
    )
    assert (changed.letter_body, changed.area, changed.is_public) == (
        "Please vote NO.",
        district(2),
        False,
    )
    assert Delivery.objects.count() == 1


def test_the_result_loads_the_signature_it_names(addressed, district):
    result = _sign(addressed, district(4))

    assert result.signature.pk == result.signature_id
    assert result.signature.person.email == "ana@example.com"
    assert result.signature.area == district(4)
    assert result.signature.created_at > timezone.now() - timedelta(minutes=1)


@pytest.mark.postgres
def test_on_postgresql_a_plain_new_signature_is_one_statement_without_a_transaction(
    addressed, district
):
    """The spike's commonest signature (no answers, no endpoints, no sync to pass the
    signer's consent on to, no opt-in link): person, signature and letter in one round
    trip, atomic on its own."""
    with CaptureQueriesContext(connection) as captured:
        result = _sign(addressed, district(2), consent_updates=True)  # no sync to pass it on
    writes = [q["sql"] for q in captured if not q["sql"].startswith("SELECT")]
    assert len(writes) == 1 and writes[0].startswith("WITH s0 AS (INSERT INTO")
    assert not any("SAVEPOINT" in q["sql"] for q in captured)
    assert result.created and result.deliveries == 1
    assert Delivery.objects.get().signature_id == result.signature_id


@pytest.mark.postgres
def test_on_postgresql_the_statement_is_parsed_and_planned_once_per_connection(addressed, district):
    """Prepared on the server (Django's connection turns psycopg's preparing off unless
    settings allow it): after the first, a signature sends only its values."""
    for email in ("ana@example.com", "bo@example.com"):
        assert _sign(addressed, district(2), email=email).created
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [statement for (statement,) in cursor.fetchall()]
    assert [s for s in prepared if s.startswith("WITH s0 AS (INSERT INTO")], prepared


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_one_statement_writes_all_of_a_signature_or_nothing(addressed, district):
    """A letter that cannot be written (its official gone) takes the person and signature
    with it: nothing half-stored."""
    chain = services.SIGNATURE_WRITES
    person = Person(organisation_id=addressed.organisation_id, email="x@example.com")
    signature = Signature(campaign=addressed, area=district(2), first_name="X")
    ghost = Delivery(official_id=uuid.uuid4(), next_attempt_at=timezone.now())
    with pytest.raises(IntegrityError, match="official"):
        chain.run([[person], [signature], [ghost]])
    assert not Person.objects.exists() and not Signature.objects.exists()
