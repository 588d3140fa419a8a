"""Recording a signature through the API goes through the same door as the page
(campaigns.submission): the supporter form's rules, the district rule, dedupe by email with
an existing person never changed, double opt-in, the letters. Mistakes are RFC 9457
problem documents naming each field by its JSON pointer."""

import pytest

from altavoz.api import keys
from altavoz.campaigns.models import Answer, Campaign, Person, Question, Signature
from altavoz.delivery.models import Delivery
from synthetic_city import a_school_in
from test_questions_and_stories import miami_questions

HEADER = "HTTP_OSDI_API_TOKEN"


@pytest.fixture
def write_key(addressed):
    return keys.apikey_create(organisation=addressed.organisation, name="w", scope="write")[1]


@pytest.fixture
def record(client, addressed, write_key):
    """``record(body)`` POSTs a signature to the Miami petition with a write key."""

    def post(body, *, campaign=None, token=None, **extra):
        pk = (campaign or addressed).pk
        return client.post(
            f"/api/v1/petitions/{pk}/signatures/", body, content_type="application/json",
            **{HEADER: token or write_key}, **extra,
        )  # fmt: skip

    return post


def osdi(**changes) -> dict:
    """A complete record-signature request for District 2."""
    body = {
        "person": {
            "given_name": "Ana",
            "family_name": "Ruiz",
            "email_addresses": [{"address": "Ana.Ruiz@Example.com", "status": "subscribed"}],
            "postal_addresses": [
                {"address_lines": ["3500 Pan American Dr"], "postal_code": "33133"}
            ],
        },
        "comments": "Vote NO on 287(g).",
        "referrer_data": {"source": "crm-import"},
        "altavoz:district": "2",
    }
    body.update(changes)
    return body


def test_a_new_signer_is_recorded_and_their_letter_goes(record, drain, mailoutbox):
    response = record(osdi())
    assert response.status_code == 201, response.content
    body = response.json()
    assert response["Location"] == body["_links"]["self"]["href"]
    person = body["_embedded"]["osdi:person"]
    assert person["email_addresses"][0] == {
        "address": "ana.ruiz@example.com", "primary": True, "status": "subscribed",
    }  # fmt: skip
    assert body["comments"] == "Vote NO on 287(g)." and body["referrer_data"]["source"] == (
        "crm-import"
    )
    signature = Signature.objects.get(person__email="ana.ruiz@example.com")
    assert signature.area.number == "2" and signature.confirmed_at is not None
    assert drain() == 1
    assert any("commissioner2@city.example" in m.to for m in mailoutbox)


def test_an_api_write_never_changes_an_existing_person(record, sign, addressed):
    earlier = sign(email="ana.ruiz@example.com", first_name="Ana", last_name="Original")
    Campaign.objects.filter(pk=addressed.pk).update(slug="first")
    second = Campaign.objects.get(pk=addressed.pk)
    second.pk, second.slug = None, "miami-287g"
    second.save()
    response = record(
        osdi(person={**osdi()["person"], "family_name": "Attacker",
                     "postal_addresses": [{"address_lines": ["9 Elsewhere"],
                                           "postal_code": "33128"}]}),
        campaign=second,
    )  # fmt: skip
    assert response.status_code == 201
    person = Person.objects.get(email="ana.ruiz@example.com")
    assert (person.last_name, person.street_address) == ("Original", "3500 Pan American Dr")
    assert not person.consent_updates  # the write's "subscribed" is not taken either
    assert earlier.person_id == person.pk


def test_signing_again_changes_nothing_and_answers_with_the_stored_signature(
    record, django_capture_on_commit_callbacks
):
    assert record(osdi()).status_code == 201
    again = record(osdi(comments="Replaced words"))
    assert again.status_code == 200
    assert again.json()["comments"] == "Vote NO on 287(g)."
    assert Signature.objects.get().letter_body == "Vote NO on 287(g)."
    assert Delivery.objects.count() == 1


def test_with_double_opt_in_nothing_counts_until_the_link_is_used(record, addressed):
    Campaign.objects.filter(pk=addressed.pk).update(double_opt_in=True)
    response = record(osdi())
    assert response.status_code == 201
    assert response.json()["altavoz:confirmed_date"] is None
    assert not Delivery.objects.exists()


def test_each_invalid_field_is_named_by_its_pointer(record):
    body = osdi(comments="")
    body["person"] = {
        "given_name": "<b>Ana</b>",
        "family_name": "",
        "email_addresses": [{"address": "not-an-email"}],
        "postal_addresses": [{"address_lines": ["1 St"], "postal_code": "3313"}],
    }
    response = record(body)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    pointers = {e["pointer"] for e in response.json()["errors"]}
    assert pointers == {
        "#/person/given_name", "#/person/family_name", "#/person/email_addresses/0/address",
        "#/person/postal_addresses/0/postal_code", "#/comments",
    }  # fmt: skip
    assert not Person.objects.exists()


def test_values_of_the_wrong_type_are_named_too(record):
    response = record(osdi(comments=5, **{"altavoz:public": "yes"}))
    assert response.status_code == 422
    pointers = {e["pointer"] for e in response.json()["errors"]}
    assert {"#/comments", "#/altavoz:public"} <= pointers


def test_an_unknown_district_is_named(record):
    response = record(osdi(**{"altavoz:district": "99"}))
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["pointer"] == "#/altavoz:district" and "99" in error["detail"]


def test_the_map_decides_the_district_over_the_one_named(client, city_map, write_key):
    url = f"/api/v1/petitions/{city_map.pk}/signatures/"
    Campaign.objects.filter(pk=city_map.pk).update(is_demo=True)

    def post(body):
        return client.post(url, body, content_type="application/json", **{HEADER: write_key})

    refused = post(osdi(**{"altavoz:district": "3"}))
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["pointer"] == "#/altavoz:district"
    assert "District 2" in refused.json()["errors"][0]["detail"]
    found = post({k: v for k, v in osdi().items() if k != "altavoz:district"})
    assert found.status_code == 201
    assert found.json()["altavoz:district"]["verified"] is True
    assert Signature.objects.get().area.number == "2"


def test_an_address_outside_the_city_is_refused_plainly(client, city_map, write_key):
    school = a_school_in("Hialeah")
    body = {k: v for k, v in osdi().items() if k != "altavoz:district"}
    body["person"]["postal_addresses"] = [
        {"address_lines": [school["address"]], "postal_code": school["zip"]}
    ]
    response = client.post(
        f"/api/v1/petitions/{city_map.pk}/signatures/", body,
        content_type="application/json", **{HEADER: write_key},
    )  # fmt: skip
    assert response.status_code == 422
    assert "not in the City of Miami" in response.json()["errors"][0]["detail"]


def test_a_closed_campaign_takes_no_signature(record, addressed):
    Campaign.objects.filter(pk=addressed.pk).update(status=Campaign.Status.CLOSED)
    response = record(osdi())
    assert response.status_code == 409 and response.json()["status"] == 409
    assert not Signature.objects.exists()


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [("{not json", "application/json", 400), ("[1, 2]", "application/json", 400),
     ("a=b", "application/x-www-form-urlencoded", 415)],
)  # fmt: skip
def test_a_body_that_is_not_a_json_object_is_a_problem(client, addressed, write_key, body,
                                                       content_type, status):  # fmt: skip
    response = client.post(
        f"/api/v1/petitions/{addressed.pk}/signatures/", body, content_type=content_type,
        **{HEADER: write_key},
    )  # fmt: skip
    assert response.status_code == status and response.json()["status"] == status


def test_another_organisations_write_key_cannot_sign_here(record, organisers):
    other = Campaign.objects.get(slug="other-campaign").organisation
    token = keys.apikey_create(organisation=other, name="b", scope="write")[1]
    response = record(osdi(), token=token)
    assert response.status_code == 404
    assert not Signature.objects.exists()


# The answers to the petition's questions (OSDI's add_questions_responses_uri) --------------


@pytest.fixture
def asked(addressed):
    """The Miami petition asking a number (required), one choice (required), several
    choices, a short text and a box."""
    from altavoz import kept

    make = Question.objects.create
    questions = {
        **miami_questions(addressed),
        "where": make(campaign=addressed, position=4, kind=Question.Kind.SHORT_TEXT,
                      label="Your neighborhood"),
        "texts": make(campaign=addressed, position=5, kind=Question.Kind.CHECKBOX,
                      label="Text me about the vote"),
    }  # fmt: skip
    kept.forget()
    return questions


def _id(question) -> str:
    return f"altavoz:{question.pk}"


def _responses(asked, **changes) -> list:
    """Answers to every question; ``name=None`` leaves one out, ``name={...}`` replaces it."""
    items = {
        "years": {"question": _id(asked["years"]), "value": "12"},
        "affected": {"question": _id(asked["affected"]), "responses": ["Yes"]},
        "help": {"question": _id(asked["help"]), "responses": ["Call", "Donate"]},
        "where": {"question": _id(asked["where"]), "value": "Little Havana"},
        "texts": {"question": _id(asked["texts"]), "value": "yes"},
    }
    items.update(changes)
    return [item for item in items.values() if item is not None]


def test_the_petition_lists_its_questions_to_answer(client, asked, addressed, write_key):
    body = client.get(f"/api/v1/petitions/{addressed.pk}/", **{HEADER: write_key}).json()
    listed = {q["title"]: q for q in body["altavoz:questions"]}
    affected = listed["Has 287(g) affected your family?"]
    assert affected["identifiers"] == [_id(asked["affected"])]
    assert affected["question_type"] == "SingleChoice" and affected["altavoz:required"]
    assert [r["key"] for r in affected["responses"]] == ["Yes", "No", "I prefer not to say"]
    assert listed["How else can you help?"]["question_type"] == "MultiChoice"
    assert listed["Your neighborhood"]["question_type"] == "Paragraph"


def test_the_answers_are_recorded_with_the_signature(record, asked):
    response = record(osdi(add_questions_responses_uri=_responses(asked)))
    assert response.status_code == 201, response.content
    stored = {a.question.label: a.value for a in Answer.objects.select_related("question")}
    assert stored == {"How many years have you lived in Miami?": "12",
                      "Has 287(g) affected your family?": "Yes",
                      "How else can you help?": "Call\nDonate",
                      "Your neighborhood": "Little Havana",
                      "Text me about the vote": "yes"}  # fmt: skip
    shown = {a["question_identifier"]: a["answer"] for a in response.json()["altavoz:answers"]}
    assert shown[_id(asked["help"])] == "Call\nDonate"


def test_a_required_question_left_out_is_named(record, asked):
    response = record(osdi(add_questions_responses_uri=_responses(asked, years=None)))
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["pointer"] == "#/add_questions_responses_uri"
    assert error["detail"] == (
        f"{_id(asked['years'])} (How many years have you lived in Miami?): Answer with a number."
    )
    assert not Signature.objects.exists()


@pytest.mark.parametrize(
    ("change", "pointer", "says"),
    [
        ({"years": {"value": "twelve"}}, "/0/value", "Enter a number, like 12 or 3.5."),
        ({"affected": {"responses": ["Maybe"]}}, "/1/responses",
         "Choose one of the answers listed."),
        ({"affected": {"responses": ["Yes", "No"]}}, "/1/responses",
         "Choose one of the answers listed."),
        ({"affected": {"responses": []}}, "/1/responses", "Choose one answer."),
        ({"help": {"responses": ["Call", "Riot"]}}, "/2/responses",
         "Choose among the answers listed."),
        ({"where": {"value": "x" * 301}}, "/3/value",
         "Keep this under 300 characters (it has 301)."),
        ({"affected": {"value": "Yes"}}, "/1/value", "Answer this question with responses."),
        ({"affected": {"responses": "Yes"}}, "/1/responses", "This must be a JSON list."),
        ({"years": {"value": 12}}, "/0/value", "This must be a JSON string."),
        ({"years": {"question": "altavoz:nothing", "value": "12"}}, "/0/question",
         "No question altavoz:nothing on this petition: use one of its altavoz:questions."),
        ({"years": {"value": "12"}}, "/0/question", "This field is required."),
    ],
)  # fmt: skip
def test_each_wrong_answer_is_named_by_its_pointer(record, asked, change, pointer, says):
    ((name, item),) = change.items()
    if "question" not in item and "/question" not in pointer:
        item = {"question": _id(asked[name]), **item}
    response = record(osdi(add_questions_responses_uri=_responses(asked, **{name: item})))
    assert response.status_code == 422
    errors = {(e["pointer"], e["detail"]) for e in response.json()["errors"]}
    assert (f"#/add_questions_responses_uri{pointer}", says) in errors
    assert not Signature.objects.exists()


def test_a_question_answered_twice_is_named(record, asked):
    twice = [*_responses(asked), {"question": _id(asked["years"]), "value": "13"}]
    response = record(osdi(add_questions_responses_uri=twice))
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error == {"pointer": "#/add_questions_responses_uri/5/question",
                     "detail": "This question is answered twice."}  # fmt: skip
