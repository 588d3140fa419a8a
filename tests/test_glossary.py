"""One word for one thing: a short glossary per language (locale/<code>/GLOSSARY.md) that the
catalogues, the campaign texts and the data's labels follow. An interface message whose
English names a term uses the glossary's word; no text uses a variant the glossary forbids
("comisionado(a)" beside "comisionado", "Tablo bò")."""

import json
import re
from pathlib import Path

import pytest

from altavoz.campaigns.models import Campaign
from altavoz.districts.boundaries.definition import SHIPPED, definition_load
from test_languages import po_entries

SRC = Path(__file__).resolve().parents[1] / "src" / "altavoz"
FIXTURE = SRC / "campaigns" / "fixtures" / "miami_287g.json"
REQUIRED = {
    "commissioner", "district", "City Commission", "287(g)", "ICE", "petition", "letter",
    "signature", "deliver", "supporter", "organiser", "dashboard", "merge field",
}  # fmt: skip
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{[^}]*\}")


def glossary(language: str) -> dict[str, list[dict]]:
    """Each section's rows: English, the word, the words also accepted, the ones never."""
    sections: dict[str, list[dict]] = {}
    section = ""
    for line in (SRC / "locale" / language / "GLOSSARY.md").read_text().splitlines():
        if line.startswith("## "):
            section = line[3:].strip()
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not line.startswith("|") or len(cells) < 4 or set(cells[0]) <= {"-"}:
            continue
        if cells[0] == "English":
            continue
        terms = [re.findall(r"`([^`]+)`", cell) for cell in cells[1:4]]
        sections.setdefault(section, []).append(
            {"en": cells[0], "use": terms[0], "also": terms[1], "never": terms[2]}
        )
    return sections


def _found(term: str, text: str) -> bool:
    """``term`` as written (a placeholder's name is no word of the text)."""
    text = PLACEHOLDER.sub("", text)
    return re.search(rf"(?<!\w){re.escape(term)}(?!\w)", text, re.IGNORECASE) is not None


def _named(english: str, text: str) -> bool:
    """Whether an English message names the term: "letters", "delivered" name theirs."""
    pattern = rf"(?<!\w){re.escape(english)}(s|es|ed|y|ies|ing)?(?!\w)"
    return re.search(pattern, text, re.IGNORECASE) is not None


def catalogue(language: str) -> list[dict]:
    """The catalogue's messages (the header aside), with their text unescaped."""
    entries = po_entries(SRC / "locale" / language / "LC_MESSAGES" / "django.po")
    return [
        {"msgid": _unescaped(e["msgid"]), "msgstr": [_unescaped(t) for t in e["msgstr"]]}
        for e in entries
        if e["msgid"]
    ]


def _unescaped(text: str) -> str:
    return text.replace("\\n", "\n").replace('\\"', '"')


def _translations(entry: dict) -> list[str]:
    return entry["msgstr"]


def texts(language: str) -> dict[str, str]:
    """Every text in ``language`` the glossary governs, named by where it is."""
    found = {
        f"django.po: {entry['msgid'][:60]!r}": text
        for entry in catalogue(language)
        for text in _translations(entry)
    }
    for row in json.loads(FIXTURE.read_text()):
        fields = row["fields"]
        if row["model"] == "campaigns.campaigntranslation" and fields["language"] == language:
            for name in Campaign.TRANSLATABLE_FIELDS:
                found[f"campaign text {name}"] = fields.get(name, "")
        for name, word in fields.get("translations", {}).get(language, {}).items():
            found[f"fixture {row['model']} {name}: {word}"] = word
    for path in SHIPPED.glob("*.toml"):
        words = definition_load(str(path)).languages.get(language, {})
        for name, word in words.items():
            found[f"{path.name} {name}"] = json.dumps(word, ensure_ascii=False)
    return found


@pytest.mark.parametrize("language", ["es", "ht"])
def test_each_glossary_names_the_required_terms(language):
    rows = glossary(language)["Interface and data"]
    assert {row["en"] for row in rows} >= REQUIRED
    assert all(row["use"] for row in rows)


@pytest.mark.parametrize("language", ["es", "ht"])
def test_no_text_uses_a_variant_the_glossary_forbids(language):
    forbidden = [term for rows in glossary(language).values() for row in rows
                 for term in row["never"]]  # fmt: skip
    assert "Tablo bò" in forbidden or "comisionado(a)" in forbidden
    uses = {
        where: term
        for where, text in texts(language).items()
        for term in forbidden
        if _found(term, text)
    }
    assert uses == {}


@pytest.mark.parametrize("language", ["es", "ht"])
def test_each_interface_message_naming_a_term_uses_the_glossarys_word(language):
    rows = glossary(language)["Interface and data"]
    astray = []
    for entry in catalogue(language):
        english = PLACEHOLDER.sub("", entry["msgid"])
        for row in rows:
            if not _named(row["en"], english):
                continue
            accepted = [word.lower() for word in row["use"] + row["also"]]
            for text in _translations(entry):
                if not any(word in text.lower() for word in accepted):
                    astray.append((row["en"], entry["msgid"][:60], text[:80]))
    assert astray == []


def test_the_checks_notice_a_forbidden_or_missing_word():
    assert _found("comisionado(a)", "Su comisionado(a): Distrito 2")
    assert not _found("comisionado(a)", "Su comisionado: Distrito 2")
    assert _found("Tablo bò", "Ale nan tablo bò a")
    assert not _found("pulse", "impulse")
