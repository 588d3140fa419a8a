"""Background tasks (django.tasks). They only wake the worker: the Delivery rows are the truth."""

from django.tasks import task

from altavoz.delivery import sending
from altavoz.delivery.channels.email import direct


@task()
def deliver(*delivery_ids: str) -> int:
    """Send these deliveries, those still queued and due; return how many were sent."""
    return sending.deliver_these(delivery_ids)


@task()
def send_signature_link(signature_id: str) -> int:
    """Email the link to a signature's own page (confirm, review or change it)."""
    return direct.send_signature_link(signature_id)
