"""The public action page: read the campaign, take a signature, thank the supporter."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from altavoz import kept, privacy
from altavoz.campaigns import (
    calendar,
    district_answers,
    pagecache,
    previews,
    receipts,
    referrals,
    selectors,
    sharing,
)
from altavoz.campaigns.forms import SignatureForm
from altavoz.campaigns.models import Campaign
from altavoz.campaigns.submission import signature_submit
from altavoz.campaigns.surfaces import PAGE, Surface
from altavoz.districts import selectors as district_selectors
from altavoz.shield import formtoken, proofofwork, ratelimit, sameorigin, screening, widget


def _published(slug: str) -> Campaign:
    """The campaign unless it is a draft, with its translations: in no language in
    particular (``in_language`` reads it in one)."""
    return get_object_or_404(
        Campaign.objects.select_related("organisation", "target_set")
        .prefetch_related("translations")
        .exclude(status=Campaign.Status.DRAFT),
        slug=slug,
    )


def _public_campaign(slug: str) -> Campaign:
    """The campaign, with its texts in the language of the page (the URL's)."""
    return _published(slug).in_language(get_language())


def _form(campaign: Campaign, *args, **kwargs) -> SignatureForm:
    """The campaign's kind's form (the letter's, the call's...)."""
    return campaign.action_kind.form_class()(*args, campaign=campaign, **kwargs)


def _form_token(form: SignatureForm, campaign: Campaign) -> None:
    """Each form carries a signed render time (see shield.formtoken). A form shown again
    (errors, the district step) keeps the time it was first shown."""
    scope = str(campaign.pk)
    if not form.is_bound:
        form.initial["rendered"] = formtoken.issue(scope)
        return
    try:
        formtoken.check(form.data.get("rendered", ""), scope, min_seconds=0,
                        max_seconds=settings.SHIELD_FORM_MAX_AGE)  # fmt: skip
    except formtoken.FormTokenError:
        form.data = form.data.copy()
        form.data["rendered"] = formtoken.issue(scope)


def _page_context(
    campaign, form, *, preview: bool = False, finding=None, surface: Surface = PAGE
) -> dict:
    return {
        "surface": surface,
        "campaign_url": previews.page_url(campaign, get_language()),
        "finding": finding,
        "lookup_summary": district_answers.summary(campaign, finding) if finding else "",
        "lookup_available": district_answers.lookup_available(campaign),
        "petition_offer": bool(district_answers.petition_place(campaign, finding)),
        "district_map": None
        if surface.embedded
        else district_selectors.district_map(campaign.target_set),
        "selected_area": form.chosen_area(),
        "officials_by_area": {str(pk): name for pk, name in form.fields["area"].holders.items()},
        "campaign": campaign,
        "form": form,
        "is_open": campaign.is_open() or preview,
        "preview": preview,
        "proof_of_work": settings.PROOF_OF_WORK != "off",
        "altcha_strings": widget.altcha_strings(),
        "kind": campaign.action_kind,
        **campaign.action_kind.page_context(campaign, form),
    }


def render_campaign_page(
    request, campaign, form, *, status: int = 200, preview: bool = False, finding=None,
    extra=None, surface: Surface = PAGE,
):  # fmt: skip
    _form_token(form, campaign)
    count = selectors.signature_count(campaign)
    context = {
        **(extra or {}),
        **_page_context(campaign, form, preview=preview, finding=finding, surface=surface),
        "count": count,
        "progress": selectors.progress_percent(count, campaign.goal),
        "recent": selectors.recent_participants(campaign),
    }
    return render(request, surface.template, context, status=status)


def _new_visitor_page(request, campaign: Campaign, surface: Surface = PAGE) -> HttpResponse:
    """The open campaign's page for someone arriving: kept rendered (pagecache), with this
    request's form token and source, and the live column a few seconds old."""

    def skeleton(slots: dict) -> str:
        initial = {key: slots[key] for key in ("source", "ref", "rendered")}
        form = _form(campaign, initial=initial)
        context = {
            **_page_context(campaign, form, surface=surface),
            "live_slot": slots["live"],
        }
        return render_to_string(surface.template, context, request=request)

    return HttpResponse(pagecache.page(request, campaign, skeleton, surface=surface))


def _lookup_without_javascript(request, campaign: Campaign):
    """No district chosen (no JavaScript, or it could not help): look the address up here."""
    street = request.POST.get("street_address", "")
    if request.POST.get("area") or not street.strip():
        return None
    if district_answers.rate_exceeded(request):
        return None
    return district_answers.find_for_campaign(
        campaign, street=street[:300], zip_code=request.POST.get("zip_code", "")[:20]
    )


def _district_step(request, campaign: Campaign, finding, surface: Surface):
    """The district step (no JavaScript): the found district chosen (or the close ones offered), the
    greeting filled in, everything typed still there; sending again signs."""
    data = request.POST.copy()
    if finding.area:
        data["area"] = str(finding.area.pk)
    form = _form(campaign, data)
    return render_campaign_page(request, campaign, form, finding=finding, surface=surface)


def home(request):
    live = list(Campaign.objects.filter(status=Campaign.Status.LIVE).order_by("-created_at")[:20])
    if len(live) == 1:
        return redirect("campaign", slug=live[0].slug)
    return render(request, "campaigns/home.html", {"campaigns": live})


def _refused(request, campaign, form, refusal, surface: Surface):
    form.add_error(None, refusal.message)
    if refusal.renew_form:
        form.data = form.data.copy()
        form.data["rendered"] = ""  # render_campaign_page issues a new one
    response = render_campaign_page(request, campaign, form, status=refusal.status, surface=surface)
    if refusal.retry_after:
        response["Retry-After"] = str(refusal.retry_after)
    return response


def _recent_campaign(slug: str) -> Campaign:
    """The public campaign as read at most PAGE_LIVE_SECONDS ago in this process, in the
    language of this request: during a spike every request needs it, and closing a campaign
    may take that long to show (its deadline is checked against the clock on every request).
    What is kept is the campaign in no language; each request reads it in its own."""
    campaign = kept.remembered(
        ("campaign", slug), settings.PAGE_LIVE_SECONDS, lambda: _published(slug)
    )
    return campaign.in_language(get_language())


def _picked_on_map(campaign: Campaign, request) -> str:
    """The district a visitor picked on the map without JavaScript (``?district=2``: each
    district on the map links there), as its area id; "" for none or an unknown one."""
    number = request.GET.get("district", "")[:20]
    if not number:
        return ""
    area = campaign.target_set.areas.filter(number=number).values_list("pk", flat=True)
    return str(area.first() or "")


def campaign_view(request, slug: str, surface: Surface = PAGE):
    """The action for someone arriving (GET)."""
    campaign = _recent_campaign(slug)
    picked = _picked_on_map(campaign, request)
    if campaign.is_open() and not picked:
        return _new_visitor_page(request, campaign, surface)
    initial = {"source": surface.source_of(request), "ref": request.GET.get("ref", "")[:200],
               "area": picked or None}  # fmt: skip
    form = _form(campaign, initial=initial)
    return render_campaign_page(request, campaign, form, surface=surface)


@csrf_exempt  # the signed render token and the browser's own headers instead (sign)
@require_http_methods(["GET", "HEAD", "POST"])
def campaign_page(request, slug: str):
    if request.method != "POST":
        return campaign_view(request, slug)
    return sign(request, slug)


def sign(request, slug: str, surface: Surface = PAGE):
    """A submission of the action's form (POST), from the page or the embed: the same
    checks, shield and service whichever it came from. The form has no CSRF cookie (none
    to make or check on a page view, and none for a browser to refuse in a frame): a
    submission proves it comes from a page of ours with the render token signed for this
    campaign, sent from no other site (screening.proof_read), before anything else."""
    campaign = _recent_campaign(slug)
    form = _form(campaign, request.POST)
    unproven, stamp = screening.proof_read(
        token=request.POST.get("rendered", ""),
        scope=str(campaign.pk),
        from_another_site=sameorigin.from_another_site(request),
    )
    if stamp is None:
        return _refused(request, campaign, form, unproven, surface)

    def again(status: int = 200, **options):
        return render_campaign_page(
            request, campaign, form, status=status, surface=surface, **options
        )

    if not campaign.is_open():
        return again(409)
    finding = _lookup_without_javascript(request, campaign)
    if finding and finding.areas:
        return _district_step(request, campaign, finding, surface)
    outside_place = district_answers.petition_place(campaign, finding)
    if outside_place and request.POST.get("petition_only") != "1":
        return again(finding=finding)  # offer it
    form.fields["area"].required = not outside_place
    if not form.is_valid():
        return again(400, finding=finding)
    ip_hash = privacy.ip_hash(privacy.client_ip(request))
    refusal = screening.screen_submission(
        ip_hash=ip_hash,
        scope=str(campaign.pk),
        stamp=stamp,
        pow_payload=request.POST.get("altcha", ""),
        email=form.cleaned_data["email"],
    )
    if refusal:
        return _refused(request, campaign, form, refusal, surface)
    submission = signature_submit(
        campaign=campaign,
        fields=form.signature_fields(),
        lat=form.cleaned_data.get("lat", ""),
        lon=form.cleaned_data.get("lon", ""),
        outside_place=outside_place,  # petition only: no district to check
        language=get_language() or "en",
        ip_hash=ip_hash,
    )
    if submission.refusal:
        form.add_error("area", submission.refusal)
        return again(400)
    # The answer is the same whether this email had signed before or not: nothing in it
    # comes from what is stored (DESIGN.md, trust model).
    return _thanked(campaign, submission.fields, surface)


def _thanked(campaign: Campaign, fields: dict, surface: Surface) -> HttpResponse:
    """To the thank-you page, with the receipt of what was typed: a signed cookie, and in a
    frame (where the browser may refuse the cookie) a signed token in the address that holds
    the district only, no personal data."""
    url = reverse(surface.thanks_url, kwargs={"slug": campaign.slug})
    if surface.embedded:
        url += "?" + urlencode({"r": receipts.district_token(campaign, fields)})
    response = HttpResponseRedirect(url)
    receipts.give(response, campaign, fields)
    return response


def thanks_context(request, campaign: Campaign, receipt=None) -> dict:
    receipt = receipt or receipts.read(request, campaign)
    kind = campaign.action_kind
    # The signer's own code, from the address they typed (never from what is stored).
    ref = receipt.referral_code if receipt else ""
    if receipt and receipt.email:
        ref = referrals.code_for(campaign.pk, receipt.email)
    return {
        "campaign": campaign,
        "receipt": receipt,
        "kind": kind,
        **kind.thanks_context(request, campaign, receipt),
        "share_links": sharing.share_links(campaign, ref=ref),
        "share_url": sharing.campaign_url(campaign, "share-copy", ref=ref),
    }


def thanks(request, slug: str, surface: Surface = PAGE):
    campaign = _public_campaign(slug)
    receipt = receipts.read(request, campaign)
    if receipt is None and surface.embedded:
        receipt = receipts.read_district_token(request.GET.get("r", ""), campaign)
    context = {**thanks_context(request, campaign, receipt), "surface": surface}
    template = "campaigns/embed_thanks.html" if surface.embedded else "campaigns/thanks.html"
    return render(request, template, context)


def meeting_calendar(request, slug: str):
    campaign = _public_campaign(slug)
    if not campaign.meeting_date:
        raise Http404("This campaign has no meeting date.")
    response = HttpResponse(
        calendar.meeting_ics(campaign), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{campaign.slug}-meeting.ics"'
    return response


CHALLENGES_PER_WINDOW = 120


def pow_challenge(request, slug: str):
    """A fresh proof-of-work challenge for the page's ALTCHA widget (never cached)."""
    campaign = _public_campaign(slug)
    ip_hash = privacy.ip_hash(privacy.client_ip(request))
    window = settings.SHIELD_IP_WINDOW
    if ratelimit.count_hit(f"challenge:{ip_hash}", window=window) > CHALLENGES_PER_WINDOW:
        response = JsonResponse({"error": "Too many requests; wait and reload."}, status=429)
        response["Retry-After"] = str(ratelimit.retry_after(window))
        return response
    response = JsonResponse(proofofwork.challenge(str(campaign.pk)))
    response["Cache-Control"] = "no-store"
    return response
