"""Reads for campaign pages. Counting is a COUNT over an index, cached for a few seconds:
no counter row that every signer would have to lock."""

from django.core.cache import cache

from altavoz.campaigns.models import Campaign, Signature

COUNT_TTL_SECONDS = 5


def signature_count(campaign: Campaign) -> int:
    key = f"campaign:{campaign.pk}:count"
    count = cache.get(key)
    if count is None:
        count = Signature.objects.filter(campaign=campaign).count()
        cache.set(key, count, COUNT_TTL_SECONDS)
    return count


def recent_participants(campaign: Campaign, limit: int = 10) -> list[Signature]:
    return list(
        Signature.objects.filter(campaign=campaign, is_public=True)
        .select_related("person", "area")
        .only("created_at", "person__first_name", "person__last_name", "area__name")
        .order_by("-created_at")[:limit]
    )


def progress_percent(count: int, goal: int) -> int:
    return min(100, round(100 * count / goal)) if goal else 100
