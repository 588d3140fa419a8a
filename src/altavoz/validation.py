"""What an email address and a line of a person's details may hold: one rule for every way
they come in (the supporter's form, the admin, the roster import, the organiser command),
and the one the worker checks again before it sends.

Email addresses are checked by ``email-validator`` (syntax only, no DNS): no quoted local
parts (where control characters hid), no IP literals, no ``localhost`` or special-use
domains (``.local``, ``.invalid``, ``.test``, ...), no non-ASCII before the @ (the worker
writes plain SMTP). Names refuse control, bidi and invisible characters, and the characters
that could make a name look like an address in an email's From line.
"""

import ipaddress
import unicodedata
from functools import lru_cache

import email_validator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

EMAIL_INVALID = _("Enter an email address like name@example.com.")
EMAIL_UNREACHABLE = _(
    "Email cannot reach an address at an IP address, localhost or a reserved domain "
    "(such as .local or .invalid). Use your usual email address."
)
LINE_INVALID = _(
    "Use letters, spaces and punctuation only; line breaks and control characters are not allowed."
)
NAME_INVALID = _("Write your name without <, >, @ or quotation marks.")

# Control (Cc), format: bidi overrides, zero-width... (Cf), private use (Co), surrogates
# (Cs), unassigned (Cn), line and paragraph separators (Zl, Zp).
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"})
# Letters and marks that show as nothing: Hangul fillers, the Braille blank, the combining
# grapheme joiner.
BLANK_LOOKING = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f")
# What could make a name read as an address; their full-width and small forms are caught
# by compatibility normalisation (NFKC), the angle-bracket look-alikes are listed.
ADDRESS_MARKS = frozenset('<>@"')
# Single and heavy angle quotation marks, angle brackets (technical, mathematical, CJK).
ANGLE_LOOKALIKES = frozenset("\u2039\u203a\u2329\u232a\u27e8\u27e9\u276e\u276f\u3008\u3009")


@lru_cache(maxsize=4096)
def email_error(address: str) -> str | None:
    """Why ``address`` is refused (the library's words, for logs and the worker's record),
    or None when it is accepted."""
    try:
        email_validator.validate_email(
            address,
            check_deliverability=False,
            allow_smtputf8=False,
            allow_quoted_local=False,
            allow_domain_literal=False,
            globally_deliverable=True,
        )
    except email_validator.EmailNotValidError as error:
        return str(error)
    return None


def _unreachable_domain(address: str) -> bool:
    """A domain no email reaches: an IP address (bracketed or bare), localhost or another
    special-use name."""
    domain = address.rpartition("@")[2].strip().rstrip(".").lower()
    if domain.startswith("["):
        return True
    try:
        ipaddress.ip_address(domain)
        return True
    except ValueError:
        pass
    special = email_validator.SPECIAL_USE_DOMAIN_NAMES
    return any(domain == name or domain.endswith("." + name) for name in special)


def validate_email_address(address: str) -> None:
    """The one rule for an email address; a ValidationError with a message a person can act
    on."""
    if email_error(address) is None:
        return
    if _unreachable_domain(address):
        raise ValidationError(EMAIL_UNREACHABLE, code="unreachable")
    raise ValidationError(EMAIL_INVALID, code="invalid")


def _hidden(char: str) -> bool:
    return unicodedata.category(char) in HIDDEN_CATEGORIES or char in BLANK_LOOKING


def _address_like(char: str) -> bool:
    if char in ADDRESS_MARKS or char in ANGLE_LOOKALIKES:
        return True
    return not char.isascii() and not ADDRESS_MARKS.isdisjoint(unicodedata.normalize("NFKC", char))


def validate_text_line(value: str) -> None:
    """One line of text as a person sees it: no line breaks, control, bidi-override or
    invisible characters."""
    if any(_hidden(char) for char in value):
        raise ValidationError(LINE_INVALID, code="hidden_characters")


def validate_text_block(value: str) -> None:
    """Several lines of text (a note): each line a text line as above."""
    for line in value.split("\n"):
        validate_text_line(line)


def validate_person_name(value: str) -> None:
    """A person's name: a text line that nothing can make look like an email address."""
    validate_text_line(value)
    if any(_address_like(char) for char in value):
        raise ValidationError(NAME_INVALID, code="address_like")


def display_name(value: str) -> str:
    """A name fit for an email's From line whatever it holds (data from before these rules,
    an organisation's name): hidden characters dropped, address marks made spaces, one
    line."""
    kept = (" " if _address_like(c) else c for c in value if not _hidden(c) or c.isspace())
    return " ".join("".join(kept).split())


def check_fields(obj, rules: dict) -> None:
    """Run ``rules`` (field name -> validator) on ``obj``'s non-empty fields; one
    ValidationError naming each field that failed (for a model's ``clean``)."""
    errors = {}
    for name, rule in rules.items():
        value = getattr(obj, name)
        if not value:
            continue
        try:
            rule(value)
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise ValidationError(errors)
