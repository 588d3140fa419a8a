"""Writes for campaigns: each function is one business action, keyword-only arguments."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from altavoz.campaigns.models import Campaign, Person, Signature
from altavoz.delivery import schedule
from altavoz.delivery.models import Delivery
from altavoz.delivery.services import deliveries_enqueue
from altavoz.districts.models import Area


def normalise_email(email: str) -> str:
    return email.strip().lower()


@dataclass(frozen=True)
class SignatureResult:
    signature: Signature
    created: bool
    deliveries: int


def _person_upsert(*, campaign: Campaign, email: str, details: dict, consent: bool) -> Person:
    """Insert or update the person in one statement, safe against concurrent identical posts."""
    Person.objects.bulk_create(
        [Person(organisation_id=campaign.organisation_id, email=email, **details)],
        update_conflicts=True,
        unique_fields=["organisation", "email"],
        update_fields=[*details, "updated_at"],
    )
    person = Person.objects.get(organisation_id=campaign.organisation_id, email=email)
    if consent and not person.consent_updates:
        # Consent is only ever added here; withdrawing it is the unsubscribe link's job.
        Person.objects.filter(pk=person.pk).update(
            consent_updates=True, consent_updated_at=timezone.now()
        )
    return person


def _deliveries_sync(*, signature: Signature, campaign: Campaign, new: bool) -> tuple[int, list]:
    """One queued Delivery per target official; letters not yet sent follow a district change.
    Returns how many officials it goes to and the ids of its queued deliveries."""
    officials = list(campaign.targets_for_area(signature.area_id)) if signature.area_id else []
    first_try = schedule.first_attempt_at(campaign)
    made = [Delivery(signature=signature, official=o, next_attempt_at=first_try) for o in officials]
    Delivery.objects.bulk_create(made, ignore_conflicts=True)
    # Always, even for a new signature: an identical submission racing this one may have
    # chosen another district a moment earlier.
    Delivery.objects.filter(signature=signature, status=Delivery.Status.QUEUED).exclude(
        official__in=officials
    ).update(status=Delivery.Status.CANCELLED, last_error="The supporter changed district.")
    if new:  # every row was inserted here, with the ids made here (a racing twin wakes its own)
        return len(made), [delivery.pk for delivery in made]
    queued = signature.deliveries.filter(status=Delivery.Status.QUEUED)
    return len(made), list(queued.values_list("pk", flat=True))


@transaction.atomic
def signature_create(
    *,
    campaign: Campaign,
    email: str,
    first_name: str,
    last_name: str,
    street_address: str,
    zip_code: str,
    letter_body: str,
    area: Area | None,
    consent_updates: bool = False,
    is_public: bool = True,
    source: str = "",
    language: str = "en",
    ip_hash: str = "",
) -> SignatureResult:
    """Record a signature: person upserted by email, one signature per person and campaign
    (a second submission updates it), one Delivery row per target official. With double
    opt-in, an unconfirmed email first gets a confirmation link instead."""
    email = normalise_email(email)
    details = {
        "first_name": first_name,
        "last_name": last_name,
        "street_address": street_address,
        "zip_code": zip_code,
    }
    person = _person_upsert(
        campaign=campaign, email=email, details=details, consent=consent_updates
    )
    existed = Signature.objects.filter(campaign=campaign, person=person).exists()
    counts_now = not campaign.double_opt_in or person.verified_at is not None
    Signature.objects.bulk_create(
        [
            Signature(
                campaign=campaign,
                person=person,
                area=area,
                letter_body=letter_body,
                language=language,
                source=source,
                is_public=is_public,
                ip_hash=ip_hash,
                confirmed_at=timezone.now() if counts_now else None,
            )
        ],
        update_conflicts=True,
        unique_fields=["campaign", "person"],
        update_fields=["area", "letter_body", "language", "is_public", "ip_hash", "updated_at"],
    )
    signature = Signature.objects.select_related("person", "area").get(
        campaign=campaign, person=person
    )
    if counts_now:
        deliveries = _signature_count(signature=signature, campaign=campaign, new=not existed)
    else:
        deliveries = 0
        _confirmation_request(signature=signature)
    return SignatureResult(signature=signature, created=not existed, deliveries=deliveries)


def _signature_count(*, signature: Signature, campaign: Campaign, new: bool = False) -> int:
    """From now on the signature counts and its letters go out."""
    if signature.confirmed_at is None:
        signature.confirmed_at = timezone.now()
        Signature.objects.filter(pk=signature.pk).update(confirmed_at=signature.confirmed_at)
    count, queued = _deliveries_sync(signature=signature, campaign=campaign, new=new)
    if campaign.delivery_mode == Campaign.DeliveryMode.INDIVIDUAL:
        deliveries_enqueue(ids=queued)
    return count


def _confirmation_request(*, signature: Signature) -> None:
    """Email the supporter a link to confirm (sent by the worker once this commits)."""
    from altavoz.delivery.tasks import send_signature_confirmation

    transaction.on_commit(
        lambda: send_signature_confirmation.enqueue(str(signature.pk)), robust=True
    )


def signature_confirmation_resend(*, signature: Signature) -> None:
    if signature.confirmed_at is None:
        _confirmation_request(signature=signature)


@transaction.atomic
def signature_confirm(*, signature: Signature) -> bool:
    """The supporter proved the email is theirs: count the signature, send its letters.
    Returns False when it was already confirmed (confirming twice changes nothing)."""
    signature = (
        Signature.objects.select_for_update()
        .select_related("campaign", "person")
        .get(pk=signature.pk)
    )
    if signature.confirmed_at is not None:
        return False
    Person.objects.filter(pk=signature.person_id, verified_at__isnull=True).update(
        verified_at=timezone.now()
    )
    _signature_count(signature=signature, campaign=signature.campaign)
    return True


def campaign_publish(*, campaign: Campaign) -> list:
    """Make a campaign live if it passes every check; return the problems otherwise."""
    campaign.status = Campaign.Status.LIVE
    try:
        campaign.full_clean()
    except ValidationError as error:
        return [message for messages in error.message_dict.values() for message in messages]
    campaign.save(update_fields=["status", "updated_at"])
    return []


def campaigns_close_due(*, now=None) -> int:
    """Close every live campaign whose deadline has passed (the page already refuses them)."""
    return Campaign.objects.filter(
        status=Campaign.Status.LIVE, deadline__lte=now or timezone.now()
    ).update(status=Campaign.Status.CLOSED, updated_at=timezone.now())


@transaction.atomic
def person_erase(*, person: Person) -> None:
    """Erase what identifies a person. Their signatures stay counted (district and date
    remain), their letters not yet sent are cancelled, letters already sent stay on record."""
    Delivery.objects.filter(signature__person=person, status=Delivery.Status.QUEUED).update(
        status=Delivery.Status.CANCELLED, last_error="The supporter's data was erased."
    )
    person.signatures.update(letter_body="", ip_hash="", is_public=False, source="")
    Person.objects.filter(pk=person.pk).update(
        email=f"erased-{person.pk}@erased.invalid",
        first_name="",
        last_name="",
        street_address="",
        zip_code="",
        latitude=None,
        longitude=None,
        consent_updates=False,
        erased_at=timezone.now(),
    )
