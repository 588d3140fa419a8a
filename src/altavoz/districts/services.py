"""Writes on officials' delivery addresses: every change recorded, the letters held until
platform staff confirm it (a hijacked address must not silently receive the queue)."""

from django.db import transaction
from django.utils import timezone

from altavoz.districts.models import Official, OfficialAddressChange


@transaction.atomic
def official_addresses_change(*, official: Official, new: dict, by: str) -> int:
    """Give ``official`` the delivery addresses in ``new`` (``email``, ``cc_emails``).
    Each address that differs is recorded (who, when, old -> new) and holds the official's
    letters until ``official_addresses_confirm``. Returns how many addresses changed."""
    stored = Official.objects.select_for_update().get(pk=official.pk)
    changed = {
        name: value
        for name, value in new.items()
        if name in Official.ADDRESS_FIELDS and value != getattr(stored, name)
    }
    if not changed:
        return 0
    now = timezone.now()
    OfficialAddressChange.objects.bulk_create(
        OfficialAddressChange(
            official=stored, field=name, old_value=getattr(stored, name), new_value=value,
            changed_by=by,
        )
        for name, value in changed.items()
    )  # fmt: skip
    held = stored.letters_held_since or now
    Official.objects.filter(pk=stored.pk).update(**changed, letters_held_since=held)
    for name, value in {**changed, "letters_held_since": held}.items():
        setattr(official, name, value)
    return len(changed)


@transaction.atomic
def official_addresses_confirm(*, official: Official, by: str) -> int:
    """Staff checked the official's new addresses: record it and send the held letters.
    Returns how many changes were confirmed."""
    from altavoz.delivery.services import deliveries_release_held

    now = timezone.now()
    confirmed = official.address_changes.filter(confirmed_at__isnull=True).update(
        confirmed_by=by, confirmed_at=now
    )
    Official.objects.filter(pk=official.pk).update(letters_held_since=None)
    official.letters_held_since = None
    deliveries_release_held(official=official)
    return confirmed
