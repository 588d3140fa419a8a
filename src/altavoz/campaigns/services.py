"""Writes for campaigns: each function is one business action, keyword-only arguments."""

import uuid
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from altavoz.campaigns import pagecache
from altavoz.campaigns.models import Campaign, Person, Signature
from altavoz.delivery import schedule
from altavoz.delivery.models import Delivery
from altavoz.delivery.services import deliveries_enqueue
from altavoz.districts.models import Area
from altavoz.statements import Insert


def normalise_email(email: str) -> str:
    return email.strip().lower()


@dataclass(frozen=True)
class SignatureResult:
    signature_id: uuid.UUID
    created: bool
    deliveries: int

    @cached_property
    def signature(self) -> Signature:
        return Signature.objects.select_related("person", "area").get(pk=self.signature_id)


DETAILS = ("first_name", "last_name", "street_address", "zip_code")
PERSON_UPSERT = Insert(
    Person,
    conflict=("organisation_id", "email"),
    update=(*DETAILS, "updated_at"),
    # Consent is only ever added here; withdrawing it is the unsubscribe link's job.
    update_sql=(
        ("consent_updates", '{table}."consent_updates" OR EXCLUDED."consent_updates"'),
        (
            "consent_updated_at",
            'CASE WHEN EXCLUDED."consent_updates" AND NOT {table}."consent_updates" '
            'THEN EXCLUDED."consent_updated_at" ELSE {table}."consent_updated_at" END',
        ),
    ),
    returning=("id", "verified_at"),
)
SIGNATURE_UPSERT = Insert(
    Signature,
    conflict=("campaign_id", "person_id"),
    update=(
        "area_id",
        "outside_place",
        "letter_body",
        "language",
        "is_public",
        "ip_hash",
        "updated_at",
    ),
    returning=("id", "confirmed_at"),
)
DELIVERY_INSERT = Insert(Delivery, conflict=("signature_id", "official_id"), returning=("id",))


def _targets(campaign: Campaign, area_id) -> list:
    """The ids of the officials a supporter in this district writes to (as read at most
    PAGE_LIVE_SECONDS ago in this process, like the campaign itself)."""
    return pagecache.remembered(
        ("targets", campaign.pk, campaign.target_role, area_id),
        settings.PAGE_LIVE_SECONDS,
        lambda: list(campaign.targets_for_area(area_id).values_list("pk", flat=True)),
    )


def _deliveries_sync(*, signature_id, area_id, campaign: Campaign, new: bool) -> tuple[int, list]:
    """One queued Delivery per target official; letters not yet sent follow a district change.
    Returns how many officials it goes to and the ids of its queued deliveries."""
    officials = _targets(campaign, area_id) if area_id else []
    first_try = schedule.first_attempt_at(campaign)
    made = []
    for official_id in officials:
        delivery = Delivery(
            signature_id=signature_id, official_id=official_id, next_attempt_at=first_try
        )
        if DELIVERY_INSERT.run(delivery)[1]:
            made.append(delivery.pk)
    if new:  # every row was inserted here (a racing twin waits on the signature's key)
        return len(officials), made
    # An identical submission racing this one may have chosen another district a moment
    # earlier: its letters not sent yet follow this one.
    queued = Delivery.objects.filter(signature_id=signature_id, status=Delivery.Status.QUEUED)
    queued.exclude(official__in=officials).update(
        status=Delivery.Status.CANCELLED, last_error="The supporter changed district."
    )
    return len(officials), list(queued.values_list("pk", flat=True))


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
    outside_place: str = "",
) -> SignatureResult:
    """Record a signature: person upserted by email, one signature per person and campaign
    (a second submission updates it), one Delivery row per target official. With double
    opt-in, an unconfirmed email first gets a confirmation link instead. Each table is
    written by one statement (altavoz.statements), safe against concurrent identical posts."""
    now = timezone.now()
    person, _ = PERSON_UPSERT.run(
        Person(
            organisation_id=campaign.organisation_id,
            email=normalise_email(email),
            first_name=first_name,
            last_name=last_name,
            street_address=street_address,
            zip_code=zip_code,
            consent_updates=consent_updates,
            consent_updated_at=now if consent_updates else None,
        )
    )
    counts_now = not campaign.double_opt_in or person["verified_at"] is not None
    signature, created = SIGNATURE_UPSERT.run(
        Signature(
            campaign=campaign,
            person_id=person["id"],
            area=area,
            letter_body=letter_body,
            language=language,
            is_public=is_public,
            ip_hash=ip_hash,
            source=source,
            outside_place=outside_place,  # petition only (area None: no letter)
            confirmed_at=now if counts_now else None,
        )
    )
    signature_id = uuid.UUID(str(signature["id"]))
    if not counts_now:
        _confirmation_request(signature_id=signature_id)
        return SignatureResult(signature_id=signature_id, created=created, deliveries=0)
    deliveries = _signature_count(
        signature_id=signature_id,
        area_id=area and area.pk,
        campaign=campaign,
        # Signed before, unconfirmed, and the email confirmed since: it counts from now.
        confirmed=signature["confirmed_at"] is not None,
        new=created,
    )
    return SignatureResult(signature_id=signature_id, created=created, deliveries=deliveries)


def _signature_count(
    *, signature_id, area_id, campaign: Campaign, confirmed: bool, new: bool = False
) -> int:
    """From now on the signature counts (confirmed now, unless it already was) and its
    letters go out."""
    if not confirmed:
        Signature.objects.filter(pk=signature_id).update(confirmed_at=timezone.now())
    count, queued = _deliveries_sync(
        signature_id=signature_id, area_id=area_id, campaign=campaign, new=new
    )
    if campaign.delivery_mode == Campaign.DeliveryMode.INDIVIDUAL:
        deliveries_enqueue(ids=queued)
    return count


def _confirmation_request(*, signature_id) -> None:
    """Email the supporter a link to confirm (sent by the worker once this commits)."""
    from altavoz.delivery.tasks import send_signature_confirmation

    transaction.on_commit(
        lambda: send_signature_confirmation.enqueue(str(signature_id)), robust=True
    )


def signature_confirmation_resend(*, signature: Signature) -> None:
    if signature.confirmed_at is None:
        _confirmation_request(signature_id=signature.pk)


@transaction.atomic
def signature_confirm(*, signature: Signature) -> bool:
    """The supporter proved the email is theirs: count the signature, send its letters.
    Returns False when it was already confirmed (confirming twice changes nothing)."""
    signature = (
        Signature.objects.select_for_update(of=("self",))  # not its campaign's row
        .select_related("campaign", "person")
        .get(pk=signature.pk)
    )
    if signature.confirmed_at is not None:
        return False
    Person.objects.filter(pk=signature.person_id, verified_at__isnull=True).update(
        verified_at=timezone.now()
    )
    _signature_count(
        signature_id=signature.pk,
        area_id=signature.area_id,
        campaign=signature.campaign,
        confirmed=False,
    )
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
