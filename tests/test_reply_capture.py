"""An office replies to a letter's own reply address: the writer receives the reply, the
letter shows "replied", and nothing else gets through (against real SMTP servers on
loopback: the recording one the letters go to, and Altavoz's own reply receiver)."""

import smtplib
from email.message import EmailMessage

import pytest
from django.test import override_settings

import smtp_sink as smtp
from altavoz.delivery.models import Delivery
from altavoz.outcomes import inbound, smtp_receiver
from altavoz.outcomes.models import LetterReply

DOMAIN = "replies.example.org"


@pytest.fixture
def mail_server():
    """The SMTP server letters and forwarded replies go to (it records them)."""
    port = smtp.free_port()
    recorder = smtp.Recorder()
    controller = smtp.start(port, recorder)
    with override_settings(MAILERS=smtp.mailers_for(port)):
        yield recorder
    controller.stop()


@pytest.fixture
def receiver():
    """Altavoz's reply receiver, listening on loopback."""
    port = smtp.free_port()
    controller = smtp_receiver.controller("127.0.0.1", port)
    controller.start()
    yield port
    controller.stop()


@pytest.fixture
def letter(sign, drain, mail_server):
    """One letter from an organisation with a reply domain, delivered."""
    signature = sign()
    organisation = signature.campaign.organisation
    organisation.reply_domain = DOMAIN
    organisation.save(update_fields=["reply_domain"])
    assert drain() == 1
    return Delivery.objects.select_related("official", "signature__person").get()


def _letter_message(mail_server):
    (sent,) = [m for m in mail_server.messages if m["Message-ID"].startswith("<letter.")]
    return sent


def _reply_to_of_letter(mail_server) -> str:
    return str(_letter_message(mail_server)["Reply-To"])


def _office_reply(to: str, *, subject="Re: your letter", **headers) -> EmailMessage:
    reply = EmailMessage()
    reply["From"] = "Office of Commissioner Pardo <commissioner2@city.example>"
    reply["To"] = to
    reply["Subject"] = subject
    reply["Message-ID"] = "<office-reply-1@city.example>"
    for name, value in headers.items():
        reply[name.replace("_", "-")] = value
    reply.set_content("Thank you for your letter.\nThe Commissioner will vote on June 12th.\n")
    reply.add_alternative("<p>Thank you for your letter.</p>", subtype="html")
    return reply


def test_a_letter_carries_its_own_reply_address_and_keeps_the_writers_in_its_body(
    letter, mail_server
):
    sent = _letter_message(mail_server)
    assert _reply_to_of_letter(mail_server).startswith("reply+")
    assert _reply_to_of_letter(mail_server).endswith(f"@{DOMAIN}")
    body = sent.get_body(("plain",)).get_content()
    assert letter.signature.person.email in body  # the office can still write to them


@pytest.mark.django_db(transaction=True)
def test_an_office_reply_reaches_the_writer_and_marks_the_letter_replied(
    letter, mail_server, receiver
):
    address = _reply_to_of_letter(mail_server)
    before = len(mail_server.messages)  # the letter, and the writer's "delivered" email
    with smtplib.SMTP("127.0.0.1", receiver, timeout=10) as office:
        office.send_message(_office_reply(address))
    (forwarded,) = mail_server.messages[before:]
    assert forwarded["To"] == letter.signature.person.email
    assert forwarded["Reply-To"] == "commissioner2@city.example"
    assert forwarded["Subject"] == "Re: your letter"
    text = forwarded.get_body(("plain",)).get_content().replace("\r\n", "\n")  # SMTP lines
    assert text == "Thank you for your letter.\nThe Commissioner will vote on June 12th.\n"
    assert "<p>Thank you for your letter.</p>" in forwarded.get_body(("html",)).get_content()
    assert LetterReply.objects.get(delivery=letter).captured_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_forged_reply_address_is_refused_and_nothing_is_forwarded(letter, mail_server, receiver):
    address = _reply_to_of_letter(mail_server)
    before = len(mail_server.messages)
    forged = address[:20] + ("a" if address[20] != "a" else "b") + address[21:]
    office = smtplib.SMTP("127.0.0.1", receiver, timeout=10)
    with office, pytest.raises(smtplib.SMTPRecipientsRefused):
        office.send_message(_office_reply(forged))
    assert len(mail_server.messages) == before
    assert not LetterReply.objects.exists()


def test_an_out_of_office_notice_is_not_a_reply(letter, mail_server):
    address = _reply_to_of_letter(mail_server)
    before = len(mail_server.messages)
    notice = _office_reply(address, Auto_Submitted="auto-replied")
    assert inbound.reply_receive(recipients=[address], message=notice) == 0
    assert len(mail_server.messages) == before
    assert not LetterReply.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_forward_that_fails_is_answered_try_later_so_the_office_server_keeps_it(
    letter, mail_server, receiver, settings
):
    address = _reply_to_of_letter(mail_server)
    settings.MAILERS = smtp.mailers_for(smtp.free_port())  # nothing listens there
    office = smtplib.SMTP("127.0.0.1", receiver, timeout=10)
    with office, pytest.raises(smtplib.SMTPDataError) as error:
        office.send_message(_office_reply(address))
    assert error.value.smtp_code == 451
    assert not LetterReply.objects.exists()


POSTMARK_AUTH = "hook:s3cret"


@pytest.fixture
def postmark_inbound():
    """A site whose provider posts offices' replies to /anymail/postmark/inbound/."""
    import base64
    import importlib

    from django.urls import clear_url_caches

    import altavoz.urls

    def reload():
        importlib.reload(altavoz.urls)
        clear_url_caches()

    anymail = {"WEBHOOK_SECRET": POSTMARK_AUTH, "POSTMARK_SERVER_TOKEN": "x"}
    with override_settings(REPLIES_INBOUND_PROVIDER="postmark", ANYMAIL=anymail):
        reload()
        yield {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(POSTMARK_AUTH.encode()).decode()}
    reload()


def _postmark_post(client, auth, address: str):
    from pathlib import Path

    raw = (Path(__file__).parent / "fixtures" / "postmark_inbound.json").read_text()
    body = raw.replace("REPLY_ADDRESS", address)
    return client.post("/anymail/postmark/inbound/", body, content_type="application/json", **auth)


def test_a_reply_posted_by_the_provider_reaches_the_writer(
    client, letter, mail_server, postmark_inbound
):
    before = len(mail_server.messages)
    response = _postmark_post(client, postmark_inbound, _reply_to_of_letter(mail_server))
    assert response.status_code == 200
    (forwarded,) = mail_server.messages[before:]
    assert forwarded["To"] == letter.signature.person.email
    assert forwarded["Reply-To"] == "commissioner2@city.example"
    assert (
        "Thank you for writing to the Commissioner." in forwarded.get_body(("plain",)).get_content()
    )
    assert LetterReply.objects.get(delivery=letter).captured_at is not None


def test_the_provider_webhook_refuses_a_post_without_its_secret(
    client, letter, mail_server, postmark_inbound
):
    before = len(mail_server.messages)
    response = _postmark_post(client, {}, _reply_to_of_letter(mail_server))
    assert response.status_code in (400, 401, 403)
    assert len(mail_server.messages) == before
    assert not LetterReply.objects.exists()


def test_the_provider_posting_to_a_forged_address_forwards_nothing(
    client, letter, mail_server, postmark_inbound
):
    before = len(mail_server.messages)
    response = _postmark_post(
        client, postmark_inbound, "reply+aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@x.org"
    )
    assert response.status_code == 200  # accepted and dropped: nothing to retry
    assert len(mail_server.messages) == before
    assert not LetterReply.objects.exists()
