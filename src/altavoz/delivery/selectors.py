"""Reads on deliveries: what is due, and the per-official summary for organisers."""

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from altavoz.delivery.channels import registry
from altavoz.delivery.models import Delivery

Status = Delivery.Status


def due_digest_groups() -> list[tuple]:
    """(campaign id, official id, channel) with digest letters due now (not waiting)."""
    due = Delivery.objects.filter(
        status=Status.QUEUED,
        next_attempt_at__lte=timezone.now(),
        signature__campaign__delivery_mode="digest",
    ).exclude(registry.waiting())
    return list(due.values_list("signature__campaign_id", "official_id", "channel").distinct())


def with_delivery_counts(officials: QuerySet, *, organisations: QuerySet | None = None):
    """Each official annotated with how many letters are sent, queued, failed and bounced
    (of ``organisations`` only, when given)."""
    mine = (
        Q()
        if organisations is None
        else Q(deliveries__signature__campaign__organisation__in=organisations)
    )

    def count(*statuses: str) -> Count:
        return Count("deliveries", filter=mine & Q(deliveries__status__in=statuses))

    return officials.annotate(
        sent_count=count(Status.SENT),
        queued_count=count(Status.QUEUED, Status.SENDING),
        failed_count=count(Status.FAILED),
        bounced_count=count(Status.BOUNCED),
    )
