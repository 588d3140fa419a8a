"""Making, checking and revoking API keys (the key itself is shown once, then only its hash
is kept)."""

import hashlib
import secrets
from datetime import timedelta

from django.utils import timezone

from altavoz.api.models import ApiKey

KEY_PREFIX = "avz_"
# A key's last use is written at most this often: reading a page must not mean a write.
TOUCH_EVERY = timedelta(minutes=1)


def key_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def apikey_create(*, organisation, name: str, scope: str, created_by=None) -> tuple[ApiKey, str]:
    """A new key for ``organisation``; returns the row and the key, which is never stored."""
    token = KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey.objects.create(
        organisation=organisation,
        name=name,
        scope=scope,
        prefix=token[: len(KEY_PREFIX) + 6],
        key_hash=key_hash(token),
        created_by=created_by,
    )
    return key, token


def apikey_for_token(token: str) -> ApiKey | None:
    """The live key this token is, or None (unknown or revoked)."""
    if not token or not token.startswith(KEY_PREFIX) or len(token) > 200:
        return None
    key = (
        ApiKey.objects.select_related("organisation")
        .filter(key_hash=key_hash(token), revoked_at__isnull=True)
        .first()
    )
    if key is not None and key.organisation.status != key.organisation.Status.ACTIVE:
        return None
    return key


def apikey_touch(*, key: ApiKey) -> None:
    """Record that the key was used now (at most once per TOUCH_EVERY)."""
    now = timezone.now()
    if key.last_used_at and now - key.last_used_at < TOUCH_EVERY:
        return
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    key.last_used_at = now


def apikeys_revoke(*, queryset) -> int:
    return queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
