"""Personal data handled with care: IP addresses are only ever stored as salted hashes."""

import hashlib
import hmac
import ipaddress
from functools import lru_cache

from django.conf import settings


def _hash(text: str) -> str:
    key = settings.IP_HASH_SALT.encode()
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


@lru_cache(maxsize=4096)
def client_network(ip_address: str) -> str:
    """What counts as one client: an IPv4 address, or the /64 network of an IPv6 one (a
    home or a phone gets a whole /64 and can pick any address in it). An IPv4 address
    written as IPv6 (``::ffff:1.2.3.4``) is that IPv4 address."""
    try:
        address = ipaddress.ip_address(ip_address.strip())
    except ValueError:
        return ip_address
    if address.version == 6:
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def ip_hash(ip_address: str) -> str:
    """The salted hash of the client's network (``client_network``): limits, login
    throttling and the stored signature all key on it, never on the address itself."""
    if not ip_address:
        return ""
    return _hash(client_network(ip_address))


def email_hash(email: str) -> str:
    """A salted hash of an email address, for counters that must not hold the address."""
    return _hash(f"email:{email}")


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
