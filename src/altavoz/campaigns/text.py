"""Organisers write campaign texts as plain text; this turns them into safe HTML.

Blank lines separate paragraphs; lines starting with "- " or "• " form a bullet list and
lines starting with "1. ", "2. " ... a numbered list. Everything is escaped: no markup an
organiser or an attacker types ever reaches the page as HTML.
"""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_BULLET = re.compile(r"^\s*[-•*]\s+")
_NUMBER = re.compile(r"^\s*\d+[.)]\s+")


def _kind(line: str) -> str:
    if _BULLET.match(line):
        return "ul"
    if _NUMBER.match(line):
        return "ol"
    return "p"


def _block_html(kind: str, lines: list[str]) -> str:
    if kind == "p":
        return "<p>" + "<br>".join(escape(line.strip()) for line in lines) + "</p>"
    pattern = _BULLET if kind == "ul" else _NUMBER
    items = "".join(f"<li>{escape(pattern.sub('', line).strip())}</li>" for line in lines)
    return f"<{kind}>{items}</{kind}>"


def blocks(text: str) -> list[tuple[str, list[str]]]:
    """Group the text's lines into (kind, lines) blocks; a blank line always starts a new one."""
    result: list[tuple[str, list[str]]] = []
    for chunk in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()):
        start = len(result)
        for line in chunk.split("\n"):
            kind = _kind(line)
            if len(result) > start and result[-1][0] == kind:
                result[-1][1].append(line)
            else:
                result.append((kind, [line]))
    return result


def render(text: str) -> SafeString:
    return mark_safe("".join(_block_html(kind, lines) for kind, lines in blocks(text)))  # noqa: S308
