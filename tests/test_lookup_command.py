"""`altavoz lookup ADDRESS` prints each district and the official holding it."""

import io

import pytest
from django.core.management import CommandError, call_command

from altavoz.districts.boundaries.definition import definition_load
from altavoz.districts.boundaries.importer import boundary_set_import


def run(*args) -> str:
    out = io.StringIO()
    call_command("lookup", *args, stdout=out)
    return out.getvalue()


def test_it_prints_each_district_and_its_official(city_map):
    boundary_set_import(definition=definition_load("fl-senate"))
    output = run("3500 Pan American Dr, Miami, FL 33133")
    assert "3500 Pan American Dr (-80.234993, 25.728662) via address_points" in output
    assert (
        "City of Miami Commission Districts: District 2 — Commissioner, District 2: Damian Pardo"
        in output
    )
    assert "Florida Senate Districts: Senate District 38 — no official on record" in output
    assert "City of Miami: no map imported" in output


def test_an_unusable_address_is_a_clear_error(city_map):
    with pytest.raises(CommandError, match="PO box"):
        run("PO Box 12, Miami FL 33101")
    with pytest.raises(CommandError, match="could not find this address"):
        run("1 Nowhere Lane, Miami FL 33133")
