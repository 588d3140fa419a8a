"""An email backend that keeps messages in the database instead of sending them (demo)."""

from django.core.mail.backends.base import BaseEmailBackend


def _html_part(message) -> str:
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            return str(content)
    return ""


class OutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        from altavoz.delivery.models import OutboxMessage

        OutboxMessage.objects.bulk_create(
            OutboxMessage(
                organisation_id=getattr(message, "organisation_id", None),
                from_email=message.from_email,
                to=", ".join(message.recipients()),
                subject=message.subject,
                headers={k: str(v) for k, v in message.message().items()},
                text=str(message.body),
                html=_html_part(message),
            )
            for message in email_messages
        )
        return len(email_messages)
