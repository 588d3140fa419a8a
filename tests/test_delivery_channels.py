"""The delivery channel seam: a channel is one class registered by name; the worker, its
retries, the attempt log and the admin work the same for any of them. Proven by a tiny
channel registered here (a notebook that writes letters down), beside email."""

from dataclasses import dataclass

import pytest
from django.core import mail

from altavoz.delivery.channels import registry
from altavoz.delivery.channels.base import Channel, SendError
from altavoz.delivery.models import Delivery, DeliveryAttempt

Status = Delivery.Status


@dataclass
class Page:
    official: str
    text: str


class Notebook(Channel):
    """Writes each letter on a page; ``refuse`` makes the next send fail that way."""

    name = "notebook"
    label = "Notebook"
    pages: list[Page] = []
    refuse: SendError | None = None

    def build(self, delivery: Delivery) -> Page:
        return Page(delivery.official.name, delivery.signature.letter_body)

    def send(self, message: Page) -> str:
        if Notebook.refuse is not None:
            raise Notebook.refuse
        Notebook.pages.append(message)
        return f"page-{len(Notebook.pages)}"


@pytest.fixture
def notebook(monkeypatch, settings):
    settings.DELIVERY_NOTIFY_SUPPORTERS = False
    monkeypatch.setattr(registry, "CHANNELS", dict(registry.CHANNELS))
    registry.channel_register(Notebook)
    Notebook.pages, Notebook.refuse = [], None
    return Notebook


def _through_notebook(sign) -> Delivery:
    sign()
    Delivery.objects.update(channel="notebook")
    return Delivery.objects.get()


def test_a_registered_channel_delivers_and_its_provider_id_is_recorded(sign, drain, notebook):
    delivery = _through_notebook(sign)
    assert drain() == 1
    delivery.refresh_from_db()
    assert delivery.status == Status.SENT and delivery.provider_id == "page-1"
    assert [page.official for page in notebook.pages] == [delivery.official.name]
    assert delivery.attempt_log.get().outcome == DeliveryAttempt.Outcome.SENT
    assert mail.outbox == []  # nothing went by email


def test_a_temporary_error_retries_and_a_permanent_one_fails(sign, drain, notebook):
    delivery = _through_notebook(sign)
    notebook.refuse = SendError("The notebook is full for today.")
    drain()
    delivery.refresh_from_db()
    assert delivery.status == Status.QUEUED and delivery.next_attempt_at is not None
    assert delivery.last_error == "The notebook is full for today."
    Delivery.objects.update(next_attempt_at=delivery.created_at)  # due again
    notebook.refuse = SendError("No such office.", permanent=True)
    drain()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.last_error) == (Status.FAILED, "No such office.")
    outcomes = sorted(delivery.attempt_log.values_list("outcome", flat=True))
    assert outcomes == ["failed", "retry"]


def test_a_channel_can_make_its_deliveries_wait(sign, drain, notebook, monkeypatch):
    from django.db.models import Q

    monkeypatch.setattr(Notebook, "waiting", classmethod(lambda cls: Q(official__isnull=False)))
    delivery = _through_notebook(sign)
    assert drain() == 0
    delivery.refresh_from_db()
    assert delivery.status == Status.QUEUED and notebook.pages == []


def test_the_email_channel_is_registered_and_a_name_is_taken_once(notebook):
    assert registry.channel_class("email").name == "email"
    assert registry.channel_for(None) == "email"

    class Another(Notebook):
        pass

    with pytest.raises(ValueError, match="already registered"):
        registry.channel_register(Another)
    with pytest.raises(KeyError, match="no delivery channel called 'pigeon'"):
        registry.channel_class("pigeon")


def test_existing_deliveries_are_emails(sign):
    sign()
    assert Delivery.objects.get().channel == "email"
