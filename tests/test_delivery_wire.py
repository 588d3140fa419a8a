"""The directly written email (delivery/wire.py) means what Django's message() means: read
back by the standard library's parser, every header and every part is the same."""

import email
import email.policy
import re
import string

import pytest
from django.core.mail import EmailMultiAlternatives, mailers
from django.test import override_settings
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import smtp_sink as smtp
from altavoz.delivery.channels.base import SendError
from altavoz.delivery.channels.email import addresses, emails, wire
from altavoz.delivery.channels.email.postman import Postman
from altavoz.delivery.models import Delivery

SMTP = "altavoz.delivery.channels.email.smtp.EmailBackend"
EW = r"=\?[^?\s]+\?[qQbB]\?[^?\s]*\?="
NOT_COMPARED = {"date", "content-transfer-encoding"}  # the time; an encoding either may pick


def _read(raw: bytes):
    return email.message_from_bytes(raw, policy=email.policy.default)


def _headers(data: bytes) -> list[tuple]:
    seen = []
    raw = email.message_from_bytes(data, policy=email.policy.compat32)
    for name, value in _read(data).items():
        if name.lower() in NOT_COMPARED:
            continue
        if name.lower() == "subject" and "=?" in value:
            # The standard library writes an encoded-word lookalike as it is and reads it
            # back decoded; wire.py encodes it (checked against the subject given).
            continue
        if name.lower() == "content-type":
            params = {k: v for k, v in value.params.items() if k != "boundary"}
            seen.append((name.lower(), value.content_type, sorted(params.items())))
        elif hasattr(value, "addresses"):
            value = _as_rfc_2047_reads_it(name, raw[name])
            people = [(a.display_name, a.username, a.domain) for a in value.addresses]
            seen.append((name.lower(), str(value), people))
        else:
            seen.append((name.lower(), str(value).strip(), []))  # a fold may lead
    return sorted(seen)


def _as_typed(name: str, message, django: tuple) -> list[tuple]:
    """The people of an address field with the names as the message gives them, before any
    encoding (the addresses as Django wrote them, domains in IDNA). Where Django's bytes read
    back differently, ours must read back as this: the standard library folds
    "<non-ASCII name> )" into two encoded-words, and the space between them is lost."""
    values = {"from": [message.from_email], "to": message.to, "cc": message.cc}
    values["reply-to"] = message.reply_to
    field = email.policy.default.header_factory(name, ", ".join(values[name]))
    names = [a.display_name for a in field.addresses]
    return [(n, user, domain) for n, (_, user, domain) in zip(names, django[2], strict=True)]


def _as_rfc_2047_reads_it(name: str, raw: str):
    """The standard library keeps the space between two encoded-words in a display name;
    RFC 2047 (and mail clients) drop it, and both writers split a long name into several."""
    joined = re.sub(rf"({EW})\s+(?={EW})", r"\1", re.sub(r"\r?\n", "", raw))
    return email.policy.default.header_factory(name, joined)


def _parts(message) -> list[tuple]:
    return [
        (part.get_content_type(), part.get_content_charset(), part.get_content())
        for part in message.walk()
        if not part.is_multipart()
    ]


def _django(message) -> tuple:
    backend = mailers["default"]
    return backend._wire(message)


def assert_same_meaning(message) -> None:
    """The fast bytes and Django's read back the same; the envelope is the same too."""
    fast = wire.serialise(message)
    assert fast is not None, "the direct writer should cover this message"
    slow = _django(message)
    ours, theirs = _read(fast.data), _read(slow.data)
    for mine, django in zip(_headers(fast.data), _headers(slow.data), strict=True):
        assert mine == django or mine[2] == _as_typed(mine[0], message, django), (mine, django)
    assert str(ours["Subject"]) == message.subject
    assert _parts(ours) == _parts(theirs)
    assert abs((ours["Date"].datetime - theirs["Date"].datetime).total_seconds()) < 5
    assert (fast.sender, fast.recipients) == (slow.sender, slow.recipients)
    assert not ours.defects and all(not part.defects for part in ours.walk())
    _assert_well_formed(fast.data)


def _assert_well_formed(data: bytes) -> None:
    assert data.isascii()
    assert b"\r" not in data.replace(b"\r\n", b"") and b"\n" not in data.replace(b"\r\n", b"")
    head = data.split(b"\r\n\r\n", 1)[0]
    for line in head.split(b"\r\n"):
        long_allowed = line.startswith((b"Message-ID:", b"List-Unsubscribe:"))
        assert len(line) <= (998 if long_allowed else 78), line


@pytest.fixture(autouse=True)
def smtp_mailer():
    with override_settings(MAILERS={"default": {"BACKEND": SMTP, "OPTIONS": {"host": "x"}}}):
        yield


def _letter(**fields) -> EmailMultiAlternatives:
    values = {
        "subject": "Vote no",
        "body": "Dear Commissioner,\n\nVote no.\n",
        "from_email": addresses.mailbox("Ana Diaz via Altavoz", "letters@altavoz.example"),
        "to": ["commissioner2@city.example"],
        "headers": {"Message-ID": "<letter.1@altavoz.example>"},
    }
    values.update(fields)
    html = values.pop("html", "<p>Dear Commissioner,</p><p>Vote no.</p>")
    message = EmailMultiAlternatives(**values)
    message.attach_alternative(html, "text/html")
    return message


def test_the_worker_s_letters_and_delivered_notices_mean_the_same(sign):
    sign(first_name="José Ñandú", last_name='O\'Brien "Q", Jr.')
    sign(first_name="Eve", last_name="\u0645\u0631\u064a\u0645 " + "x" * 90)
    sign(first_name="Ann", last_name="Lee (the 2nd) <ann@evil.example>", email="ann@exämple.com")
    sign(letter_body="Dots\n.\n..\nFrom here\n" + "long " * 200 + "\r\nend ")
    for delivery in Delivery.objects.all():
        assert_same_meaning(emails.letter_email(delivery))
        assert_same_meaning(emails.delivered_email(delivery))


anything = st.characters(codec="utf-8", exclude_categories=["Cs"])
# What people type: letters and digits of any script, punctuation, symbols (emoji), spaces;
# not a backslash or "=?", which make Python read an unquoted name differently (Django's
# path then writes it).
typed = st.characters(categories=["L", "M", "N", "P", "S", "Zs"], exclude_characters="\\?")
local = st.text(string.ascii_letters + string.digits + "!#$%&'*+/=?^_`{|}~-", min_size=1)
domains = st.sampled_from(["city.example", "exämple.com", "münchen.de", "a.b-c.example"])


def _typed_letter(name, subject, body, html, user, domain):
    return _letter(
        subject=addresses.one_line(subject, limit=250),
        from_email=addresses.mailbox(name, f"{user}@{domain}"),
        to=[f"{user}@{domain}", "b@city.example"],
        cc=["c@city.example"],
        reply_to=[f"{user}@{domain}"],
        body=body or "-",
        html=html,
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.text(typed, max_size=90),
    subject=st.text(typed, max_size=260),
    body=st.text(anything, max_size=400),
    html=st.text(anything, max_size=400),
    user=local,
    domain=domains,
)
@example(name='"x" ,.;:<>@[]()', subject="a =?utf-8?q?hi?= =?x", body="a", html="", user="a",
         domain="city.example")  # fmt: skip
@example(name="a" * 80, subject="b" * 200, body="\r\r\n\n", html="\x00\x0c", user="a",
         domain="münchen.de")  # fmt: skip
@example(name="0" + "\u0800" * 14 + " )", subject="", body="", html="", user="0",
         domain="city.example")  # fmt: skip
def test_what_people_type_is_written_directly_and_means_the_same(**typed_in):
    assert_same_meaning(_typed_letter(**typed_in))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.text(anything, max_size=90),
    subject=st.text(anything, max_size=90),
    body=st.text(anything, max_size=100),
    html=st.text(anything, max_size=100),
    user=local,
    domain=domains,
)
def test_anything_written_directly_means_the_same(**typed_in):
    """Whatever the input, the direct writer either declines or writes the same meaning."""
    message = _typed_letter(**typed_in)
    if wire.serialise(message) is not None:
        assert_same_meaning(message)


@given(before=st.text(max_size=20), newline=st.sampled_from(["\r\n", "\n", "\r"]))
@settings(max_examples=200, deadline=None)
def test_a_cr_or_lf_in_any_header_is_left_to_django_which_refuses_it(before, newline):
    """Django raises ValueError for such a header; wire.py never writes one."""
    value = f"Vote{before}{newline}Bcc: victim@example.com"
    for message in (
        _letter(subject=value),
        _letter(from_email=f'"{value}" <a@city.example>'),
        _letter(headers={"Message-ID": "<x@y>", "List-Unsubscribe": value}),
    ):
        assert wire.serialise(message) is None
        with pytest.raises(ValueError):
            _django(message)


@pytest.mark.parametrize(
    "message",
    [
        pytest.param(_letter(body=""), id="no-text-body"),
        pytest.param(_letter(to=["a@[127.0.0.1]"]), id="address-literal"),
        pytest.param(_letter(to=['"a b"@city.example']), id="quoted-local-part"),
        pytest.param(_letter(to=["José@city.example"]), id="non-ascii-local-part"),
        pytest.param(_letter(from_email="Ann\\Lee <a@city.example>"), id="backslash-name"),
        pytest.param(_letter(from_email="=?utf-8?q?Eve?= <a@city.example>"), id="bare-ew-name"),
        pytest.param(_letter(headers={"X-Other": "1"}), id="unknown-header"),
        pytest.param(_letter(headers={"Date": "Mon, 1 Jan 2024 00:00:00 +0000"}), id="date"),
    ],
)
def test_shapes_left_to_django(message):
    assert wire.serialise(message) is None


def test_an_attachment_is_left_to_django_and_still_sent(sign):
    message = _letter()
    message.attach("letters.csv", "first_name\nAna\n", "text/csv")
    assert wire.serialise(message) is None
    read = _read(_django(message).data)
    assert [p.get_filename() for p in read.iter_attachments()] == ["letters.csv"]


def test_without_a_message_id_one_is_made():
    fast = wire.serialise(_letter(headers={}))
    assert re.search(rb"\r\nMessage-ID: <[^>]+@[^>]+>\r\n", fast.data)


def test_a_header_injection_reaches_no_server_and_fails_with_a_reason():
    """Even past emails.py's own cleaning, a CR or LF in a header is refused, not sent."""
    port = smtp.free_port()
    recorder = smtp.Recorder()
    controller = smtp.start(port, recorder)
    postman = Postman()
    try:
        with override_settings(MAILERS=smtp.mailers_for(port)):
            with pytest.raises(SendError) as failure:
                postman.send(_letter(subject="Hi\r\nBcc: victim@example.com"), using="default")
            postman.send(_letter(), using="default")
    finally:
        postman.close()
        controller.stop()
    assert failure.value.permanent
    assert "cannot be sent as written" in failure.value.reason
    assert [m["Subject"] for m in recorder.messages] == ["Vote no"]
