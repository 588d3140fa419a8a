"""Who may see what: organisers see only their own organisations' campaigns and people."""

from django.contrib.auth.models import Group, Permission
from django.http import Http404
from django.shortcuts import get_object_or_404

from altavoz.campaigns.models import Campaign, Organisation

ORGANISER_GROUP = "Organisers"
ORGANISER_PERMISSIONS = {
    "campaigns": {"campaign": "view add change", "person": "view change", "signature": "view"},
    "districts": {"official": "view change", "boundaryset": "view", "area": "view", "post": "view"},
    "delivery": {"delivery": "view change", "outboxmessage": "view"},
}


def organisations_for_user(user):
    if user.is_superuser:
        return Organisation.objects.all()
    return (
        Organisation.objects.filter(members=user)
        if user.is_authenticated
        else Organisation.objects.none()
    )


def campaigns_for_user(user):
    return Campaign.objects.filter(organisation__in=organisations_for_user(user))


def get_campaign_for_user(request, campaign_id) -> Campaign:
    """The campaign if the signed-in organiser may see it; 404 otherwise (never 403, which
    would confirm that the id exists)."""
    if not request.user.is_authenticated:
        raise Http404("Not found")
    return get_object_or_404(
        campaigns_for_user(request.user).select_related("organisation", "target_set"),
        pk=campaign_id,
    )


def organiser_group() -> Group:
    """The group that gives organisers the admin pages they need (created on first use)."""
    group, _ = Group.objects.get_or_create(name=ORGANISER_GROUP)
    wanted = [
        Permission.objects.get(
            content_type__app_label=app, content_type__model=model, codename=f"{action}_{model}"
        )
        for app, models in ORGANISER_PERMISSIONS.items()
        for model, actions in models.items()
        for action in actions.split()
    ]
    group.permissions.set(wanted)
    return group
