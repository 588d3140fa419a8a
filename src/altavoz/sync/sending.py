"""The worker's part: send due pushes to the other system's OSDI helper, through the one
HTTP wrapper, with the connection's key in ``OSDI-API-Token`` (as Action Network asks)."""

import json

from django.conf import settings

from altavoz import httpclient, queue
from altavoz.sync import payload
from altavoz.sync.models import Push
from altavoz.sync.services import push_record


def _send(connections: httpclient.Connections, push: Push) -> None:
    connection = push.connection
    body = json.dumps(payload.signature_body(push.signature, connection)).encode()
    headers = {"OSDI-API-Token": connection.api_key, "Content-Type": "application/json"}
    try:
        answer = connections.post(connection.helper_url, body=body, headers=headers)
    except httpclient.HttpError as exc:
        push_record(push=push, error=str(exc))
        return
    try:
        parsed = json.loads(answer.body) if answer.body.strip() else None
    except ValueError:
        parsed = None
    try:
        remote = payload.remote_id(answer.status, parsed)
    except payload.Refused as exc:
        push_record(push=push, error=str(exc), refused=True, status_code=answer.status)
    except ValueError as exc:
        push_record(push=push, error=str(exc), status_code=answer.status)
    else:
        push_record(push=push, status_code=answer.status, provider_id=remote)


def drain(connections: httpclient.Connections, *, limit: int | None = None) -> int:
    """Send every due push (up to a batch); returns how many were tried."""
    batch = queue.claim(
        Push.objects.filter(connection__paused_at__isnull=True),
        limit=limit or settings.SYNC_BATCH_SIZE,
        related=("connection", "signature__person", "signature__area"),
    )
    tried = 0
    for push in batch:
        _send(connections, push)
        tried += 1
    return tried
