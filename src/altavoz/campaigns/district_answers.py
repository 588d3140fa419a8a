"""The district found for an address, as the campaign page answers it: a Finding turned
into what the page says ("Your commissioner: District 2 — Damian Pardo") and the greeting
that follows."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from altavoz import privacy
from altavoz.campaigns import letters
from altavoz.campaigns.models import Campaign
from altavoz.districts import selectors
from altavoz.districts.finder import Finding, district_find, district_find_point
from altavoz.shield import ratelimit

RATE_WINDOW_SECONDS = 60


def rate_exceeded(request) -> bool:
    """Count one address lookup for this visitor (salted IP hash); True past the limit.
    The JSON endpoint and the no-JavaScript lookup share the budget."""
    ident = privacy.ip_hash(privacy.client_ip(request)) or "unknown"
    hits = ratelimit.count_hit(f"lookup:{ident}", window=RATE_WINDOW_SECONDS)
    return hits > settings.LOOKUP_RATE_PER_MINUTE


def area_label(finding: Finding, area) -> str:
    """ "Distrito 2 — Damian Pardo": the district in the page's language, the holder's name."""
    official = finding.holder(area)
    return f"{area.display_name} — {official.name}" if official else area.display_name


def _your_role_line(role: str) -> str:
    """ "Your commissioner: %(district)s", written whole for the seats translators know; any
    other seat is "Your representative": no role name from data is glued into a sentence,
    whose grammar (an article, a gender) it could not follow in every language."""
    if role == "commissioner":
        return _("Your commissioner: %(district)s")
    return _("Your representative: %(district)s")


def lookup_available(campaign: Campaign) -> bool:
    """Whether the campaign's districts have a map in force (else only the chooser)."""
    return selectors.version_in_force(campaign.target_set) is not None


def petition_place(campaign: Campaign, finding: Finding | None) -> str:
    """Where a person outside the districts lives, when the campaign lets them sign the
    petition without a letter; "" when it does not (or they are not outside)."""
    if finding is None or finding.status != "outside":
        return ""
    if campaign.nonresidents != Campaign.Nonresidents.PETITION:
        return ""
    return finding.place or "outside the districts"


def _nonresident_line(campaign: Campaign) -> str:
    if campaign.nonresidents == Campaign.Nonresidents.PETITION:
        return _("You can still sign the petition: your name is counted, and no letter is sent.")
    territory = campaign.target_set.display_territory or campaign.target_set.name
    return _("This action is for people who live in %(place)s.") % {"place": territory}


def summary(campaign: Campaign, finding: Finding) -> str:
    if finding.status == "outside":
        return f"{finding.message} {_nonresident_line(campaign)}"
    if finding.status != "found":
        return finding.message
    line = _your_role_line(campaign.target_role.lower())
    return line % {"district": area_label(finding, finding.area)}


def greeting(campaign: Campaign, finding: Finding) -> str:
    official = finding.holder(finding.area) if finding.area else None
    if official is None:
        return ""
    return letters.fill(campaign.letter_greeting, {"Official Name": official.name})


def as_json(campaign: Campaign, finding: Finding) -> dict:
    return {
        "status": finding.status,
        "message": summary(campaign, finding),
        "districts": [
            {
                "id": str(area.pk),
                "number": area.number,
                "label": area_label(finding, area),
                "official": getattr(finding.holder(area), "name", ""),
            }
            for area in finding.areas
        ],
        "greeting": greeting(campaign, finding),
        "petition_only": bool(petition_place(campaign, finding)),
    }


def find_for_campaign(campaign: Campaign, *, street="", zip_code="", lat=None, lon=None):
    if lat is not None or lon is not None:
        return district_find_point(
            boundary_set=campaign.target_set, lon=lon, lat=lat, role=campaign.target_role
        )
    return district_find(
        boundary_set=campaign.target_set,
        street=street,
        zip_code=zip_code,
        role=campaign.target_role,
    )


@dataclass(frozen=True)
class DistrictCheck:
    """The district a signature names, whether the map gave it, or why it is refused."""

    area: object = None
    verified: bool = False
    refusal: str = ""


def _district_names(areas) -> str:
    """ "Distrito 1 y Distrito 4": the districts a line divides, in the page's language."""
    return _(" and ").join(area.display_name for area in areas)


def _resolved(campaign: Campaign, chosen, finding: Finding) -> DistrictCheck:
    """The address (or point) is on the map: its district is the one the map gives."""
    if finding.status == "outside":
        return DistrictCheck(refusal=finding.message)
    if chosen is None or chosen in finding.areas:
        return DistrictCheck(chosen or finding.area, True)
    if finding.status == "found":
        refusal = _(
            "The address you typed is in %(found)s, not %(chosen)s. Choose %(found)s, or "
            "check the street and ZIP code."
        )
    else:
        refusal = _(
            "The address you typed is on the line between %(found)s. Choose one of them, or "
            "check the street and ZIP code."
        )
    return DistrictCheck(refusal=refusal % {"found": _district_names(finding.areas),
                                            "chosen": chosen.display_name})  # fmt: skip


def district_check(
    campaign: Campaign, *, chosen, street: str, zip_code: str, lat="", lon=""
) -> DistrictCheck:
    """The district a signature may name. When the typed address resolves, the map decides
    (a chosen district that disagrees is refused); when it does not and the browser gave a
    point (the person's location or a point on the map), the point decides; otherwise the
    person's choice stands, unverified, unless the campaign needs an address on the map."""
    finding = find_for_campaign(campaign, street=street, zip_code=zip_code)
    if finding.status in RESOLVED:
        return _resolved(campaign, chosen, finding)
    if lat or lon:
        located = find_for_campaign(campaign, lat=lat, lon=lon)
        if located.status in RESOLVED:
            return _resolved(campaign, chosen, located)
    if campaign.require_verified_address:
        refusal = _(
            "This campaign counts only addresses we can find on the map, and we could not "
            "find this one. %(reason)s"
        ) % {"reason": finding.message}
        return DistrictCheck(refusal=refusal.strip())
    return DistrictCheck(chosen, False)


RESOLVED = {"found", "near_line", "outside"}
