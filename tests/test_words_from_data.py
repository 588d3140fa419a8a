"""No English from data on a Spanish or Haitian Creole page or email: district names, seat
labels, roles and territories come in the reader's language, from the boundary definitions
(``[languages.<code>]``), the demo's fixture and the admin. Every public page state and
every supporter email is rendered in ``es`` and ``ht`` with the shipped maps, and none may
show an English word that the data has a translation for."""

import json
import re

import pytest
import shapely
from django.core import mail
from django.core.management import call_command

from altavoz import kept
from altavoz.campaigns.models import Campaign, Signature
from altavoz.delivery import tokens
from altavoz.delivery.tasks import send_signature_link
from altavoz.districts import selectors
from altavoz.districts.boundaries.definition import (
    SHIPPED,
    DefinitionError,
    definition_load,
    definition_parse,
)
from altavoz.districts.boundaries.importer import boundary_set_words_update
from altavoz.districts.models import Area, BoundarySet, Post
from synthetic_city import SCHOOLS, a_school_in, control_point, schools

PREFIX = {"es": "/es", "ht": "/ht"}
ENGLISH_FROM_DATA_SEEN_BEFORE = ("District 2", "Commissioner, District 2", "the City of Miami")


def english_words(language: str) -> set[str]:
    """Every English word from the data that has its own ``language`` version: the page in
    that language must show the translation, never this."""
    words = set()
    for model in (BoundarySet, Area, Post):
        for row in model.objects.all():
            for field in model.TRANSLATED_FIELDS:
                english = getattr(row, field)
                translated = (row.translations or {}).get(language, {}).get(field)
                if english and translated and translated != english:
                    words.add(english)
    return words


def english_in(text: str, words: set[str]) -> list[str]:
    """The words that appear in ``text`` as whole words (case as stored)."""
    return sorted(w for w in words if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text))


class Reader:
    """Collects what a reader of one language is shown, state by state."""

    def __init__(self, language: str):
        self.language = language
        self.shown: dict[str, str] = {}

    def page(self, state: str, response, status: int = 200) -> str:
        assert response.status_code == status, (state, response.status_code)
        text = response.content.decode()
        assert f'<html lang="{self.language}">' in text or state.startswith("json"), state
        self.shown[state] = text
        return text

    def json(self, state: str, response) -> dict:
        answer = response.json()
        self.shown[f"json {state}"] = json.dumps(answer, ensure_ascii=False)
        return answer

    def email(self, state: str, message) -> None:
        html = "".join(content for content, _type in getattr(message, "alternatives", []))
        self.shown[f"email {state}"] = f"{message.subject}\n{message.body}\n{html}"

    def english(self) -> dict[str, list[str]]:
        words = english_words(self.language)
        assert set(ENGLISH_FROM_DATA_SEEN_BEFORE) <= words
        found = {state: english_in(text, words) for state, text in self.shown.items()}
        return {state: english for state, english in found.items() if english}


@pytest.fixture
def offline(settings, tmp_path):
    """The shipped address points, and City Hall (District 2) at its recorded point."""
    points = tmp_path / "points.csv"
    lon, lat = control_point("Miami City Hall")
    text = SCHOOLS.read_text(encoding="utf-8").rstrip("\n")
    header = text.split("\n", 1)[0].split(",")
    row = {"address": "3500 Pan American Dr", "zip": "33133", "lon": str(lon), "lat": str(lat)}
    points.write_text(text + "\n" + ",".join(row.get(h, "") for h in header) + "\n")
    settings.GEOCODERS = ["address_points"]
    settings.GEOCODER_ADDRESS_POINTS_FILE = str(points)
    settings.DELIVERY_NOTIFY_SUPPORTERS = True


def _unincorporated_school() -> dict:
    return next(r for r in schools() if r["municipality_per_source"] == "Miami-Dade")


def _real_post(supporter_post, school: dict | None = None, **overrides) -> dict:
    """A signature POST for the real maps: City Hall (District 2) unless a school is named."""
    where = {"street_address": school["address"], "zip_code": school["zip"]} if school else {}
    return supporter_post(**{**where, **overrides})


def _district_line_point(campaign) -> tuple[float, float]:
    """A point on the line between Districts 1 and 4 (close to both: "near_line")."""
    index = selectors.area_index(selectors.version_in_force(campaign.target_set))
    one, four = (
        index.geometries[index.keys.index(campaign.target_set.areas.get(number=n).pk)]
        for n in ("1", "4")
    )
    point = one.boundary.intersection(four.boundary).representative_point()
    return point.x, point.y


def _edge_of_the_city(campaign) -> tuple[float, float]:
    city = shapely.union_all(
        selectors.area_index(selectors.version_in_force(campaign.target_set)).geometries
    )
    places = selectors.area_index(selectors.version_in_force("miami-dade-municipalities"))
    miami = Area.objects.get(boundary_set__slug="miami-dade-municipalities", number="01")
    edge = places.geometries[places.keys.index(miami.pk)].difference(city.buffer(0.001))
    point = edge.representative_point()
    return point.x, point.y


def _campaign_states(reader, client, campaign, supporter_post, district):
    act = f"{PREFIX[reader.language]}/act/miami-287g/"
    reader.page("new visitor", client.get(act))
    reader.page("district picked on the map", client.get(act, {"district": "2"}))
    reader.page("form error", client.post(act, supporter_post(zip_code="1")), 400)
    no_district = supporter_post(area=None)
    reader.page("found without JavaScript", client.post(act, no_district))
    hialeah = _real_post(supporter_post, a_school_in("Hialeah"), area=None)
    reader.page("outside, in another municipality", client.post(act, hialeah), 400)
    away = _real_post(supporter_post, _unincorporated_school(), area=None)
    reader.page("outside, unincorporated", client.post(act, away), 400)
    wrong = supporter_post(area=str(district(3).pk))
    reader.page("chosen district refused", client.post(act, wrong), 400)
    Campaign.objects.filter(pk=campaign.pk).update(nonresidents=Campaign.Nonresidents.PETITION)
    kept.forget()  # the campaign as kept for a few seconds
    reader.page("petition offered", client.post(act, hialeah))
    petition = {**hialeah, "petition_only": "1", "email": "outside@example.com"}
    reader.page("petition-only thanks", client.post(act, petition, follow=True))


def _lookup_states(reader, client, campaign):
    lookup = f"{PREFIX[reader.language]}/act/miami-287g/lookup/"
    found = reader.json("found", client.get(lookup, {"street": "3500 Pan American Dr",
                                                     "zip": "33133"}))  # fmt: skip
    assert found["status"] == "found"
    lon, lat = _district_line_point(campaign)
    assert reader.json("near_line", client.get(lookup, {"lon": lon, "lat": lat}))["status"] == (
        "near_line"
    )
    for state, (lon, lat) in {
        "outside the county": control_point("Fort Lauderdale"),
        "edge of the city": _edge_of_the_city(campaign),
    }.items():
        answer = reader.json(state, client.get(lookup, {"lon": lon, "lat": lat}))
        assert answer["status"] == "outside", state
    school = _unincorporated_school()
    reader.json("unincorporated", client.get(lookup, {"street": school["address"],
                                                      "zip": school["zip"]}))  # fmt: skip


def _signature_states(reader, client, supporter_post, emailed_links, drain):
    act = f"{PREFIX[reader.language]}/act/miami-287g/"
    with emailed_links():
        thanks = client.post(act, supporter_post(), follow=True)
    reader.page("thanks", thanks)
    signature = Signature.objects.get(person__email="maria.lopez@example.com")
    assert signature.language == reader.language
    link = tokens.signature_url(signature).removeprefix("http://127.0.0.1:8000")
    reader.page("signature page", client.get(link))
    reader.page("signature change page", client.get(link + "change/"))
    drain()
    for message in mail.outbox:
        reader.email(f"{message.subject} to {message.to[0]}", message)
    mail.outbox.clear()
    with emailed_links() as sent:
        client.post(act, supporter_post(), follow=True)  # signing again: the review link
    for message in sent:
        reader.email(f"review link: {message.subject}", message)
    found = re.search(r"(/(es|ht))?/unsubscribe/[^\s\"<>]+/", reader_delivered_notice(reader))
    unsubscribe = found.group(0)
    reader.page("unsubscribe", client.get(unsubscribe), 200)


def reader_delivered_notice(reader) -> str:
    return next(text for state, text in reader.shown.items() if "unsubscribe" in text.lower())


def _double_opt_in_states(reader, client, campaign, supporter_post):
    Campaign.objects.filter(pk=campaign.pk).update(double_opt_in=True)
    kept.forget()
    act = f"{PREFIX[reader.language]}/act/miami-287g/"
    email = "pending@example.com"
    reader.page("thanks, confirm first", client.post(act, supporter_post(email=email), follow=True))
    signature = Signature.objects.get(person__email=email)
    mail.outbox.clear()
    send_signature_link.call(str(signature.pk))
    (message,) = mail.outbox
    reader.email("confirm your signature", message)
    link = tokens.signature_url(signature).removeprefix("http://127.0.0.1:8000")
    reader.page("confirm page", client.get(link))
    reader.page("confirmed", client.post(link))


@pytest.mark.parametrize("language", ["es", "ht"])
def test_no_page_or_email_shows_an_english_word_from_data(
    client, miami_maps, addressed, offline, supporter_post, district, emailed_links, drain,
    language,
):  # fmt: skip
    """The supporter sends the letter of their language (the English one is their words)."""
    letter = miami_maps.translations.get(language=language).letter_body
    english_post = supporter_post

    def supporter_post(**overrides):
        return english_post(**{"letter_body": letter, **overrides})

    reader = Reader(language)
    _signature_states(reader, client, supporter_post, emailed_links, drain)
    _campaign_states(reader, client, miami_maps, supporter_post, district)
    _lookup_states(reader, client, miami_maps)
    _double_opt_in_states(reader, client, miami_maps, supporter_post)
    Campaign.objects.filter(pk=miami_maps.pk).update(status=Campaign.Status.CLOSED)
    kept.forget()
    reader.page("closed", client.get(f"{PREFIX[language]}/act/miami-287g/"))
    assert len(reader.shown) >= 25
    assert reader.english() == {}


def test_the_checker_finds_the_english_it_is_looking_for(miami):
    words = english_words("es")
    assert "District 2" in english_in("Su comisionado: District 2 — Damian Pardo", words)
    assert "the City of Miami" in english_in("no está en the City of Miami.", words)
    assert english_in("Comisionado del Distrito 2; Distrito 12", words) == []


@pytest.mark.parametrize(
    ("language", "line", "seat", "place"),
    [
        ("es", "Su representante en la Comisión: Distrito 2 — Damian Pardo",
         "Comisionado del Distrito 2: Damian Pardo", "no en la Ciudad de Miami"),
        ("ht", "Komisyonè ou: Distri 2 — Damian Pardo", "Komisyonè Distri 2: Damian Pardo",
         "li pa nan Vil Miami"),
    ],
)  # fmt: skip
def test_the_district_seat_and_city_are_named_in_the_pages_language(
    client, miami_maps, addressed, offline, supporter_post, language, line, seat, place
):
    act = f"{PREFIX[language]}/act/miami-287g/"
    answer = client.get(act + "lookup/", {"street": "3500 Pan American Dr", "zip": "33133"})
    assert answer.json()["message"] == line
    thanks = client.post(act, supporter_post(), follow=True).content.decode()
    assert seat in thanks
    school = a_school_in("Hialeah")
    outside = client.get(act + "lookup/", {"street": school["address"], "zip": school["zip"]})
    assert place in outside.json()["message"]
    assert "Hialeah" in outside.json()["message"]


def test_the_delivered_notice_names_the_official_without_an_english_role(sign, drain, settings):
    settings.DELIVERY_NOTIFY_SUPPORTERS = True
    sign(language="es", email="ana@example.com")
    drain()
    (notice,) = [m for m in mail.outbox if m.to == ["ana@example.com"]]
    assert notice.subject == "Su mensaje para Damian Pardo fue entregado"
    assert "Commissioner" not in notice.body


def test_the_district_map_names_each_district_in_the_pages_language(client, miami_maps):
    html = client.get("/ht/act/miami-287g/").content.decode()
    assert 'aria-label="Distri 2 sou kat la"' in html
    english = client.get("/act/miami-287g/").content.decode()
    assert 'aria-label="District 2 on the map"' in english


def test_a_page_kept_in_memory_names_districts_in_each_requests_language(client, miami):
    """The areas and the campaign are kept across requests: the names follow each request."""
    for _ in range(2):
        for language, name in (("es", "Distrito 2"), ("en", "District 2"), ("ht", "Distri 2")):
            prefix = PREFIX.get(language, "")
            html = client.get(f"{prefix}/act/miami-287g/").content.decode()
            assert f"{name} — Damian Pardo" in html, language


# Where the words come from: the definitions, the import, the admin.


@pytest.mark.parametrize("path", sorted(SHIPPED.glob("*.toml")), ids=lambda p: p.stem)
def test_every_shipped_definition_names_its_territory_and_seats_in_each_language(path):
    definition = definition_load(str(path))
    assert set(definition.languages) == {"es", "ht"}
    for code, words in definition.languages.items():
        assert words.get("territory"), code
        if definition.post_role:
            assert words.get("role") and "{number}" in words.get("label", ""), code
        assert words.get("name") or words.get("names"), code


def test_a_definition_refuses_an_unknown_language_or_word(tmp_path):
    text = (SHIPPED / "miami-commission.toml").read_text()
    with pytest.raises(DefinitionError, match=r"languages\.fr"):
        definition_parse(text + '\n[languages.fr]\nterritory = "la Ville de Miami"\n',
                         SHIPPED / "miami-commission.toml")  # fmt: skip
    misspelt = text.replace('[languages.ht]\nterritory = "Vil Miami"',
                            '[languages.ht]\nteritory = "Vil Miami"')  # fmt: skip
    with pytest.raises(DefinitionError, match="teritory"):
        definition_parse(misspelt, SHIPPED / "miami-commission.toml")


def test_the_import_writes_each_districts_and_seats_words(city_map, district):
    area = district(2)
    assert area.translations == {"es": {"name": "Distrito 2"}, "ht": {"name": "Distri 2"}}
    post = area.posts.get()
    assert post.translated("label", "es") == "Comisionado del Distrito 2"
    assert post.translated("label", "ht") == "Komisyonè Distri 2"
    assert area.boundary_set.translated("territory", "es") == "la Ciudad de Miami"


def test_a_seats_words_changed_in_the_admin_survive_a_new_import(miami, district):
    post = district(2).posts.get()
    post.translation_set("es", "label", "Comisión, Distrito 2")
    post.save()
    boundary_set_words_update(definition=definition_load("miami-commission"))
    post.refresh_from_db()
    assert post.translated("label", "es") == "Comisión, Distrito 2"
    assert post.translated("label", "ht") == "Komisyonè Distri 2"


def test_the_words_command_writes_a_stored_sets_words(miami):
    BoundarySet.objects.filter(slug="miami-commission-districts").update(translations={})
    Area.objects.update(translations={})
    call_command("boundaries", "words", "miami-commission", stdout=open("/dev/null", "w"))  # noqa: SIM115
    area = Area.objects.get(boundary_set__slug="miami-commission-districts", number="4")
    assert area.translated("name", "ht") == "Distri 4"
    assert area.boundary_set.translated("territory", "ht") == "Vil Miami"


def test_platform_staff_edit_a_districts_words_in_the_admin(admin_client, client, miami, district):
    area = district(2)
    url = f"/admin/districts/area/{area.pk}/change/"
    form = admin_client.get(url).content.decode()
    assert 'name="name_es" value="Distrito 2"' in form
    assert 'name="name_ht" value="Distri 2"' in form
    response = admin_client.post(
        url,
        {"boundary_set": str(area.boundary_set_id), "ocd_id": area.ocd_id, "number": "2",
         "name": "District 2", "name_es": "Distrito Dos", "name_ht": ""},
    )  # fmt: skip
    assert response.status_code == 302
    area.refresh_from_db()
    assert area.translations == {"es": {"name": "Distrito Dos"}}
    assert "Distrito Dos — Damian Pardo" in client.get("/es/act/miami-287g/").content.decode()
    assert "District 2 — Damian Pardo" in client.get("/ht/act/miami-287g/").content.decode()


def test_organisers_read_the_words_they_may_not_change(client, organisers, district):
    client.force_login(organisers.a)
    post = district(2).posts.get()
    page = client.get(f"/admin/districts/post/{post.pk}/change/").content.decode()
    assert "Comisionado del Distrito 2" in page
    assert 'name="label_es"' not in page


def test_recent_participants_name_the_district_in_each_requests_language(client, sign):
    """The live column is kept per language: one signer's district, in each language."""
    sign(first_name="Ana", last_name="Ruiz")
    for _ in range(2):
        for prefix, name in (("/ht", "Distri 2"), ("", "District 2"), ("/es", "Distrito 2")):
            html = client.get(f"{prefix}/act/miami-287g/").content.decode()
            recent = html.split('class="recent"', 1)[1]
            assert f"Ana R.</span> · {name} ·" in recent, prefix
