"""The API's OpenAPI 3.1 description, made from the code: every path and method from the
URL patterns (``api/urls.py``) and the methods each view answers (``gate.endpoint``), each
body from the JSON Schemas below, which the record-signature request is also checked
against (``writes.py``). ``tests/test_api_schema.py`` runs schemathesis against it."""

import re

from django.urls import URLPattern

from altavoz.api import hal
from altavoz.campaigns.models import Question
from altavoz.outcomes.models import LetterReply, Position

STRING = {"type": "string"}
DATE = {"type": ["string", "null"], "format": "date-time"}
LINK = {"type": "object", "required": ["href"], "properties": {"href": STRING}}
IDENTIFIERS = {"type": "array", "items": STRING, "minItems": 1}


def _object(properties: dict, *, links: tuple = ("self",), required=None) -> dict:
    props = {**properties, "_links": _links(*links)}
    return {
        "type": "object",
        "required": sorted(required if required is not None else props),
        "properties": props,
    }


def _list_of(properties: dict, *, required: tuple = ()) -> dict:
    """An array of objects with these properties (``required`` in each)."""
    item = {"type": "object", **({"required": list(required)} if required else {})}
    return {"type": "array", "items": {**item, "properties": properties}}


def _links(*rels: str) -> dict:
    return {"type": "object", "required": list(rels), "properties": dict.fromkeys(rels, LINK)}


def _dated(properties: dict) -> dict:
    return {
        "identifiers": IDENTIFIERS,
        "created_date": DATE,
        "modified_date": DATE,
        **properties,
    }


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


TARGET = {
    "type": "object",
    "required": ["name", "ocdid"],
    "properties": {"title": STRING, "name": STRING, "ocdid": STRING},
}
POSITION = {
    "type": ["object", "null"],
    "required": ["stance", "date", "source"],
    "properties": {
        "stance": {"enum": Position.Stance.values},
        "date": {"type": "string", "format": "date"},
        "source": STRING,
    },
}
REPLY = {
    "type": "object",
    "required": ["writer_says", "answered_date", "seen_date"],
    "properties": {
        "writer_says": {"enum": [*LetterReply.Answer.values, None]},
        "answered_date": DATE,
        "seen_date": DATE,
    },
}
QUESTION = {  # OSDI's Question, inline in the petition
    "type": "object",
    "required": ["identifiers", "title", "question_type", "responses", "altavoz:required"],
    "properties": {
        "identifiers": IDENTIFIERS,
        "title": STRING,
        "description": STRING,
        "question_type": {"enum": ["Paragraph", "SingleChoice", "MultiChoice"]},
        "responses": _list_of({"key": STRING, "title": STRING}, required=("key", "title")),
        "altavoz:kind": {"enum": Question.Kind.values},
        "altavoz:required": {"type": "boolean"},
    },
}
CAMPAIGN = {
    "origin_system": STRING,
    "title": STRING,
    "description": STRING,
    "summary": STRING,
    "browser_url": STRING,
    "altavoz:status": {"enum": ["draft", "live", "closed"]},
    "altavoz:deadline": DATE,
}
SCHEMAS = {
    "Person": _object(
        _dated(
            {
                "given_name": STRING,
                "family_name": STRING,
                "email_addresses": _list_of(
                    {
                        "address": STRING,
                        "primary": {"type": "boolean"},
                        "status": {"enum": ["subscribed", "unsubscribed"]},
                    },
                    required=("address", "status"),
                ),
                "postal_addresses": _list_of(
                    {
                        "address_lines": {"type": "array", "items": STRING},
                        "postal_code": STRING,
                        "country": STRING,
                    },
                    required=("address_lines", "postal_code"),
                ),
                "altavoz:consent": {
                    "type": "object",
                    "required": ["email_updates"],
                    "properties": {"email_updates": {"type": "boolean"}, "recorded_date": DATE},
                },
                "altavoz:email_confirmed_date": DATE,
                "altavoz:erased_date": DATE,
            }
        ),
        links=("self", "osdi:signatures", "osdi:outreaches"),
    ),
    "Petition": _object(
        _dated(
            {
                **CAMPAIGN,
                "petition_text": STRING,
                "target": _list_of({"name": STRING}, required=("name",)),
                "total_signatures": {"type": "integer", "minimum": 0},
                "altavoz:questions": {"type": "array", "items": QUESTION},
            }
        ),
        links=("self", "osdi:signatures", "osdi:record_signature_helper"),
    ),
    "AdvocacyCampaign": _object(
        _dated(
            {
                **CAMPAIGN,
                "type": STRING,  # the kinds' words (_registered_types)
                "targets": {
                    "type": "array",
                    "items": {
                        **TARGET,
                        "properties": {**TARGET["properties"], "altavoz:position": POSITION},
                    },
                },
                "total_outreaches": {"type": "integer", "minimum": 0},
            }
        ),
        links=("self", "osdi:outreaches"),
    ),
    "Signature": _object(
        _dated(
            {
                "origin_system": STRING,
                "comments": STRING,
                "referrer_data": {
                    "type": "object",
                    "properties": {"source": STRING, "referrer": STRING},
                },
                "altavoz:channel": STRING,
                "altavoz:confirmed_date": DATE,
                "altavoz:language": STRING,
                "altavoz:district": {
                    "type": ["object", "null"],
                    "required": ["ocdid"],
                    "properties": {
                        "name": STRING,
                        "ocdid": STRING,
                        "verified": {"type": "boolean"},
                    },
                },
                "altavoz:outside_place": STRING,
                "altavoz:story": STRING,
                "altavoz:answers": _list_of(
                    {"question": STRING, "answer": STRING, "question_identifier": STRING},
                    required=("question", "answer", "question_identifier"),
                ),
            }
        ),
        links=("self", "osdi:person", "osdi:petition"),
    ),
    "Outreach": _object(
        _dated(
            {
                "origin_system": STRING,
                "type": STRING,  # the channels' names (_registered_types)
                "subject": STRING,
                "message": STRING,
                "targets": {"type": "array", "items": TARGET, "minItems": 1},
                "altavoz:status": STRING,
                "altavoz:sent_date": DATE,
                "altavoz:reply": REPLY,
            }
        ),
        links=("self", "osdi:person", "osdi:advocacy_campaign"),
    ),
    "Tag": _object(_dated({"name": STRING}), links=("self", "osdi:taggings")),
    "Tagging": _object(
        _dated({"item_type": {"const": "osdi:person"}}), links=("self", "osdi:tag", "osdi:person")
    ),
    "EntryPoint": _object(
        {
            "motd": STRING,
            "vendor_name": STRING,
            "product_name": STRING,
            "osdi_version": STRING,
            "max_pagesize": {"type": "integer"},
        },
        links=("self", "osdi:people", "osdi:petitions", "osdi:advocacy_campaigns", "osdi:tags"),
    ),
    "Problem": {
        "type": "object",
        "required": ["type", "title", "status", "detail"],
        "properties": {
            "type": STRING,
            "title": STRING,
            "status": {"type": "integer", "minimum": 400, "maximum": 599},
            "detail": STRING,
            "errors": _list_of(
                {"pointer": STRING, "detail": STRING}, required=("pointer", "detail")
            ),
        },
    },
    # What the record signature helper takes: only the types are checked here (every value
    # then meets the supporter form's rules, with their messages).
    "RecordSignature": {
        "type": "object",
        "properties": {
            "person": {
                "type": "object",
                "properties": {
                    "given_name": STRING,
                    "family_name": STRING,
                    "email_addresses": _list_of(
                        {"address": STRING, "status": STRING, "primary": {"type": "boolean"}}
                    ),
                    "postal_addresses": _list_of(
                        {"address_lines": {"type": "array", "items": STRING}, "postal_code": STRING}
                    ),
                },
            },
            "comments": STRING,
            "referrer_data": {
                "type": "object",
                "properties": {"source": STRING, "referrer": STRING},
            },
            "altavoz:district": STRING,
            "altavoz:language": STRING,
            "altavoz:public": {"type": "boolean"},
            # OSDI's helper action function: the answers to the petition's questions
            "add_questions_responses_uri": _list_of(
                {
                    "question": STRING,
                    "responses": {"type": "array", "items": STRING},
                    "value": STRING,
                },
                required=("question",),
            ),
        },
    },
}

# What each named URL answers: one resource, or a page of a collection (its OSDI rel).
OPERATIONS = {
    "entry-point": ("EntryPoint", None),
    "people": ("Person", "osdi:people"),
    "person": ("Person", None),
    "person-signatures": ("Signature", "osdi:signatures"),
    "person-outreaches": ("Outreach", "osdi:outreaches"),
    "petitions": ("Petition", "osdi:petitions"),
    "petition": ("Petition", None),
    "signatures": ("Signature", "osdi:signatures"),
    "signature": ("Signature", None),
    "advocacy-campaigns": ("AdvocacyCampaign", "osdi:advocacy_campaigns"),
    "advocacy-campaign": ("AdvocacyCampaign", None),
    "outreaches": ("Outreach", "osdi:outreaches"),
    "outreach": ("Outreach", None),
    "tags": ("Tag", "osdi:tags"),
    "tag": ("Tag", None),
    "taggings": ("Tagging", "osdi:taggings"),
    "tagging": ("Tagging", None),
}
PAGE_PARAMETERS = [
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1,
                                               "maximum": 999_999_999}},
    {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1,
                                                   "maximum": 999_999_999}},
    {"name": "filter", "in": "query", "schema": STRING,
     "description": "modified_date gt '2026-12-01T00:00:00Z' (also ge, lt, le, eq; "
                    "created_date)"},
]  # fmt: skip
PATH_PARAMETER = {
    "uuid": {"type": "string", "format": "uuid"},
    "str": {"type": "string", "pattern": "^[A-Za-z0-9_.-]{1,64}$"},
}
PROBLEM = {"application/problem+json": {"schema": _ref("Problem")}}


def _page_schema(item: str, rel: str) -> dict:
    return {
        "type": "object",
        "required": ["total_pages", "per_page", "page", "total_records", "_links", "_embedded"],
        "properties": {
            "total_pages": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": hal.MAX_PER_PAGE},
            "page": {"type": "integer", "minimum": 1},
            "total_records": {"type": "integer", "minimum": 0},
            "_links": {"type": "object", "required": ["self"]},
            "_embedded": {
                "type": "object",
                "required": [rel],
                "properties": {rel: {"type": "array", "items": _ref(item)}},
            },
        },
    }


def _hal(schema: dict) -> dict:
    return {"application/hal+json": {"schema": schema}}


def _operation(name: str, method: str) -> dict:
    item, rel = OPERATIONS[name]
    body = _page_schema(item, rel) if rel else _ref(item)
    responses = {"200": {"description": "OK", "content": _hal(body)}}
    operation = {"operationId": f"{method}-{name}", "parameters": PAGE_PARAMETERS if rel else []}
    if method == "post":
        operation = {"operationId": "record-signature", "parameters": []}
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": _ref("RecordSignature")}},
        }
        signature = {"description": "Recorded", "content": _hal(_ref("Signature"))}
        responses = {"201": signature, "200": {**signature, "description": "Signed before"}}
    responses["4XX"] = {"description": "A problem (RFC 9457)", "content": PROBLEM}
    return {**operation, "responses": responses}


def _path(pattern: URLPattern) -> tuple[str, list]:
    route = str(pattern.pattern)
    parameters = [
        {"name": name, "in": "path", "required": True, "schema": PATH_PARAMETER[kind]}
        for kind, name in re.findall(r"<(\w+):(\w+)>", route)
    ]
    return "/" + re.sub(r"<\w+:(\w+)>", r"{\1}", route), parameters


def _registered_types() -> None:
    """An advocacy campaign's ``type`` is its action kind's (email, phone...), an outreach's
    its delivery channel's: whatever the registries hold when the description is made."""
    from altavoz.campaigns.actions import KINDS
    from altavoz.delivery.channels.registry import CHANNELS

    kinds = sorted({kind.outreach_type for kind in KINDS.values()})
    SCHEMAS["AdvocacyCampaign"]["properties"]["type"] = {"enum": kinds}
    SCHEMAS["Outreach"]["properties"]["type"] = {"enum": sorted(CHANNELS)}


def openapi() -> dict:
    from altavoz.api import urls

    _registered_types()
    paths = {}
    for pattern in urls.urlpatterns:
        if pattern.name not in OPERATIONS:
            continue
        path, parameters = _path(pattern)
        methods = sorted(m.lower() for m in pattern.callback.methods if m != "HEAD")
        paths[path] = {
            **({"parameters": parameters} if parameters else {}),
            **{method: _operation(pattern.name, method) for method in methods},
        }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Altavoz OSDI API",
            "version": "1",
            "description": "People, petitions and their signatures, advocacy campaigns and "
            "their outreaches, tags: see docs/api.md.",
        },
        "servers": [{"url": hal.api_url("").rstrip("/")}],
        "security": [{"osdiToken": []}],
        "paths": paths,
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {
                "osdiToken": {"type": "apiKey", "in": "header", "name": "OSDI-API-Token"}
            },
        },
    }
