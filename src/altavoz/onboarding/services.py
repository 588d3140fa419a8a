"""Writes for new organisations: made by a command, or asked for through the public form and
approved by platform staff; the requester becomes the first organiser through an emailed
link (one use, 7 days)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from altavoz import validation
from altavoz.campaigns import access
from altavoz.campaigns.models import Organisation
from altavoz.onboarding.models import OrganisationRequest

Status = Organisation.Status
SLUG_MAX = Organisation._meta.get_field("slug").max_length


def _organisation_checked(*, name: str, slug: str, sender_email: str) -> None:
    errors = {}
    for field, value, rules in (
        ("name", name, [validation.validate_text_line]),
        ("slug", slug, [validate_slug]),
        ("sender_email", sender_email, [validation.validate_email_address] if sender_email else []),
    ):
        try:
            if not value.strip() and field != "sender_email":
                raise ValidationError(_("This cannot be empty."))
            for rule in rules:
                rule(value)
        except ValidationError as error:
            errors[field] = error.messages
    if Organisation.objects.filter(slug=slug).exists():
        errors["slug"] = [_("An organisation with the slug %(slug)s exists.") % {"slug": slug}]
    if errors:
        raise ValidationError(errors)


def organisation_create(
    *, name: str, slug: str, sender_email: str = "", status: str = Status.ACTIVE
) -> Organisation:
    """A new organisation (``altavoz organisation add``): its name, the slug commands name
    it by, and the address its letters are sent From (empty: the site's)."""
    _organisation_checked(name=name, slug=slug, sender_email=sender_email)
    return Organisation.objects.create(
        name=name.strip(), slug=slug, sender_email=sender_email, status=status
    )


def _free_slug(name: str) -> str:
    base = (slugify(name) or "organisation")[: SLUG_MAX - 4].strip("-") or "organisation"
    slug, n = base, 1
    while Organisation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def organisation_request_create(
    *,
    organisation_name: str,
    requester_name: str,
    requester_email: str,
    website: str = "",
    plans: str = "",
    language: str = "en",
    ip_hash: str = "",
) -> OrganisationRequest | None:
    """A pending organisation and its request, for platform staff to decide. An email with
    a request still waiting asks nothing more (None): the page answers the same."""
    email = requester_email.strip().lower()
    waiting = OrganisationRequest.objects.filter(
        requester_email=email, organisation__status=Status.PENDING
    )
    if waiting.exists():
        return None
    organisation = Organisation.objects.create(
        name=organisation_name.strip(), slug=_free_slug(organisation_name), status=Status.PENDING
    )
    return OrganisationRequest.objects.create(
        organisation=organisation, requester_name=requester_name.strip(), requester_email=email,
        website=website.strip(), plans=plans.strip(), language=language, ip_hash=ip_hash,
    )  # fmt: skip


def pending_requests_count() -> int:
    return OrganisationRequest.objects.filter(organisation__status=Status.PENDING).count()


def _invite(request: OrganisationRequest) -> None:
    """Email the requester the link that makes them the organisation's first organiser
    (sent by the worker once this commits); a new invitation retires the older links."""
    from altavoz.onboarding.tasks import send_invitation

    request.invited_at = timezone.now()
    request.save(update_fields=["invited_at", "updated_at"])
    transaction.on_commit(lambda: send_invitation.enqueue(str(request.pk)), robust=True)


@transaction.atomic
def organisation_request_approve(*, request: OrganisationRequest, by: str) -> bool:
    """Platform staff approve a pending organisation: it becomes active and its requester
    gets the invitation. False when it was not pending (decided before, or accepted)."""
    organisation = Organisation.objects.select_for_update().get(pk=request.organisation_id)
    if organisation.status != Status.PENDING:
        return False
    Organisation.objects.filter(pk=organisation.pk).update(
        status=Status.ACTIVE, updated_at=timezone.now()
    )
    request.decided_by, request.decided_at = by, timezone.now()
    request.save(update_fields=["decided_by", "decided_at", "updated_at"])
    _invite(request)
    return True


def organisation_invitation_resend(*, request: OrganisationRequest) -> bool:
    """A new invitation for an approved organisation nobody has joined yet."""
    if request.accepted_at is not None or request.organisation.status != Status.ACTIVE:
        return False
    _invite(request)
    return True


def organisation_request_decline(*, request: OrganisationRequest, by: str) -> bool:
    """Platform staff decline a pending organisation: nobody can ever join it."""
    changed = Organisation.objects.filter(pk=request.organisation_id, status=Status.PENDING).update(
        status=Status.DECLINED, updated_at=timezone.now()
    )
    if changed:
        OrganisationRequest.objects.filter(pk=request.pk).update(
            decided_by=by, decided_at=timezone.now(), updated_at=timezone.now()
        )
    return bool(changed)


def organiser_add(*, organisation: Organisation, user) -> None:
    """``user`` organises ``organisation``: the admin's organiser pages, scoped to it."""
    user.groups.add(access.organiser_group())
    organisation.members.add(user)


@transaction.atomic
def organisation_invitation_accept(
    *, request: OrganisationRequest, invited_at, user=None, username="", password=""
):
    """The requester followed the link: they become the first organiser, as the signed-in
    ``user`` or as a new account. Once only: returns None when the link was used (or a
    newer one sent) in the meantime."""
    taken = OrganisationRequest.objects.filter(
        pk=request.pk, accepted_at__isnull=True, invited_at=invited_at
    ).update(accepted_at=timezone.now(), updated_at=timezone.now())
    if not taken:
        return None
    if user is None:
        user = get_user_model().objects.create_user(
            username=username, email=request.requester_email, password=password, is_staff=True
        )
    elif not user.is_staff:
        get_user_model().objects.filter(pk=user.pk).update(is_staff=True)
    OrganisationRequest.objects.filter(pk=request.pk).update(accepted_by=user)
    organiser_add(organisation=request.organisation, user=user)
    return user
