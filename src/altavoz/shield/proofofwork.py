"""Self-hosted proof of work with ALTCHA (protocol v1): the browser's widget finds a number
whose hash matches the challenge; the server checks the HMAC-signed challenge, its expiry,
the campaign it was made for (a ``scope`` parameter in its salt, which the HMAC covers) and
that it was not used before (shield/store.py: shared by every web process)."""

import base64
import json
from datetime import UTC, datetime, timedelta

import altcha
from django.conf import settings


def _key() -> str:
    return settings.ALTCHA_HMAC_KEY


def challenge(scope: str) -> dict:
    """A challenge that only a submission for ``scope`` (a campaign's id) accepts."""
    expires = datetime.now(UTC) + timedelta(seconds=settings.ALTCHA_EXPIRES_SECONDS)
    made = altcha.create_challenge_v1(
        altcha.ChallengeOptionsV1(
            hmac_key=_key(),
            max_number=settings.ALTCHA_MAX_NUMBER,
            expires=expires,
            params={"scope": scope},
        )
    )
    return {
        "algorithm": made.algorithm,
        "challenge": made.challenge,
        "maxnumber": made.max_number,
        "salt": made.salt,
        "signature": made.signature,
    }


def _decoded(payload: str) -> dict:
    try:
        data = json.loads(base64.b64decode(payload, validate=True))
    except (ValueError, TypeError):
        return {}
    return data if isinstance(data, dict) else {}


def verify(payload: str, scope: str) -> bool:
    """True once per solved challenge made for ``scope``: a replayed solution, or one
    solved for another campaign, is refused."""
    # Imported here: the rest of this module (``solve``) also runs outside Django, in the
    # benchmarks' clients, where the store's model cannot be loaded.
    from altavoz.shield import store

    data = _decoded(payload)
    signature = str(data.get("signature", ""))
    if not signature or not isinstance(data.get("salt"), str):
        return False
    ok, _error = altcha.verify_solution_v1(payload, _key(), check_expires=True)
    if not ok or altcha.extract_params_v1(data).get("scope") != [scope]:
        return False
    return store.first_use(f"pow-used:{signature}", seconds=settings.ALTCHA_EXPIRES_SECONDS + 60)


def solve(data: dict) -> str:
    """Solve a challenge as the browser widget does (for tests and the flood benchmark)."""
    solution = altcha.solve_challenge_v1(
        data["challenge"], data["salt"], data["algorithm"], data["maxnumber"], 0
    )
    payload = {**{k: data[k] for k in ("algorithm", "challenge", "salt", "signature")}}
    payload["number"] = solution.number
    return base64.b64encode(json.dumps(payload).encode()).decode()
