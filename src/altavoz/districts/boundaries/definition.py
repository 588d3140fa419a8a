"""A boundary set's definition file (TOML, commented): where the polygons come from, their
vintage, and how the source's fields map to district number, name and OCD-ID.

Shipped definitions live in ``altavoz/data/boundaries/``; ``definition_load`` accepts one
of their names (``fl-senate``) or a path to any ``.toml`` file.
"""

import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import altavoz

SHIPPED = Path(altavoz.__file__).parent / "data" / "boundaries"
SOURCE_KINDS = ("geojson", "shapefile", "arcgis")


class DefinitionError(ValueError):
    pass


@dataclass(frozen=True)
class Validation:
    control_points: Path | None = None
    control_column: str = ""
    outside_column: str = ""
    reference_areas: Path | None = None
    reference_layer: str = ""
    area_tolerance: float = 0.01


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
            return template.format(**{**properties, "number": number})
        except (KeyError, IndexError, ValueError) as exc:
            raise DefinitionError(f"template {template!r}: {exc}") from exc


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
        raise DefinitionError(f"valid_from {value!r} is not a date (YYYY-MM-DD)") from None


def _source_location(source: dict, base: Path, kind: str) -> str:
    if kind == "arcgis":
        return _require(source, "url", "[source]").rstrip("/")
    return str(_path(base, _require(source, "path", "[source]")))


def _validation(table: dict, base: Path) -> Validation:
    return Validation(
        control_points=_path(base, table.get("control_points")),
        control_column=table.get("control_column", ""),
        outside_column=table.get("outside_column", ""),
        reference_areas=_path(base, table.get("reference_areas")),
        reference_layer=table.get("reference_layer", ""),
        area_tolerance=float(table.get("area_tolerance", 0.01)),
    )


def definition_parse(text: str, path: Path) -> Definition:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DefinitionError(f"{path}: not valid TOML: {exc}") from exc
    source, fields, post = data.get("source", {}), data.get("fields", {}), data.get("post", {})
    kind = _require(source, "kind", "[source]")
    if kind not in SOURCE_KINDS:
        raise DefinitionError(f"[source] kind {kind!r}: use one of {', '.join(SOURCE_KINDS)}")
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
