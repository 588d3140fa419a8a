"""CSV written for spreadsheets, a line at a time (streamed responses, exports, bulk files)."""

import csv
import re
from collections.abc import Iterable, Iterator

NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def inert(value) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas; neutralise them (a plain
    number such as a longitude, -80.19, is left as it is)."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not NUMBER.match(text):
        return f"'{text}"
    return text


class _Line:
    def write(self, value: str) -> str:
        return value


def lines(rows: Iterable[Iterable]) -> Iterator[str]:
    """Each row as one line of CSV text, every cell made inert."""
    writer = csv.writer(_Line())
    for row in rows:
        yield writer.writerow([inert(value) for value in row])
