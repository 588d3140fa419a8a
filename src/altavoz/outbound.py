"""Where Altavoz's own requests may go: to the public internet, over https; never to the
machine it runs on or the network around it.

Organisers choose the URLs webhooks and syncs are sent to. Without this rule an organiser
could make the worker post to 127.0.0.1, to the cloud's metadata service (169.254.169.254)
or to a database on the private network: server-side request forgery. One rule, used twice:
when a URL is saved (``url_validate``, a message the organiser can act on) and at every
connection the one HTTP wrapper opens (``addresses``): a name that resolves somewhere else
by then (DNS rebinding) is refused there, and the wrapper connects to the address checked,
never to a second answer.

Refused: every address that is not globally reachable (loopback, 10/8, 172.16/12,
192.168/16, fc00::/7, link-local 169.254/16 and fe80::/10, shared 100.64/10, multicast,
reserved, unspecified, documentation ranges), an IPv4 address inside IPv6 (mapped, NAT64,
6to4) judged as that IPv4 address; a name refused if any of its addresses is. Plain http is
refused too: a webhook carries signers' names and addresses, a sync an API key.
``OUTBOUND_ALLOWED_NETWORKS`` lets chosen networks in, over http too: a receiver on the same
machine (the tests', a local CRM's) or on the operator's own network.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))


class Refused(Exception):
    """This URL or address may not be reached; the message says why, to whoever set it."""


def allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(n, strict=False) for n in settings.OUTBOUND_ALLOWED_NETWORKS]


def _embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries to (mapped, NAT64, 6to4), if any."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped or ip.sixtofour:
        return ip.ipv4_mapped or ip.sixtofour
    if any(ip in network for network in NAT64):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def _kind(ip: IPAddress) -> str | None:
    """What makes ``ip`` an address of this machine or its network, or None if public."""
    if ip.is_loopback:
        return _("a loopback address (the machine Altavoz runs on)")
    if ip.is_link_local:
        return _("a link-local address (where cloud metadata services answer)")
    if ip.is_multicast:
        return _("a multicast address")
    if ip.is_unspecified:
        return _("the unspecified address")
    if isinstance(ip, ipaddress.IPv6Address) and ip.teredo:
        return _("a Teredo tunnel address")
    if ip.is_private:
        return _("a private network address")
    if not ip.is_global:
        return _("a reserved address, not on the public internet")
    return None


def address_refusal(ip: IPAddress, *, scheme: str, host: str = "") -> str | None:
    """Why a request by ``scheme`` may not go to ``ip`` (``host``'s address), or None when
    it may."""
    inner = _embedded_ipv4(ip)
    if any(ip in network or (inner and inner in network) for network in allowed_networks()):
        return None
    shown = f"{host} ({ip})" if host and host != str(ip) else str(ip)
    kind = _kind(ip) or (inner and _kind(inner))
    if kind:
        return _("%(host)s is %(kind)s: Altavoz does not send to its own machine or network.") % {
            "host": shown,
            "kind": kind,
        }
    if scheme != "https":
        return _("Plain http to %(host)s is not allowed: use an https:// address.") % {
            "host": shown
        }
    return None


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` names now (no lookup for a literal address); raises OSError
    (socket.gaierror) when it names none."""
    literal = _literal(host)
    if literal is not None:
        return [literal]
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    unique = dict.fromkeys(ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in found)
    return list(unique)


def addresses(host: str, port: int, *, scheme: str) -> list[IPAddress]:
    """The addresses of ``host`` a request by ``scheme`` may connect to: all of them, or
    Refused (naming the first refused) when any one is not allowed. OSError when ``host``
    cannot be resolved."""
    found = resolve(host, port)
    for ip in found:
        reason = address_refusal(ip, scheme=scheme, host=host)
        if reason:
            raise Refused(reason)
    return found


def url_validate(value: str) -> None:
    """The check when a URL is saved (a webhook endpoint, a sync connection): https, to a
    host that resolves to public addresses only. A name that cannot be resolved now is
    accepted over https (the worker checks it again at every connection)."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(_("Enter an https:// address."), code="scheme")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise ValidationError(_("Enter an https:// address."), code="scheme") from None
    try:
        addresses(parts.hostname, port, scheme=parts.scheme)
    except Refused as exc:
        raise ValidationError(str(exc), code="internal") from None
    except OSError:
        if parts.scheme != "https":
            raise ValidationError(_("Enter an https:// address."), code="scheme") from None
