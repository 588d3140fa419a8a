"""A live campaign whose target loses its delivery address (or has it held by the address
audit) does not go quiet: its dashboard says so at the top, its organisers get one email,
and the letters wait, queued, instead of failing."""

import pytest

from altavoz.delivery.models import Delivery
from altavoz.districts import services as district_services
from altavoz.districts.models import Official
from altavoz.organising import alerts
from altavoz.organising.models import TargetAlert
from altavoz.organising.services import target_alerts_sync
from altavoz.organising.tasks import send_target_alerts


@pytest.fixture
def pardo(addressed):
    return Official.objects.get(name="Damian Pardo")


@pytest.fixture
def emailed(django_capture_on_commit_callbacks, mailoutbox):
    """``emailed()`` runs one sweep's alerts as the worker would; returns the new emails."""
    from django_tasks_db.models import DBTaskResult

    def sweep() -> list:
        before = len(mailoutbox)
        with django_capture_on_commit_callbacks(execute=True):
            target_alerts_sync()
        queued = DBTaskResult.objects.filter(task_path=send_target_alerts.module_path)
        for task in queued:
            send_target_alerts.call(*task.args_kwargs["args"])
        queued.delete()
        return mailoutbox[before:]

    return sweep


@pytest.fixture
def with_emails(addressed, organisers):
    """Both organisers have an email address; B's campaign (on the same districts) is a
    draft unless a test publishes it."""
    from altavoz.campaigns.models import Campaign

    for user, email in ((organisers.a, "organiser.a@example.org"),
                        (organisers.b, "organiser.b@example.org")):  # fmt: skip
        user.email = email
        user.save()
    Campaign.objects.filter(pk=organisers.other_campaign.pk).update(
        status=Campaign.Status.DRAFT, title="Bvisible campaign"
    )
    return organisers


def test_letters_to_an_official_without_an_address_wait_queued_not_failed(sign, pardo, drain):
    Official.objects.filter(pk=pardo.pk).update(email="")
    sign()
    assert drain() == 0
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("queued", 0, "")
    district_services.official_addresses_change(
        official=pardo, new={"email": "pardo@city.example"}, by="staffer"
    )
    assert drain() == 0  # held until platform staff confirm the new address
    district_services.official_addresses_confirm(official=pardo, by="staffer")
    assert drain() == 1
    assert Delivery.objects.get().status == "sent"


def test_the_dashboard_says_it_at_the_top_with_the_letters_waiting(client, sign, pardo, organisers):
    sign()
    sign()
    district_services.official_addresses_change(
        official=pardo, new={"email": "new.pardo@city.example"}, by="staffer"
    )
    client.force_login(organisers.a)
    html = client.get(f"/organise/campaigns/{sign().campaign.pk}/").content.decode()
    top = html.split("<h1>", 1)[0]
    assert "Letters are waiting: a target cannot be written to" in top
    assert "Commissioner, District 2: the delivery address of Damian Pardo changed" in top
    assert "3 letters wait, queued: they are sent once the address is there and confirmed." in top
    Official.objects.filter(pk=pardo.pk).update(email="", letters_held_since=None)
    html = client.get(f"/organise/campaigns/{pardo.deliveries.first().signature.campaign_id}/")
    assert "Damian Pardo has no delivery email address." in html.content.decode()


def test_organisers_get_one_email_per_problem(sign, pardo, emailed, with_emails):
    sign()
    assert emailed() == []  # nothing wrong
    Official.objects.filter(pk=pardo.pk).update(email="")
    sent = emailed()
    assert [message.to for message in sent] == [["organiser.a@example.org"]]
    body = sent[0].body
    assert "Commissioner, District 2: Damian Pardo has no delivery email address." in body
    assert "1 letter waits, queued: it is sent once the address is there and confirmed." in body
    assert (
        f"http://127.0.0.1:8000/organise/campaigns/{pardo.deliveries.get().signature.campaign_id}/"
        in body
    )
    assert emailed() == []  # told once, however many sweeps
    assert emailed() == []
    Official.objects.filter(pk=pardo.pk).update(email="pardo@city.example")
    assert emailed() == [] and TargetAlert.objects.get().resolved_at is not None
    Official.objects.filter(pk=pardo.pk).update(email="")
    assert len(emailed()) == 1  # a new problem, a new email


def test_each_organisation_is_told_of_its_own_campaigns_only(sign, pardo, emailed, with_emails):
    from altavoz.campaigns.models import Campaign

    sign()
    Official.objects.filter(pk=pardo.pk).update(email="")
    assert [m.to for m in emailed()] == [["organiser.a@example.org"]]  # B's is a draft
    Campaign.objects.filter(pk=with_emails.other_campaign.pk).update(status="live")
    sent = {tuple(m.to): m.body for m in emailed()}
    assert list(sent) == [("organiser.b@example.org",)]  # A was told already
    assert "Bvisible campaign" in sent[("organiser.b@example.org",)]
    assert "Tell the City of Miami" not in sent[("organiser.b@example.org",)]


@pytest.mark.django_db(transaction=True)
def test_the_worker_sweep_notices_and_tells(sign, pardo, with_emails, mailoutbox, settings):
    from altavoz.delivery.worker import DeliveryWorker

    sign()
    Official.objects.filter(pk=pardo.pk).update(email="")
    worker = DeliveryWorker(interval=0, until_idle=True, worker_id="test")
    worker.cycle()  # notices, and enqueues the email task
    worker.cycle()  # runs it
    assert [m.to for m in mailoutbox if "Letters are waiting" in m.subject] == [
        ["organiser.a@example.org"]
    ]
    assert Delivery.objects.get().status == "queued"


def test_a_vacant_seat_is_an_alert_too(sign, pardo, emailed, with_emails):
    sign()
    Official.objects.filter(pk=pardo.pk).update(end_date="2020-01-01")
    sent = emailed()
    assert "Commissioner, District 2: nobody holds this seat today." in sent[0].body
    assert alerts.waiting_letters(TargetAlert.objects.get()) == 0
