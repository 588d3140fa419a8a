"""Organisations are tenants: organiser B never sees, changes or redirects organisation A's
rows, through any admin, filter, search, action, autocomplete, export or dashboard.

The walk goes over every admin registered on the site (``admin.site._registry``), so an
admin added later is walked too; an admin whose model is neither tenant nor platform data in
``campaigns/access.py`` fails ``test_every_admin_model_is_classified``."""

import pytest
from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.db.models import Model
from django.test import RequestFactory
from django.urls import URLPattern, reverse
from django.utils import timezone

from altavoz.campaigns import access, services
from altavoz.campaigns.models import (
    Answer,
    Campaign,
    CampaignTranslation,
    Organisation,
    Question,
    Signature,
)
from altavoz.delivery.models import Delivery, OutboxMessage
from altavoz.districts.models import Official, OfficialAddressChange
from altavoz.organising import urls as organising_urls

SECRET = "asecret"  # in every row of organisation A that the walk looks for
VISIBLE = "bvisible"  # in organisation B's own rows: what B must still see


@pytest.fixture
def world(miami, organisers, drain, district, settings):
    """Organisation A (the Miami demo's): a draft campaign with a translation, a supporter,
    a letter sent to the demo outbox with its attempt, and one still queued. Organisation B:
    its own campaign and supporter."""
    settings.MAILERS = {
        "default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
        "outbox": {"BACKEND": "altavoz.delivery.channels.email.outbox.OutboxBackend"},
    }
    a_org = miami.organisation
    draft = Campaign.objects.get(pk=miami.pk)
    draft.pk, draft.slug, draft.status = None, "asecret-draft", Campaign.Status.DRAFT
    draft.title = "Asecret draft campaign"
    draft.save()
    CampaignTranslation.objects.create(campaign=draft, language="es", title="Asecret borrador")
    services.campaign_share_image_set(campaign=draft, jpeg=b"Asecret picture")
    for n, area in ((1, district(2)), (2, district(3))):
        services.signature_create(
            campaign=miami, email=f"asecret{n}@example.com", first_name="Asecretfirst",
            last_name=f"Asecretlast{n}", street_address="1 Asecret St", zip_code="33133",
            letter_body="Asecret letter words", area=area,
        )  # fmt: skip
    asked = Question.objects.create(campaign=miami, label="Asecret question")
    Answer.objects.create(
        signature=Signature.objects.filter(campaign=miami).first(), question=asked,
        value="Asecret answer",
    )  # fmt: skip
    ours = organisers.other_campaign
    Campaign.objects.filter(pk=ours.pk).update(title="Bvisible campaign")
    services.signature_create(
        campaign=Campaign.objects.get(pk=ours.pk), email="bvisible@example.com",
        first_name="Bvisiblefirst", last_name="Bvisiblelast", street_address="2 B St",
        zip_code="33133", letter_body="Bvisible words", area=district(2),
    )  # fmt: skip
    assert drain() == 3
    Delivery.objects.filter(signature__person__email="asecret2@example.com").update(
        status=Delivery.Status.QUEUED
    )
    _pending_organisation()
    _target_alert(miami)
    _outcomes(miami)
    _api_key(a_org)
    _webhook(a_org)
    _sync(a_org)
    return a_org


def _sync(organisation) -> None:
    """A's connection to Action Network, a signer pushed and the attempt."""
    from altavoz.sync import services as sync
    from altavoz.sync.models import Push, PushAttempt

    sync.connection_create(
        organisation=organisation,
        helper_url="https://asecret.example/petitions/1/signatures/",
        api_key="asecret-key",
        name="Asecret AN",
    )
    signature = Signature.objects.filter(person__email="asecret1@example.com").get()
    sync.pushes_queue(campaign=signature.campaign, signature_id=signature.pk, consent=True)
    now = timezone.now()
    PushAttempt.objects.create(
        push=Push.objects.get(), started_at=now, finished_at=now, outcome="retry", error="asecret"
    )


def _webhook(organisation) -> None:
    """A's endpoint, an event sent to it and the attempt (B sees, replays none of them)."""
    from altavoz.hooks import services as hooks
    from altavoz.hooks.models import Attempt, Message

    hooks.endpoint_create(
        organisation=organisation, url="https://asecret.example/hook", events=["campaign.closed"]
    )
    hooks.event_emit(organisation_id=organisation.pk, kind="campaign.closed", data={"asecret": 1})
    message = Message.objects.get(endpoint__url="https://asecret.example/hook")
    now = timezone.now()
    Attempt.objects.create(
        message=message, started_at=now, finished_at=now, outcome="retry", error="asecret"
    )


def _api_key(organisation) -> None:
    """A's organisers made an API key (B must not see, use or revoke it)."""
    from altavoz.api.keys import apikey_create

    apikey_create(organisation=organisation, name="Asecret CRM sync", scope="write")


def _target_alert(campaign) -> None:
    """A's organisers were told that a target cannot be written to."""
    from altavoz.organising.models import TargetAlert

    official = Official.objects.get(name="Rolando Escalona")
    TargetAlert.objects.create(
        campaign=campaign, post=official.post, official=official, kind="no_address",
        text="Asecret alert", emailed_at=timezone.now(),
    )  # fmt: skip


def _outcomes(campaign) -> None:
    """A's organisers recorded a vote, and a writer said the office replied."""
    from datetime import date

    from altavoz.outcomes.models import FollowUp, FollowUpAttempt, LetterReply, Position

    sent = Delivery.objects.filter(status=Delivery.Status.SENT, signature__campaign=campaign)
    letter = sent.select_related("official").first()
    Position.objects.create(
        campaign=campaign, official=letter.official, stance=Position.Stance.VOTED_NO,
        stated_on=date(2027, 6, 12), source_url="https://example.org/asecret-minutes",
        note="Asecret note",
    )  # fmt: skip
    LetterReply.objects.create(delivery=letter, answer=LetterReply.Answer.YES)
    from altavoz.campaigns.models import CallReport

    CallReport.objects.create(
        campaign=campaign, official=letter.official, outcome=CallReport.Outcome.VOICEMAIL,
        note="Asecret call note", language="en", caller_hash="asecret",
    )  # fmt: skip
    follow_up = FollowUp.objects.create(delivery=letter, purpose=FollowUp.Purpose.OUTCOME)
    now = timezone.now()
    FollowUpAttempt.objects.create(
        follow_up=follow_up, started_at=now, finished_at=now, outcome="retry",
        error="Asecret error",
    )  # fmt: skip


def _pending_organisation() -> None:
    """Someone asked to start using Altavoz (platform staff's to decide, nobody else's)."""
    from altavoz.onboarding.services import organisation_request_create

    organisation_request_create(
        organisation_name="Asecret pending org", requester_name="Asecret requester",
        requester_email="asecret.requester@example.com", plans="Asecret plans",
    )  # fmt: skip


def _a_rows(model) -> list[Model]:
    """Organisation A's rows of a tenant model; every row of a model that is neither tenant
    nor platform data (organiser B may see none of them)."""
    label = model._meta.label_lower
    if label in access.PLATFORM_MODELS:
        return []
    path = access.TENANT_PATHS.get(label)
    rows = model._default_manager.all()
    if path is not None:
        rows = rows.filter(**{f"{path}__in": Organisation.objects.filter(slug="altavoz-demo")})
    return list(rows)


def _state(model) -> list[dict]:
    return sorted(
        (model._default_manager.filter(pk__in=[r.pk for r in _a_rows(model)]).values()),
        key=lambda row: str(row[model._meta.pk.attname]),
    )


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _clean(response) -> None:
    assert response.status_code in {200, 302, 403, 404}, response.status_code
    body = response.content.decode(errors="replace").lower()
    assert SECRET not in body, response.request["PATH_INFO"]


def test_the_fixture_has_rows_of_every_tenant_model(world):
    from django.apps import apps

    for label in access.TENANT_PATHS:
        assert _a_rows(apps.get_model(label)), label


def test_every_admin_model_is_classified():
    """A new model in the admin must be declared tenant, platform or platform staff's data
    (or be one of the superuser's own: users, groups, devices, task results)."""
    superusers_own = {"auth", "otp_totp", "axes", "django_tasks_database", "django_rq"}
    kinds = (access.TENANT_PATHS, access.PLATFORM_MODELS, access.STAFF_MODELS)
    for model in admin.site._registry:
        label = model._meta.label_lower
        classified = any(label in kind for kind in kinds)
        assert classified or model._meta.app_label in superusers_own, label


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda m: m._meta.label_lower)
def test_organiser_b_sees_and_changes_none_of_organisation_a(client, world, organisers, model):
    model_admin = admin.site._registry[model]
    client.force_login(organisers.b)
    changelist = _url(model, "changelist")
    _clean(client.get(changelist))
    for term in ("example.com", "last1", "draft campaign", "letter words"):  # match A's rows
        _clean(client.get(changelist, {"q": term}))
    for row in _a_rows(model):
        for view in ("change", "history", "delete"):
            response = client.get(_url(model, view, row.pk))
            _clean(response)
            assert response.status_code != 200, (view, row)
    _run_every_action(client, model, model_admin, organisers.b)
    _check_filter_choices(model, model_admin, organisers.b)


def _run_every_action(client, model, model_admin, user) -> None:
    request = RequestFactory().get("/")
    request.user = user
    rows = _a_rows(model)
    if not rows:
        return
    before = _state(model)
    for name in model_admin.get_actions(request):
        client.post(
            _url(model, "changelist"),
            {"action": name, "_selected_action": [str(r.pk) for r in rows], "post": "yes"},
        )
        assert _state(model) == before, name


def _check_filter_choices(model, model_admin, user) -> None:
    request = RequestFactory().get("/")
    request.user = user
    if not model_admin.has_view_or_change_permission(request):
        return
    changelist = model_admin.get_changelist_instance(request)
    assert isinstance(changelist, ChangeList)
    for spec in changelist.filter_specs:
        for choice in spec.choices(changelist):
            assert SECRET not in str(choice["display"]).lower(), (model, spec.title)


def test_organiser_b_still_sees_their_own_rows(client, world, organisers):
    client.force_login(organisers.b)
    for path in ("campaigns/campaign", "campaigns/person", "campaigns/signature"):
        assert VISIBLE in client.get(f"/admin/{path}/").content.decode().lower(), path
    assert "Bvisible campaign" in client.get("/admin/delivery/delivery/").content.decode()
    outbox = client.get("/admin/delivery/outboxmessage/").content.decode()
    assert "Bvisiblefirst" in outbox and "Asecret" not in outbox


def test_list_filters_offer_only_the_organisers_campaigns(client, world, organisers):
    client.force_login(organisers.b)
    for path in ("campaigns/signature", "delivery/delivery", "campaigns/campaign"):
        page = client.get(f"/admin/{path}/").content.decode()
        assert "Bvisible campaign" in page and "Asecret draft" not in page, path


def test_every_autocomplete_is_scoped(client, world, organisers):
    client.force_login(organisers.b)
    for model in admin.site._registry:
        for field in model._meta.get_fields():
            if not (field.many_to_one or field.many_to_many) or not field.concrete:
                continue
            if field.related_model not in admin.site._registry:
                continue
            response = client.get(
                "/admin/autocomplete/",
                {
                    "term": "a",
                    "app_label": model._meta.app_label,
                    "model_name": model._meta.model_name,
                    "field_name": field.name,
                },
            )
            _clean(response)


def _organiser_urls() -> list[URLPattern]:
    return [p for p in organising_urls.urlpatterns if isinstance(p, URLPattern)]


@pytest.mark.parametrize("pattern", _organiser_urls(), ids=lambda p: p.name)
def test_organiser_pages_of_organisation_a_are_not_found_for_b(client, world, organisers, pattern):
    a_campaign = Campaign.objects.get(slug="miami-287g")
    a_person = a_campaign.signatures.first().person
    kwargs = {
        "campaign_id": a_campaign.pk,
        "person_id": a_person.pk,
        "organisation_id": a_campaign.organisation_id,
    }
    url = reverse(
        f"organise:{pattern.name}", kwargs={k: kwargs[k] for k in pattern.pattern.converters}
    )
    client.force_login(organisers.b)
    response = client.get(url)
    assert response.status_code == 404
    client.force_login(organisers.a)
    assert client.get(url).status_code == 200


def test_the_deliveries_per_official_count_only_the_organisers_letters(client, world, organisers):
    """Officials are shared; the letters they were sent are not."""
    from altavoz.delivery.admin import OfficialDeliveriesAdmin  # noqa: F401  (registered)

    client.force_login(organisers.b)
    response = client.get("/admin/delivery/officialdeliveries/")
    rows = {o.name: (o.sent_count, o.queued_count) for o in response.context["cl"].result_list}
    assert rows["Damian Pardo"] == (1, 0)  # B's own letter
    assert rows["Rolando Escalona"] == (0, 0)  # A's queued letter is not counted for B


# Civic data: organisers read it, only platform staff change it ---------------------------


def _official_form(official: Official, **changes) -> dict:
    data = {
        "post": str(official.post_id), "name": official.name,
        "start_date": official.start_date or "", "end_date": official.end_date or "",
        "email": official.email, "cc_emails": official.cc_emails, "phone": official.phone,
        "source": official.source, "source_as_of": official.source_as_of or "",
        "address_changes-TOTAL_FORMS": "0", "address_changes-INITIAL_FORMS": "0",
    }  # fmt: skip
    data.update(changes)
    return data


def test_an_organiser_cannot_redirect_a_commissioners_letters(client, world, organisers):
    official = Official.objects.get(name="Rolando Escalona")
    client.force_login(organisers.b)
    url = _url(Official, "change", official.pk)
    assert client.get(url).status_code == 200  # readable
    response = client.post(url, _official_form(official, email="attacker@evil.example"))
    assert response.status_code == 403
    official.refresh_from_db()
    assert official.email != "attacker@evil.example"
    assert not OfficialAddressChange.objects.exists()


def test_organisers_cannot_add_or_delete_civic_data(client, world, organisers):
    client.force_login(organisers.b)
    for path in ("districts/official", "districts/post", "districts/area", "districts/boundaryset"):
        assert client.get(f"/admin/{path}/add/").status_code == 403, path


@pytest.fixture
def staff(django_user_model):
    user = django_user_model.objects.create_user("staffer", password="pw", is_staff=True)
    user.groups.add(access.platform_staff_group())
    return user


def test_a_changed_address_is_recorded_and_holds_the_queue_until_confirmed(
    client, world, staff, drain
):
    official = Official.objects.get(name="Rolando Escalona")
    client.force_login(staff)
    url = _url(Official, "change", official.pk)
    response = client.post(url, _official_form(official, email="new.d3@city.example"))
    assert response.status_code == 302
    change = OfficialAddressChange.objects.get()
    assert (change.field, change.old_value, change.new_value, change.changed_by) == (
        "email",
        official.email,
        "new.d3@city.example",
        "staffer (admin)",
    )
    assert drain() == 0  # A's queued letter to District 3 waits
    queued = Delivery.objects.get(official=official)
    assert queued.status == Delivery.Status.QUEUED
    page = client.get(url).content.decode()
    assert "new.d3@city.example" in page and "not yet: letters held" in page
    client.post(
        _url(Official, "changelist"),
        {"action": "confirm_addresses", "_selected_action": [str(official.pk)]},
    )
    change.refresh_from_db()
    assert change.confirmed_by == "staffer (admin)" and change.confirmed_at is not None
    assert drain() == 1
    assert OutboxMessage.objects.filter(to__contains="new.d3@city.example").exists()


def test_an_organiser_cannot_confirm_a_held_address(client, world, organisers, staff):
    official = Official.objects.get(name="Rolando Escalona")
    from altavoz.districts import services as district_services

    district_services.official_addresses_change(
        official=official, new={"email": "x@city.example"}, by="staffer"
    )
    client.force_login(organisers.a)
    client.post(
        _url(Official, "changelist"),
        {"action": "confirm_addresses", "_selected_action": [str(official.pk)]},
    )
    official.refresh_from_db()
    assert official.letters_held_since is not None


def test_a_roster_import_that_changes_an_email_holds_the_letters(world, tmp_path, drain):
    from altavoz.districts.officials_csv import import_roster

    official = Official.objects.get(name="Rolando Escalona")
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "office,district,name,in_office_since,official_email\n"
        f"Commissioner,3,Rolando Escalona,{official.start_date or ''},other@city.example\n"
    )
    import_roster(roster, set_slugs=[official.post.area.boundary_set.slug])
    official.refresh_from_db()
    assert official.email == "other@city.example" and official.letters_held_since is not None
    assert OfficialAddressChange.objects.get().changed_by == "roster import roster.csv"
    assert drain() == 0


def test_organisations_list_only_their_own(client, world, organisers):
    assert list(access.organisations_for_user(organisers.b)) == [
        Organisation.objects.get(slug="other-org")
    ]


def test_the_staff_command_makes_platform_staff(db, capsys):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("staff", "add", "pat", "--email", "pat@example.org")
    user = get_user_model().objects.get(username="pat")
    assert access.is_platform_staff(user) and user.has_perm("districts.change_official")
    assert "First password" in capsys.readouterr().out
