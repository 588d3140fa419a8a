"""The call action's own pages: the caller's report of how a call went, and the calendar
reminder to call when the office opens. Both read the thank-you receipt (what the caller
typed, in a signed cookie): no report without having found one's district first."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from altavoz import privacy
from altavoz.campaigns import calendar, receipts, services
from altavoz.campaigns.actions import call
from altavoz.campaigns.forms import CallReportForm
from altavoz.campaigns.models import Campaign
from altavoz.campaigns.views.action import _public_campaign, thanks_context
from altavoz.shield import ratelimit

REPORTS_PER_CONNECTION_PER_HOUR = 30


def _call_campaign(slug: str) -> Campaign:
    campaign = _public_campaign(slug)
    if campaign.kind != call.CallKind.name:
        raise Http404("Not a call campaign.")
    return campaign


def _again(request, campaign, form, *, status: int, message: str = ""):
    """The thank-you page again, with the report form's mistakes (what was typed kept)."""
    context = thanks_context(request, campaign)
    context.update(report_form=form, report_problem=message)
    return render(request, "campaigns/thanks.html", context, status=status)


@require_POST
def call_report(request, slug: str):
    campaign = _call_campaign(slug)
    receipt = receipts.read(request, campaign)
    targets = call.call_targets(campaign, receipt, timezone.now())
    form = CallReportForm(request.POST, officials=[t.official for t in targets])
    if receipt is None:
        message = _("Find your district on the campaign page first, then report your call.")
        return _again(request, campaign, form, status=403, message=message)
    if not form.is_valid():  # a wrong office is said at the top; the rest beside its form
        message = " ".join(str(error) for error in form.errors.get("official", []))
        return _again(request, campaign, form, status=400, message=message)
    ip_hash = privacy.ip_hash(privacy.client_ip(request))
    hits = ratelimit.count_hit(f"call-report-ip:{ip_hash}", window=3600)
    official = form.officials[form.cleaned_data["official"]]
    recorded = hits <= REPORTS_PER_CONNECTION_PER_HOUR and services.call_report_create(
        campaign=campaign, official=official, area_id=receipt.area_id,
        outcome=form.cleaned_data["outcome"], note=form.cleaned_data["note"],
        language=get_language() or settings.LANGUAGE_CODE, email=receipt.email,
    )  # fmt: skip
    if not recorded:
        message = _(
            "You have reported %(n)d calls to %(official)s today, the most we count from one "
            "person in a day. Thank you: call again tomorrow."
        ) % {"n": call.CALLS_PER_OFFICIAL_PER_DAY, "official": official.name}
        return _again(request, campaign, form, status=429, message=message)
    query = urlencode({"reported": str(official.pk)})
    return HttpResponseRedirect(reverse("thanks", kwargs={"slug": slug}) + f"?{query}#calls")


def call_reminder(request, slug: str, official_id):
    """An .ics event when the office next opens: call then."""
    campaign = _call_campaign(slug)
    receipt = receipts.read(request, campaign)
    targets = call.call_targets(campaign, receipt, timezone.now())
    target = next((t for t in targets if str(t.official.pk) == str(official_id)), None)
    if target is None or target.opens_next is None:
        raise Http404("No office to remind you of.")
    body = calendar.call_reminder_ics(campaign, target, minutes=call.REMINDER_MINUTES)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{campaign.slug}-call.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
