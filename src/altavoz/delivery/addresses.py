"""Header-safe names and addresses: nothing a supporter types can add a header to an email."""

import re
from email.headerregistry import Address

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from altavoz.delivery.errors import SendError

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def one_line(value: object, limit: int = 200) -> str:
    """Text fit for a header: control characters (CR, LF, ...) become spaces, one line."""
    return " ".join(_CONTROL.sub(" ", str(value)).split())[:limit]


def checked(address: str, *, whose: str) -> str:
    """The address, stripped, or a permanent SendError naming whose address is malformed."""
    address = (address or "").strip()
    if not address:
        raise SendError(f"{whose} has no email address.", permanent=True)
    try:
        validate_email(address)
    except ValidationError:
        raise SendError(
            f"{whose} has a malformed email address: {one_line(address)!r}.", permanent=True
        ) from None
    return address


def mailbox(display_name: str, address: str) -> str:
    """``"Display Name" <address>``, quoted as needed; the name cannot break the header."""
    return str(Address(display_name=one_line(display_name), addr_spec=address))


def domain_of(address: str) -> str:
    return address.rpartition("@")[2] or "altavoz.invalid"
