"""What the official receives: who it is from, who answers, what it says, nothing injected."""

from email.headerregistry import Address

import pytest
from django.core import mail
from hypothesis import given
from hypothesis import strategies as st

from altavoz import validation
from altavoz.delivery.channels.email import addresses, emails
from altavoz.delivery.models import Delivery


def _letters() -> list:
    return [m for m in mail.outbox if "commissioner" in m.to[0]]


def test_it_sends_from_the_supporter_via_the_organisation_with_reply_to_them(sign, drain):
    sign(first_name="Maria", last_name="Lopez", email="Maria.Lopez@Example.com")
    drain()
    (letter,) = _letters()
    headers = letter.message()
    assert headers["From"] == "Maria Lopez via Altavoz Demo <letters@demo.altavoz.invalid>"
    assert headers["Reply-To"] == "maria.lopez@example.com"
    assert letter.to == ["commissioner2@city.example"]
    assert letter.subject == "Vote NO on all forms of 287(g) agreements at the June 12th meeting"


def test_it_falls_back_to_the_site_sender_when_the_organisation_has_none(sign, settings, drain):
    settings.DEFAULT_FROM_EMAIL = "letters@site.example"
    signature = sign()
    signature.campaign.organisation.sender_email = ""
    signature.campaign.organisation.save()
    drain()
    assert _letters()[0].message()["From"].endswith("<letters@site.example>")


def test_the_letter_has_text_and_html_and_names_the_constituent(sign, drain):
    sign(first_name="Ana", last_name="Diaz", street_address="1 SW 2nd St", zip_code="33130")
    drain()
    (letter,) = _letters()
    html = dict((mimetype, body) for body, mimetype in letter.alternatives)["text/html"]
    for part in (letter.body, html):
        assert "Dear Commissioner Damian Pardo," in part
        assert "Ana Diaz" in part
        assert "1 SW 2nd St, 33130" in part
        assert "District 2" in part


def test_markup_in_a_letter_is_shown_as_text_not_run(sign, drain):
    sign(letter_body='<script>alert("x")</script> <b>Vote no</b> & thanks')
    drain()
    (letter,) = _letters()
    html = letter.alternatives[0][0]
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<script>alert("x")</script> <b>Vote no</b> & thanks' in letter.body


def test_names_and_subject_cannot_inject_headers(sign, drain):
    signature = sign(first_name="Eve\r\nBcc: victim@example.com", last_name="X\nX-Evil: 1")
    campaign = signature.campaign
    campaign.letter_subject = "Vote NO\r\nBcc: everyone@example.com"
    campaign.save()
    drain()
    (letter,) = _letters()
    raw = letter.message().as_string()
    header_block = raw.split("\n\n", 1)[0]
    assert "\nBcc:" not in header_block and "\nX-Evil" not in header_block
    assert letter.bcc == []
    assert letter.subject == "Vote NO Bcc: everyone@example.com"
    assert Delivery.objects.get().status == Delivery.Status.SENT


def test_staff_addresses_are_copied(sign, commissioner, drain):
    commissioner(cc_emails="aide@city.example\n\n  scheduler@city.example  \n")
    sign()
    drain()
    (letter,) = _letters()
    assert letter.cc == ["aide@city.example", "scheduler@city.example"]
    assert letter.message()["Cc"] == "aide@city.example, scheduler@city.example"


def test_the_message_id_is_the_same_on_every_attempt_and_names_the_delivery(sign):
    sign()
    delivery = Delivery.objects.get()
    first = emails.letter_email(delivery).extra_headers["Message-ID"]
    again = emails.letter_email(Delivery.objects.get()).extra_headers["Message-ID"]
    assert first == again == f"<letter.{delivery.pk}@demo.altavoz.invalid>"


@pytest.mark.parametrize("bad", ["not-an-address", "commissioner@", "a b@city.example"])
def test_a_malformed_official_address_fails_the_row_with_a_clear_reason(
    sign, commissioner, drain, bad
):
    commissioner(email=bad)
    sign()
    drain()
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED
    assert "malformed email address" in delivery.last_error
    assert "Damian Pardo" in delivery.last_error
    assert delivery.attempt_log.get().outcome == "failed"
    assert _letters() == []


def test_a_malformed_staff_address_is_refused_by_the_official_form(district):
    official = district(2).posts.get().officials.get()
    official.cc_emails = "aide@city.example\nnot an address"
    with pytest.raises(Exception, match="Not an email address: not an address"):
        official.full_clean()


def test_the_fast_smtp_serialisation_writes_the_same_bytes_as_the_standard_library(sign):
    import email.policy
    import re

    from altavoz.delivery.channels.email.smtp import POLICY

    def comparable(message, policy) -> bytes:
        raw = message.message(policy=policy).as_bytes()
        return re.sub(rb"=+\d+==|Date: [^\r]*", b"", raw)  # boundaries and dates differ

    for n in range(4):
        sign(first_name="José Ñandú" if n % 2 else "Ann", last_name='O\'Brien "Q"')
    built = []
    for delivery in Delivery.objects.all():
        built += [emails.letter_email(delivery), emails.delivered_email(delivery)]
    for _ in range(2):  # the second round reads from the caches
        for message in built:
            assert comparable(message, POLICY) == comparable(message, email.policy.SMTP)


@given(name=st.text(max_size=60), address=st.sampled_from(["a@city.example", "o'b@x.example"]))
def test_a_mailbox_is_written_as_the_standard_library_writes_it(name, address):
    shown = addresses.one_line(validation.display_name(name))
    expected = str(Address(display_name=shown, addr_spec=address))
    assert addresses.mailbox(name, address) == expected


@pytest.mark.parametrize("bad", ["letters@demo.invalid\nBcc: x@city.example", "no one", "a@b@c"])
def test_a_malformed_sender_address_fails_the_row_with_a_clear_reason(sign, drain, bad):
    organisation = sign().campaign.organisation
    organisation.sender_email = bad
    organisation.save()
    drain()
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.last_error.startswith(
        "The organisation Altavoz Demo has a malformed email address"
    )
    assert mail.outbox == []
