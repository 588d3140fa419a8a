"""Background tasks (django.tasks). They only wake the worker: the Delivery rows are the truth."""

from django.tasks import task

from altavoz.delivery import sending


@task()
def deliver(*delivery_ids: str) -> int:
    """Send these deliveries, those still queued and due; return how many were sent."""
    return sending.deliver_these(delivery_ids)


@task()
def send_signature_confirmation(signature_id: str) -> int:
    """Email the confirmation link of a signature that is still unconfirmed."""
    return sending.send_signature_confirmation(signature_id)
