"""Each letter's own reply address, ``reply+<token>@<the organisation's reply domain>``.

The token is the delivery's id and a keyed MAC of it, in lowercase base32: mail servers may
change the case of a local part, and nobody can make an address that names another letter.
"""

import base64
import hmac
import uuid

from django.utils.crypto import salted_hmac

PREFIX = "reply+"
SALT = "altavoz.reply-address"
MAC_BYTES = 10


def _b32(data: bytes) -> str:
    return base64.b32encode(data).decode().rstrip("=").lower()


def _mac(delivery_id: uuid.UUID) -> bytes:
    return salted_hmac(SALT, delivery_id.bytes, algorithm="sha256").digest()[:MAC_BYTES]


def address_for(delivery_id: uuid.UUID, domain: str) -> str:
    return f"{PREFIX}{_b32(delivery_id.bytes)}{_b32(_mac(delivery_id))}@{domain}"


def delivery_id_for(address: str) -> uuid.UUID | None:
    """The delivery a reply address names, or None when it is not one of ours or forged."""
    local, _, _domain = address.strip().strip("<>").rpartition("@")
    token = local.lower().removeprefix(PREFIX) if local.lower().startswith(PREFIX) else ""
    if len(token) != 26 + 16:
        return None
    try:
        raw = base64.b32decode(token[:26].upper() + "======")
        mac = base64.b32decode(token[26:].upper())
        delivery_id = uuid.UUID(bytes=raw)
    except ValueError:
        return None
    return delivery_id if hmac.compare_digest(mac, _mac(delivery_id)) else None
