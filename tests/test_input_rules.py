"""One rule for email addresses and names wherever they come in (the supporter's form, the
roster import, the admin's model checks, the organiser command) and when the worker sends:
nothing the worker cannot or should not send to, nothing that reads as an address in a From
line, no ASCII look-alike digits in a ZIP code."""

from email.headerregistry import HeaderRegistry

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from altavoz.campaigns.models import Person, Signature
from altavoz.delivery.models import Delivery

URL = "/act/miami-287g/"
UNREACHABLE = "Email cannot reach an address at an IP address, localhost or a reserved domain"
INVALID = "Enter an email address like name@example.com."
LINE = "line breaks and control characters are not allowed"
NAME = "Write your name without &lt;, &gt;, @ or quotation marks."

BAD_EMAILS = [
    ('"maria\x01lopez"@example.com', INVALID),  # a control character in a quoted local part
    ('"maria lopez"@example.com', INVALID),  # any quoted local part
    ("maria@[127.0.0.1]", UNREACHABLE),
    ("maria@[IPv6:2001:db8::1]", UNREACHABLE),
    ("maria@localhost", UNREACHABLE),
    ("maria@printer.local", UNREACHABLE),
    ("maria@example.invalid", UNREACHABLE),
    ("maria@site.test", UNREACHABLE),
    ("maria@hidden.onion", UNREACHABLE),
    ("maria@10.in-addr.arpa", UNREACHABLE),
]


def _page(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


@pytest.mark.parametrize(("email", "message"), BAD_EMAILS)
def test_the_form_refuses_addresses_no_email_should_go_to(client, supporter_post, email, message):
    response = client.post(URL, supporter_post(email=email))
    assert response.status_code == 400
    assert message in _page(response)
    assert Signature.objects.count() == 0


@pytest.mark.parametrize(
    "email", ["maria.lopez@example.com", "m+act@mail.example.org", "ana@bücher.example"]
)
def test_the_form_takes_ordinary_addresses(client, supporter_post, email):
    assert client.post(URL, supporter_post(email=email)).status_code == 302


def _roster(tmp_path, email: str):
    path = tmp_path / "roster.csv"
    path.write_text(
        "office,district,name,in_office_since,official_email,source_repo,source_path,"
        "source_commit,source_as_of\n"
        f"Commissioner,2,Damian Pardo,2023-11-16,{email},,,,\n"
    )
    return path


@pytest.mark.parametrize(("email", "_message"), BAD_EMAILS[2:])
def test_the_roster_import_refuses_them_too(miami, tmp_path, email, _message):
    with pytest.raises(CommandError, match="line 2: official_email"):
        call_command(
            "officials", "import", _roster(tmp_path, email), "--set", "miami-commission-districts"
        )
    assert not Person.objects.exists()
    assert "@" not in "".join(
        miami.target_set.areas.values_list("posts__officials__email", flat=True)
    )


def test_the_admin_checks_of_an_official_refuse_them_too(district):
    official = district(2).posts.get().officials.get()
    official.email = "dpardo@localhost"
    with pytest.raises(ValidationError) as raised:
        official.full_clean()
    assert str(raised.value.message_dict["email"][0]).startswith(UNREACHABLE)


def test_the_admin_checks_of_a_person_refuse_them_too(sign):
    person = sign().person
    person.email, person.first_name = "maria@[10.0.0.1]", "Damian <dpardo@miamigov.com>"
    with pytest.raises(ValidationError) as raised:
        person.full_clean()
    assert set(raised.value.message_dict) == {"email", "first_name"}


def test_the_admin_checks_of_a_signature_refuse_such_names(sign):
    signature = sign()
    signature.first_name = "Damian <dpardo@miamigov.com>"
    with pytest.raises(ValidationError) as raised:
        signature.full_clean()
    assert set(raised.value.message_dict) == {"first_name"}


@pytest.mark.parametrize(
    "command",
    [
        ["organiser", "add", "lucia", "--organisation", "altavoz-demo"],
        ["staff", "add", "lucia"],
    ],
)
def test_the_account_commands_refuse_them_too(miami, command):
    with pytest.raises(CommandError, match="--email"):
        call_command(*command, "--email", "l@localhost")
    assert not get_user_model().objects.filter(username="lucia").exists()


def test_the_worker_refuses_to_send_to_an_address_stored_before_the_rule(sign, drain, commissioner):
    commissioner(email="dpardo@[192.0.2.1]")  # written straight to the database
    sign()
    drain()
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED
    assert "malformed email address" in delivery.last_error
    assert [m for m in mail.outbox if m.to == ["dpardo@[192.0.2.1]"]] == []


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Damian Pardo <dpardo@miamigov.com>", NAME),
        ('Damian "Commissioner" Pardo', NAME),
        ("dpardo@miamigov.com", NAME),
        ("Damian\uff20Pardo", NAME),  # a full-width @
        ("Ana\u202eairaM", LINE),  # a right-to-left override
        ("Ana\u200bMaria", LINE),  # a zero-width space
        ("Ana\u2066Maria\u2069", LINE),  # a bidi isolate
        ("\u3164", LINE),  # a Hangul filler: a name that shows as nothing
    ],
)
def test_names_refuse_address_marks_and_invisible_characters(client, supporter_post, name, message):
    for field in ("first_name", "last_name"):
        response = client.post(URL, supporter_post(**{field: name}))
        assert response.status_code == 400
        assert message in response.content.decode()
    assert Signature.objects.count() == 0


def test_names_with_accents_apostrophes_and_hyphens_are_fine(client, supporter_post):
    data = supporter_post(first_name="José-Ñandú", last_name="O'Brien Saint-Jean Jr.")
    assert client.post(URL, data).status_code == 302


def _from_header(letter):
    return HeaderRegistry()("From", letter.message()["From"])


def test_no_supporter_text_looks_like_an_address_in_the_from_line(sign, drain):
    """Stored before the rule (or by any other way in): the From line still shows one
    address, the organisation's sender, and a name with nothing address-like in it."""
    sign(first_name="Damian Pardo <dpardo@miamigov.com>", last_name='"\u202eLopez\u200b"')
    drain()
    (letter,) = [m for m in mail.outbox if "commissioner" in m.to[0]]
    (sender,) = _from_header(letter).addresses
    assert sender.addr_spec == "letters@demo.altavoz.invalid"
    assert sender.display_name == "Damian Pardo dpardo miamigov.com Lopez via Altavoz Demo"


@pytest.mark.parametrize(
    "zip_code",
    [
        "\u0663\u0663\u0661\u0663\u0663",
        "\uff13\uff13\uff11\uff13\uff13",
        "33133-\u0661\u0662\u0663\u0664",
    ],
)  # Arabic-Indic and full-width digits
def test_a_zip_code_takes_ascii_digits_only(client, supporter_post, zip_code):
    response = client.post(URL, supporter_post(zip_code=zip_code))
    assert response.status_code == 400
    assert "Enter a 5-digit US ZIP code" in response.content.decode()
    assert Signature.objects.count() == 0
