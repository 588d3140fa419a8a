"""A signed render time in every form: too fast means a script, too old means stale."""

import time

from django.core import signing

SALT = "altavoz.shield.formtoken"


class FormTokenError(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "missing", "forged", "too_fast", "expired"


def issue(scope: str) -> str:
    return signing.dumps({"s": scope, "t": round(time.time(), 3)}, salt=SALT, compress=False)


def check(token: str, scope: str, *, min_seconds: float, max_seconds: float) -> float:
    """Return how long the form was open, or raise FormTokenError saying why not."""
    if not token:
        raise FormTokenError("missing")
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        raise FormTokenError("forged") from None
    if not isinstance(data, dict) or data.get("s") != scope:
        raise FormTokenError("forged")
    age = time.time() - float(data.get("t", 0))
    if age < min_seconds:
        raise FormTokenError("too_fast")
    if age > max_seconds:
        raise FormTokenError("expired")
    return age
