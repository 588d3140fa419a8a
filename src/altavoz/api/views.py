"""The OSDI endpoints. Every query starts from ``_rows(model, request)``: the rows of the
key's organisation only (``access.scope_organisation``), so no view can reach another's."""

from django.db.models import Max, Min
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt

from altavoz.api import hal, resources
from altavoz.api.gate import endpoint
from altavoz.api.problems import not_found, problem_response
from altavoz.campaigns import access
from altavoz.campaigns.models import Campaign, Person, Signature
from altavoz.delivery.models import Delivery

OSDI_VERSION = "1.1"


def _rows(model, request):
    return access.scope_organisation(model._default_manager.all(), request.api_key.organisation)


def _one(queryset, **lookup):
    try:
        return get_object_or_404(queryset, **lookup)
    except Http404:
        raise not_found() from None


@endpoint("GET")
def entry_point(request):
    organisation = request.api_key.organisation
    links = {
        "self": hal.link(""),
        "curies": hal.CURIES,
        "osdi:people": hal.link("people/"),
        "osdi:petitions": hal.link("petitions/"),
        "osdi:advocacy_campaigns": hal.link("advocacy_campaigns/"),
        "osdi:tags": hal.link("tags/"),
        "docs": {"href": hal.api_url("schema/")},
    }
    return hal.respond(
        {
            "motd": f"Altavoz API for {organisation.name}",
            "vendor_name": "Altavoz",
            "product_name": "Altavoz",
            "osdi_version": OSDI_VERSION,
            "max_pagesize": hal.MAX_PER_PAGE,
            "namespace": "altavoz",
            "altavoz:organisation": {"name": organisation.name, "slug": organisation.slug},
            "altavoz:key_scope": request.api_key.scope,
            "_links": links,
        }
    )


# People ---------------------------------------------------------------------------------


@endpoint("GET")
def people(request):
    return hal.collection(
        request, _rows(Person, request), path="people/", rel="osdi:people", render=resources.person
    )


@endpoint("GET")
def person(request, pk):
    return hal.respond(resources.person(_one(_rows(Person, request), pk=pk)))


@endpoint("GET")
def person_signatures(request, pk):
    found = _one(_rows(Person, request), pk=pk)
    return hal.collection(
        request,
        _signatures(request).filter(person=found),
        path=f"people/{pk}/signatures/",
        rel="osdi:signatures",
        render=resources.signature,
    )


@endpoint("GET")
def person_outreaches(request, pk):
    found = _one(_rows(Person, request), pk=pk)
    return hal.collection(
        request,
        _outreaches(request).filter(signature__person=found),
        path=f"people/{pk}/outreaches/",
        rel="osdi:outreaches",
        render=resources.outreach,
    )


# Petitions and signatures ---------------------------------------------------------------


def _petitions(request):
    return resources.petitions_annotated(_rows(Campaign, request)).prefetch_related("questions")


def _signatures(request):
    return (
        _rows(Signature, request)
        .select_related(*resources.SIGNATURE_RELATED)
        .prefetch_related("answers__question")
    )


@endpoint("GET")
def petitions(request):
    return hal.collection(
        request, _petitions(request), path="petitions/", rel="osdi:petitions",
        render=resources.petition,
    )  # fmt: skip


@endpoint("GET")
def petition(request, pk):
    return hal.respond(resources.petition(_one(_petitions(request), pk=pk)))


@endpoint("GET", "POST")
def petition_signatures(request, pk):
    campaign = _one(_rows(Campaign, request), pk=pk)
    if request.method == "POST":
        from altavoz.api.writes import record_signature

        return record_signature(request, campaign)
    return hal.collection(
        request,
        _signatures(request).filter(campaign=campaign),
        path=f"petitions/{pk}/signatures/",
        rel="osdi:signatures",
        render=resources.signature,
    )


@endpoint("GET")
def signature(request, pk, signature_pk):
    found = _one(_signatures(request), campaign_id=pk, pk=signature_pk)
    return hal.respond(resources.signature(found))


# Advocacy campaigns and outreaches ------------------------------------------------------


def _advocacy_campaigns(request):
    return resources.advocacy_campaigns_annotated(_rows(Campaign, request))


def _outreaches(request):
    return _rows(Delivery, request).select_related(*resources.OUTREACH_RELATED)


@endpoint("GET")
def advocacy_campaigns(request):
    return hal.collection(
        request, _advocacy_campaigns(request), path="advocacy_campaigns/",
        rel="osdi:advocacy_campaigns", render=resources.advocacy_campaign,
    )  # fmt: skip


@endpoint("GET")
def advocacy_campaign(request, pk):
    return hal.respond(resources.advocacy_campaign(_one(_advocacy_campaigns(request), pk=pk)))


@endpoint("GET")
def outreaches(request, pk):
    campaign = _one(_rows(Campaign, request), pk=pk)
    return hal.collection(
        request,
        _outreaches(request).filter(signature__campaign=campaign),
        path=f"advocacy_campaigns/{pk}/outreaches/",
        rel="osdi:outreaches",
        render=resources.outreach,
    )


@endpoint("GET")
def outreach(request, pk, outreach_pk):
    found = _one(_outreaches(request), signature__campaign_id=pk, pk=outreach_pk)
    return hal.respond(resources.outreach(found))


# Tags: the source codes of share links ---------------------------------------------------

TAG_DATES = {"modified_date": "last_at", "created_date": "first_at"}


def _tags(request):
    return (
        _rows(Signature, request)
        .exclude(source="")
        .values("source")
        .annotate(first_at=Min("created_at"), last_at=Max("updated_at"))
    )


@endpoint("GET")
def tags(request):
    return hal.collection(
        request, _tags(request), path="tags/", rel="osdi:tags", render=resources.tag,
        order=("source",), fields=TAG_DATES,
    )  # fmt: skip


@endpoint("GET")
def tag(request, name):
    found = _tags(request).filter(source=name).order_by("source").first()
    if found is None:
        raise not_found()
    return hal.respond(resources.tag(found))


@endpoint("GET")
def taggings(request, name):
    if not _tags(request).filter(source=name).exists():
        raise not_found()
    return hal.collection(
        request, _rows(Signature, request).filter(source=name), path=f"tags/{name}/taggings/",
        rel="osdi:taggings", render=resources.tagging,
    )  # fmt: skip


@endpoint("GET")
def tagging(request, name, pk):
    found = _one(_rows(Signature, request).filter(source=name), pk=pk)
    return hal.respond(resources.tagging(found))


def openapi(request):
    """The OpenAPI 3.1 description (no key needed: it holds no data)."""
    from altavoz.api.schema import openapi

    return JsonResponse(openapi(), json_dumps_params={"ensure_ascii": False})


@csrf_exempt
def nothing_here(request, rest=""):
    """Any other address under /api/v1/: a problem document, not the site's HTML page."""
    return problem_response(not_found())
