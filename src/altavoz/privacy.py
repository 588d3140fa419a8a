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
    """The client's address: the peer, or behind TRUSTED_PROXY_COUNT proxies the address the
    outermost trusted proxy saw (never a value the client could choose)."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(forwarded) >= proxies and forwarded[-proxies]:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def client_ip_hash(request) -> str:
    """What login throttling keys on: the salted hash, never the address itself."""
    return ip_hash(client_ip(request))
