"""Import a boundary set from its definition: read, validate, then store in one transaction.

A new vintage closes the version in force the day before it starts (valid_to), so there is
never a day without a map; re-importing with the same or a later start replaces what was
there. Nothing is stored when validation fails.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import shapely
from django.db import transaction
from django.utils import timezone
from shapely.geometry import mapping, shape

from altavoz import kept
from altavoz.districts.boundaries.definition import Definition, DefinitionError
from altavoz.districts.boundaries.readers import Feature, SourceError, features_read
from altavoz.districts.boundaries.validation import Report, boundaries_validate
from altavoz.districts.models import Area, AreaShape, BoundarySet, BoundaryVersion, Post


class BoundaryImportError(ValueError):
    """The source could not be read, or the set failed validation (message says where)."""


@dataclass(frozen=True)
class District:
    number: str
    name: str
    ocd_id: str
    geometry: object
    translations: dict  # the name in each other language: {"es": {"name": "Distrito 2"}}


@dataclass(frozen=True)
class ImportResult:
    version: BoundaryVersion
    districts: int
    closed: int
    replaced: int
    report: Report


def _geometry(feature: Feature, definition: Definition):
    try:
        return shapely.force_2d(shape(feature.geometry))
    except (ValueError, TypeError, AttributeError, KeyError) as exc:
        number = definition.number_of(feature.properties)
        raise BoundaryImportError(f"{definition.area_label} {number}: bad geometry: {exc}") from exc


def districts_from_features(features: list[Feature], definition: Definition) -> dict:
    """District number -> District; several features with one number are merged."""
    parts: dict[str, list] = {}
    first: dict[str, dict] = {}
    for feature in features:
        number = definition.number_of(feature.properties)
        parts.setdefault(number, []).append(_geometry(feature, definition))
        first.setdefault(number, feature.properties)
    districts = {
        number: District(
            number=number,
            name=definition.area_name(first[number], number),
            ocd_id=definition.fill(definition.ocd_id_template, first[number], number),
            geometry=geoms[0] if len(geoms) == 1 else shapely.union_all(geoms),
            translations=definition.area_translations(first[number], number),
        )
        for number, geoms in parts.items()
    }
    _refuse_shared_ocd_ids(districts, definition)
    return districts


def _refuse_shared_ocd_ids(districts: dict, definition: Definition) -> None:
    seen: dict[str, str] = {}
    for number, district in districts.items():
        if district.ocd_id in seen:
            raise BoundaryImportError(
                f"{definition.area_label} {seen[district.ocd_id]} and {number} both map to "
                f"{district.ocd_id}: check [fields] ocd_id in {definition.path.name}"
            )
        seen[district.ocd_id] = number


def _set_upsert(definition: Definition) -> BoundarySet:
    boundary_set, _ = BoundarySet.objects.update_or_create(
        slug=definition.slug,
        defaults={
            "name": definition.name,
            "authority": definition.authority,
            "area_label": definition.area_label,
            "territory": definition.territory,
            "vintage": definition.vintage,
            "source_url": definition.location
            if definition.kind == "arcgis"
            else definition.refresh_location,
            "places": definition.places,
            "translations": definition.set_translations(),
        },
    )
    return boundary_set


def _area_upsert(boundary_set: BoundarySet, district: District, definition: Definition) -> Area:
    area, _ = Area.objects.update_or_create(
        boundary_set=boundary_set,
        ocd_id=district.ocd_id,
        defaults={
            "number": district.number,
            "name": district.name,
            "translations": district.translations,
        },
    )
    if definition.post_role:
        _post_upsert(area, district.number, definition)
    return area


def _post_upsert(area: Area, number: str, definition: Definition) -> None:
    """The district's seat. A seat that exists keeps its labels (the admin may have changed
    them); the definition only adds the words it lacks in a language."""
    label = definition.fill(definition.post_label or "{number}", {}, number)
    translations = definition.post_translations(number)
    post, created = Post.objects.get_or_create(
        area=area,
        role=definition.post_role,
        defaults={"label": label, "translations": translations},
    )
    if not created:
        _post_words_add(post, translations)


def _post_words_add(post: Post, translations: dict) -> None:
    """Add the words a seat lacks in each language; the ones it has stay."""
    stored = post.translations or {}
    merged = {**stored}
    for code, words in translations.items():
        merged[code] = {**words, **stored.get(code, {})}
    if merged != stored:
        post.translations = merged
        post.save(update_fields=["translations", "updated_at"])


@transaction.atomic
def boundary_set_words_update(*, definition: Definition) -> int:
    """Write the definition's words in each language (``[languages]``) on the stored set,
    its areas and their seats, without reading the map: an area name template that needs
    the source's fields is left to the next import. Returns how many areas were updated."""
    try:
        boundary_set = BoundarySet.objects.get(slug=definition.slug)
    except BoundarySet.DoesNotExist:
        raise BoundaryImportError(f"{definition.slug}: not imported yet") from None
    boundary_set.translations = definition.set_translations()
    boundary_set.save(update_fields=["translations", "updated_at"])
    areas = list(boundary_set.areas.all())
    for area in areas:
        area.translations = definition.area_translations(None, area.number)
        area.save(update_fields=["translations", "updated_at"])
        for post in area.posts.filter(role=definition.post_role):
            _post_words_add(post, definition.post_translations(area.number))
    kept.forget()
    return len(areas)


def _close_previous(boundary_set: BoundarySet, start: date) -> tuple[int, int]:
    """Versions starting on/after ``start`` are replaced; earlier ones end the day before."""
    active = BoundaryVersion.objects.select_for_update().filter(
        boundary_set=boundary_set, is_active=True
    )
    replaced = active.filter(valid_from__gte=start).update(is_active=False)
    open_ended = active.filter(valid_from__lt=start).exclude(valid_to__lt=start)
    closed = open_ended.update(valid_to=start - timedelta(days=1))
    return closed, replaced


@transaction.atomic
def _store(definition, districts, report, *, start: date, source: str) -> ImportResult:
    boundary_set = _set_upsert(definition)
    closed, replaced = _close_previous(boundary_set, start)
    version = BoundaryVersion.objects.create(
        boundary_set=boundary_set,
        vintage=definition.vintage,
        source=source,
        definition=definition.text,
        valid_from=start,
        validation_report=report.text(),
    )
    AreaShape.objects.bulk_create(
        AreaShape(
            version=version,
            area=_area_upsert(boundary_set, district, definition),
            geometry=mapping(district.geometry),
        )
        for district in districts.values()
    )
    return ImportResult(version, len(districts), closed, replaced, report)


def boundary_set_import(
    *, definition: Definition, valid_from: date | None = None, source: str | None = None
) -> ImportResult:
    """Read the source the definition names (or ``source``: a file, a layer URL, or
    ``refresh`` for the definition's official layer), validate, store."""
    try:
        kind, location = definition.source_for(source)
        districts = districts_from_features(features_read(kind, location), definition)
    except (SourceError, DefinitionError) as exc:
        raise BoundaryImportError(str(exc)) from exc
    if not districts:
        raise BoundaryImportError(f"{location}: no features")
    report = boundaries_validate({n: d.geometry for n, d in districts.items()}, definition)
    if not report.ok:
        raise BoundaryImportError(
            f"{definition.slug}: not activated, validation failed:\n{report.text()}"
        )
    start = valid_from or definition.valid_from or timezone.localdate()
    result = _store(definition, districts, report, start=start, source=location)
    kept.forget()  # this process's map in force (other processes see it within seconds)
    return result
