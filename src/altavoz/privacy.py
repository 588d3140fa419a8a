"""Personal data handled with care: IP addresses are only ever stored as salted hashes."""

import hashlib
import hmac

from django.conf import settings


def ip_hash(ip_address: str) -> str:
    if not ip_address:
        return ""
    key = settings.IP_HASH_SALT.encode()
    return hmac.new(key, ip_address.encode(), hashlib.sha256).hexdigest()


def client_ip(request) -> str:
    """The peer address. Behind a proxy, configure it to set REMOTE_ADDR (see deploy docs)."""
    return request.META.get("REMOTE_ADDR", "")
