"""What a push sends: the signer as OSDI's record signature helper takes them (Action
Network's documented fields, and Altavoz's own district extension, which Action Network
ignores and another Altavoz uses), and what the answer means."""

from altavoz.campaigns.models import Signature
from altavoz.sync.models import Connection


def signature_body(signature: Signature, connection: Connection) -> dict:
    source = connection.source or signature.source
    body = {
        "person": {
            "given_name": signature.first_name,
            "family_name": signature.last_name,
            # Only signers who agreed to updates are pushed: "subscribed" is theirs to give.
            "email_addresses": [{"address": signature.person.email, "status": "subscribed"}],
            "postal_addresses": [
                {
                    "address_lines": [signature.street_address],
                    "postal_code": signature.zip_code,
                    "country": "US",
                }
            ],
        },
        "comments": signature.letter_body,
        "add_tags": list(connection.tags),
    }
    if source:
        body["action_network:referrer_data"] = {"source": source}
        body["referrer_data"] = {"source": source}
    if signature.area is not None:
        body["altavoz:district"] = signature.area.ocd_id
    return body


class Refused(Exception):
    """The other system will not take this push as it is: no use trying again."""


def remote_id(status: int, answer: dict | None) -> str:
    """The identifier the other system gave the signature; Refused or ValueError (worth
    another try) when the answer does not say it was recorded. Action Network answers a
    helper POST it refuses with 200 and an empty body (its "blind POST")."""
    if status in (400, 401, 403, 404, 409, 410, 422):
        raise Refused(f"HTTP {status}: refused ({_detail(answer)})")
    if not 200 <= status < 300:
        raise ValueError(f"HTTP {status} from the other system")
    identifiers = (answer or {}).get("identifiers") or []
    if not identifiers:
        raise Refused("an empty answer: the other system recorded nothing (check the fields)")
    return str(identifiers[0])


def _detail(answer) -> str:
    if isinstance(answer, dict):
        return str(answer.get("detail") or answer.get("error") or "")[:300]
    return ""
