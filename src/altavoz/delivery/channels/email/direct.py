"""Emails sent at once, outside the letters' queue: a signature's link, an invitation, an
organisers' alert. A failure is logged, naming what was not sent, and raised (the supporter
can ask for the link again; the sweep tells organisers again)."""

import logging
from collections.abc import Callable, Sequence
from typing import Any

from altavoz.delivery.channels.base import SendError
from altavoz.delivery.channels.email import emails
from altavoz.delivery.channels.email.channel import mailer_alias
from altavoz.delivery.channels.email.postman import Postman

logger = logging.getLogger(__name__)


def send_now(build: Callable[[], Sequence[Any]], *, using: str = "default", what: str) -> int:
    """Send the messages ``build()`` makes, on one connection."""
    postman = Postman()
    try:
        messages = build()
        for message in messages:
            postman.send(message, using=using)
    except SendError as exc:
        logger.warning("%s not sent: %s", what, exc.reason)
        raise
    finally:
        postman.close()
    return len(messages)


def send_signature_link(signature_id: Any) -> int:
    """Email a signature's link (see emails.signature_link_email)."""
    from altavoz.campaigns.models import Signature

    related = ("campaign__organisation", "person")
    signature = Signature.objects.select_related(*related).filter(pk=signature_id).first()
    if signature is None or signature.person.erased_at is not None:
        return 0
    return send_now(
        lambda: [emails.signature_link_email(signature)],
        using=mailer_alias(signature.campaign),
        what=f"Link for signature {signature_id}",
    )
