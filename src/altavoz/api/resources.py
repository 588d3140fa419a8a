"""Each OSDI resource as JSON: what a row of ours looks like to an OSDI client.

People, petitions and their signatures, advocacy campaigns and their outreaches (one per
letter to one official), tags (the source codes of share links). Ids are ``altavoz:<uuid>``;
dates are UTC. Where OSDI is silent, Action Network's API is followed."""

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse

from altavoz.api.hal import iso, link
from altavoz.campaigns import referrals
from altavoz.campaigns.models import Campaign, Person, Question, Signature
from altavoz.delivery.models import Delivery
from altavoz.districts.models import Official

ORIGIN = "Altavoz"


def identifiers(row) -> list[str]:
    return [f"altavoz:{row.pk}"]


def _dates(row) -> dict:
    return {"created_date": iso(row.created_at), "modified_date": iso(row.updated_at)}


def person(row: Person) -> dict:
    erased = row.erased_at is not None
    status = "subscribed" if row.consent_updates else "unsubscribed"
    address = {
        "primary": True,
        "address_lines": [row.street_address] if row.street_address else [],
        "postal_code": row.zip_code,
        "country": "US",
    }
    if row.latitude is not None and row.longitude is not None:
        address["location"] = {"latitude": row.latitude, "longitude": row.longitude}
    return {
        "identifiers": identifiers(row),
        **_dates(row),
        "given_name": row.first_name,
        "family_name": row.last_name,
        "email_addresses": []
        if erased
        else [{"address": row.email, "primary": True, "status": status}],
        "postal_addresses": [] if erased else [address],
        "altavoz:consent": {
            "email_updates": row.consent_updates,
            "recorded_date": iso(row.consent_updated_at),
        },
        "altavoz:email_confirmed_date": iso(row.verified_at),
        "altavoz:erased_date": iso(row.erased_at),
        "_links": {
            "self": link(f"people/{row.pk}/"),
            "osdi:signatures": link(f"people/{row.pk}/signatures/"),
            "osdi:outreaches": link(f"people/{row.pk}/outreaches/"),
        },
    }


def _browser_url(campaign: Campaign) -> str:
    return settings.SITE_URL + reverse("campaign", kwargs={"slug": campaign.slug})


def outcome(position) -> dict:
    """What an official did on a campaign's question (the ``outcome.recorded`` event)."""
    official, campaign_id = position.official, position.campaign_id
    return {
        "identifiers": identifiers(position),
        **_dates(position),
        "origin_system": ORIGIN,
        "target": {
            "title": official.post.label,
            "name": official.name,
            "ocdid": official.post.area.ocd_id,
        },
        "altavoz:position": _position(position),
        "_links": {"osdi:advocacy_campaign": link(f"advocacy_campaigns/{campaign_id}/")},
    }


def _targets(campaign: Campaign, *, positions: dict | None = None) -> list[dict]:
    """The officials letters go to today: name, office and the district's OCD-ID; with
    ``positions`` (by official), what each did on the campaign's question."""
    posts = list(campaign.target_posts().select_related("area").order_by("area__number", "label"))
    holders = {o.post_id: o for o in Official.objects.current().filter(post__in=posts)}
    targets = []
    for post in posts:
        official = holders.get(post.pk)
        target = {
            "title": post.label,
            "name": official.name if official else "",
            "ocdid": post.area.ocd_id,
            "altavoz:district": post.area.name,
        }
        if positions is not None:
            found = positions.get(official.pk) if official else None
            target["altavoz:position"] = _position(found)
        targets.append(target)
    return targets


def petitions_annotated(queryset):
    counted = Q(signatures__confirmed_at__isnull=False)
    return queryset.annotate(signatures_counted=Count("signatures", filter=counted))


def advocacy_campaigns_annotated(queryset):
    sent = Q(signatures__deliveries__status=Delivery.Status.SENT)
    return queryset.annotate(deliveries_sent=Count("signatures__deliveries", filter=sent))


def _campaign_common(row: Campaign) -> dict:
    return {
        "identifiers": identifiers(row),
        **_dates(row),
        "origin_system": ORIGIN,
        "title": row.title,
        "description": row.body,
        "summary": row.summary,
        "browser_url": _browser_url(row),
        "altavoz:status": row.status,
        "altavoz:deadline": iso(row.deadline),
        **row.action_kind.api_fields(row),
    }


OSDI_QUESTION_TYPES = {
    Question.Kind.SINGLE_CHOICE: "SingleChoice",
    Question.Kind.MULTIPLE_CHOICE: "MultiChoice",
}


def question(row: Question) -> dict:
    """One of the petition's questions, as OSDI's Question (inline, in the campaign's own
    words): what a "record signature" request answers (``api/question_responses.py``)."""
    choices = row.choice_list(settings.LANGUAGE_CODE) if row.kind in row.CHOICE_KINDS else []
    return {
        "identifiers": identifiers(row),
        "title": row.label,
        "description": row.help_text,
        "question_type": OSDI_QUESTION_TYPES.get(row.kind, "Paragraph"),
        "responses": [{"key": choice, "title": choice} for choice in choices],
        "altavoz:kind": row.kind,
        "altavoz:required": row.required,
    }


def petition(row: Campaign) -> dict:
    return {
        **_campaign_common(row),
        "petition_text": row.petition_statement,
        "target": [{"name": t["name"] or t["title"]} for t in _targets(row)],
        "total_signatures": row.signatures_counted,
        "altavoz:questions": [question(q) for q in row.questions.all()],
        "_links": {
            "self": link(f"petitions/{row.pk}/"),
            "osdi:signatures": link(f"petitions/{row.pk}/signatures/"),
            "osdi:record_signature_helper": link(f"petitions/{row.pk}/signatures/"),
            "osdi:advocacy_campaign": link(f"advocacy_campaigns/{row.pk}/"),
        },
    }


def _position(position) -> dict | None:
    """What an official did on the campaign's question, as an organiser recorded it."""
    if position is None:
        return None
    return {
        "stance": position.stance,
        "date": position.stated_on.isoformat(),
        "source": position.source_url,
    }


def advocacy_campaign(row: Campaign) -> dict:
    return {
        **_campaign_common(row),
        "type": row.action_kind.outreach_type,
        "targets": _targets(row, positions={p.official_id: p for p in row.positions.all()}),
        "total_outreaches": row.deliveries_sent,
        "_links": {
            "self": link(f"advocacy_campaigns/{row.pk}/"),
            "osdi:outreaches": link(f"advocacy_campaigns/{row.pk}/outreaches/"),
            "osdi:petition": link(f"petitions/{row.pk}/"),
        },
    }


# What ``signature`` reads beyond the row (``answers__question`` is prefetched beside it).
SIGNATURE_RELATED = ("area", "campaign", "referred_by")


def signature_with_person(row: Signature, person_row: Person) -> dict:
    """A signature as the API shows it, with its person embedded: the answer to a write, and
    what a webhook's signature events carry."""
    body = signature(row)
    body["_embedded"] = {"osdi:person": person(person_row)}
    return body


def signature_with_person_read(signature_id) -> dict:
    """``signature_with_person`` of a stored signature: one query for the row and what it
    names, two for its answers."""
    row = (
        Signature.objects.select_related("person", *SIGNATURE_RELATED)
        .prefetch_related("answers__question")
        .get(pk=signature_id)
    )
    return signature_with_person(row, row.person)


def signature(row: Signature) -> dict:
    area = row.area
    return {
        "identifiers": identifiers(row),
        **_dates(row),
        "origin_system": ORIGIN,
        **row.campaign.action_kind.signature_api_fields(row),
        # OSDI's referrer: the referral code of the supporter whose share link brought it
        "referrer_data": {
            "source": row.source,
            "referrer": row.referred_by.referral_code if row.referred_by_id else "",
        },
        "altavoz:channel": referrals.channel_of(row.source),
        "altavoz:confirmed_date": iso(row.confirmed_at),
        "altavoz:language": row.language,
        "altavoz:district": (
            {"name": area.name, "ocdid": area.ocd_id, "verified": row.district_verified}
            if area
            else None
        ),
        "altavoz:outside_place": row.outside_place,
        "altavoz:story": row.story,
        "altavoz:answers": [
            {
                "question": answer.question.label,
                "answer": answer.value,
                "question_identifier": identifiers(answer.question)[0],
            }
            for answer in row.answers.all()
        ],
        "_links": {
            "self": link(f"petitions/{row.campaign_id}/signatures/{row.pk}/"),
            "osdi:person": link(f"people/{row.person_id}/"),
            "osdi:petition": link(f"petitions/{row.campaign_id}/"),
            **(
                {
                    "altavoz:referred_by": link(
                        f"petitions/{row.campaign_id}/signatures/{row.referred_by_id}/"
                    )
                }
                if row.referred_by_id
                else {}
            ),
        },
    }


def outreach(row: Delivery, *, unanswered: bool = False) -> dict:
    """One letter to one official (OSDI's outreach), with that official as its target.
    ``unanswered``: the caller knows it has no reply (a letter that has just left), so none
    is read."""
    official, signature = row.official, row.signature
    reply = None if unanswered else getattr(row, "reply", None)
    campaign_id = signature.campaign_id
    return {
        "identifiers": identifiers(row),
        **_dates(row),
        "origin_system": ORIGIN,
        "type": row.channel,
        "subject": signature.campaign.letter_subject,
        "message": signature.letter_body,
        "targets": [
            {
                "title": official.post.label,
                "name": official.name,
                "ocdid": official.post.area.ocd_id,
            }
        ],
        "altavoz:status": row.status,
        "altavoz:sent_date": iso(row.sent_at),
        "altavoz:reply": _reply(reply),
        "_links": {
            "self": link(f"advocacy_campaigns/{campaign_id}/outreaches/{row.pk}/"),
            "osdi:person": link(f"people/{signature.person_id}/"),
            "osdi:advocacy_campaign": link(f"advocacy_campaigns/{campaign_id}/"),
            "osdi:signature": link(f"petitions/{campaign_id}/signatures/{signature.pk}/"),
        },
    }


def _reply(reply) -> dict:
    """Did the office reply: what the writer said (yes, no, not_yet) and when a reply was
    seen through the letter's reply address; the two are never merged."""
    return {
        "writer_says": (reply.answer or None) if reply else None,
        "answered_date": iso(reply.answered_at) if reply else None,
        "seen_date": iso(reply.captured_at) if reply else None,
    }


OUTREACH_RELATED = (
    "official__post__area",
    "signature__campaign",
    "reply",
)


def tag(row: dict) -> dict:
    """A source code (``?source=`` on a share link) as an OSDI tag; ``row`` has its name and
    the first and last time a signature carried it."""
    name = row["source"]
    return {
        "identifiers": [f"altavoz:source:{name}"],
        "created_date": iso(row["first_at"]),
        "modified_date": iso(row["last_at"]),
        "name": name,
        "_links": {
            "self": link(f"tags/{name}/"),
            "osdi:taggings": link(f"tags/{name}/taggings/"),
        },
    }


def tagging(row: Signature) -> dict:
    return {
        "identifiers": identifiers(row),
        **_dates(row),
        "item_type": "osdi:person",
        "_links": {
            "self": link(f"tags/{row.source}/taggings/{row.pk}/"),
            "osdi:tag": link(f"tags/{row.source}/"),
            "osdi:person": link(f"people/{row.person_id}/"),
            "osdi:signature": link(f"petitions/{row.campaign_id}/signatures/{row.pk}/"),
        },
    }
