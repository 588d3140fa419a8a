"""Every email the worker sends, built by one helper from subject, text and HTML templates."""

import csv
import io

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from altavoz.delivery import tokens
from altavoz.delivery.channels.base import SendError
from altavoz.delivery.channels.email import addresses
from altavoz.delivery.models import Delivery
from altavoz.outcomes import reply_address

CSV_FIELDS = [
    "first_name", "last_name", "email", "street_address", "zip_code", "district",
    "district_from_map",
]  # fmt: skip


def render_email(
    template: str,
    context: dict,
    *,
    to: list[str],
    from_email: str,
    subject: str | None = None,
    **kwargs,
) -> EmailMultiAlternatives:
    """``delivery/email/<template>_subject.txt`` (unless the ``subject`` is given), ``.txt``
    and ``.html`` as one message (another app's ``<app>/email/<name>`` when it names one).
    The context names the organisation it is about: its ``campaign``'s, or ``organisation``."""
    base = template if "/" in template else f"delivery/email/{template}"
    if subject is None:
        subject = _rendered_subject(template, context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{base}.txt", context),
        from_email=from_email,
        to=to,
        **kwargs,
    )
    message.attach_alternative(render_to_string(f"{base}.html", context), "text/html")
    # Whose email it is: the demo outbox keeps it for that organisation's organisers only.
    message.organisation_id = _organisation_id(context)
    return message


def _organisation_id(context: dict):
    if "organisation" in context:
        return context["organisation"].pk
    return context["campaign"].organisation_id


def _rendered_subject(template: str, context: dict) -> str:
    base = template if "/" in template else f"delivery/email/{template}"
    text = render_to_string(f"{base}_subject.txt", context)
    return addresses.one_line(text, limit=250)


def _texts(campaign, language: str | None):
    """The campaign's texts in ``language``, looked up once per batch: a claimed batch shares
    one Campaign instance (services.deliveries_claim), which keeps each language's copy."""
    return campaign.in_language(language)


def _subject(template: str, texts, official) -> str:
    """A letter's or "delivered" notice's subject: its template sees only the campaign's texts and
    the official, so it is rendered once per batch for each official and language."""
    kept = texts.__dict__.setdefault("_subjects", {})
    key = (template, official.pk, translation.get_language())
    if key not in kept:
        kept[key] = _rendered_subject(template, {"campaign": texts, "official": official})
    return kept[key]


def sender_address(organisation) -> str:
    """The organisation's sender address (or the site's): a malformed one fails the email
    with a clear reason rather than reaching a header."""
    whose = f"The organisation {organisation.name}"
    address = organisation.sender_email or settings.DEFAULT_FROM_EMAIL
    return addresses.checked(address, whose=whose, sender=True)


def message_id(key: str, sender: str) -> str:
    """Stable across attempts, so a rare re-send after a crash is recognisably the same."""
    return f"<{key}@{addresses.domain_of(sender)}>"


def official_recipients(official, *, demo: bool = False) -> tuple[list[str], list[str]]:
    """To and Cc for an official. A demo letter only reaches the local outbox, so an official
    without a known address gets a placeholder that can never be delivered (.invalid)."""
    whose = f"{official.post.label} {official.name}"  # for organisers: the seat's own label
    if demo and not official.email:
        return [addresses.mailbox(official.name, f"official.{official.pk}@demo.invalid")], []
    to = [addresses.checked(official.email, whose=whose)]
    cc = [addresses.checked(line, whose=f"Staff of {whose}") for line in official.cc_list()]
    return to, cc


def _letter_context(delivery: Delivery) -> dict:
    """The letter in the language the supporter signed in (subject, greeting, petition)."""
    signature = delivery.signature
    person = signature.person
    campaign = _texts(signature.campaign, signature.language)
    return {
        "campaign": campaign,
        "official": delivery.official,
        "person": person,
        "signature": signature,
        "letter": campaign.compose_letter(
            body=signature.letter_body,
            first_name=signature.first_name,
            last_name=signature.last_name,
            official_name=delivery.official.name,
            story=signature.story,
            answers=signature.merge_answers(),
        ),
    }


def letter_email(delivery: Delivery) -> EmailMultiAlternatives:
    """The supporter's letter to one official: From "<First> <Last> via <Org>", Reply-To them.
    All of it in the language the supporter signed in."""
    with translation.override(delivery.signature.language or settings.LANGUAGE_CODE):
        return _letter_email(delivery)


def _letter_email(delivery: Delivery) -> EmailMultiAlternatives:
    context = _letter_context(delivery)
    signature, organisation = context["signature"], context["campaign"].organisation
    sender = sender_address(organisation)
    to, cc = official_recipients(delivery.official, demo=context["campaign"].is_demo)
    name = f"{signature.first_name} {signature.last_name} via {organisation.name}"
    reply_to = _reply_to(context["person"].email, organisation, delivery)
    message = render_email(
        "letter",
        context,
        subject=_subject("letter", context["campaign"], delivery.official),
        to=to,
        cc=cc,
        from_email=addresses.mailbox(name, sender),
        reply_to=reply_to,
        headers={"Message-ID": message_id(delivery.message_key, sender)},
    )
    message.metadata = {"delivery": str(delivery.pk)}  # echoed back in provider webhooks
    return message


def _reply_to(email: str, organisation, delivery: Delivery) -> list[str]:
    """Where the office's reply goes: the letter's own reply address when the organisation
    has a reply domain (the reply is forwarded to the supporter and the letter marked
    replied), else the supporter's address; a malformed one is left out, not sent as typed.
    The supporter's address is in the letter's body either way."""
    if organisation.reply_domain:
        return [reply_address.address_for(delivery.pk, organisation.reply_domain)]
    try:
        return [addresses.checked(email, whose="The supporter")]
    except SendError:
        return []


def digest_key(deliveries: list[Delivery]) -> str:
    return f"digest.{min(str(d.pk) for d in deliveries)}"


def digest_email(deliveries: list[Delivery]) -> EmailMultiAlternatives:
    """One email listing a day's letters to one official, with the same letters as a CSV."""
    first = deliveries[0]
    campaign, official = first.signature.campaign, first.official
    sender = sender_address(campaign.organisation)
    to, cc = official_recipients(official, demo=campaign.is_demo)
    context = {
        "campaign": campaign,
        "official": official,
        "letters": [_letter_context(d) for d in deliveries],
    }
    message = render_email(
        "digest",
        context,
        to=to,
        cc=cc,
        from_email=addresses.mailbox(campaign.organisation.name, sender),
        headers={"Message-ID": message_id(digest_key(deliveries), sender)},
    )
    message.attach("letters.csv", digest_csv(context["letters"]), "text/csv")
    return message


def _cell(value: object) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def digest_csv(letters: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*CSV_FIELDS, "signed_at", "letter"])
    for item in letters:
        person, signature = item["person"], item["signature"]
        area = signature.area.name if signature.area else ""
        signer = [getattr(signature, f) for f in ("first_name", "last_name")]
        address = [signature.street_address, signature.zip_code]
        verified = "yes" if signature.district_verified else "no"
        row = [*signer, person.email, *address, area, verified, signature.created_at.isoformat()]
        row.append(item["letter"])
        writer.writerow([_cell(v) for v in row])
    return out.getvalue()


def supporter_email(
    template: str, context: dict, *, signature, key: str, subject: str | None = None
) -> EmailMultiAlternatives:
    """An email to a signer about what they signed, from the organisation, with one-click
    unsubscribe (RFC 8058) and a Message-ID made from ``key`` (the same on every try).
    Build it in the signer's language (``translation.override``)."""
    person, organisation = signature.person, signature.campaign.organisation
    sender = sender_address(organisation)
    unsubscribe = tokens.unsubscribe_url(person, signature.language)
    return render_email(
        template,
        {**context, "signature": signature, "unsubscribe_url": unsubscribe},
        subject=subject,
        to=[addresses.checked(person.email, whose="The supporter")],
        from_email=addresses.mailbox(organisation.name, sender),
        headers={
            "Message-ID": message_id(key, sender),
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def delivered_email(delivery: Delivery) -> EmailMultiAlternatives:
    """Tell the supporter their letter reached the official, in the language they signed in."""
    signature = delivery.signature
    texts = _texts(signature.campaign, signature.language)
    with translation.override(signature.language or settings.LANGUAGE_CODE):
        return supporter_email(
            "delivered",
            {"campaign": texts, "official": delivery.official},
            signature=signature,
            key=f"delivered.{delivery.pk}",
            subject=_subject("delivered", texts, delivery.official),
        )


def signature_link_email(signature) -> EmailMultiAlternatives:
    """The link to a signature's own page: "confirm your signature" while it is pending
    (double opt-in), "review or change your signature" once it counts (sent when the form
    is sent again with this address, which changes nothing by itself)."""
    person, campaign = signature.person, signature.campaign
    sender = sender_address(campaign.organisation)
    template = "verify_signature" if signature.confirmed_at is None else "review_signature"
    context = {
        "campaign": campaign.in_language(signature.language),
        "signature": signature,
        "link": tokens.signature_url(signature),
        "days": tokens.SIGNATURE_LINK_MAX_AGE // 86400,
    }
    with translation.override(signature.language or settings.LANGUAGE_CODE):
        return render_email(
            template,
            context,
            to=[addresses.checked(person.email, whose="The supporter")],
            from_email=addresses.mailbox(campaign.organisation.name, sender),
        )
