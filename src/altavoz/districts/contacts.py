"""Each seat's contact channels from the boundary layer that publishes them (``[contacts]``
in a definition): the City of Miami's districts layer has PHONE, WEBSITE and EMAIL per seat.

Phone and website belong to the seat (the district office) and are taken for whoever holds
it today. An email belongs to a person: it is taken only where the layer's own holder name
(COMNAME) is the name of the official holding the seat today, and never replaces an address
already on record. A delivery address taken here is a change like any other: recorded, and
the official's letters held until platform staff confirm it (``districts.services``). Each
official records where their contacts came from and the date of that source.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from altavoz import validation
from altavoz.districts.boundaries.definition import Definition, DefinitionError
from altavoz.districts.boundaries.readers import features_read
from altavoz.districts.models import Official
from altavoz.districts.services import official_addresses_change

TEN_DIGITS = re.compile(r"^\D*(\d{3})\D*(\d{3})\D*(\d{4})\D*$")


@dataclass
class ContactsReport:
    updated: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    skipped_emails: list[str] = field(default_factory=list)  # why each one was not taken


def phone_format(raw: str) -> str:
    """A US number written one way, "(305) 250-5333"; anything else kept as written."""
    digits = TEN_DIGITS.match(raw.strip())
    return "({}) {}-{}".format(*digits.groups()) if digits else raw.strip()


def _same_person(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def _value(properties: dict, name: str) -> str:
    return str(properties.get(name) or "").strip() if name else ""


def _email_for(official: Official, properties: dict, definition: Definition) -> tuple[str, str]:
    """(the layer's email for this official or "", why not) from their seat's row."""
    rules = definition.contacts
    email = _value(properties, rules.email)
    holder = _value(properties, rules.holder)
    if not email:
        return "", ""
    if rules.holder and not _same_person(holder, official.name):
        return "", f"the layer's email for this seat is {holder}'s, not {official.name}'s"
    if official.email and official.email.lower() != email.lower():
        return "", f"{official.name} already has {official.email}"
    try:
        validation.validate_email_address(email)  # the one rule for addresses
    except ValidationError as error:
        return "", f"the layer's email {email!r} is not usable: {error.messages[0]}"
    return email, ""


def _official_update(official: Official, properties: dict, definition: Definition) -> str:
    rules = definition.contacts
    email, why_not = _email_for(official, properties, definition)
    channels = [c for c, f in (("phone", rules.phone), ("website", rules.website)) if f]
    channels += ["email"] if email else []
    note = f" (email not taken: {why_not})" if why_not else ""
    official.phone = phone_format(_value(properties, rules.phone)) or official.phone
    official.website = _value(properties, rules.website) or official.website
    official.contact_source = f"{rules.source}: {', '.join(channels)}{note}"
    official.contact_as_of = rules.as_of
    official.save(update_fields=["phone", "website", "contact_source", "contact_as_of"])
    if email and email != official.email:  # recorded; letters held until staff confirm it
        official_addresses_change(official=official, new={"email": email}, by=rules.source)
    return why_not


@transaction.atomic
def contacts_import(*, definition: Definition) -> ContactsReport:
    """Set the contacts of the officials holding the definition's seats today."""
    if definition.contacts is None:
        raise DefinitionError(f"{definition.path.name} has no [contacts] table")
    report = ContactsReport()
    kind, location = definition.source_for(None)
    for feature in features_read(kind, location):
        number = definition.number_of(feature.properties)
        holders = Official.objects.current().filter(
            post__role=definition.post_role,
            post__area__number=number,
            post__area__boundary_set__slug=definition.slug,
        )
        for official in holders:
            why_not = _official_update(official, feature.properties, definition)
            label = f"{definition.area_label} {number}: {official.name}"
            report.updated.append(label)
            if why_not:
                report.skipped_emails.append(f"{label}: {why_not}")
            elif official.email:
                report.emails.append(f"{label}: {official.email}")
    return report
