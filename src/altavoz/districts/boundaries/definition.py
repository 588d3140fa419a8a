"""A boundary set's definition file (TOML, commented): where the polygons come from, their
vintage, and how the source's fields map to district number, name and OCD-ID.

Shipped definitions live in ``altavoz/data/boundaries/``; ``definition_load`` accepts one
of their names (``fl-senate``) or a path to any ``.toml`` file.

``[source]`` is what an import reads by default (a shipped file where there is one);
``[refresh]``, when present, is the official layer an organiser reads to bring the shipped
copy up to date (``altavoz boundaries import NAME --source refresh``).

Templates (``[fields]`` name, ocd_id, ``[post]`` label) are Python format strings over the
feature's properties and ``number``, with two formats of our own: ``{NAME:title}``
("NORTH MIAMI" -> "North Miami") and ``{NAME:ocd}`` ("NORTH MIAMI" -> "north_miami", as
Open Civic Data spells place names). ``[fields.names]`` gives a district, by number, a name
its template would get wrong.

``[languages.<code>]`` gives the words a page shows in another language (``es``, ``ht``):
``territory``, ``area_label``, the area ``name`` template, the seat's ``role`` and
``label`` template, and ``[languages.<code>.names]`` for the odd area. What a language
leaves out shows in English (a place name such as "Hialeah" is the same in every language).
"""

import string
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import altavoz
from altavoz.languages import other_languages

SHIPPED = Path(altavoz.__file__).parent / "data" / "boundaries"
SOURCE_KINDS = ("geojson", "shapefile", "arcgis")
REFRESH = "refresh"


class DefinitionError(ValueError):
    pass


@dataclass(frozen=True)
class Validation:
    control_points: Path | None = None
    control_column: str = ""
    outside_column: str = ""
    inside_column: str = ""  # "yes": in the area numbered inside_number; "no": not in it
    inside_number: str = ""
    reference_areas: Path | None = None
    reference_layer: str = ""
    area_tolerance: float = 0.01


@dataclass(frozen=True)
class Contacts:
    """Which fields of the layer hold each seat's contact channels (``[contacts]``)."""

    source: str
    as_of: date | None
    phone: str = ""
    website: str = ""
    email: str = ""
    # The layer's name for the person holding the seat: its email is taken only when this
    # is the name of the official holding the seat today (a stale row keeps a former
    # holder's address).
    holder: str = ""


class _TemplateFormatter(string.Formatter):
    def format_field(self, value, format_spec: str):
        if format_spec == "title":
            return str(value).strip().title()
        if format_spec == "ocd":
            return "_".join(str(value).strip().lower().split())
        return super().format_field(value, format_spec)


_FORMATTER = _TemplateFormatter()


@dataclass(frozen=True)
class Definition:
    path: Path
    text: str
    slug: str
    name: str
    authority: str
    area_label: str
    territory: str
    kind: str
    location: str
    vintage: str
    valid_from: date | None
    number_field: str
    strip_leading_zeros: bool
    name_template: str
    ocd_id_template: str
    post_role: str = ""
    post_label: str = ""
    validation: Validation = field(default_factory=Validation)
    refresh_kind: str = ""
    refresh_location: str = ""
    names: dict = field(default_factory=dict)
    places: str = ""
    contacts: Contacts | None = None
    languages: dict = field(default_factory=dict)  # code -> {"territory": ..., "names": {}}

    def source_for(self, source: str | None) -> tuple[str, str]:
        """(kind, location) to read: the definition's own source, its refresh layer
        (``refresh``, or its kind: ``arcgis``), or any file or layer URL given instead (kind
        from its name)."""
        if not source:
            return self.kind, self.location
        if source == REFRESH or (self.refresh_kind and source == self.refresh_kind):
            if not self.refresh_location:
                raise DefinitionError(f"{self.path.name} has no [refresh] layer")
            return self.refresh_kind, self.refresh_location
        return kind_of(source, self.kind), source

    def number_of(self, properties: dict) -> str:
        raw = properties.get(self.number_field)
        if raw is None or str(raw).strip() == "":
            raise DefinitionError(f"a feature has no {self.number_field!r} value: {properties}")
        number = str(raw).strip()
        if isinstance(raw, float) and raw.is_integer():
            number = str(int(raw))
        if self.strip_leading_zeros:
            return number.lstrip("0") or "0"
        return number

    def fill(self, template: str, properties: dict, number: str) -> str:
        try:
            return _FORMATTER.format(template, **{**properties, "number": number})
        except (KeyError, IndexError, ValueError) as exc:
            raise DefinitionError(f"template {template!r}: {exc}") from exc

    def area_name(self, properties: dict, number: str) -> str:
        return self.names.get(number) or self.fill(self.name_template, properties, number)

    def set_translations(self) -> dict:
        """The set's own words in each other language: {"es": {"territory": ...}}."""
        keys = ("territory", "area_label")
        return _present({code: {k: words.get(k, "") for k in keys} for code, words in
                         self.languages.items()})  # fmt: skip

    def area_translations(self, properties: dict | None, number: str) -> dict:
        """An area's name in each other language: its own, or the language's template
        (``properties`` None: the source's fields are not at hand, so only templates that
        need nothing but the number are filled)."""
        names = {}
        for code, words in self.languages.items():
            name = words.get("names", {}).get(number)
            if not name and words.get("name"):
                name = self._fill_if_known(words["name"], properties, number)
            names[code] = {"name": name or ""}
        return _present(names)

    def _fill_if_known(self, template: str, properties: dict | None, number: str) -> str:
        try:
            return self.fill(template, properties or {}, number)
        except DefinitionError:
            if properties is None:
                return ""
            raise

    def post_translations(self, number: str) -> dict:
        """A seat's role and label in each other language."""
        return _present(
            {
                code: {
                    "role": words.get("role", ""),
                    "label": self.fill(words["label"], {}, number) if words.get("label") else "",
                }
                for code, words in self.languages.items()
            }
        )


def _present(translations: dict) -> dict:
    """Only the words that are written: {"es": {"name": ""}} says nothing."""
    kept = {code: {k: v for k, v in words.items() if v} for code, words in translations.items()}
    return {code: words for code, words in kept.items() if words}


def kind_of(location: str, default: str) -> str:
    """The kind of source a location names: a layer URL, a .zip, a .geojson/.json file."""
    lowered = location.lower()
    if lowered.startswith(("http://", "https://")):
        return "arcgis"
    if lowered.endswith(".zip"):
        return "shapefile"
    if lowered.endswith((".geojson", ".json")):
        return "geojson"
    return default


def _require(table: dict, key: str, where: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise DefinitionError(f"{where}: {key!r} is required")
    return value


def _path(base: Path, value: str | None) -> Path | None:
    return (base / value).resolve() if value else None


def _date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise DefinitionError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _source_location(source: dict, base: Path, kind: str) -> str:
    if kind == "arcgis":
        return _require(source, "url", "[source]").rstrip("/")
    return str(_path(base, _require(source, "path", "[source]")))


def _validation(table: dict, base: Path) -> Validation:
    return Validation(
        control_points=_path(base, table.get("control_points")),
        control_column=table.get("control_column", ""),
        outside_column=table.get("outside_column", ""),
        inside_column=table.get("inside_column", ""),
        inside_number=str(table.get("inside_number", "")),
        reference_areas=_path(base, table.get("reference_areas")),
        reference_layer=table.get("reference_layer", ""),
        area_tolerance=float(table.get("area_tolerance", 0.01)),
    )


def _kind(table: dict, where: str) -> str:
    kind = _require(table, "kind", where)
    if kind not in SOURCE_KINDS:
        raise DefinitionError(f"{where} kind {kind!r}: use one of {', '.join(SOURCE_KINDS)}")
    return kind


def _contacts(table: dict | None) -> Contacts | None:
    if not table:
        return None
    return Contacts(
        source=_require(table, "source", "[contacts]"),
        as_of=_date(table.get("as_of")),
        phone=table.get("phone", ""),
        website=table.get("website", ""),
        email=table.get("email", ""),
        holder=table.get("holder", ""),
    )


LANGUAGE_KEYS = {"territory", "area_label", "name", "role", "label", "names"}


def _languages(table: dict, path: Path) -> dict:
    """``[languages.<code>]``: each a language the site offers, with known keys only (a
    misspelt key would silently leave English on the page)."""
    known = {code for code, _name in other_languages()}
    languages = {}
    for code, words in table.items():
        if code not in known:
            raise DefinitionError(f"{path.name}: [languages.{code}]: use one of {sorted(known)}")
        unknown = set(words) - LANGUAGE_KEYS
        if unknown:
            raise DefinitionError(
                f"{path.name}: [languages.{code}] {', '.join(sorted(unknown))}: "
                f"use {', '.join(sorted(LANGUAGE_KEYS))}"
            )
        names = {str(k): str(v) for k, v in words.get("names", {}).items()}
        languages[code] = {**{k: str(v) for k, v in words.items() if k != "names"}, "names": names}
    return languages


def definition_parse(text: str, path: Path) -> Definition:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DefinitionError(f"{path}: not valid TOML: {exc}") from exc
    source, fields, post = data.get("source", {}), data.get("fields", {}), data.get("post", {})
    refresh = data.get("refresh", {})
    kind = _kind(source, "[source]")
    refresh_kind = _kind(refresh, "[refresh]") if refresh else ""
    base = path.parent
    return Definition(
        path=path,
        text=text,
        slug=_require(data, "slug", "top level"),
        name=_require(data, "name", "top level"),
        authority=data.get("authority", ""),
        area_label=data.get("area_label", "District"),
        territory=data.get("territory", ""),
        kind=kind,
        location=_source_location(source, base, kind),
        vintage=_require(source, "vintage", "[source]"),
        valid_from=_date(source.get("valid_from")),
        number_field=_require(fields, "number", "[fields]"),
        strip_leading_zeros=bool(fields.get("strip_leading_zeros", False)),
        name_template=_require(fields, "name", "[fields]"),
        ocd_id_template=_require(fields, "ocd_id", "[fields]"),
        post_role=post.get("role", ""),
        post_label=post.get("label", ""),
        validation=_validation(data.get("validation", {}), base),
        refresh_kind=refresh_kind,
        refresh_location=_source_location(refresh, base, refresh_kind) if refresh else "",
        names={str(k): str(v) for k, v in fields.get("names", {}).items()},
        places=data.get("places", ""),
        contacts=_contacts(data.get("contacts")),
        languages=_languages(data.get("languages", {}), path),
    )


def definition_load(name_or_path: str) -> Definition:
    """A shipped definition by name (``fl-senate``) or any definition file by path."""
    path = Path(name_or_path)
    if not path.suffix:
        path = SHIPPED / f"{name_or_path}.toml"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        shipped = ", ".join(sorted(p.stem for p in SHIPPED.glob("*.toml")))
        raise DefinitionError(f"{path}: {exc.strerror}. Shipped definitions: {shipped}") from exc
    return definition_parse(text, path.resolve())
