"""Who may see and change what: the one scoping mechanism for organisers.

Organisations are tenants. Every model a signed-in user can reach is in one of three kinds:

- **tenant data** (``TENANT_PATHS``): reached through the path to its organisation; an
  organiser sees only the rows of the organisations they belong to;
- **platform data** (``PLATFORM_MODELS``): civic data shared by every organisation (boundary
  sets, areas, seats, officials and their addresses); organisers read it, only platform
  staff change it;
- **platform staff's data** (``STAFF_MODELS``): requests for new organisations; platform
  staff see and decide them, organisers see none (a pending organisation has no members);
- anything else (users, groups, devices, task results, ...): the superuser's alone.

``scope()`` applies that to any queryset. The admin applies it to every registered admin
(``altavoz.admin_site``), the organiser pages through ``get_campaign_for_user`` and
``scope``, the API (keys belong to an organisation, not a user) through
``scope_organisation``; ``tests/test_tenancy.py`` walks every admin as a second
organisation's organiser, ``tests/test_api.py`` every endpoint with a second's key.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from altavoz.campaigns.models import Campaign, Organisation

# The path from each tenant model to its Organisation ("pk": the organisation itself).
TENANT_PATHS = {
    "campaigns.organisation": "pk",
    "campaigns.campaign": "organisation",
    "campaigns.campaigntranslation": "campaign__organisation",
    "campaigns.person": "organisation",
    "campaigns.signature": "campaign__organisation",
    "campaigns.shareimage": "campaign__organisation",
    "campaigns.question": "campaign__organisation",
    "campaigns.answer": "signature__campaign__organisation",
    "campaigns.officehours": "campaign__organisation",
    "campaigns.callreport": "campaign__organisation",
    "campaigns.signaturecount": "campaign__organisation",
    "delivery.delivery": "signature__campaign__organisation",
    "delivery.deliveryattempt": "delivery__signature__campaign__organisation",
    "delivery.outboxmessage": "organisation",
    "organising.targetalert": "campaign__organisation",
    "outcomes.position": "campaign__organisation",
    "outcomes.letterreply": "delivery__signature__campaign__organisation",
    "outcomes.followup": "delivery__signature__campaign__organisation",
    "outcomes.followupattempt": "follow_up__delivery__signature__campaign__organisation",
    "api.apikey": "organisation",
    "hooks.endpoint": "organisation",
    "hooks.event": "organisation",
    "hooks.message": "endpoint__organisation",
    "hooks.attempt": "message__endpoint__organisation",
    "sync.connection": "organisation",
    "sync.push": "connection__organisation",
    "sync.pushattempt": "push__connection__organisation",
}
PLATFORM_MODELS = {
    "districts.boundaryset",
    "districts.boundaryversion",
    "districts.area",
    "districts.areashape",
    "districts.post",
    "districts.official",
    "districts.officialaddresschange",
    "delivery.officialdeliveries",
}

STAFF_MODELS = {"onboarding.organisationrequest"}

ORGANISER_GROUP = "Organisers"
ORGANISER_PERMISSIONS = {
    "campaigns": {
        "campaign": "view add change",
        "campaigntranslation": "view add change delete",
        "question": "view add change delete",
        "person": "view change",
        "signature": "view",
        "officehours": "view add change delete",
        "callreport": "view",
    },
    "districts": {
        "official": "view",
        "officialaddresschange": "view",
        "boundaryset": "view",
        "area": "view",
        "post": "view",
    },
    "delivery": {"delivery": "view change", "outboxmessage": "view", "officialdeliveries": "view"},
    "outcomes": {
        "position": "view add change delete",
        "letterreply": "view",
        "followup": "view",
    },
    "api": {"apikey": "view add change"},
    "hooks": {
        "endpoint": "view add change",
        "event": "view",
        "message": "view change",
        "attempt": "view",
    },
    "sync": {"connection": "view add change", "push": "view", "pushattempt": "view"},
}
PLATFORM_STAFF_GROUP = "Platform staff"
PLATFORM_STAFF_PERMISSIONS = {
    "districts": {
        "official": "view add change",
        "officialaddresschange": "view change",
        "boundaryset": "view add change",
        "area": "view add change",
        "post": "view add change",
        "boundaryversion": "view",
    },
    "delivery": {"officialdeliveries": "view"},
    "onboarding": {"organisationrequest": "view change"},
}


def is_platform_staff(user) -> bool:
    """Platform staff may change civic data and confirm officials' new addresses."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name=PLATFORM_STAFF_GROUP).exists()


def is_platform_model(model) -> bool:
    """Civic data, and platform staff's own: only platform staff change it."""
    label = model._meta.label_lower
    return label in PLATFORM_MODELS or label in STAFF_MODELS


def organisations_for_user(user) -> QuerySet:
    if user.is_superuser:
        return Organisation.objects.all()
    return (
        Organisation.objects.filter(members=user)
        if user.is_authenticated and user.is_active
        else Organisation.objects.none()
    )


def scope(queryset: QuerySet, user) -> QuerySet:
    """The rows of ``queryset`` that ``user`` may see: their organisations' tenant rows, all
    platform rows, platform staff's rows to platform staff, nothing else (unless they are
    the superuser)."""
    if user.is_active and user.is_superuser:
        return queryset
    label = queryset.model._meta.label_lower
    if label in PLATFORM_MODELS and user.is_authenticated:
        return queryset
    if label in STAFF_MODELS:
        return queryset if is_platform_staff(user) else queryset.none()
    path = TENANT_PATHS.get(label)
    if path is None:
        return queryset.none()
    return queryset.filter(**{f"{path}__in": organisations_for_user(user)})


def scope_organisation(queryset: QuerySet, organisation) -> QuerySet:
    """The tenant rows of ``queryset`` that belong to ``organisation`` (an API key's); the
    rows of a model that is not tenant data, none."""
    path = TENANT_PATHS.get(queryset.model._meta.label_lower)
    if path is None:
        return queryset.none()
    return queryset.filter(**{path: organisation.pk})


def campaigns_for_user(user) -> QuerySet:
    return scope(Campaign.objects.all(), user)


def get_campaign_for_user(request, campaign_id) -> Campaign:
    """The campaign if the signed-in organiser may see it; 404 otherwise (never 403, which
    would confirm that the id exists)."""
    if not request.user.is_authenticated:
        raise Http404("Not found")
    return get_object_or_404(
        campaigns_for_user(request.user).select_related("organisation", "target_set"),
        pk=campaign_id,
    )


def _group(name: str, permissions: dict) -> Group:
    group, _ = Group.objects.get_or_create(name=name)
    wanted = [
        Permission.objects.get(
            content_type__app_label=app, content_type__model=model, codename=f"{action}_{model}"
        )
        for app, models in permissions.items()
        for model, actions in models.items()
        for action in actions.split()
    ]
    group.permissions.set(wanted)
    return group


def organiser_group() -> Group:
    """The group that gives organisers the admin pages they need (kept up to date on use)."""
    return _group(ORGANISER_GROUP, ORGANISER_PERMISSIONS)


def platform_staff_group() -> Group:
    """The group of the people who look after the civic data every organisation shares."""
    return _group(PLATFORM_STAFF_GROUP, PLATFORM_STAFF_PERMISSIONS)
