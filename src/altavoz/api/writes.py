"""OSDI's record signature helper: ``POST /api/v1/petitions/<id>/signatures/`` with the
person, through the same door as the page (``campaigns.submission``): the supporter form's
rules (the answers to the petition's questions too: ``question_responses``), the district
rule, dedupe by email (an existing person is never changed: only a link emailed to the
address can), double opt-in and the letters.

201 with the new signature (its person embedded); 200 with the stored signature, unchanged,
when this email has signed the petition already; 422 naming each invalid field by its JSON
pointer in the request; 409 when the campaign is not taking signatures."""

import json

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from jsonschema import Draft202012Validator

from altavoz.api import hal, question_responses, resources
from altavoz.api.problems import Problem, invalid
from altavoz.api.schema import SCHEMAS
from altavoz.campaigns import district_answers, questions
from altavoz.campaigns.forms import SignatureForm
from altavoz.campaigns.models import Campaign
from altavoz.campaigns.submission import signature_submit

# Where each of the form's fields is in an OSDI request (JSON pointers, RFC 6901).
POINTERS = {
    "first_name": "#/person/given_name",
    "last_name": "#/person/family_name",
    "email": "#/person/email_addresses/0/address",
    "street_address": "#/person/postal_addresses/0/address_lines/0",
    "zip_code": "#/person/postal_addresses/0/postal_code",
    "letter_body": "#/comments",
    "area": "#/altavoz:district",
    "source": "#/referrer_data/source",
    "ref": "#/referrer_data/referrer",
    "consent_updates": "#/person/email_addresses/0/status",
    "is_public": "#/altavoz:public",
    "__all__": "#",
}


_KINDS = {
    "string": gettext_lazy("This must be a JSON string."),
    "boolean": gettext_lazy("This must be true or false."),
    "array": gettext_lazy("This must be a JSON list."),
    "object": gettext_lazy("This must be a JSON object."),
}
REQUEST = Draft202012Validator(SCHEMAS["RecordSignature"])


def _shape_errors(body: dict) -> dict[str, list[str]]:
    """Each value of the wrong JSON type, by its pointer (the values' rules come after)."""
    errors: dict[str, list[str]] = {}
    for error in REQUEST.iter_errors(body):
        pointer = ("#/" + "/".join(str(step) for step in error.absolute_path)).rstrip("/")
        if error.validator == "required":  # the first one missing, named
            missing = next(name for name in error.validator_value if name not in error.instance)
            errors.setdefault(f"{pointer}/{missing}", []).append(_("This field is required."))
            continue
        expected = error.validator_value if error.validator == "type" else "object"
        errors.setdefault(pointer or "#", []).append(str(_KINDS[expected]))
    return errors


def _get(value, *path, default=""):
    """The value at ``path`` in the (shape-checked) request, or ``default``."""
    for step in path:
        if isinstance(step, int):
            value = value[step] if isinstance(value, list) and len(value) > step else None
        else:
            value = value.get(step) if isinstance(value, dict) else None
        if value is None:
            return default
    return value


def _body(request) -> dict:
    if request.content_type not in {"application/json", "application/hal+json"}:
        raise Problem(415, _("Send the signature as JSON (Content-Type: application/json)."))
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        raise Problem(400, _("The request body is not valid JSON.")) from None
    if not isinstance(body, dict):
        raise Problem(400, _("The request body must be a JSON object."))
    return body


def _form_data(body: dict, campaign: Campaign) -> dict:
    """The OSDI request as the supporter form's fields."""
    person = _get(body, "person", default={})
    data = {
        "first_name": _get(person, "given_name"),
        "last_name": _get(person, "family_name"),
        "email": _get(person, "email_addresses", 0, "address"),
        "street_address": _get(person, "postal_addresses", 0, "address_lines", 0),
        "zip_code": _get(person, "postal_addresses", 0, "postal_code"),
        "letter_body": _get(body, "comments", default=campaign.letter_body),
        "source": _get(body, "referrer_data", "source"),
        "ref": _get(body, "referrer_data", "referrer"),
    }
    if _get(person, "email_addresses", 0, "status") == "subscribed":
        data["consent_updates"] = "on"
    if _get(body, "altavoz:public", default=False):
        data["is_public"] = "on"
    return data


def _chosen_area(body: dict, campaign: Campaign) -> tuple[str, dict]:
    """The district the request names (its OCD-ID or number), as the form's value."""
    named = _get(body, "altavoz:district")
    if not named:
        return "", {}
    area = (
        campaign.target_set.areas.filter(Q(ocd_id=named) | Q(number=named))
        .values_list("pk", flat=True)
        .first()
    )
    if area is None:
        return "", {"area": [_("No district %(name)s in this campaign's map.") % {"name": named}]}
    return str(area), {}


def _found_area(campaign: Campaign, data: dict) -> tuple[str, str, dict]:
    """No district named: the address decides, as on the page without JavaScript. Returns
    the area, where the person lives when outside (petition only), or the error."""
    finding = district_answers.find_for_campaign(
        campaign, street=data["street_address"][:300], zip_code=data["zip_code"][:20]
    )
    if finding.area is not None:
        return str(finding.area.pk), "", {}
    place = district_answers.petition_place(campaign, finding)
    if place:
        return "", place, {}
    if finding.status == "outside":  # and the campaign takes nobody from there
        return "", "", {"area": [district_answers.summary(campaign, finding)]}
    needed = _(
        "Name the district (%(field)s: its number or OCD-ID): the address alone does not "
        "decide it. %(reason)s"
    ) % {"field": "altavoz:district", "reason": finding.message}
    return "", "", {"area": [needed.strip()]}


def _language(body: dict) -> tuple[str, dict]:
    language = _get(body, "altavoz:language", default=settings.LANGUAGE_CODE)
    if language not in dict(settings.LANGUAGES):
        return settings.LANGUAGE_CODE, {
            "#/altavoz:language": [
                _("Use one of: %(codes)s.") % {"codes": ", ".join(dict(settings.LANGUAGES))}
            ]
        }
    return language, {}


def _pointed(errors: dict) -> dict:
    """The form's messages by JSON pointer, but its questions' (question_responses)."""
    return {
        POINTERS.get(name, name): messages
        for name, messages in errors.items()
        if not name.startswith(questions.PREFIX)
    }


def record_signature(request, campaign: Campaign):
    body = _body(request)
    shape = _shape_errors(body)
    if shape:
        raise invalid(shape)
    if not campaign.is_open():
        raise Problem(409, _("This campaign is not taking signatures (a draft, or closed)."))
    data = _form_data(body, campaign)
    answers = question_responses.read(body, campaign)
    data.update(answers.data)
    language, language_error = _language(body)
    data["area"], area_error = _chosen_area(body, campaign)
    outside_place = ""
    if not data["area"] and not area_error and data["street_address"] and data["zip_code"]:
        data["area"], outside_place, area_error = _found_area(campaign, data)
    form = SignatureForm(data, campaign=campaign)
    form.fields["area"].required = not outside_place
    errors = {**language_error, **_pointed(area_error), **answers.errors}
    if not form.is_valid() or errors:
        raise invalid({**_pointed(form.errors), **answers.located(form.errors), **errors})
    submission = signature_submit(
        campaign=campaign,
        fields=form.signature_fields(),
        outside_place=outside_place,
        language=language,
    )
    if submission.refusal:
        raise invalid({POINTERS["area"]: [submission.refusal]})
    return _answer(submission.result)


def _answer(result):
    body = resources.signature_with_person_read(result.signature_id)
    location = body["_links"]["self"]["href"]
    return hal.respond(body, status=201 if result.created else 200, headers={"Location": location})
