"""Read a typed US street address with usaddress and normalise it for the geocode cache.

PO boxes are refused with a reason (a box is not where someone lives, so it has no
district); unit numbers (Apt 4B, # 5) are kept on the address but left out of the match key
(every unit of a building is in the same district).
"""

import re
import unicodedata
from dataclasses import dataclass

import usaddress
from django.utils.translation import gettext_lazy as _

MAX_CHARS = 200
ZIP = re.compile(r"^\d{5}(-\d{4})?$")

# USPS Publication 28 abbreviations for the words people most often spell out.
ABBREVIATIONS = {
    "AVENUE": "AVE", "BOULEVARD": "BLVD", "CIRCLE": "CIR", "COURT": "CT", "DRIVE": "DR",
    "HIGHWAY": "HWY", "LANE": "LN", "PARKWAY": "PKWY", "PLACE": "PL", "ROAD": "RD",
    "STREET": "ST", "TERRACE": "TER", "TRAIL": "TRL", "CAUSEWAY": "CSWY", "EXPRESSWAY": "EXPY",
    "NORTH": "N", "SOUTH": "S", "EAST": "E", "WEST": "W", "NORTHEAST": "NE",
    "NORTHWEST": "NW", "SOUTHEAST": "SE", "SOUTHWEST": "SW",
    "APARTMENT": "APT", "SUITE": "STE", "UNIT": "UNIT", "#": "#",
}  # fmt: skip
STREET_PARTS = (
    "AddressNumberPrefix", "AddressNumber", "AddressNumberSuffix",
    "StreetNamePreModifier", "StreetNamePreDirectional", "StreetNamePreType",
    "StreetName", "StreetNamePostType", "StreetNamePostDirectional", "StreetNamePostModifier",
)  # fmt: skip


class AddressError(ValueError):
    """The address cannot be geocoded; ``message`` says what to do, for the person."""

    def __init__(self, code: str, message: object):
        super().__init__(str(message))
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Address:
    street: str  # number and street, normalised: "3500 PAN AMERICAN DR"
    unit: str  # "APT 4B", kept as typed (normalised), or ""
    city: str
    state: str
    zip_code: str

    @property
    def key(self) -> str:
        """The cache and address-point key: street and ZIP, or city and state when there is
        no ZIP (the unit does not move the point)."""
        place = self.zip_code[:5] or f"{self.city} {self.state}".strip()
        return f"{self.street}|{place}"

    def one_line(self) -> str:
        place = " ".join(p for p in (self.city, self.state, self.zip_code) if p)
        return ", ".join(p for p in (self.street, self.unit, place) if p)


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in text)
    return re.sub(r"\s+", " ", text).strip()


def _word(token: str) -> str:
    token = token.upper().replace(".", "").strip(",")
    return ABBREVIATIONS.get(token, token)


def _normal(text: str) -> str:
    return " ".join(_word(t) for t in text.split())


def _tag(text: str) -> tuple[dict[str, str], str]:
    try:
        tagged: tuple[dict[str, str], str] = usaddress.tag(text)
        return tagged
    except usaddress.RepeatedLabelError:
        raise AddressError(
            "unreadable",
            _("We could not read this address. Enter just the house number and street."),
        ) from None


def _zip(parsed: dict[str, str], zip_code: str) -> str:
    typed = zip_code.strip()
    inline = parsed.get("ZipCode", "").strip()
    if typed and not ZIP.match(typed):
        raise AddressError("zip", _("Enter a 5-digit US ZIP code, like 33133."))
    if typed and inline and inline[:5] != typed[:5]:
        raise AddressError(
            "zip_mismatch",
            _("The street line says ZIP %(inline)s but the ZIP field says %(typed)s. Which is it?")
            % {"inline": inline, "typed": typed},
        )
    return typed or inline


def _refuse_unusable(parsed: dict[str, str], kind: str) -> None:
    if kind == "PO Box" or "USPSBoxID" in parsed or "USPSBoxType" in parsed:
        raise AddressError(
            "po_box",
            _(
                "A PO box is not where you live, so it has no district. "
                "Enter your home street address."
            ),
        )
    if "AddressNumber" not in parsed or "StreetName" not in parsed:
        raise AddressError(
            "incomplete", _("Enter the house number and street, like 3500 Pan American Dr.")
        )


def address_parse(street: str, zip_code: str = "") -> Address:
    """Parse what the person typed (the street line may carry city, state and ZIP)."""
    text = _clean(street)
    if not text:
        raise AddressError("empty", _("Enter your street address, like 3500 Pan American Dr."))
    if len(text) > MAX_CHARS:
        raise AddressError("too_long", _("That is too long for a street address."))
    parsed, kind = _tag(text)
    _refuse_unusable(parsed, kind)
    unit = " ".join(parsed[k] for k in ("OccupancyType", "OccupancyIdentifier") if k in parsed)
    return Address(
        street=_normal(" ".join(parsed[k] for k in STREET_PARTS if k in parsed)),
        unit=_normal(unit),
        city=_normal(parsed.get("PlaceName", "")),
        state=_normal(parsed.get("StateName", "")),
        zip_code=_zip(parsed, zip_code),
    )
