"""Import who holds which seat from a roster CSV.

Columns: office, district, name, in_office_since, official_email, source_repo, source_path,
source_commit, source_as_of; optionally the office in other languages, ``office_es``,
``office_ht`` ("Comisionado"), which a seat without its own word in that language takes. A
row's seat is the Post with role = office in the area whose number = district, among the
boundary sets named by the caller. Re-importing the same file
changes nothing; an empty email never overwrites a stored one, and a different one is
recorded and holds the official's letters until platform staff confirm it
(``districts.services``).
"""

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from altavoz import validation
from altavoz.districts.models import Official, Post
from altavoz.districts.services import official_addresses_change
from altavoz.languages import other_languages


class RosterError(ValueError):
    pass


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0


def _post_for(row: dict, set_slugs: list[str], line: int) -> Post:
    try:
        return Post.objects.get(
            role=row["office"],
            area__number=row["district"],
            area__boundary_set__slug__in=set_slugs,
        )
    except Post.DoesNotExist:
        raise RosterError(
            f"line {line}: no {row['office']!r} seat for district {row['district']!r} "
            f"in boundary sets {', '.join(set_slugs)}"
        ) from None


def _email(row: dict, line: int) -> str:
    """The row's delivery address, held to the one rule for addresses (altavoz.validation)."""
    address = (row.get("official_email") or "").strip()
    try:
        if address:
            validation.validate_email_address(address)
    except ValidationError as error:
        raise RosterError(f"line {line}: official_email {address!r}: {error.messages[0]}") from None
    return address


def _source(row: dict) -> str:
    parts = [row.get("source_repo", ""), row.get("source_path", "")]
    commit = row.get("source_commit", "")
    return " ".join(p for p in parts if p) + (f" @ {commit}" if commit else "")


def _date(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def _office_words(post: Post, row: dict) -> None:
    """The seat's role in the languages the roster names it in, where the seat has none."""
    stored = post.translations or {}
    changed = False
    for code, _language in other_languages():
        value = (row.get(f"office_{code}") or "").strip()
        if not value or stored.get(code, {}).get("role"):
            continue
        post.translation_set(code, "role", value)
        stored, changed = post.translations, True
    if changed:
        post.save(update_fields=["translations", "updated_at"])


@transaction.atomic
def import_roster(path: Path, *, set_slugs: list[str]) -> ImportReport:
    report = ImportReport()
    with path.open(newline="", encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            post = _post_for(row, set_slugs, line)
            _office_words(post, row)
            email = _email(row, line)
            defaults = {
                "source": _source(row),
                "source_as_of": _date(row.get("source_as_of", "")),
            }
            official, created = Official.objects.update_or_create(
                post=post,
                name=row["name"],
                start_date=_date(row.get("in_office_since", "")),
                defaults=defaults,
                create_defaults={**defaults, "email": email},
            )
            if email and not created:  # recorded, and the letters held until confirmed
                official_addresses_change(
                    official=official, new={"email": email}, by=f"roster import {path.name}"
                )
            report.created += created
            report.updated += not created
    return report
