"""A signed render time in every form: too fast means a script, too old means stale.

The token is bound to its campaign (``scope``) and carries a random id, so that one page's
token can sign for one email address only (screening claims it in shield/store.py): sending
the same form again works, another address with it does not."""

import hashlib
import secrets
import time
from dataclasses import dataclass

from django.core import signing

SALT = "altavoz.shield.formtoken"


class FormTokenError(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "missing", "forged", "too_fast", "expired"


@dataclass(frozen=True)
class Stamp:
    age: float  # seconds the form was open
    key: str  # the token's own id, to claim it


def issue(scope: str) -> str:
    data = {"s": scope, "t": round(time.time(), 3), "n": secrets.token_hex(8)}
    return signing.dumps(data, salt=SALT, compress=False)


def check(token: str, scope: str, *, min_seconds: float, max_seconds: float) -> Stamp:
    """Say how long the form was open, or raise FormTokenError saying why not."""
    stamp = read(token, scope)
    age_check(stamp, min_seconds=min_seconds, max_seconds=max_seconds)
    return stamp


def age_check(stamp: Stamp, *, min_seconds: float, max_seconds: float) -> None:
    """Raise FormTokenError unless the form was open between those times."""
    if stamp.age < min_seconds:
        raise FormTokenError("too_fast")
    if stamp.age > max_seconds:
        raise FormTokenError("expired")


def read(token: str, scope: str) -> Stamp:
    """The stamp of a token signed here for ``scope``, whatever its age, or FormTokenError
    ("missing", "forged")."""
    if not token:
        raise FormTokenError("missing")
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        raise FormTokenError("forged") from None
    if not isinstance(data, dict) or data.get("s") != scope:
        raise FormTokenError("forged")
    age = time.time() - float(data.get("t", 0))
    # Tokens issued before they carried an id are told apart by their whole text.
    key = str(data.get("n") or hashlib.sha256(token.encode()).hexdigest()[:32])
    return Stamp(age=age, key=key)
