"""The worker's part: send due webhook messages, signed, one after another on kept
connections; a failure's outcome is committed as soon as it is known, successes a chunk
at a time (a worker killed mid-batch re-sends at most a chunk, each with its same
webhook-id)."""

import json
import logging
import time

from django.conf import settings

from altavoz import httpclient, queue
from altavoz.hooks import notes, signing
from altavoz.hooks.models import Message
from altavoz.hooks.services import message_record, messages_sent, secrets_in_force

logger = logging.getLogger(__name__)
# Successes recorded together: a worker killed mid-batch sends at most this many again
# (each with its same webhook-id, which receivers use to tell a repeat).
SENT_CHUNK = 25


def body(message: Message) -> bytes:
    """The payload Standard Webhooks suggests: type, timestamp, data."""
    event = message.event
    envelope = {
        "type": event.kind,
        "timestamp": event.created_at.isoformat().replace("+00:00", "Z"),
        "data": event.data,
    }
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":")).encode()


def _send(connections: httpclient.Connections, message: Message) -> tuple[str, int | None]:
    payload = body(message)
    headers = signing.headers(
        secrets_in_force(message.endpoint), message.webhook_id, int(time.time()), payload
    )
    try:
        answer = connections.post(
            message.endpoint.url,
            body=payload,
            headers={**headers, "Content-Type": "application/json"},
        )
    except httpclient.HttpError as exc:
        return str(exc), None
    if 200 <= answer.status < 300:
        return "", answer.status
    return f"HTTP {answer.status} from the endpoint", answer.status


def drain(connections: httpclient.Connections, *, limit: int | None = None) -> int:
    """Send every due message (up to ``limit``, a batch); returns how many were tried. A
    failure is recorded at once; successes in chunks of SENT_CHUNK (one commit each)."""
    batch = queue.claim(
        Message.objects.filter(endpoint__disabled_at__isnull=True),
        limit=limit or settings.HOOK_BATCH_SIZE,
        related=("event", "endpoint"),
    )
    tried, sent = 0, []
    for message in batch:
        error, status = _send(connections, message)
        tried += 1
        if not error:
            sent.append(message)
            if len(sent) >= SENT_CHUNK:
                message_sent_chunk(sent)
            continue
        if message_record(message=message, error=error, status_code=status):
            notes.endpoint_disabled_tell(message.endpoint)
    message_sent_chunk(sent)
    return tried


def message_sent_chunk(sent: list) -> None:
    if sent:
        messages_sent(messages=list(sent))
        sent.clear()
