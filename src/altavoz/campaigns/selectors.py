"""Reads for campaign pages. The count is the sum of the campaign's shares of it
(SignatureCount, kept by the database): no COUNT over the signatures, and no counter row
that every signer would have to lock."""

from django.db.models import Sum

from altavoz.campaigns.models import Campaign, Person, Signature, SignatureCount

SIGNER_FIELDS = ("first_name", "last_name", "street_address", "zip_code", "consent_updates")


def counted_signatures(campaign: Campaign):
    """Signatures that count: all of them, or with double opt-in the confirmed ones."""
    return Signature.objects.filter(campaign=campaign, confirmed_at__isnull=False)


def signature_count(campaign: Campaign) -> int:
    """How many signatures count, exactly, as committed now."""
    shares = SignatureCount.objects.filter(campaign=campaign)
    return shares.aggregate(n=Sum("signatures"))["n"] or 0


def recent_participants(campaign: Campaign, limit: int = 10) -> list[Signature]:
    return list(
        counted_signatures(campaign)
        .filter(is_public=True)
        .select_related("area")
        .only("created_at", "first_name", "last_name", "area__name", "area__translations")
        .order_by("-created_at")[:limit]
    )


def progress_percent(count: int, goal: int) -> int:
    return min(100, round(100 * count / goal)) if goal else 100


def person_data(person: Person) -> dict:
    """Everything held about a person, for their data-access request."""
    fields = ["email", "first_name", "last_name", "street_address", "zip_code", "latitude",
              "longitude", "consent_updates", "consent_updated_at", "verified_at", "created_at",
              "updated_at"]  # fmt: skip
    signatures = person.signatures.select_related("campaign", "area").prefetch_related(
        "deliveries__official"
    )
    return {
        "organisation": person.organisation.name,
        "person": {field: getattr(person, field) for field in fields},
        "signatures": [
            {
                "campaign": signature.campaign.title,
                "signed_at": signature.created_at,
                "signed_as": {f: getattr(signature, f) for f in SIGNER_FIELDS},
                "district": signature.area.name if signature.area else None,
                "district_from_map": signature.district_verified,
                "letter_body": signature.letter_body,
                "language": signature.language,
                "source": signature.source,
                "shown_publicly": signature.is_public,
                "letters": [
                    {"to": d.official.name, "status": d.status, "sent_at": d.sent_at}
                    for d in signature.deliveries.all()
                ],
            }
            for signature in signatures
        ],
    }
