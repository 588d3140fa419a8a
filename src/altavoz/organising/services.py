"""Writes for organisers' alerts: a live campaign whose target cannot be written to (or whose
letters are held) is told to its organisers once, by email, and on its dashboard."""

from django.db import transaction
from django.utils import timezone

from altavoz.campaigns.models import Campaign
from altavoz.organising.models import TargetAlert


def _live_campaigns():
    """Live campaigns whose letters go to officials (a demo's go to the local outbox)."""
    return Campaign.objects.filter(status=Campaign.Status.LIVE, is_demo=False)


def _campaign_alerts_sync(campaign: Campaign, now) -> None:
    problems = {(p.post.pk, p.kind): p for p in campaign.target_problems()}
    open_alerts = TargetAlert.objects.filter(campaign=campaign, resolved_at__isnull=True)
    known = set(open_alerts.values_list("post_id", "kind"))
    gone = [key for key in known if key not in problems]
    for post_id, kind in gone:
        open_alerts.filter(post_id=post_id, kind=kind).update(resolved_at=now)
    TargetAlert.objects.bulk_create(
        [
            TargetAlert(
                campaign=campaign, post=p.post, official=p.official, kind=p.kind, text=p.text
            )
            for key, p in problems.items()
            if key not in known
        ],
        ignore_conflicts=True,  # a sweep in another process noticed it at the same time
    )


def target_alerts_sync(*, now=None) -> int:
    """Notice new problems with live campaigns' targets, resolve those that are gone, and
    email the organisers once about each new one (sent by the worker once this commits).
    Returns how many alerts were handed over to be emailed."""
    from altavoz.organising.tasks import send_target_alerts

    now = now or timezone.now()
    for campaign in _live_campaigns():
        _campaign_alerts_sync(campaign, now)
    with transaction.atomic():
        due = list(
            TargetAlert.objects.select_for_update(skip_locked=True)
            .filter(emailed_at__isnull=True, resolved_at__isnull=True)
            .values_list("pk", flat=True)
        )
        TargetAlert.objects.filter(pk__in=due).update(emailed_at=now)
        if due:
            ids = [str(pk) for pk in due]
            transaction.on_commit(lambda: send_target_alerts.enqueue(ids), robust=True)
    return len(due)
