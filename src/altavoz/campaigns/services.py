"""Writes for campaigns: each function is one business action, keyword-only arguments."""

import uuid
from contextlib import nullcontext
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from altavoz import kept
from altavoz.campaigns import referrals
from altavoz.campaigns.models import (
    Answer,
    Campaign,
    Person,
    Question,
    ShareImage,
    Signature,
)
from altavoz.delivery import schedule
from altavoz.delivery.models import Delivery
from altavoz.delivery.services import deliveries_enqueue
from altavoz.districts.models import Area
from altavoz.hooks import events as hook_events
from altavoz.shield import ratelimit
from altavoz.statements import Chain, Insert
from altavoz.sync import services as sync


def normalise_email(email: str) -> str:
    return email.strip().lower()


@dataclass(frozen=True)
class SignatureResult:
    """What became of a submission. Never shown to the signer as such: the page answers the
    same whether the email had signed before or not (DESIGN.md, trust model)."""

    signature_id: uuid.UUID  # the email's signature on the campaign, new or existing
    created: bool
    deliveries: int

    @cached_property
    def signature(self) -> Signature:
        return Signature.objects.select_related("person", "area").get(pk=self.signature_id)


class StaleLink(Exception):
    """The signature changed since the link that asks to confirm or change it was sent."""


# A person is found or made by email; an existing person's record is never changed by a
# submission (only by a link sent to the address): the no-op update returns its id.
PERSON_GET_OR_CREATE = Insert(
    Person,
    conflict=("organisation_id", "email"),
    update_sql=(("updated_at", '{table}."updated_at"'),),
    returning=("id",),
)
# One signature per person and campaign: a second submission inserts nothing.
SIGNATURE_INSERT = Insert(Signature, conflict=("campaign_id", "person_id"), returning=("id",))
DELIVERY_INSERT = Insert(Delivery, conflict=("signature_id", "official_id"), returning=("id",))
SIGNER_DETAILS = ("first_name", "last_name", "street_address", "zip_code")
# What a delivered letter said: fixed once a letter has left.
AS_SENT = (*SIGNER_DETAILS, "letter_body", "area")
LINKS_PER_HOUR = 3
# Why a letter not sent yet was cancelled when its writer moved to another district (and
# queued again if they move back).
DISTRICT_CHANGED = "The supporter changed district."


def _targets(campaign: Campaign, area_id) -> list:
    """The ids of the officials a supporter in this district writes to (as read at most
    PAGE_LIVE_SECONDS ago in this process, like the campaign itself)."""
    return kept.remembered(
        ("targets", campaign.pk, campaign.target_role, area_id),
        settings.PAGE_LIVE_SECONDS,
        lambda: list(campaign.targets_for_area(area_id).values_list("pk", flat=True)),
    )


def _letters(campaign: Campaign, area_id) -> list[Delivery]:
    """A queued Delivery (its signature not set yet) per official a supporter in this
    district writes to; none for kinds that send no letters (campaigns/actions)."""
    if not area_id or not campaign.action_kind.sends_letters:
        return []
    first_try = schedule.first_attempt_at(campaign)
    return [
        Delivery(official_id=official_id, next_attempt_at=first_try)
        for official_id in _targets(campaign, area_id)
    ]


def _deliveries_sync(*, signature_id, campaign: Campaign, area_id) -> list:
    """A counted signature's queued letters, following its district: one per target official
    (made where missing, queued again where an earlier change of district cancelled it),
    those to officials no longer its targets cancelled. Returns the ids of its queued
    deliveries."""
    letters = _letters(campaign, area_id)
    targets = [delivery.official_id for delivery in letters]
    for delivery in letters:
        delivery.signature_id = signature_id
        DELIVERY_INSERT.run(delivery)
    mine, now = Delivery.objects.filter(signature_id=signature_id), timezone.now()
    mine.filter(
        official__in=targets, status=Delivery.Status.CANCELLED, last_error=DISTRICT_CHANGED
    ).update(status=Delivery.Status.QUEUED, last_error="", updated_at=now)
    queued = mine.filter(status=Delivery.Status.QUEUED)
    queued.exclude(official__in=targets).update(
        status=Delivery.Status.CANCELLED, last_error=DISTRICT_CHANGED, updated_at=now
    )
    return list(queued.values_list("pk", flat=True))


# A new signature's rows: its person (found or made), the signature, its letters. On
# PostgreSQL one statement (statements.Chain).
SIGNATURE_WRITES = Chain(
    steps=(PERSON_GET_OR_CREATE, SIGNATURE_INSERT, DELIVERY_INSERT),
    links=("person_id", "signature_id"),
)


def signature_create(
    *,
    campaign: Campaign,
    email: str,
    first_name: str,
    last_name: str,
    street_address: str,
    zip_code: str,
    area: Area | None,
    letter_body: str = "",
    district_verified: bool = False,
    consent_updates: bool = False,
    is_public: bool = True,
    source: str = "",
    ref: str = "",
    story: str = "",
    answers: dict | None = None,
    language: str = "en",
    ip_hash: str = "",
    outside_place: str = "",
) -> SignatureResult:
    """Record a new signature, or nothing. A signature belongs to whoever controls the email:

    - an email new to the organisation makes a person (with the consent given);
    - an email already known keeps its person's record as it is (consent included);
    - an email that has signed this campaign changes nothing and sends nothing to an
      official: the address gets a link to review or change its signature instead;
    - with double opt-in, the new signature counts, and its letter goes, only once the
      link emailed for this very signature is used (an earlier confirmation does not carry).

    ``ref`` is the referral code on the share link it came through (campaigns.referrals):
    the new signature records whose it is.

    The person, the signature and its letters are written together (SIGNATURE_WRITES), safe
    against concurrent identical posts: the second waits for the first and finds it. On
    PostgreSQL that is one statement, and when it is all there is to write (no answers, no
    webhook endpoint, no signer to pass on to a sync, no opt-in link) it runs without a
    transaction around it: one round trip for the whole signature, the spike's commonest
    case."""
    now = timezone.now()
    email = normalise_email(email)
    own_code = referrals.code_for(campaign.pk, email)
    counts_now = not campaign.double_opt_in
    endpoints = hook_events.endpoints_of(campaign)
    person = Person(
        organisation_id=campaign.organisation_id, email=email, first_name=first_name,
        last_name=last_name, street_address=street_address, zip_code=zip_code,
        consent_updates=consent_updates, consent_updated_at=now if consent_updates else None,
    )  # fmt: skip
    signature = Signature(
        campaign=campaign, first_name=first_name, last_name=last_name,
        street_address=street_address, zip_code=zip_code, area=area,
        district_verified=district_verified, consent_updates=consent_updates,
        letter_body=letter_body, language=language, is_public=is_public, ip_hash=ip_hash,
        source=source, confirmed_at=now if counts_now else None,
        outside_place=outside_place,  # petition only: no area, so no letter
        referral_code=own_code, referred_by_id=_referrer(campaign, ref, own_code), story=story,
    )  # fmt: skip
    letters = _letters(campaign, area and area.pk) if counts_now else []
    passed_on = consent_updates and sync.connections_of(campaign)  # to Action Network
    alone = not (answers or endpoints or passed_on or not counts_now)
    one_statement = alone and SIGNATURE_WRITES.in_one_statement()
    with nullcontext() if one_statement else transaction.atomic():
        (((person_row, person_new),), signed, sent) = SIGNATURE_WRITES.run(
            [[person], [signature], letters]
        )
        if not signed:
            existing = Signature.objects.get(campaign=campaign, person_id=person_row["id"]).pk
            _link_request(signature_id=existing, limited=True)
            return SignatureResult(signature_id=existing, created=False, deliveries=0)
        answered = Answer.objects.bulk_create(
            Answer(signature_id=signature.pk, question_id=question_id, value=value)
            for question_id, value in _still_asked(campaign.pk, answers or {}).items()
        )
        signature.person_id = person_row["id"]  # as written (the statement linked them)
        hook_events.signature_new(
            signature=signature, person=person if person_new else None,
            answered=bool(answered), confirmed=counts_now, endpoints=endpoints,
        )  # fmt: skip
        if not counts_now:
            _link_request(signature_id=signature.pk, limited=False)
            return SignatureResult(signature_id=signature.pk, created=True, deliveries=0)
        if campaign.delivery_mode == Campaign.DeliveryMode.INDIVIDUAL:
            deliveries_enqueue(ids=[row["id"] for row, _ in sent])
        sync.pushes_queue(campaign=campaign, signature_id=signature.pk, consent=consent_updates)
    return SignatureResult(signature_id=signature.pk, created=True, deliveries=len(letters))


def _still_asked(campaign_id, answers: dict, *, unquoted: bool = False) -> dict:
    """The answers (question id -> value) whose question the campaign still asks: the form
    is built from questions kept a few seconds per process (campaigns.questions), so an
    organiser may have deleted one meanwhile; its answer is dropped rather than the
    signature failing on it. ``unquoted``: only questions no letter quotes (no merge
    field)."""
    if not answers:
        return {}
    wanted = {uuid.UUID(str(question_id)): value for question_id, value in answers.items()}
    asked = Question.objects.filter(campaign_id=campaign_id, pk__in=wanted)
    if unquoted:
        asked = asked.filter(merge_field="")
    still = set(asked.values_list("pk", flat=True))
    return {pk: value for pk, value in wanted.items() if pk in still}  # in the order given


def _referrer(campaign: Campaign, ref: str, own_code: str):
    """The id of the signature whose share link carried ``ref`` (never the signer's own)."""
    ref = referrals.cleaned_code(ref)
    if not ref or ref == own_code:
        return None
    found = Signature.objects.filter(campaign=campaign, referral_code=ref)
    return found.values_list("pk", flat=True).first()


def _signature_letters_queue(*, signature_id, area_id, campaign: Campaign) -> None:
    """Queue the letters of a signature that counts (now, or again after a change): one
    Delivery per target official, the worker woken for them. Only kinds that send letters
    (campaigns/actions) have any."""
    if not campaign.action_kind.sends_letters:
        return
    queued = _deliveries_sync(signature_id=signature_id, campaign=campaign, area_id=area_id)
    if campaign.delivery_mode == Campaign.DeliveryMode.INDIVIDUAL:
        deliveries_enqueue(ids=queued)


def _link_request(*, signature_id, limited: bool) -> bool:
    """Email the signer the link to their signature (to confirm it while it is pending, to
    review or change it after), sent by the worker once this commits. ``limited``: at most
    LINKS_PER_HOUR per signature, so nobody can flood an address by signing as it."""
    from altavoz.delivery.tasks import send_signature_link

    if limited and ratelimit.count_hit(f"signature-link:{signature_id}", window=3600) > (
        LINKS_PER_HOUR
    ):
        return False
    transaction.on_commit(lambda: send_signature_link.enqueue(str(signature_id)), robust=True)
    return True


def signature_link_resend(*, signature: Signature) -> bool:
    """The signer asks for the link again (from the thank-you page); False past the limit."""
    return _link_request(signature_id=signature.pk, limited=True)


def _person_verified(*, signature: Signature, now) -> None:
    """The email is proven the signer's: their person's record takes this signature's details
    and the consent they ticked here (given or, on a change, withdrawn)."""
    person = signature.person
    changes = {name: getattr(signature, name) for name in SIGNER_DETAILS}
    if person.consent_updates != signature.consent_updates:
        changes.update(consent_updates=signature.consent_updates, consent_updated_at=now)
    Person.objects.filter(pk=person.pk).update(
        **changes, verified_at=person.verified_at or now, updated_at=now
    )


def _locked(signature_id) -> Signature:
    return (
        Signature.objects.select_for_update(of=("self",))  # not its campaign's row
        .select_related("campaign", "person")
        .get(pk=signature_id)
    )


@transaction.atomic
def signature_confirm(*, signature: Signature, revision: int) -> bool:
    """The signer pressed the button behind the link emailed for this revision of the
    signature: it counts and its letters go. False when it already counted; StaleLink when
    the signature changed since the link was sent."""
    signature = _locked(signature.pk)
    if signature.confirmed_at is not None:
        return False
    if signature.revision != revision:
        raise StaleLink
    now = timezone.now()
    Signature.objects.filter(pk=signature.pk).update(confirmed_at=now)
    _person_verified(signature=signature, now=now)
    _signature_letters_queue(
        signature_id=signature.pk, area_id=signature.area_id, campaign=signature.campaign
    )
    hook_events.signature_confirmed(campaign=signature.campaign, signature_id=signature.pk)
    sync.pushes_queue(
        campaign=signature.campaign, signature_id=signature.pk, consent=signature.consent_updates
    )
    return True


def signature_letter_sent(signature: Signature) -> bool:
    """Whether a letter of this signature has left: what it said is then fixed."""
    return signature.deliveries.filter(
        status__in=[Delivery.Status.SENT, Delivery.Status.SENDING, Delivery.Status.BOUNCED]
    ).exists()


@transaction.atomic
def signature_change(
    *, signature: Signature, revision: int, changes: dict, answers: dict | None = None
) -> Signature:
    """The signer changes their signature through the link emailed to them (the only way):
    ``changes`` maps fields to new values, ``answers`` question ids to answers ("" removes
    one). Once a letter has left, what it said (name, address, district, letter, and the
    answers its merge fields quote) stays as sent. Letters not sent yet follow the change."""
    signature = _locked(signature.pk)
    if signature.revision != revision:
        raise StaleLink
    sent = signature_letter_sent(signature)
    if sent:
        changes = {k: v for k, v in changes.items() if k not in AS_SENT}
    _answers_change(signature=signature, answers=answers or {}, quoted_fixed=sent)
    for name, value in changes.items():
        setattr(signature, name, value)
    signature.revision += 1
    signature.save(update_fields=[*changes, "revision", "updated_at"])
    now = timezone.now()
    _person_verified(signature=signature, now=now)
    if signature.confirmed_at is not None:
        _signature_letters_queue(
            signature_id=signature.pk, area_id=signature.area_id, campaign=signature.campaign
        )
    return signature


def _answers_change(*, signature: Signature, answers: dict, quoted_fixed: bool) -> None:
    """Store the signer's new answers to the campaign's questions; with ``quoted_fixed``,
    not those a letter quotes (a question with a merge field), as its letter was sent."""
    asked = _still_asked(signature.campaign_id, answers, unquoted=quoted_fixed)
    for question_id, value in asked.items():
        stored = Answer.objects.filter(signature=signature, question_id=question_id)
        if not value:
            stored.delete()
        elif not stored.update(value=value):
            Answer.objects.create(signature=signature, question_id=question_id, value=value)


def call_report_create(
    *, campaign: Campaign, official, area_id, outcome: str, note: str, language: str, email: str
) -> bool:
    """Record how a call went; False (nothing recorded) once this caller (their email, hashed)
    has reported CALLS_PER_OFFICIAL_PER_DAY calls to this official today: a count of calls
    that one person can inflate at will would tell an office nothing (SECURITY.md)."""
    from altavoz import privacy
    from altavoz.campaigns.actions.call import CALLS_PER_OFFICIAL_PER_DAY
    from altavoz.campaigns.models import CallReport

    caller = privacy.email_hash(normalise_email(email))
    key = f"call-report:{campaign.pk}:{official.pk}:{caller}"
    if ratelimit.count_hit(key, window=24 * 3600) > CALLS_PER_OFFICIAL_PER_DAY:
        return False
    CallReport.objects.create(
        campaign=campaign, official=official, area_id=area_id or None, outcome=outcome,
        note=note, language=language, caller_hash=caller,
    )  # fmt: skip
    return True


def campaign_publish(*, campaign: Campaign, unreviewed_confirmed: bool = False) -> list:
    """Make a campaign live if it passes every check; return the problems otherwise. A
    language no native speaker has reviewed is published only once the organiser has
    confirmed it (``unreviewed_confirmed``); until then that is the problem returned."""
    warning = "" if unreviewed_confirmed else campaign.unreviewed_warning()
    campaign.status = Campaign.Status.LIVE
    try:
        campaign.full_clean()
    except ValidationError as error:
        problems = [message for messages in error.message_dict.values() for message in messages]
        return [*problems, *([warning] if warning else [])]
    if warning:
        return [warning]
    campaign.save(update_fields=["status", "updated_at"])
    return []


def campaign_share_image_set(*, campaign: Campaign, jpeg: bytes) -> None:
    """The organiser's picture (shareimage.normalised_upload) becomes the share image."""
    ShareImage.objects.update_or_create(campaign=campaign, defaults={"jpeg": jpeg})
    Campaign.objects.filter(pk=campaign.pk).update(updated_at=timezone.now())


def campaign_share_image_remove(*, campaign: Campaign) -> None:
    """Back to the picture drawn for the campaign."""
    ShareImage.objects.filter(campaign=campaign).delete()
    Campaign.objects.filter(pk=campaign.pk).update(updated_at=timezone.now())


@transaction.atomic
def campaigns_close_due(*, now=None) -> int:
    """Close every live campaign whose deadline has passed (the page already refuses them);
    each closing is a webhook event, in the same transaction."""
    due = list(
        Campaign.objects.select_for_update()
        .filter(status=Campaign.Status.LIVE, deadline__lte=now or timezone.now())
        .only("pk", "organisation_id")
    )
    closed = Campaign.objects.filter(pk__in=[c.pk for c in due]).update(
        status=Campaign.Status.CLOSED, updated_at=timezone.now()
    )
    for campaign in due:
        hook_events.campaign_closed(campaign=campaign)
    return closed


@transaction.atomic
def person_erase(*, person: Person) -> None:
    """Erase what identifies a person. Their signatures stay counted (district and date
    remain), their letters not yet sent are cancelled, letters already sent stay on record."""
    Delivery.objects.filter(signature__person=person, status=Delivery.Status.QUEUED).update(
        status=Delivery.Status.CANCELLED, last_error="The supporter's data was erased."
    )
    person.signatures.update(
        **dict.fromkeys(SIGNER_DETAILS, ""), letter_body="", ip_hash="", is_public=False, source=""
    )
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
