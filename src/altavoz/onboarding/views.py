"""The public "start using Altavoz" form, and the page the invitation link opens."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from altavoz import privacy
from altavoz.onboarding import services, tokens
from altavoz.onboarding.forms import FirstOrganiserForm, OrganisationRequestForm
from altavoz.shield import formtoken, ratelimit

SCOPE = "organisation-request"
REQUEST_TEMPLATE = "onboarding/request.html"
JOIN_TEMPLATE = "onboarding/join.html"
LOGIN_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _requests_open() -> None:
    if not settings.ORGANISATION_REQUESTS:
        raise Http404("This site does not take requests for new organisations.")


def _refusal(request, form: OrganisationRequestForm) -> tuple[str, int] | None:
    """Why a valid-looking request is not taken now (a message and the status), or None.
    Every attempt counts against the connection's hourly budget."""
    ip_hash = privacy.ip_hash(privacy.client_ip(request))
    hits = ratelimit.count_hit(f"organisation-request:{ip_hash}", window=3600)
    try:
        formtoken.check(
            form.cleaned_data["rendered"], SCOPE,
            min_seconds=settings.SHIELD_MIN_FILL_SECONDS, max_seconds=settings.SHIELD_FORM_MAX_AGE,
        )  # fmt: skip
    except formtoken.FormTokenError:
        return _("This form could not be verified. Check your details and send again."), 400
    if hits > settings.ORGANISATION_REQUESTS_PER_HOUR:
        return _("Too many requests came from your connection. Please try again in an hour."), 429
    if services.pending_requests_count() >= settings.ORGANISATION_REQUESTS_PENDING_MAX:
        return _(
            "Platform staff have many requests to read at the moment. Please try again in a "
            "few days."
        ), 503
    return None


def _shown(request, form: OrganisationRequestForm, status: int = 200):
    form.data = form.data.copy() if form.is_bound else form.data
    if form.is_bound:
        form.data["rendered"] = formtoken.issue(SCOPE)  # a fresh token, what was typed kept
    else:
        form.initial["rendered"] = formtoken.issue(SCOPE)
    return render(request, REQUEST_TEMPLATE, {"form": form}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def organisation_request(request):
    """Ask for a new organisation. It waits, pending, for platform staff; nothing is
    emailed from here (the requester hears back only once staff approve it)."""
    _requests_open()
    form = OrganisationRequestForm(request.POST if request.method == "POST" else None)
    if not form.is_bound:
        return _shown(request, form)
    if not form.is_valid():
        return _shown(request, form, status=400)
    refused = _refusal(request, form)
    if refused:
        form.add_error(None, refused[0])
        return _shown(request, form, status=refused[1])
    fields = {k: v for k, v in form.cleaned_data.items() if k not in {"rendered", "form_label"}}
    services.organisation_request_create(
        **fields,
        language=get_language() or settings.LANGUAGE_CODE,
        ip_hash=privacy.ip_hash(privacy.client_ip(request)),
    )
    # The same answer whether a request was stored or this email already has one waiting.
    return redirect("organisation-request-sent")


def organisation_request_sent(request):
    _requests_open()
    return render(request, "onboarding/request_sent.html")


def _join_refused(request, invitation: tokens.Invitation):
    status = 404 if invitation.problem == "invalid" else 410
    return render(request, JOIN_TEMPLATE, {"problem": invitation.problem}, status=status)


def _joined(request, user, organisation):
    login(request, user, backend=LOGIN_BACKEND)
    messages.success(
        request,
        _("Welcome! You organise %(name)s. Start with “Add campaign”.") % {"name": organisation},
    )
    return redirect(reverse("admin:index"))


def _as_requester(request, join) -> bool:
    """Whether the signed-in account is the requester's own (it has the request's email)."""
    user = request.user
    return user.is_authenticated and user.email.lower() == join.requester_email


def _account_form(request, join) -> FirstOrganiserForm:
    email = join.requester_email
    return FirstOrganiserForm(
        request.POST or None, email=email, initial={"username": email.split("@")[0]}
    )


def _accept(request, invitation: tokens.Invitation, form: FirstOrganiserForm | None):
    """The button: the requester becomes the first organiser (once), signed in."""
    join = invitation.request
    if form is None:
        account = {"user": request.user}
    else:
        account = {"username": form.cleaned_data["username"],
                   "password": form.cleaned_data["password1"]}  # fmt: skip
    user = services.organisation_invitation_accept(
        request=join, invited_at=invitation.invited_at, **account
    )
    if user is None:  # used in the meantime
        return _join_refused(request, tokens.Invitation(join, problem="used"))
    return _joined(request, user, join.organisation)


@require_http_methods(["GET", "HEAD", "POST"])
def organisation_join(request, token: str):
    """Become the first organiser of an approved organisation, from the emailed link: with a
    new account, or as the signed-in account that has the request's email. Opening the
    link changes nothing (mail scanners open links); the button does, once."""
    invitation = tokens.invitation_for_token(token)
    if invitation.problem:
        return _join_refused(request, invitation)
    join = invitation.request
    as_self = _as_requester(request, join)
    users = get_user_model().objects
    existing = not as_self and users.filter(email__iexact=join.requester_email).exists()
    form = None if as_self or existing else _account_form(request, join)
    if request.method == "POST" and (as_self or (form is not None and form.is_valid())):
        return _accept(request, invitation, form)
    context = {"join": join, "form": form, "as_self": as_self, "existing": existing,
               "login_url": f"{reverse('admin:login')}?next={request.path}"}  # fmt: skip
    return render(request, JOIN_TEMPLATE, context, status=400 if form and form.errors else 200)
