"""Reads for campaign pages. Counting is a COUNT over an index, cached for a few seconds:
no counter row that every signer would have to lock."""

from django.core.cache import cache

from altavoz.campaigns.models import Campaign, Person, Signature

COUNT_TTL_SECONDS = 3
SIGNER_FIELDS = ("first_name", "last_name", "street_address", "zip_code", "consent_updates")


def counted_signatures(campaign: Campaign):
    """Signatures that count: all of them, or with double opt-in the confirmed ones."""
    return Signature.objects.filter(campaign=campaign, confirmed_at__isnull=False)


def signature_count(campaign: Campaign, *, fresh: bool = False) -> int:
    key = f"campaign:{campaign.pk}:count"
    count = None if fresh else cache.get(key)
    if count is None:
        count = counted_signatures(campaign).count()
        cache.set(key, count, COUNT_TTL_SECONDS)
    return count


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
