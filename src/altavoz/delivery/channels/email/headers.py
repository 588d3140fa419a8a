"""Header fields written straight to text (RFC 5322, RFC 2047), for the direct writer in wire.py.

Each function takes a value the way Django's EmailMessage holds it and returns the folded
field, or None when the value is of a shape this module does not write (a CR or LF, any
control character, an unusual address, ...): the caller then lets Django build the whole
message, which writes the rare shapes and refuses what must be refused. So nothing here has
to be clever about bad input; it only has to say no.

Words that are plain ASCII stay as they are; any other run of words becomes RFC 2047
encoded-words (UTF-8, "Q" encoding, only the characters RFC 2047 allows in a phrase left
bare), so a parser reads back exactly the text given. Lines fold at spaces to 78 characters.
"""

import re
from functools import lru_cache

from django.utils.encoding import punycode

LINE = 78
WORD = LINE - len("Reply-To: ,")  # the longest token that fits on any field's first line
EW_ROOM = WORD - len("=?utf-8?q??=")
PLAIN_Q = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!*+-/")
Q_BYTE = [chr(b) if b in PLAIN_Q else "_" if b == 0x20 else f"={b:02X}" for b in range(256)]
ATEXT = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+")
PRINTABLE = re.compile(r"[ -~]*")  # ASCII without control characters
LABEL = r"[^\W_](?:[\w-]*[^\W_])?"  # a domain label; non-ASCII ones are IDNA encoded
ADDR_SPEC = rf"({ATEXT.pattern}(?:\.{ATEXT.pattern})*)@({LABEL}(?:\.{LABEL})*)"
ADDRESS = re.compile(ADDR_SPEC, re.ASCII)
IDN_ADDRESS = re.compile(ADDR_SPEC)
MAILBOX = re.compile(rf'(?:"((?:[^"\\]|\\["\\])*)"|([^"<>]*?)) <({ADDR_SPEC})>')
UNFIT = re.compile(r'[\x00-\x1f\x7f-\x9f"\\()<>@,:;.\[\]]|=\?|\s', re.UNICODE)


def _ascii_addr_spec(address: str) -> str | None:
    """``local@domain`` with the domain IDNA encoded, or None for any other shape."""
    if ADDRESS.fullmatch(address):
        return address
    match = IDN_ADDRESS.fullmatch(address)
    if match is None or not match[1].isascii():
        return None
    try:
        return f"{match[1]}@{punycode(match[2])}"
    except UnicodeError:
        return None


def _encoded_words(text: str) -> list[str]:
    """``text`` as encoded-words short enough for any first line, split between characters."""
    words, chunk = [], ""
    for char in text:
        encoded = "".join(Q_BYTE[b] for b in char.encode())
        if len(chunk) + len(encoded) > EW_ROOM:
            words.append(f"=?utf-8?q?{chunk}?=")
            chunk = ""
        chunk += encoded
    return [*words, f"=?utf-8?q?{chunk}?="]


def _words(text: str, *, plain) -> list[str] | None:
    """The tokens for ``text`` (single spaces between words): ``plain`` words as they are,
    each run of other words encoded."""
    words = text.split(" ")
    if "" in words or not text.isprintable():
        return None
    tokens, run = [], []
    for word in words:
        if plain(word) and len(word) <= WORD:
            if run:
                tokens += _encoded_words(" ".join(run))
                run = []
            tokens.append(word)
        else:
            run.append(word)
    return tokens + (_encoded_words(" ".join(run)) if run else [])


def _plain_text(word: str) -> bool:
    return word.isascii() and "=?" not in word


def _plain_atom(word: str) -> bool:
    return ATEXT.fullmatch(word) is not None and "=?" not in word


def _phrase(name: str) -> list[str] | None:
    """A display name: atoms as they are, a quoted string when ASCII needs quoting, else
    encoded-words."""
    if not name or " ".join(name.split()) != name or not name.isprintable():
        return None
    if name.isascii() and "=?" not in name:
        if all(ATEXT.fullmatch(word) for word in name.split(" ")):
            return _words(name, plain=_plain_atom)
        quoted = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
        if len(quoted) <= WORD:
            return [quoted]
    return _words(name, plain=_plain_atom)


def _unquoted_name(name: str) -> str | None:
    """The display name as Python's parser reads an unquoted one, when that is unambiguous:
    single spaces between words of letters and atext only."""
    if any(UNFIT.search(word) or not word for word in name.split(" ")):
        return None
    return name


@lru_cache(maxsize=4096)
def mailbox(address: str) -> tuple[tuple[str, ...], str] | None:
    """The tokens of one address as the header shows it, and its envelope addr-spec."""
    if "<" not in address:
        spec = _ascii_addr_spec(address)
        return None if spec is None else ((spec,), spec)
    match = MAILBOX.fullmatch(address)
    if match is None:
        return None
    quoted, bare, spec = match[1], match[2], _ascii_addr_spec(match[3])
    name = _unquoted_name(bare) if quoted is None else re.sub(r"\\(.)", r"\1", quoted)
    tokens = None if name is None or spec is None else _phrase(name)
    return None if tokens is None else ((*tokens, f"<{spec}>"), spec)


def fold(name: str, tokens: list[str]) -> str:
    """``Name: tokens`` with single spaces, folded before a token that would pass 78."""
    lines, line = [], f"{name}:"
    for index, token in enumerate(tokens):
        if len(line) + 1 + len(token) > LINE and index:
            lines.append(line)
            line = ""
        line += " " + token
    lines.append(line)
    return "\r\n".join(lines) + "\r\n"


@lru_cache(maxsize=1024)
def text(name: str, value: str) -> str | None:
    """An unstructured field (Subject): ASCII words as they are, others encoded."""
    if not value:
        return f"{name}: \r\n"
    tokens = _words(value, plain=_plain_text)
    return None if tokens is None else fold(name, tokens)


def addresses(name: str, values: list[str]) -> tuple[str, list[str]] | None:
    """An address field (From, To, Cc, Reply-To) and the envelope addresses in it."""
    if not values:
        return None
    tokens, specs = [], []
    for value in values:
        box = mailbox(value)
        if box is None:
            return None
        tokens += [*box[0][:-1], box[0][-1] + ","]
        specs.append(box[1])
    tokens[-1] = tokens[-1][:-1]
    return fold(name, tokens), specs


def verbatim(name: str, value: str) -> str | None:
    """A field whose value must reach the reader as typed (Message-ID, List-Unsubscribe):
    printable ASCII on one line, never encoded."""
    if not PRINTABLE.fullmatch(value) or "=?" in value or value != " ".join(value.split()):
        return None
    line = f"{name}: {value}\r\n"
    return line if len(line) <= 998 else None
