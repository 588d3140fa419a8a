"""The OSDI API (/api/v1/): keys per organisation, every endpoint scoped to the key's
organisation (walked with a second organisation's key), HAL+JSON pages and the incremental
sync filter, problem documents for every refusal."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import URLPattern, reverse
from django.utils import timezone

from altavoz.api import keys
from altavoz.api import urls as api_urls
from altavoz.api.models import ApiKey
from altavoz.campaigns import services
from altavoz.campaigns.models import Campaign, Person
from altavoz.delivery.models import Delivery

HEADER = "HTTP_OSDI_API_TOKEN"


@pytest.fixture
def api(client):
    """``api.get(path, key)``: a request to /api/v1/<path> with that key."""

    class Api:
        def get(self, path, token, **query):
            return client.get(f"/api/v1/{path}", query, **{HEADER: token})

        def post(self, path, token, body):
            return client.post(
                f"/api/v1/{path}", body, content_type="application/json", **{HEADER: token}
            )

    return Api()


@pytest.fixture
def two_orgs(organisers, district, drain, settings):
    """Organisation A (the Miami demo's) with two signers, one letter sent, a source code;
    organisation B with one signer of its own. A read key for each, a write key for A."""
    settings.MAILERS = {
        "default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
        "outbox": {"BACKEND": "altavoz.delivery.channels.email.outbox.OutboxBackend"},
    }
    a_campaign = Campaign.objects.get(slug="miami-287g")
    for n in (1, 2):
        services.signature_create(
            campaign=a_campaign, email=f"asecret{n}@example.com", first_name="Asecret",
            last_name=f"Signer{n}", street_address="1 Asecret St", zip_code="33133",
            letter_body="Asecret words", area=district(2), source="asecretsource",
            consent_updates=n == 1,
        )  # fmt: skip
    b_campaign = Campaign.objects.get(pk=organisers.other_campaign.pk)
    services.signature_create(
        campaign=b_campaign, email="bvisible@example.com", first_name="Bvisible",
        last_name="Signer", street_address="2 B St", zip_code="33133",
        letter_body="Bvisible words", area=district(2), source="bsource",
    )  # fmt: skip
    drain()
    a_org, b_org = a_campaign.organisation, b_campaign.organisation
    _, a_read = keys.apikey_create(organisation=a_org, name="A read", scope="read")
    _, a_write = keys.apikey_create(organisation=a_org, name="A write", scope="write")
    _, b_read = keys.apikey_create(organisation=b_org, name="B read", scope="read")
    return type(
        "World", (), {"a": a_read, "a_write": a_write, "b": b_read, "a_campaign": a_campaign,
                      "b_campaign": b_campaign},
    )  # fmt: skip


def _a_ids(world) -> dict:
    """One id of each of A's resources, for every URL pattern's parameters."""
    signature = world.a_campaign.signatures.first()
    delivery = Delivery.objects.filter(signature__campaign=world.a_campaign).first()
    return {
        "tagging": signature.pk,
        "pk": world.a_campaign.pk,
        "signature_pk": signature.pk,
        "outreach_pk": delivery.pk,
        "name": "asecretsource",
    }


def _patterns() -> list[URLPattern]:
    return [p for p in api_urls.urlpatterns if p.name]


def _url(pattern, ids, person=None) -> str:
    wanted = {k: ids[k] for k in pattern.pattern.converters}
    if pattern.name.startswith("person") and person is not None:
        wanted["pk"] = person
    if pattern.name == "tagging":
        wanted["pk"] = ids["tagging"]
    return reverse(f"api:{pattern.name}", kwargs=wanted)


@pytest.mark.parametrize("pattern", _patterns(), ids=lambda p: p.name)
def test_a_key_of_organisation_b_reads_nothing_of_organisation_a(client, two_orgs, pattern):
    ids = _a_ids(two_orgs)
    a_person = Person.objects.get(email="asecret1@example.com").pk
    url = _url(pattern, ids, person=a_person)
    response = client.get(url, **{HEADER: two_orgs.b})
    body = response.content.decode().lower()
    assert "asecret" not in body, url
    if pattern.pattern.converters:
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/problem+json"
    else:
        assert response.status_code == 200, url
    own = client.get(url, **{HEADER: two_orgs.a})
    assert own.status_code == 200, url


def test_organisation_b_reads_its_own_people(api, two_orgs):
    body = api.get("people/", two_orgs.b).json()
    emails = [p["email_addresses"][0]["address"] for p in body["_embedded"]["osdi:people"]]
    assert emails == ["bvisible@example.com"]


def test_a_missing_or_unknown_key_is_401_and_a_revoked_one_too(api, client, two_orgs):
    response = client.get("/api/v1/people/")
    assert response.status_code == 401
    assert response.json()["status"] == 401 and response["WWW-Authenticate"]
    assert api.get("people/", "avz_not-a-key").status_code == 401
    call_command("apikey", "revoke", ApiKey.objects.get(name="A read").prefix)
    assert api.get("people/", two_orgs.a).status_code == 401


def test_a_read_key_cannot_write(api, two_orgs):
    response = api.post(f"petitions/{two_orgs.a_campaign.pk}/signatures/", two_orgs.a, {})
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert "read but not write" in response.json()["detail"]


def test_each_key_is_rate_limited_with_retry_after(api, two_orgs, settings):
    settings.API_RATE_LIMIT = 3
    for _ in range(3):
        assert api.get("", two_orgs.a).status_code == 200
    refused = api.get("", two_orgs.a)
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert refused.json()["status"] == 429
    assert api.get("", two_orgs.b).status_code == 200  # another key has its own count


def test_keys_are_stored_hashed_and_record_their_last_use(api, two_orgs):
    key = ApiKey.objects.get(name="A read")
    assert two_orgs.a not in (key.key_hash, key.prefix) and two_orgs.a.startswith(key.prefix)
    assert key.key_hash == keys.key_hash(two_orgs.a)
    assert key.last_used_at is None
    api.get("", two_orgs.a)
    key.refresh_from_db()
    assert key.last_used_at is not None


def test_the_command_prints_a_key_once_that_works(api, two_orgs, capsys):
    call_command("apikey", "create", "--organisation", "other-org", "--scope", "write")
    token = capsys.readouterr().out.strip().splitlines()[-1]
    assert re.fullmatch(r"avz_[\w-]{40,}", token)
    body = api.get("", token).json()
    assert body["altavoz:organisation"]["slug"] == "other-org"
    assert body["altavoz:key_scope"] == "write"


def test_the_entry_point_links_every_collection(api, two_orgs):
    body = api.get("", two_orgs.a).json()
    assert body["osdi_version"] and body["max_pagesize"] == 100
    for rel in ("osdi:people", "osdi:petitions", "osdi:advocacy_campaigns", "osdi:tags"):
        assert body["_links"][rel]["href"].startswith("http://127.0.0.1:8000/api/v1/"), rel


def test_a_person_has_email_address_consent_and_links(api, two_orgs):
    people = api.get("people/", two_orgs.a).json()["_embedded"]["osdi:people"]
    person = next(p for p in people if p["family_name"] == "Signer1")
    assert person["identifiers"][0].startswith("altavoz:")
    assert person["email_addresses"] == [
        {"address": "asecret1@example.com", "primary": True, "status": "subscribed"}
    ]
    assert person["postal_addresses"][0]["address_lines"] == ["1 Asecret St"]
    assert person["postal_addresses"][0]["postal_code"] == "33133"
    assert person["altavoz:consent"]["email_updates"] is True
    path = person["_links"]["osdi:signatures"]["href"].split("/api/v1/")[1]
    signatures = api.get(path, two_orgs.a).json()
    assert signatures["total_records"] == 1


def test_pages_follow_osdi(api, two_orgs, district):
    for n in range(3, 8):
        services.signature_create(
            campaign=two_orgs.a_campaign, email=f"more{n}@example.com", first_name="More",
            last_name=str(n), street_address="1 St", zip_code="33133", letter_body="x",
            area=district(2),
        )  # fmt: skip
    first = api.get("people/", two_orgs.a, per_page=3).json()
    assert (first["page"], first["per_page"], first["total_pages"], first["total_records"]) == (
        1, 3, 3, 7,
    )  # fmt: skip
    assert len(first["_embedded"]["osdi:people"]) == 3 and "previous" not in first["_links"]
    seen = []
    page = first
    while True:
        seen += [p["identifiers"][0] for p in page["_embedded"]["osdi:people"]]
        if "next" not in page["_links"]:
            break
        page = api.get(page["_links"]["next"]["href"].split("/api/v1/")[1], two_orgs.a).json()
    assert len(seen) == len(set(seen)) == 7
    assert api.get("people/", two_orgs.a, per_page=1000).json()["per_page"] == 100


def test_modified_date_filter_returns_only_what_changed(api, two_orgs, district):
    since = timezone.now()
    services.signature_create(
        campaign=two_orgs.a_campaign, email="later@example.com", first_name="Later",
        last_name="One", street_address="1 St", zip_code="33133", letter_body="x",
        area=district(2),
    )  # fmt: skip
    stamp = (since - timedelta(milliseconds=1)).isoformat()
    body = api.get("people/", two_orgs.a, filter=f"modified_date gt '{stamp}'").json()
    assert [p["given_name"] for p in body["_embedded"]["osdi:people"]] == ["Later"]
    before = api.get("people/", two_orgs.a, filter=f"modified_date lt '{stamp}'").json()
    assert before["total_records"] == 2


@pytest.mark.parametrize(
    "query",
    [{"filter": "modified_date gt 'yesterday'"}, {"filter": "name eq 'x'"}, {"page": "0"},
     {"per_page": "-1"}, {"page": "\uff11"}, {"page": ""}],
)  # fmt: skip
def test_bad_paging_or_filters_are_400_problems_naming_the_parameter(api, two_orgs, query):
    response = api.get("people/", two_orgs.a, **query)
    assert response.status_code == 400
    problem = response.json()
    assert problem["status"] == 400 and problem["errors"][0]["pointer"].startswith("#/query/")


def test_petition_signatures_and_advocacy_outreaches(api, two_orgs):
    pk = two_orgs.a_campaign.pk
    petition = api.get(f"petitions/{pk}/", two_orgs.a).json()
    assert petition["total_signatures"] == 2 and petition["title"] == two_orgs.a_campaign.title
    assert petition["browser_url"].endswith("/act/miami-287g/")
    assert {"name": "Damian Pardo"} in petition["target"]
    signatures = api.get(f"petitions/{pk}/signatures/", two_orgs.a).json()
    signature = signatures["_embedded"]["osdi:signatures"][0]
    assert signature["referrer_data"] == {"source": "asecretsource", "referrer": ""}
    assert signature["altavoz:district"]["ocdid"].endswith("council_district:2") or (
        "district" in signature["altavoz:district"]["ocdid"]
    )
    campaign = api.get(f"advocacy_campaigns/{pk}/", two_orgs.a).json()
    assert campaign["total_outreaches"] == 2
    target = next(t for t in campaign["targets"] if t["name"] == "Damian Pardo")
    assert target["ocdid"].startswith("ocd-division/") and target["title"]
    outreaches = api.get(f"advocacy_campaigns/{pk}/outreaches/", two_orgs.a).json()
    outreach = outreaches["_embedded"]["osdi:outreaches"][0]
    assert outreach["targets"][0]["name"] == "Damian Pardo"
    assert outreach["targets"][0]["ocdid"] == target["ocdid"]
    assert outreach["altavoz:status"] == "sent" and outreach["message"] == "Asecret words"


def test_tags_are_the_source_codes(api, two_orgs):
    tags = api.get("tags/", two_orgs.a).json()["_embedded"]["osdi:tags"]
    assert [t["name"] for t in tags] == ["asecretsource"]
    taggings = api.get("tags/asecretsource/taggings/", two_orgs.a).json()
    assert taggings["total_records"] == 2
    first = taggings["_embedded"]["osdi:taggings"][0]["_links"]["self"]["href"]
    assert api.get(first.split("/api/v1/")[1], two_orgs.a).json()["item_type"] == "osdi:person"
    assert api.get("tags/bsource/", two_orgs.a).status_code == 404


def test_unknown_addresses_and_methods_are_problem_documents(api, client, two_orgs):
    missing = api.get("nothing/here/", two_orgs.a)
    assert missing.status_code == 404 and missing["Content-Type"] == "application/problem+json"
    wrong = client.delete("/api/v1/people/", **{HEADER: two_orgs.a})
    assert wrong.status_code == 405 and "GET" in wrong["Allow"]


def test_an_organiser_makes_a_key_in_the_admin_sees_it_once_and_revokes_it(client, organisers):
    client.force_login(organisers.a)
    organisation = Campaign.objects.get(slug="miami-287g").organisation
    response = client.post(
        "/admin/api/apikey/add/",
        {"organisation": str(organisation.pk), "name": "CRM", "scope": "read"},
        follow=True,
    )
    shown = re.search(r"avz_[\w-]{40,}", response.content.decode())
    assert shown, response.content.decode()[:2000]
    key = ApiKey.objects.get(name="CRM")
    assert key.key_hash == keys.key_hash(shown.group(0)) and key.created_by == organisers.a
    page = client.get(f"/admin/api/apikey/{key.pk}/change/").content.decode()
    assert shown.group(0) not in page
    client.post("/admin/api/apikey/", {"action": "revoke", "_selected_action": [str(key.pk)]})
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert client.get("/api/v1/", **{HEADER: shown.group(0)}).status_code == 401


def test_an_organiser_cannot_make_a_key_for_another_organisation(client, organisers):
    client.force_login(organisers.b)
    organisation = Campaign.objects.get(slug="miami-287g").organisation
    client.post(
        "/admin/api/apikey/add/",
        {"organisation": str(organisation.pk), "name": "Stolen", "scope": "write"},
    )
    assert not ApiKey.objects.filter(name="Stolen").exists()
