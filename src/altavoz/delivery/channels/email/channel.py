"""Email, the first channel: each letter (or a day's digest) as an email to the official,
built by ``emails`` and handed to Django's mailers by the ``Postman`` (one connection kept
open; the worker's on a background thread). Demo campaigns write to the local outbox.
Bounces come back through the provider's webhook (``webhooks``)."""

from __future__ import annotations

from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, ClassVar

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from altavoz.delivery.channels.base import Channel
from altavoz.delivery.channels.email import emails
from altavoz.delivery.channels.email.postman import Postman

if TYPE_CHECKING:
    from altavoz.campaigns.models import Campaign
    from altavoz.delivery.models import Delivery


def mailer_alias(campaign: Campaign) -> str:
    """Demo campaigns write to the local outbox; real ones use the configured mailer."""
    return "outbox" if campaign.is_demo else "default"


class EmailChannel(Channel):
    name: ClassVar[str] = "email"
    label: ClassVar[str] = str(_("Email"))
    digests: ClassVar[bool] = True

    def __init__(self, *, pipelined: bool = False) -> None:
        super().__init__(pipelined=pipelined)
        self.postman = Postman(pipelined=pipelined)

    def for_campaign(self, message: Any, campaign: Campaign) -> Any:
        """The message, sent through the campaign's mailer (a demo's: the local outbox)."""
        message.mailer_alias = mailer_alias(campaign)
        return message

    def build(self, delivery: Delivery) -> Any:
        return self.for_campaign(emails.letter_email(delivery), delivery.signature.campaign)

    def build_digest(self, deliveries: list[Delivery]) -> Any:
        campaign = deliveries[0].signature.campaign
        return self.for_campaign(emails.digest_email(deliveries), campaign)

    def build_notice(self, delivery: Delivery) -> Any:
        """The supporter's "delivered" notice (sent by email whatever the letter's channel)."""
        return self.for_campaign(emails.delivered_email(delivery), delivery.signature.campaign)

    def send(self, message: Any) -> str:
        return self.postman.send(message, using=message.mailer_alias)

    def send_later(self, message: Any) -> Future[str]:
        return self.postman.send_later(message, using=message.mailer_alias)

    def message_id(self, message: Any) -> str:
        return str(message.extra_headers.get("Message-ID", ""))

    @classmethod
    def waiting(cls) -> Q:
        """Letters to an official with no email address wait, queued, instead of failing
        (a demo's go to the local outbox, address or not), and so do those whose changed
        address platform staff have not confirmed yet."""
        no_address = Q(official__email="") & Q(signature__campaign__is_demo=False)
        return no_address | Q(official__letters_held_since__isnull=False)

    def close(self) -> None:
        self.postman.close()

    def shutdown(self) -> None:
        self.postman.shutdown()
