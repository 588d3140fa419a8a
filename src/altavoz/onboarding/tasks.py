"""Background tasks (django.tasks): the requester's invitation, sent once approval commits."""

from django.tasks import task


@task()
def send_invitation(request_id: str) -> int:
    from altavoz.onboarding import emails

    return emails.invitation_send(request_id)
