from django.core.mail import EmailMultiAlternatives
from django.test import override_settings

from altavoz.delivery.models import OutboxMessage


@override_settings(
    MAILERS={"default": {"BACKEND": "altavoz.delivery.channels.email.outbox.OutboxBackend"}}
)
def test_the_demo_outbox_keeps_messages_instead_of_sending(db):
    message = EmailMultiAlternatives("Vote NO", "text part", "from@example.org", ["to@example.org"])
    message.attach_alternative("<p>html part</p>", "text/html")
    assert message.send() == 1  # the test runner's MAILERS override is replaced here
    kept = OutboxMessage.objects.get()
    assert (kept.subject, kept.to, kept.text, kept.html) == (
        "Vote NO",
        "to@example.org",
        "text part",
        "<p>html part</p>",
    )
    assert kept.headers["Subject"] == "Vote NO"
