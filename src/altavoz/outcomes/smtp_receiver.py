"""The built-in SMTP receiver for replies to letters, for organisations that host their own.

Point the reply domain's MX at it (or relay the domain's mail to it). It accepts mail only for
genuine reply addresses: any other recipient is refused at RCPT (550), so nothing unknown is
ever queued, forwarded or bounced onwards. A reply whose forward fails is answered 451, and the
office's mail server tries again later: the reply is kept by the sender, never lost here.
"""

import asyncio
import email
import logging
from email import policy

from django.db import close_old_connections

from altavoz.delivery.channels.base import SendError
from altavoz.outcomes import inbound, reply_address

logger = logging.getLogger(__name__)
MAX_MESSAGE_BYTES = 10 * 1024 * 1024


class ReplyHandler:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if reply_address.delivery_id_for(address) is None:
            logger.warning("Refused mail for %s: not a reply address of ours", address)
            return "550 5.1.1 No such reply address"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        try:
            await asyncio.to_thread(_receive, list(envelope.rcpt_tos), message)
        except SendError as exc:
            return f"451 4.3.0 Could not forward the reply now: {exc.reason[:200]}"
        return "250 Reply forwarded"


def _receive(recipients: list[str], message) -> None:
    close_old_connections()
    try:
        inbound.reply_receive(recipients=recipients, message=message)
    finally:
        close_old_connections()


def controller(host: str, port: int):
    from aiosmtpd.controller import Controller

    return Controller(ReplyHandler(), hostname=host, port=port, data_size_limit=MAX_MESSAGE_BYTES)
