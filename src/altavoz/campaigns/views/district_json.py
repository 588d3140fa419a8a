"""The JSON endpoint behind the page's live "Your commissioner: ..." line. Rate-limited per
salted IP hash; every answer is JSON with a status and a sentence, never an error page."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from altavoz.campaigns.district_answers import (
    RATE_WINDOW_SECONDS,
    as_json,
    find_for_campaign,
    rate_exceeded,
)
from altavoz.campaigns.views.action import _public_campaign
from altavoz.shield import ratelimit

MAX_PARAM_CHARS = 300


def _params(request) -> dict:
    get = {k: request.GET.get(k, "")[:MAX_PARAM_CHARS] for k in ("street", "zip", "lat", "lon")}
    if get["lat"] or get["lon"]:
        return {"lat": get["lat"], "lon": get["lon"]}
    return {"street": get["street"], "zip_code": get["zip"]}


@require_GET
def district_lookup(request, slug: str):
    campaign = _public_campaign(slug)
    if rate_exceeded(request):
        message = _("Too many lookups. Wait a minute, or choose your district below.")
        response = JsonResponse({"status": "rate_limited", "message": message}, status=429)
        response["Retry-After"] = str(ratelimit.retry_after(RATE_WINDOW_SECONDS))
        return response
    finding = find_for_campaign(campaign, **_params(request))
    response = JsonResponse(as_json(campaign, finding))
    response["Cache-Control"] = "private, no-store"
    return response
