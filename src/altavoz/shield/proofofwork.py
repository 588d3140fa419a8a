"""Self-hosted proof of work with ALTCHA (protocol v1): the browser's widget finds a number
whose hash matches the challenge; the server checks the HMAC-signed challenge, its expiry and
that it was not used before (replay protection through the cache)."""

import base64
import json
from datetime import UTC, datetime, timedelta

import altcha
from django.conf import settings
from django.core.cache import cache


def _key() -> str:
    return settings.ALTCHA_HMAC_KEY


def challenge() -> dict:
    expires = datetime.now(UTC) + timedelta(seconds=settings.ALTCHA_EXPIRES_SECONDS)
    made = altcha.create_challenge_v1(
        altcha.ChallengeOptionsV1(
            hmac_key=_key(), max_number=settings.ALTCHA_MAX_NUMBER, expires=expires
        )
    )
    return {
        "algorithm": made.algorithm,
        "challenge": made.challenge,
        "maxnumber": made.max_number,
        "salt": made.salt,
        "signature": made.signature,
    }


def _signature_of(payload: str) -> str:
    try:
        data = json.loads(base64.b64decode(payload, validate=True))
        return str(data["signature"]) if isinstance(data, dict) else ""
    except (ValueError, KeyError, TypeError):
        return ""


def verify(payload: str) -> bool:
    """True once per solved challenge: a replayed solution is refused."""
    signature = _signature_of(payload)
    if not signature:
        return False
    ok, _error = altcha.verify_solution_v1(payload, _key(), check_expires=True)
    if not ok:
        return False
    return cache.add(f"pow-used:{signature}", 1, timeout=settings.ALTCHA_EXPIRES_SECONDS + 60)


def solve(data: dict) -> str:
    """Solve a challenge as the browser widget does (for tests and the flood benchmark)."""
    solution = altcha.solve_challenge_v1(
        data["challenge"], data["salt"], data["algorithm"], data["maxnumber"], 0
    )
    payload = {**{k: data[k] for k in ("algorithm", "challenge", "salt", "signature")}}
    payload["number"] = solution.number
    return base64.b64encode(json.dumps(payload).encode()).decode()
