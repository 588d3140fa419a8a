"""Background tasks (django.tasks): organisers' emails about their campaigns' targets."""

from django.tasks import task


@task()
def send_target_alerts(alert_ids: list[str]) -> int:
    from altavoz.organising import alerts

    return alerts.target_alerts_send(alert_ids)
