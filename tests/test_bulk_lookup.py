"""Bulk matching for organisers: `altavoz lookup --csv IN.csv -o OUT.csv` and the upload,
streamed, every row answered with its districts and officials or why not; and the command
line's help before anything is configured."""

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from altavoz.districts import bulk
from synthetic_city import SCHOOLS, a_school_in, control_point

CITY = "City of Miami Commission Districts"
COUNTY = "Miami-Dade County Commission Districts"
PLACES = "Miami-Dade Municipalities"
ALTAVOZ = Path(sys.executable).with_name("altavoz")


@pytest.fixture
def offline(settings):
    settings.GEOCODERS = ["address_points"]
    settings.GEOCODER_ADDRESS_POINTS_FILE = str(SCHOOLS)


def _write(path: Path, header: list[str], rows: list[list]) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _read(path: Path) -> list[dict]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def _pace(school: dict) -> list:
    return ["Ana", school["address"], school["zip"]]


def test_each_row_gets_its_districts_officials_and_municipality(
    miami_maps, offline, tmp_path, capsys
):
    pace = next(r for r in bulk_rows() if r["source"].endswith("OBJECTID 339"))
    hialeah = a_school_in("Hialeah")
    rows = [
        _pace(pace),
        ["Ben", hialeah["address"], hialeah["zip"]],
        ["Cy", "1 Nowhere Lane", "33133"],
        ["Di", "PO Box 12", "33101"],
        ["Ed", "=HYPERLINK(1)", "33133"],
    ]
    source = _write(tmp_path / "in.csv", ["name", "Address", "ZIP"], rows)
    call_command("lookup", "--csv", str(source), "-o", str(tmp_path / "out.csv"))
    out = _read(tmp_path / "out.csv")
    assert [r["name"] for r in out] == ["Ana", "Ben", "Cy", "Di", "Ed"]
    ana, ben, cy, di, ed = out
    assert (ana["status"], ana[CITY], ana[f"{CITY}: official"]) == (
        "matched",
        "District 1",
        "Miguel Angel Gabela",
    )
    assert (ana[COUNTY], ana[PLACES]) == ("District 3", "Miami")
    assert (ben[CITY], ben[COUNTY], ben[PLACES]) == ("", "District 12", "Hialeah")
    assert ben["matched_lon"].startswith("-80.") and ben["matched_lat"].startswith("25.")
    assert (cy["status"], cy["note"]) == ("no_match", "address not found")
    assert di["status"] == "invalid" and "PO box" in di["note"]
    assert ed["Address"] == "'=HYPERLINK(1)"  # a formula is written inert
    assert "5 rows in" in capsys.readouterr().err


def bulk_rows() -> list[dict]:
    with SCHOOLS.open(newline="") as handle:
        return list(csv.DictReader(handle))


def test_rows_with_coordinates_are_placed_by_them_and_near_lines_are_noted(
    miami_maps, tmp_path, district
):
    overlap = _overlap_point(miami_maps, district)
    rows = [["a", *control_point("Miami City Hall")], ["b", *overlap], ["c", "x", "y"]]
    source = _write(tmp_path / "points.csv", ["id", "lon", "lat"], rows)
    out_path = tmp_path / "out.csv"
    call_command("lookup", "--csv", str(source), "-o", str(out_path), "--set",
                 "miami-commission-districts")  # fmt: skip
    a, b, c = _read(out_path)
    assert list(a) == ["id", "lon", "lat", *bulk.FIELDS, CITY, f"{CITY}: official"]
    assert (a[CITY], a[f"{CITY}: official"]) == ("District 2", "Damian Pardo")
    assert b[CITY] == "District 1"  # the tie-break: the lower number
    assert b["note"] == f"{CITY}: close to a line (also District 4)"
    assert (c["status"], c["note"]) == ("invalid", "lon/lat are not coordinates")


def _overlap_point(campaign, district) -> tuple[float, float]:
    import shapely

    from altavoz.districts import selectors

    index = selectors.area_index(selectors.version_in_force(campaign.target_set))
    one, four = (index.geometries[index.keys.index(district(n).pk)] for n in (1, 4))
    point = max(shapely.get_parts(one.intersection(four)), key=lambda p: p.area)
    middle = point.representative_point()
    return middle.x, middle.y


def test_matching_streams_a_row_at_a_time(miami_maps):
    """The first row comes out before the second is read: a 100,000-row file never needs
    100,000 rows in memory."""
    read = []

    def lines():
        yield "lon,lat\n"
        for n in range(100_000):
            read.append(n)
            yield "-80.234992579394,25.728661855119\n"

    report = bulk.Report()
    rows = bulk.match_rows(lines(), bulk.sets_in_force(), report)
    next(rows)  # the header
    first = next(rows)
    assert first[2] == "matched" and len(read) == 1
    assert sum(1 for _ in rows) == 99_999 and report.rows == 100_000
    assert report.rows_per_second > 0


def test_a_file_without_address_or_coordinates_is_refused(miami_maps, tmp_path):
    source = _write(tmp_path / "bad.csv", ["name", "email"], [["a", "b"]])
    with pytest.raises(CommandError, match="needs an 'address' column"):
        call_command("lookup", "--csv", str(source), "-o", str(tmp_path / "o.csv"))


def test_without_any_map_the_command_says_to_import_one(miami, tmp_path):
    source = _write(tmp_path / "in.csv", ["lon", "lat"], [["-80.2", "25.7"]])
    with pytest.raises(CommandError, match="import one first"):
        call_command("lookup", "--csv", str(source))


# The upload, for organisers


def _upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("members.csv", text.encode(), content_type="text/csv")


def _upload_url(campaign) -> str:
    return f"/organise/organisations/{campaign.organisation_id}/lookup/"


def test_an_organiser_uploads_their_list_and_gets_it_back_matched(
    client, miami_maps, organisers, offline
):
    client.force_login(organisers.a)
    page = client.get(_upload_url(miami_maps))
    assert page.status_code == 200 and "Match and download" in page.content.decode()
    hialeah = a_school_in("Hialeah")
    text = f"name,address,zip\nBen,{hialeah['address']},{hialeah['zip']}\n"
    response = client.post(_upload_url(miami_maps), {"addresses": _upload(text)})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="altavoz-demo-districts.csv"'
    body = b"".join(response.streaming_content).decode()
    (row,) = csv.DictReader(io.StringIO(body))
    assert (row["name"], row["status"], row[PLACES]) == ("Ben", "matched", "Hialeah")


def test_another_organisations_upload_page_is_not_found(client, miami_maps, organisers):
    client.force_login(organisers.b)
    assert client.get(_upload_url(miami_maps)).status_code == 404
    upload = client.post(_upload_url(miami_maps), {"addresses": _upload("lon,lat\n1,2\n")})
    assert upload.status_code == 404
    theirs = f"/organise/organisations/{organisers.other_campaign.organisation_id}/lookup/"
    assert client.get(theirs).status_code == 200


def test_the_upload_is_for_organisers_only(client, miami_maps, django_user_model):
    assert client.get(_upload_url(miami_maps)).status_code == 302  # to sign in
    staff = django_user_model.objects.create_user("staff", password="pw", is_staff=True)
    client.force_login(staff)
    assert client.get(_upload_url(miami_maps)).status_code == 404


def test_an_upload_without_the_columns_is_refused_with_a_reason(client, miami_maps, organisers):
    client.force_login(organisers.a)
    response = client.post(_upload_url(miami_maps), {"addresses": _upload("name,email\na,b\n")})
    assert response.status_code == 400
    assert "must name an address column" in response.content.decode()


def test_the_admin_and_the_dashboard_link_to_the_upload(client, miami_maps, organisers):
    client.force_login(organisers.a)
    link = f'href="{_upload_url(miami_maps)}"'
    assert link in client.get("/admin/").content.decode()
    assert link in client.get(f"/organise/campaigns/{miami_maps.pk}/").content.decode()


# A newcomer's first commands


@pytest.mark.vendor_neutral  # no configuration: the command's own SQLite file
@pytest.mark.parametrize("args", [[], ["--help"], ["lookup", "--help"], ["help", "boundaries"]])
def test_help_works_without_any_configuration(args, tmp_path):
    env = {"PATH": os.environ["PATH"], "ALTAVOZ_VAR_DIR": str(tmp_path)}
    done = subprocess.run(
        [str(ALTAVOZ), *args], env=env, capture_output=True, text=True, cwd=tmp_path, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "lookup" in done.stdout or "boundaries" in done.stdout


@pytest.mark.vendor_neutral  # no configuration: the command's own SQLite file
def test_a_command_without_a_secret_key_says_which_variable_to_set(tmp_path):
    env = {"PATH": os.environ["PATH"], "ALTAVOZ_VAR_DIR": str(tmp_path)}
    done = subprocess.run(
        [str(ALTAVOZ), "migrate"], env=env, capture_output=True, text=True, cwd=tmp_path
    )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == (
        "altavoz: SECRET_KEY is required (or SECRET_KEY_FILE). "
        "Only DEBUG=1 or ALTAVOZ_DEMO=1 may run without one."
    )
    assert "Traceback" not in done.stderr
