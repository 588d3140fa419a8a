"""The bytes of the worker's emails, written directly: the standard library's email objects
and generator took half of the worker's CPU per email.

Covers what every letter and confirmation is: a text body with text alternatives (the HTML
one), headers and addresses of the shapes headers.py writes. ``serialise`` returns None for
anything else (an attachment, an unusual address, a CR or LF in a header), and the backend
then uses Django's ``message()``, which writes it or refuses it. tests/test_delivery_wire.py
reads what this writes back with the standard library's parser and compares it with
Django's message, header by header and part by part.
"""

import binascii
import functools
import os
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, make_msgid

from django.conf import settings
from django.core.mail.utils import DNS_NAME
from django.utils import timezone

from altavoz.delivery.channels.email import headers

VERBATIM = {"message-id": "Message-ID", "list-unsubscribe": "List-Unsubscribe"}
VERBATIM["list-unsubscribe-post"] = "List-Unsubscribe-Post"
SUBTYPE = re.compile(r"[a-z0-9][a-z0-9.+-]*")
CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Wire:
    """What goes to the server: the envelope and the message."""

    sender: str
    recipients: list[str]
    data: bytes


@functools.lru_cache(maxsize=2)
def _date(second: int, zone) -> str:
    now = datetime.fromtimestamp(second, zone)
    return f"Date: {format_datetime(now)}\r\n"


def _part(subtype: str, content: str) -> bytes:
    """A text part: 7bit when it is short-lined ASCII, else quoted-printable (base64 when
    that is shorter). Line ends become CRLF and the text ends with one, as Django does."""
    lines = content.encode().splitlines()
    data = b"\r\n".join(lines) + b"\r\n"
    if data.isascii() and max(map(len, lines), default=0) <= 78 and not CONTROL.search(data):
        cte, body = b"7bit", data
    else:
        cte, body = b"quoted-printable", binascii.b2a_qp(data, istext=True)
        if len(body) > len(data) * 4 // 3 + 4:
            cte, body = b"base64", _base64(data)
    return b'Content-Type: text/%s; charset="utf-8"\r\nContent-Transfer-Encoding: %s\r\n\r\n%s' % (
        subtype.encode(),
        cte,
        body,
    )


def _base64(data: bytes) -> bytes:
    return b"".join(
        binascii.b2a_base64(data[i : i + 57], newline=False) + b"\r\n"
        for i in range(0, len(data), 57)
    )


def _bodies(message) -> list[bytes] | None:
    """Django's: the body (when there is one), then each alternative, all text/*."""
    if not message.body:
        return None  # Django then sends the alternatives alone
    texts = [(message.content_subtype, message.body)]
    for content, mimetype in getattr(message, "alternatives", []):
        maintype, _, subtype = str(mimetype).partition("/")
        if maintype != "text" or not isinstance(content, str):
            return None
        texts.append((subtype, content))
    if not all(isinstance(t, str) and SUBTYPE.fullmatch(s) for s, t in texts):
        return None
    return [_part(subtype, content) for subtype, content in texts]


def _envelope(message) -> tuple[list[str], list[str]] | None:
    """The header fields naming people, and the envelope: the sender, then recipients."""
    fields, envelope = [], []
    for name, values in (
        ("From", [message.from_email]),
        ("To", message.to),
        ("Cc", message.cc),
        ("Reply-To", message.reply_to),
        ("Bcc", message.bcc),
    ):
        if not values:
            continue
        field = headers.addresses(name, [str(value) for value in values])
        if field is None:
            return None
        if name != "Bcc":
            fields.append(field[0])
        if name != "Reply-To":
            envelope += field[1][:1] if name == "From" else field[1]
    return fields, envelope


def _extra(message) -> list[str] | None:
    fields = []
    for name, value in message.extra_headers.items():
        canonical = VERBATIM.get(name.lower())
        field = canonical and headers.verbatim(canonical, str(value))
        if not field:
            return None
        fields.append(field)
    if "Message-ID" not in message.extra_headers:
        fields.append(f"Message-ID: {make_msgid(domain=DNS_NAME)}\r\n")
    return fields


def serialise(message) -> Wire | None:
    """The message written for SMTP (CRLF line ends, ASCII only), or None when it is not of
    a shape this module writes (see above)."""
    if message.attachments or (message.encoding or "utf-8").lower() != "utf-8":
        return None
    if settings.DEFAULT_CHARSET.lower() != "utf-8" or not message.recipients():
        return None
    people, extra, subject = _envelope(message), _extra(message), str(message.subject)
    bodies, subject_field = _bodies(message), headers.text("Subject", subject)
    if people is None or extra is None or bodies is None or subject_field is None:
        return None
    fields, envelope = people
    zone = timezone.get_current_timezone() if settings.EMAIL_USE_LOCALTIME else UTC
    date = _date(int(time.time()), zone)
    top = "".join([subject_field, *fields, date, *extra, "MIME-Version: 1.0\r\n"]).encode()
    if len(bodies) == 1:
        data = top + bodies[0]
    else:
        boundary = b"=_" + binascii.hexlify(os.urandom(16))
        data = b'%sContent-Type: multipart/alternative;\r\n boundary="%s"\r\n\r\n' % (top, boundary)
        delimiter = b"--" + boundary
        if any(delimiter in body for body in bodies):
            return None
        data += b"".join(b"%s\r\n%s\r\n" % (delimiter, body) for body in bodies)
        data += delimiter + b"--\r\n"
    return Wire(envelope[0], envelope[1:], data)
