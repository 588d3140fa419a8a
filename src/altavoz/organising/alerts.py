"""The organisers' email about targets their letters cannot reach: one per organisation,
listing each new problem with its campaign's dashboard."""

from itertools import groupby

from django.conf import settings
from django.urls import reverse

from altavoz.delivery.channels.email import addresses
from altavoz.delivery.channels.email.direct import send_now
from altavoz.delivery.channels.email.emails import render_email
from altavoz.delivery.models import Delivery
from altavoz.organising.models import TargetAlert


def waiting_letters(alert: TargetAlert) -> int:
    """Letters of the alert's campaign queued for its official (0 for a vacant seat)."""
    if alert.official_id is None:
        return 0
    return Delivery.objects.filter(
        signature__campaign_id=alert.campaign_id,
        official_id=alert.official_id,
        status=Delivery.Status.QUEUED,
    ).count()


def _recipients(organisation) -> list[str]:
    members = organisation.members.filter(is_active=True).exclude(email="")
    return sorted({addresses.checked(u.email, whose="An organiser") for u in members})


def alerts_email(organisation, alerts: list[TargetAlert]):
    items = [
        {
            "alert": alert,
            "waiting": waiting_letters(alert),
            "dashboard": settings.SITE_URL
            + reverse("organise:dashboard", args=[alert.campaign_id]),
        }
        for alert in alerts
    ]
    return render_email(
        "organising/email/target_alerts",
        {"organisation": organisation, "items": items},
        to=_recipients(organisation),
        from_email=addresses.mailbox("Altavoz", settings.DEFAULT_FROM_EMAIL),
    )


def _emails(alerts) -> list:
    """One email per organisation with organisers' addresses (one without gets none: the
    dashboard still says it)."""
    messages = []
    for _org_id, group in groupby(alerts, key=lambda a: a.campaign.organisation_id):
        group = list(group)
        organisation = group[0].campaign.organisation
        if _recipients(organisation):
            messages.append(alerts_email(organisation, group))
    return messages


def target_alerts_send(alert_ids: list[str]) -> int:
    """Email each organisation's organisers about its alerts; returns how many emails."""
    alerts = (
        TargetAlert.objects.filter(pk__in=alert_ids)
        .select_related("campaign__organisation", "official", "post")
        .order_by("campaign__organisation_id", "campaign__title")
    )
    return send_now(lambda: _emails(alerts), what=f"Target alerts {', '.join(alert_ids)}")
