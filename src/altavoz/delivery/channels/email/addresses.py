"""Header-safe names and addresses: nothing a supporter types can add a header to an email,
or look like an address in one."""

import re
from email._header_value_parser import SPECIALS, quote_string
from email.errors import HeaderParseError
from email.headerregistry import Address
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from altavoz import validation
from altavoz.delivery.channels.base import SendError

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def one_line(value: object, limit: int = 200) -> str:
    """Text fit for a header: control characters (CR, LF, ...) become spaces, one line."""
    return " ".join(_CONTROL.sub(" ", str(value)).split())[:limit]


@lru_cache(maxsize=256)
def _sender_error(address: str) -> str | None:
    """A sender address only has to be well formed (the demo's is at .invalid)."""
    try:
        validate_email(address)
    except ValidationError:
        return "not an address"
    return None


def checked(address: str, *, whose: str, sender: bool = False) -> str:
    """The address, stripped, or a permanent SendError naming whose address is malformed.
    A recipient's must pass the rule every address passed when it came in
    (altavoz.validation, cached: officials' addresses recur in every batch)."""
    address = (address or "").strip()
    if not address:
        raise SendError(f"{whose} has no email address.", permanent=True)
    error = _sender_error(address) if sender else validation.email_error(address)
    if error:
        raise SendError(
            f"{whose} has a malformed email address: {one_line(address)!r} ({error})",
            permanent=True,
        )
    return address


@lru_cache(maxsize=256)
def _addr_spec(address: str) -> str:
    try:
        return Address(addr_spec=address).addr_spec
    except (ValueError, HeaderParseError):
        raise SendError(
            f"The sender address is malformed: {one_line(address)!r}.", permanent=True
        ) from None


def mailbox(display_name: str, address: str) -> str:
    """``"Display Name" <address>``, quoted as needed; the name cannot break the header nor
    show an address (``validation.display_name``: no <, >, @ or quotes, nothing invisible).
    What ``str(Address(display_name=..., addr_spec=...))`` writes, parsing the (recurring)
    sender address once."""
    name, spec = one_line(validation.display_name(display_name)), _addr_spec(address)
    if not name:
        return spec
    if not SPECIALS.isdisjoint(name):
        name = quote_string(name)
    return f"{name} <{spec}>"


def domain_of(address: str) -> str:
    return address.rpartition("@")[2] or "altavoz.invalid"
