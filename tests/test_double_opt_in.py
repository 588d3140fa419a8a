"""With double opt-in, a signature counts and its letter goes out only after the supporter
confirms it, by pressing a button (a POST), which mail scanners never do, on the page the
link emailed for that very signature opens."""

import re

import pytest
from django.core import mail

from altavoz.campaigns.models import Campaign, Signature
from altavoz.campaigns.selectors import signature_count
from altavoz.delivery.models import Delivery
from altavoz.delivery.tasks import send_signature_link

URL = "/act/miami-287g/"


@pytest.fixture
def opt_in(miami):
    Campaign.objects.filter(pk=miami.pk).update(double_opt_in=True)
    miami.refresh_from_db()
    return miami


def _sign(client, supporter_post, **overrides):
    response = client.post(URL, supporter_post(**overrides), follow=True)
    signature = Signature.objects.get(
        person__email=overrides.get("email", "maria.lopez@example.com")
    )
    return response, signature


def _confirmation_link(signature) -> str:
    """Send the confirmation email as the worker does and return the link in it."""
    mail.outbox.clear()
    assert send_signature_link.call(str(signature.pk)) == 1
    (message,) = mail.outbox
    assert message.to == [signature.person.email]
    return re.search(r"http://\S+/signature/\S+/", message.body).group(0)


def test_an_unconfirmed_signature_is_not_counted_and_sends_no_letter(
    client, opt_in, supporter_post
):
    response, signature = _sign(client, supporter_post)
    assert "One more step: check your email" in response.content.decode()
    assert signature.confirmed_at is None
    assert Delivery.objects.count() == 0
    assert signature_count(opt_in) == 0
    assert "Maria L." not in client.get(URL).content.decode()


def test_following_the_link_only_shows_a_button(client, opt_in, supporter_post):
    _, signature = _sign(client, supporter_post)
    link = _confirmation_link(signature).removeprefix("http://127.0.0.1:8000")
    page = client.get(link).content.decode()
    assert "Confirm my signature" in page and 'method="post"' in page
    client.get(link)  # a mail scanner following the link, twice
    signature.refresh_from_db()
    assert signature.confirmed_at is None and Delivery.objects.count() == 0


def test_pressing_the_button_counts_the_signature_and_queues_the_letter(
    client, opt_in, supporter_post
):
    _, signature = _sign(client, supporter_post)
    link = _confirmation_link(signature).removeprefix("http://127.0.0.1:8000")
    page = client.post(link).content.decode()
    assert "your signature counts" in page
    signature.refresh_from_db()
    assert signature.confirmed_at is not None and signature.person.verified_at is not None
    assert Delivery.objects.get().official.name == "Damian Pardo"
    assert signature_count(opt_in) == 1
    client.post(link)  # confirming twice changes nothing
    assert Delivery.objects.count() == 1


def test_the_confirmation_page_shows_the_exact_letter_it_confirms(client, opt_in, supporter_post):
    _, signature = _sign(client, supporter_post, letter_body="My own words about 287(g).")
    link = _confirmation_link(signature).removeprefix("http://127.0.0.1:8000")
    page = client.get(link).content.decode()
    assert "Dear Commissioner Damian Pardo," in page and "My own words about 287(g)." in page
    assert "Maria Lopez" in page and "3500 Pan American Dr, 33133" in page


def test_the_link_can_be_sent_again_a_few_times(client, opt_in, supporter_post):
    _sign(client, supporter_post)
    statuses = [client.post(f"{URL}thanks/resend/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


@pytest.mark.parametrize("token", ["garbage", "x" * 300])
def test_a_broken_link_says_so(client, opt_in, token):
    response = client.get(f"/signature/{token}/")
    assert response.status_code == 404 and "This link does not work" in response.content.decode()


def test_a_link_confirmed_after_the_deadline_is_refused_kindly(client, opt_in, supporter_post):
    from django.utils import timezone

    _, signature = _sign(client, supporter_post)
    link = _confirmation_link(signature).removeprefix("http://127.0.0.1:8000")
    Campaign.objects.filter(pk=opt_in.pk).update(deadline=timezone.now())
    response = client.post(link)
    assert (
        response.status_code == 409 and "closed before you confirmed" in response.content.decode()
    )
    assert Delivery.objects.count() == 0
