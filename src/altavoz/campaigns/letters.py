"""Merge fields in letters: ``[First Name]`` and friends, filled in when a letter is composed."""

import re

MERGE_FIELDS = ("First Name", "Last Name", "Official Name")
_FIELD = re.compile(r"\[([A-Za-z ]+)\]")
MERGE_NAME = re.compile(r"^[A-Za-z ]+$")  # a question's merge field, written [Name]


def merge_fields_in(text: str) -> set[str]:
    """Every ``[Name]`` written in the text, known or not."""
    return set(_FIELD.findall(text))


def fill(text: str, values: dict[str, str]) -> str:
    """Replace each known merge field by its value; anything else stays as written."""
    return _FIELD.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def compose(
    *, greeting: str, body: str, statement: str, closing: str, values: dict, story: str = ""
) -> str:
    """The letter as sent: fixed greeting, the supporter's own story (their words, as
    typed), the supporter's body, the petition, the closing."""
    parts = [fill(part.strip(), values) for part in (greeting, body, statement, closing)]
    parts.insert(1, story.strip())
    return "\n\n".join(part for part in parts if part) + "\n"
