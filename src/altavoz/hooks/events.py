"""What each event tells, shaped as the API shows the same rows (OSDI), and the calls the
services make, inside their transactions, when one happens."""

from django.conf import settings
from django.db.models import Prefetch, prefetch_related_objects

from altavoz import kept
from altavoz.api import resources
from altavoz.hooks.models import EventKind
from altavoz.hooks.services import event_emit, events_emit


def endpoints_of(campaign) -> list:
    """The campaign's organisation's endpoints for a new signature's events (created, and
    confirmed when it counts at once), as read at most PAGE_LIVE_SECONDS ago in this process,
    like the campaign itself: during a spike every signature needs them, and reading them
    each time cost a sixth of a signature's CPU (bench/RESULTS.md, issue 21). A new endpoint
    hears of signatures from within those seconds of being saved; one deleted meanwhile is
    left out when the event is written (services.event_emit)."""
    from altavoz.hooks.models import Endpoint

    organisation_id = campaign.organisation_id
    return kept.remembered(
        endpoints_key(organisation_id),
        settings.PAGE_LIVE_SECONDS,
        lambda: list(Endpoint.objects.filter(organisation_id=organisation_id)),
    )


def endpoints_key(organisation_id) -> tuple:
    return ("webhook-endpoints", organisation_id)


def signature_new(*, signature, person, answered: bool, confirmed: bool, endpoints=None) -> None:
    """A new signature, just written: created, and confirmed too when it counts at once (no
    double opt-in). Both events tell the same rows, shaped once from those in hand: the
    signature as written (its campaign and area with it; its answers, when it has any,
    read back), and its person as stored: ``person`` when this signature made it, else
    (None) read."""
    from altavoz.campaigns.models import Answer, Person

    def data() -> dict:
        none = Prefetch("answers", queryset=Answer.objects.none())  # asks the database nothing
        prefetch_related_objects([signature], "answers__question" if answered else none)
        stored = person or Person.objects.get(pk=signature.person_id)
        return resources.signature_with_person(signature, stored)

    kinds = (EventKind.SIGNATURE_CREATED,) + ((EventKind.SIGNATURE_CONFIRMED,) * confirmed)
    events_emit(
        organisation_id=signature.campaign.organisation_id, kinds=kinds, data=data,
        endpoints=endpoints,
    )  # fmt: skip


def signature_confirmed(*, campaign, signature_id) -> None:
    """A pending signature confirmed through its emailed link (double opt-in)."""
    event_emit(
        organisation_id=campaign.organisation_id, kind=EventKind.SIGNATURE_CONFIRMED,
        data=lambda: resources.signature_with_person_read(signature_id),
    )  # fmt: skip


def delivery_finished(*, delivery, sent: bool) -> None:
    """A letter left (``sent``) or failed for good: ``delivery`` as now stored (queue.record
    hands it over so). It has no reply yet: none is read."""
    kind = EventKind.DELIVERY_SENT if sent else EventKind.DELIVERY_FAILED

    def data() -> dict:
        outreach = resources.outreach(delivery, unanswered=True)
        outreach["altavoz:last_error"] = delivery.last_error
        return outreach

    organisation = delivery.signature.campaign.organisation
    event_emit(
        organisation_id=organisation.pk, kind=kind, data=data,
        endpoints=organisation.webhook_endpoints.all(),  # read once a batch (prefetched)
    )  # fmt: skip


def campaign_closed(*, campaign) -> None:
    def data() -> dict:
        from altavoz.campaigns.models import Campaign

        return resources.petition(
            resources.petitions_annotated(Campaign.objects).get(pk=campaign.pk)
        )

    event_emit(organisation_id=campaign.organisation_id, kind=EventKind.CAMPAIGN_CLOSED, data=data)


def reply_recorded(*, delivery_id) -> None:
    """A letter's writer answered "did the office reply?", or a reply passed through the
    letter's reply address: the outreach, with its ``altavoz:reply``."""
    from altavoz.delivery.models import Delivery

    letter = Delivery.objects.select_related(*resources.OUTREACH_RELATED, "signature").get(
        pk=delivery_id
    )
    event_emit(
        organisation_id=letter.signature.campaign.organisation_id,
        kind=EventKind.REPLY_RECORDED,
        data=lambda: resources.outreach(letter),
    )


def outcome_recorded(*, position) -> None:
    """An organiser recorded (or corrected) what an official did on the campaign's question."""
    campaign = position.campaign
    event_emit(
        organisation_id=campaign.organisation_id,
        kind=EventKind.OUTCOME_RECORDED,
        data=lambda: resources.outcome(position),
    )
