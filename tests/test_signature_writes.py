"""signature_create's hand-written upserts (altavoz.statements) keep the ORM's meaning: one
person per email, one signature per person and campaign, consent only ever added, letters
following a change of district. Runs on PostgreSQL and on SQLite."""

from altavoz.campaigns.models import Person, Signature
from altavoz.campaigns.services import signature_create
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


def test_signing_again_updates_the_same_signature(addressed, district):
    first = _sign(addressed, district(2))
    again = _sign(
        addressed, district(2), first_name="Anabel", source="sms", email="ana@example.com"
    )

    assert (first.created, again.created) == (True, False)
    assert again.signature_id == first.signature_id
    person = Person.objects.get()
    assert (person.email, person.first_name) == ("ana@example.com", "Anabel")
    signature = Signature.objects.get()
    assert signature.source == "newsletter"  # where they first came from stays
    assert signature.confirmed_at is not None
    assert Delivery.objects.filter(signature=signature).count() == 1


def test_consent_is_only_ever_added_and_stamped_when_given(addressed, district):
    _sign(addressed, district(2))
    assert Person.objects.get().consent_updated_at is None

    _sign(addressed, district(2), consent_updates=True)
    person = Person.objects.get()
    assert person.consent_updates
    stamped = person.consent_updated_at
    assert stamped is not None

    _sign(addressed, district(2), consent_updates=False)
    person.refresh_from_db()
    assert person.consent_updates
    assert person.consent_updated_at == stamped


def test_a_new_district_cancels_the_letter_not_sent_and_queues_one_for_the_new_seat(
    addressed, district
):
    _sign(addressed, district(2))
    result = _sign(addressed, district(3))

    assert result.deliveries == 1
    letters = {
        d.official.post.area.number: d.status
        for d in Delivery.objects.select_related("official__post__area")
    }
    assert letters == {"2": Delivery.Status.CANCELLED, "3": Delivery.Status.QUEUED}


def test_the_result_loads_the_signature_it_names(addressed, district):
    result = _sign(addressed, district(4))

    assert result.signature.pk == result.signature_id
    assert result.signature.person.email == "ana@example.com"
    assert result.signature.area == district(4)
