"""The OpenAPI 3.1 description at /api/v1/schema/ is made from the code, and a client nobody
here wrote, schemathesis, checks the live API against it: no server error, every answer as
the schema says (status, content type, body), every 4xx a problem document, and requests
that break the schema refused. Bounded (examples per operation, a fixed seed) so that
`make test` keeps its time."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from altavoz.api import keys
from altavoz.api import urls as api_urls
from altavoz.api.schema import OPERATIONS, openapi

ST = Path(sys.executable).parent / "st"
CHECKS = ",".join([
    "not_a_server_error", "status_code_conformance", "content_type_conformance",
    "response_schema_conformance", "negative_data_rejection", "missing_required_header",
    "unsupported_method", "ignored_auth",
])  # fmt: skip


def test_every_named_endpoint_is_described():
    named = {p.name for p in api_urls.urlpatterns if p.name and p.name != "schema"}
    assert named == set(OPERATIONS)
    schema = openapi()
    assert schema["openapi"] == "3.1.0"
    assert "/petitions/{pk}/signatures/" in schema["paths"]
    assert set(schema["paths"]["/petitions/{pk}/signatures/"]) >= {"get", "post", "parameters"}
    for name, component in schema["components"]["schemas"].items():
        Draft202012Validator.check_schema(component), name


def test_the_schema_is_served_without_a_key(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200 and response.json()["openapi"] == "3.1.0"


# Once, on PostgreSQL: it refuses more of what a fuzzer sends than SQLite does (NUL bytes,
# strings over a column's length, integers out of range).
@pytest.mark.vendor_neutral
@pytest.mark.django_db(transaction=True)
def test_schemathesis_finds_nothing_wrong_with_the_live_api(
    live_server, miami, organisers, district, settings, tmp_path
):
    from altavoz.campaigns import services
    from altavoz.campaigns.models import Question

    settings.API_RATE_LIMIT = 1_000_000
    asked = Question.objects.create(  # listed by the petition, answered by each signature
        campaign=miami, kind=Question.Kind.SINGLE_CHOICE, label="Renter?", choices="Yes\nNo"
    )
    for n in range(3):
        services.signature_create(
            campaign=miami, email=f"s{n}@example.com", first_name="S", last_name=str(n),
            street_address="1 St", zip_code="33133", letter_body="words", area=district(2),
            source="share", answers={asked.pk.hex: "Yes"},
        )  # fmt: skip
    _, token = keys.apikey_create(organisation=miami.organisation, name="st", scope="write")
    signature = miami.signatures.first()
    config = tmp_path / "schemathesis.toml"
    config.write_text(
        _real_ids(
            person=signature.person_id, campaign=miami.pk, signature=signature.pk,
            outreach=signature.deliveries.first().pk,
        )
    )  # fmt: skip
    report = tmp_path / "report"
    result = subprocess.run(
        [str(ST), "--config-file", str(config), "run", f"{live_server.url}/api/v1/schema/", "--url",
         f"{live_server.url}/api/v1", "-H", f"OSDI-API-Token: {token}", "--checks", CHECKS,
         "--max-examples", "12", "--seed", "18", "--workers", "1", "--phases",
         "examples,coverage,fuzzing", "--request-timeout", "20", "--no-shrink",
         "--report", "ndjson", "--report-dir", str(report), "--output-truncate", "true"],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "passed" in result.stdout.lower()
    events = [json.loads(line) for line in next(report.glob("*.ndjson")).open()]
    assert len(events) > 10


def _real_ids(*, person, campaign, signature, outreach) -> str:
    """Path parameters naming real rows, so that each operation reaches its logic (unknown
    ids are the walk's business in test_api.py)."""
    return f"""
[[operations]]
include-path-regex = "^/people/"
parameters = {{ "path.pk" = "{person}" }}

[[operations]]
include-path-regex = "^/(petitions|advocacy_campaigns)/"
[operations.parameters]
"path.pk" = "{campaign}"
"path.signature_pk" = "{signature}"
"path.outreach_pk" = "{outreach}"

[[operations]]
include-path-regex = "^/tags/"
parameters = {{ "path.name" = "share" }}
"""
