"""A new organisation without a superuser's help: `altavoz organisation add`, or the public
request form, approved by platform staff, its requester made the first organiser by an
emailed link (one use, 7 days). Every attack is tried through the real pages."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from altavoz.campaigns import access
from altavoz.campaigns.models import Organisation
from altavoz.onboarding import services
from altavoz.onboarding.models import OrganisationRequest
from altavoz.onboarding.tasks import send_invitation
from altavoz.shield import formtoken

START = "/start/"
REQUEST = {
    "organisation_name": "Miami Immigrant Rights Coalition",
    "requester_name": "Ana Pérez",
    "requester_email": "Ana@Example.org",
    "website": "miami-rights.example.org",
    "plans": "Legal services funding at the County Commission.",
}
STRONG = "correct horse battery 42"


@pytest.fixture
def requests_open(db, settings):
    settings.ORGANISATION_REQUESTS = True
    return settings


def _post(client, **overrides):
    data = {**REQUEST, "rendered": formtoken.issue("organisation-request"), **overrides}
    return client.post(START, {k: v for k, v in data.items() if v is not None})


@pytest.fixture
def staff(django_user_model):
    user = django_user_model.objects.create_user("staffer", password="pw", is_staff=True)
    user.groups.add(access.platform_staff_group())
    return user


@pytest.fixture
def invited(db, requests_open, client, staff, django_capture_on_commit_callbacks, mailoutbox):
    """A request sent through the form and approved by platform staff in the admin; the
    invitation emailed as the worker sends it. Returns the link in it."""

    def invite():
        _post(client)
        request = OrganisationRequest.objects.get()
        client.force_login(staff)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            client.post(
                "/admin/onboarding/organisationrequest/",
                {"action": "approve", "_selected_action": [str(request.pk)]},
            )
        _run_invitations(callbacks)
        client.logout()
        body = mailoutbox[-1].body
        return body[body.index("http") :].split()[0]

    return invite


def _run_invitations(callbacks) -> None:
    """What the worker does with the task enqueued once the approval commits."""
    from django_tasks_db.models import DBTaskResult

    for callback in callbacks:
        callback()
    queued = DBTaskResult.objects.filter(task_path=send_invitation.module_path)
    for task in queued:
        send_invitation.call(*task.args_kwargs["args"])
    queued.delete()


def _path(link: str) -> str:
    return urlsplit(link).path


# The command ------------------------------------------------------------------------------


def test_organisation_add_makes_an_organisation_organiser_add_can_use(db, capsys):
    call_command("organisation", "add", "miami-rights", "--name", "Miami Rights Coalition")
    organisation = Organisation.objects.get(slug="miami-rights")
    assert organisation.name == "Miami Rights Coalition"
    assert organisation.status == Organisation.Status.ACTIVE
    assert "organiser add USERNAME --email E --organisation miami-rights" in capsys.readouterr().out
    call_command(
        "organiser", "add", "ana", "--email", "ana@example.org", "--organisation", "miami-rights"
    )
    ana = get_user_model().objects.get(username="ana")
    assert list(access.organisations_for_user(ana)) == [organisation]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["Bad Slug!", "--name", "X"], "slug: Enter a valid “slug”"),
        (["ok", "--name", "X", "--sender-email", "letters@localhost"], "sender_email: Email"),
        (["ok", "--name", "Line\nbreak"], "name: Use letters, spaces and punctuation only"),
    ],
)
def test_organisation_add_refuses_bad_values_saying_which(db, args, says):
    with pytest.raises(CommandError, match=says):
        call_command("organisation", "add", *args)
    assert not Organisation.objects.exists()


def test_organisation_add_refuses_a_slug_in_use(db):
    call_command("organisation", "add", "taken", "--name", "First")
    with pytest.raises(CommandError, match="An organisation with the slug taken exists"):
        call_command("organisation", "add", "taken", "--name", "Second")


def test_organiser_add_says_how_to_make_a_missing_organisation(db):
    with pytest.raises(CommandError, match='altavoz organisation add nope --name "Its name"'):
        call_command("organiser", "add", "x", "--email", "x@example.org", "--organisation", "nope")


# The public form --------------------------------------------------------------------------


def test_the_form_is_not_there_unless_the_site_takes_requests(client, db, settings):
    settings.ORGANISATION_REQUESTS = False
    assert client.get(START).status_code == 404
    assert _post(client).status_code == 404
    assert not Organisation.objects.exists()


@pytest.mark.parametrize("prefix", ["", "/es", "/ht"])
def test_the_form_is_in_each_language(client, requests_open, prefix):
    html = client.get(f"{prefix}{START}").content.decode()
    assert {"": "Start using Altavoz", "/es": "Empiece a usar Altavoz",
            "/ht": "Kòmanse itilize Altavoz"}[prefix] in html  # fmt: skip


def test_a_request_makes_a_pending_organisation_and_emails_nobody(
    client, requests_open, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client)
    assert response.status_code == 302 and response["Location"] == "/start/sent/"
    request = OrganisationRequest.objects.select_related("organisation").get()
    assert request.organisation.status == Organisation.Status.PENDING
    assert request.organisation.slug == "miami-immigrant-rights-coalition"
    assert request.requester_email == "ana@example.org"
    assert request.website == "https://miami-rights.example.org"
    assert request.ip_hash and "127.0.0.1" not in request.ip_hash
    assert not request.organisation.members.exists()
    assert mailoutbox == []


def test_mistakes_get_specific_messages_and_keep_what_was_typed(client, requests_open):
    response = _post(client, requester_email="ana@localhost", requester_name="Ana <x@y.z>")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Email cannot reach an address at an IP address, localhost" in html
    assert "Write your name without &lt;, &gt;, @ or quotation marks." in html
    assert 'value="Miami Immigrant Rights Coalition"' in html
    assert not Organisation.objects.exists()


def test_a_filled_honeypot_stores_nothing(client, requests_open):
    response = _post(client, form_label="http://spam.example")
    assert response.status_code == 400
    assert "We could not accept this automatically" in response.content.decode()
    assert not Organisation.objects.exists()


def test_a_form_sent_faster_than_a_person_types_is_refused(client, requests_open):
    requests_open.SHIELD_MIN_FILL_SECONDS = 3
    response = _post(client)
    assert response.status_code == 400
    assert "This form could not be verified" in response.content.decode()
    assert not Organisation.objects.exists()


def test_one_connection_sends_a_few_requests_an_hour_then_waits(client, requests_open):
    requests_open.ORGANISATION_REQUESTS_PER_HOUR = 3
    for n in range(3):
        assert _post(client, requester_email=f"bot{n}@example.org").status_code == 302
    response = _post(client, requester_email="bot9@example.org")
    assert response.status_code == 429
    assert "Too many requests came from your connection" in response.content.decode()
    assert Organisation.objects.count() == 3


def test_many_waiting_requests_close_the_form_for_a_while(client, requests_open):
    requests_open.ORGANISATION_REQUESTS_PENDING_MAX = 2
    requests_open.ORGANISATION_REQUESTS_PER_HOUR = 100
    for n in range(2):
        _post(client, requester_email=f"flood{n}@example.org")
    response = _post(client, requester_email="late@example.org")
    assert response.status_code == 503
    assert "Please try again in a few days" in response.content.decode()
    assert Organisation.objects.count() == 2


def test_an_email_with_a_request_waiting_makes_no_second_and_reads_the_same(client, requests_open):
    first = _post(client)
    again = _post(client, organisation_name="Another Name", requester_email="ANA@example.org")
    assert (first.status_code, first["Location"]) == (again.status_code, again["Location"])
    assert Organisation.objects.count() == 1


def test_a_pending_organisation_is_hidden_from_organisers(client, requests_open, organisers, staff):
    _post(client)
    request = OrganisationRequest.objects.get()
    client.force_login(organisers.a)
    assert client.get("/admin/onboarding/organisationrequest/").status_code == 403
    assert request.organisation not in access.organisations_for_user(organisers.a)
    page = client.get("/admin/campaigns/organisation/").content.decode()
    assert "Miami Immigrant Rights" not in page
    client.post(
        "/admin/onboarding/organisationrequest/",
        {"action": "approve", "_selected_action": [str(request.pk)]},
    )
    request.organisation.refresh_from_db()
    assert request.organisation.status == Organisation.Status.PENDING
    client.force_login(staff)
    page = client.get("/admin/").content.decode()
    assert "1 request to start using Altavoz waits for a decision" in page


# Approval and the link --------------------------------------------------------------------


def test_staff_approve_and_the_requester_becomes_the_first_organiser(client, invited):
    link = invited()
    assert link.startswith("http://127.0.0.1:8000/join/")  # SITE_URL
    page = client.get(_path(link))
    assert page.status_code == 200
    assert "Join Miami Immigrant Rights Coalition on Altavoz" in page.content.decode()
    response = client.post(
        _path(link), {"username": "ana", "password1": STRONG, "password2": STRONG}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    ana = get_user_model().objects.get(username="ana")
    organisation = Organisation.objects.get(slug="miami-immigrant-rights-coalition")
    assert organisation.status == Organisation.Status.ACTIVE
    assert list(access.organisations_for_user(ana)) == [organisation]
    assert ana.email == "ana@example.org" and ana.is_staff and not ana.is_superuser
    home = client.get("/admin/").content.decode()
    assert "You organise Miami Immigrant Rights Coalition" in home
    assert client.get("/admin/campaigns/campaign/add/").status_code == 200


def test_the_link_works_once(client, invited):
    link = invited()
    client.post(_path(link), {"username": "ana", "password1": STRONG, "password2": STRONG})
    client.logout()
    again = client.post(
        _path(link), {"username": "mallory", "password1": STRONG, "password2": STRONG}
    )
    assert again.status_code == 410
    assert "It has been used" in again.content.decode()
    assert not get_user_model().objects.filter(username="mallory").exists()


def test_opening_the_link_changes_nothing(client, invited):
    link = invited()
    for _ in range(3):  # mail scanners open links
        assert client.get(_path(link)).status_code == 200
    assert OrganisationRequest.objects.get().accepted_at is None


def test_a_link_older_than_seven_days_says_so(client, invited):
    link = invited()
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        response = client.post(
            _path(link), {"username": "ana", "password1": STRONG, "password2": STRONG}
        )
    assert response.status_code == 410
    assert "It was valid for 7 days" in response.content.decode()
    assert not get_user_model().objects.filter(username="ana").exists()


def test_a_newer_invitation_retires_the_older_link(
    client, invited, django_capture_on_commit_callbacks
):
    old = invited()
    with django_capture_on_commit_callbacks(execute=False):
        assert services.organisation_invitation_resend(request=OrganisationRequest.objects.get())
    response = client.get(_path(old))
    assert response.status_code == 410
    assert "A newer invitation was sent" in response.content.decode()


@pytest.mark.parametrize("token", ["nonsense", "eyJyIjoiMSJ9:forged:sig"])
def test_a_forged_link_is_not_found(client, invited, token):
    invited()
    assert client.get(f"/join/{token}/").status_code == 404


def test_a_weak_password_or_a_taken_username_is_refused_plainly(client, invited, staff):
    link = invited()
    weak = client.post(
        _path(link), {"username": "staffer", "password1": "12345", "password2": "12345"}
    )
    html = weak.content.decode()
    assert weak.status_code == 400
    assert "This username is taken. Choose another." in html
    assert "This password is too short." in html
    assert OrganisationRequest.objects.get().accepted_at is None


def test_an_existing_account_joins_by_signing_in(client, invited, django_user_model):
    link = invited()
    ana = django_user_model.objects.create_user("ana", "ana@example.org", "pw", is_staff=True)
    page = client.get(_path(link)).content.decode()
    assert "An account with this email exists. Sign in with it" in page
    client.force_login(ana)
    assert "Join as ana" in client.get(_path(link)).content.decode()
    client.post(_path(link))
    assert Organisation.objects.get(slug="miami-immigrant-rights-coalition").members.get() == ana


def test_a_declined_organisation_cannot_be_joined_or_given_organisers(client, requests_open, staff):
    _post(client)
    request = OrganisationRequest.objects.get()
    client.force_login(staff)
    client.post(
        "/admin/onboarding/organisationrequest/",
        {"action": "decline", "_selected_action": [str(request.pk)]},
    )
    assert Organisation.objects.get().status == Organisation.Status.DECLINED
    assert not services.organisation_invitation_resend(request=request)
    with pytest.raises(CommandError, match="platform staff decide it"):
        call_command(
            "organiser", "add", "x", "--email", "x@example.org",
            "--organisation", request.organisation.slug,
        )  # fmt: skip
