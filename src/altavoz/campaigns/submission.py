"""One door for every signature, whoever brings it: the page's form and the API's "record
signature" both end here once the fields are valid (``SignatureForm``'s rules). The district
rule decides the district (the map over the signer's choice; a chosen one only when the
address cannot be checked and the campaign allows it), then ``services.signature_create``
writes it: dedupe by email, an existing person never changed, double opt-in, deliveries."""

from dataclasses import dataclass

from altavoz.campaigns import district_answers, services
from altavoz.campaigns.models import Campaign


@dataclass(frozen=True)
class Submission:
    """A refusal of the district (say it at the district field), or what was recorded;
    ``fields`` are the signature's as stored (the district decided)."""

    refusal: str = ""
    fields: dict | None = None
    result: services.SignatureResult | None = None


def signature_submit(
    *,
    campaign: Campaign,
    fields: dict,
    lat: str = "",
    lon: str = "",
    outside_place: str = "",
    language: str,
    ip_hash: str = "",
) -> Submission:
    """Record the valid ``fields`` (SignatureForm.signature_fields()) as a signature.
    ``outside_place``: the address was just found outside the districts and the campaign
    takes petition signatures from there (no district to check, no letter)."""
    if outside_place:
        check = district_answers.DistrictCheck()
    else:
        check = district_answers.district_check(
            campaign, chosen=fields.get("area"), street=fields["street_address"],
            zip_code=fields["zip_code"], lat=lat, lon=lon,
        )  # fmt: skip
    if check.refusal:
        return Submission(refusal=check.refusal)
    stored = {**fields, "area": check.area, "outside_place": outside_place}
    result = services.signature_create(
        campaign=campaign,
        **stored,
        district_verified=check.verified,
        language=language,
        ip_hash=ip_hash,
    )
    return Submission(fields=stored, result=result)
