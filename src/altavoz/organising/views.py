"""Organiser pages: dashboard, preview, exports, delivery packet, a person's data."""

import io
import json

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from altavoz import csvtext
from altavoz.campaigns import access, golive, selectors, services
from altavoz.campaigns.forms import SignatureForm
from altavoz.campaigns.models import Person
from altavoz.campaigns.views.action import render_campaign_page
from altavoz.districts import bulk
from altavoz.districts import selectors as district_selectors
from altavoz.organising import answers, charts, packet, reports, tools
from altavoz.organising.forms import BulkLookupForm, ExportFilterForm
from altavoz.outcomes import selectors as outcome_selectors

organiser_required = login_required(login_url=reverse_lazy("admin:login"))


def _district_map(campaign, per_district: list) -> list[dict]:
    """The campaign's districts on the map, each with its count and shade."""
    drawn = district_selectors.district_map(campaign.target_set)
    if drawn is None:
        return []
    counts = {row.label: row.count for row in per_district}
    shades = charts.district_shades(per_district)
    return [
        {"area": area, "count": counts.get(area.name, 0), "shade": shades.get(area.name, 0)}
        for area in drawn.areas
    ]


def _day_pictures(campaign, count: int) -> dict:
    days = reports.days(campaign)
    open_now = campaign.is_open()
    pace = (
        charts.pace(
            days, total=count, goal=campaign.goal, deadline=timezone.localdate(campaign.deadline)
        )
        if open_now
        else None
    )
    return {"days_chart": charts.days_chart(days, goal=campaign.goal) if days else None,
            "pace": pace}  # fmt: skip


def _dashboard_context(campaign, export_form: ExportFilterForm) -> dict:
    count = selectors.signature_count(campaign)
    per_district = reports.per_district(campaign)
    per_source = reports.per_source(campaign)
    per_outside = reports.per_outside_place(campaign)
    per_channel = reports.per_channel(campaign)
    return {
        "channel_bars": charts.bars(per_channel),
        "questions": [
            (asked, charts.bars(asked.rows)) for asked in answers.questions_summary(campaign)
        ],
        "personalised": answers.personalised_per_district(campaign),
        "top_referrers_bars": charts.bars(reports.top_referrers(campaign)),
        "campaign": campaign,
        "kind": campaign.action_kind,
        **campaign.action_kind.dashboard_context(campaign),
        "count": count,
        "outside_count": sum(row.count for row in per_outside),
        "awaiting": reports.awaiting_confirmation(campaign),
        "per_day": reports.per_day(campaign),
        "per_district": per_district,
        "per_source": per_source,
        "per_outside": per_outside,
        "district_map": district_selectors.district_map(campaign.target_set),
        "map_areas": _district_map(campaign, per_district),
        "district_bars": charts.bars(per_district),
        "source_bars": charts.bars(per_source),
        "outside_bars": charts.bars(per_outside),
        **_day_pictures(campaign, count),
        "outcomes": outcome_selectors.per_official(campaign),
        "export_form": export_form,
    }


@organiser_required
def dashboard(request, campaign_id):
    campaign = access.get_campaign_for_user(request, campaign_id)
    context = _dashboard_context(campaign, ExportFilterForm(campaign=campaign))
    return render(request, "organising/dashboard.html", context)


def _matched_list(upload, organisation) -> StreamingHttpResponse:
    lines = io.TextIOWrapper(upload.file, encoding="utf-8-sig", errors="replace", newline="")
    report = bulk.Report()
    rows = bulk.match_rows(lines, bulk.sets_in_force(), report)
    response = StreamingHttpResponse(csvtext.lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{organisation.slug}-districts.csv"'
    return response


@organiser_required
def bulk_lookup(request, organisation_id):
    """Match one of the organiser's organisations' own list of addresses to districts and
    officials (the same as `altavoz lookup --csv`), streamed back as CSV. Another
    organisation's page is not found; the list is read once and never stored."""
    organisation = get_object_or_404(
        access.organisations_for_user(request.user), pk=organisation_id
    )
    form = BulkLookupForm(
        request.POST or None, request.FILES or None, max_bytes=settings.BULK_LOOKUP_MAX_BYTES
    )
    if request.method == "POST" and form.is_valid():
        return _matched_list(form.cleaned_data["addresses"], organisation)
    context = {
        **admin.site.each_context(request),
        "form": form,
        "organisation": organisation,
        "title": _("Match a list"),
    }
    status = 400 if form.errors else 200
    return render(request, "organising/bulk_lookup.html", context, status=status)


def _preview_language(request, campaign) -> str:
    """The language asked for (``?language=es``) when the campaign offers it."""
    asked = request.GET.get("language", "")
    return asked if asked in (campaign.languages or []) else settings.LANGUAGE_CODE


@organiser_required
def preview(request, campaign_id):
    """The campaign page exactly as supporters see it, in each language it is offered in."""
    campaign = access.get_campaign_for_user(request, campaign_id)
    language = _preview_language(request, campaign)
    with translation.override(language):
        texts = campaign.in_language(language)
        return render_campaign_page(
            request, texts, SignatureForm(campaign=texts), preview=True,
            extra={"preview_languages": tools.previews(campaign), "preview_language": language},
        )  # fmt: skip


def _published(request, campaign, *, confirmed: bool) -> bool:
    """Publish it (True), unless a check fails meanwhile."""
    if services.campaign_publish(campaign=campaign, unreviewed_confirmed=confirmed):
        return False
    messages.success(request, _("%(title)s is live.") % {"title": campaign.title})
    return True


@organiser_required
@require_http_methods(["GET", "HEAD", "POST"])
def publish(request, campaign_id):
    """The go-live check, each problem linked to where it is fixed; with none, the button
    that publishes (a POST), asking first to confirm languages no native speaker reviewed."""
    campaign = access.get_campaign_for_user(request, campaign_id)
    if not request.user.has_perm("campaigns.change_campaign"):
        raise PermissionDenied
    problems = golive.publish_problems(campaign)
    draft = campaign.status == campaign.Status.DRAFT
    unreviewed = campaign.unreviewed_warning()
    confirmed = request.POST.get("publish_unreviewed") == "yes"
    ready = draft and not problems and (confirmed or not unreviewed)
    if request.method == "POST" and ready and _published(request, campaign, confirmed=confirmed):
        return redirect(golive.change_url(campaign))
    context = {
        **admin.site.each_context(request),
        "title": _("Publish: %(title)s") % {"title": campaign.title},
        "campaign": campaign, "draft": draft, "problems": golive.publish_problems(campaign),
        "unreviewed": unreviewed, "warnings": golive.publish_warnings(campaign),
    }  # fmt: skip
    status = 400 if request.method == "POST" else 200
    return render(request, "organising/publish.html", context, status=status)


@organiser_required
def export(request, campaign_id):
    campaign = access.get_campaign_for_user(request, campaign_id)
    form = ExportFilterForm(request.GET, campaign=campaign)
    if not form.is_valid():  # the dashboard again, the mistakes beside the filters kept
        context = _dashboard_context(campaign, form)
        return render(request, "organising/dashboard.html", context, status=400)
    kind = campaign.action_kind
    response = StreamingHttpResponse(
        kind.export_lines(campaign, form.signer_filter()), content_type="text/csv; charset=utf-8"
    )
    name = f"{campaign.slug}-{kind.export_name()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@organiser_required
def packet_pdf(request, campaign_id):
    campaign = access.get_campaign_for_user(request, campaign_id)
    response = HttpResponse(packet.build_packet(campaign), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{campaign.slug}-packet.pdf"'
    return response


@organiser_required
def person_export(request, person_id):
    person = get_object_or_404(
        Person.objects.filter(organisation__in=access.organisations_for_user(request.user)),
        pk=person_id,
    )
    body = json.dumps(selectors.person_data(person), cls=DjangoJSONEncoder, indent=2)
    response = HttpResponse(body, content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="person-{person.pk}.json"'
    return response
