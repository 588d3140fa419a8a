"""A form sent in another character set than UTF-8 gets a 400 page that says what to do,
never an empty 500 (a check that reads the form first, as the CSRF check does on the
organisers' pages, and the error pages did)."""

import re
from urllib.parse import urlencode

import pytest
from django.test import Client

from altavoz.campaigns.models import Signature

URL = "/act/miami-287g/"


def _visitor_and_form(supporter_post) -> tuple[Client, dict]:
    """A browser that loaded the page (its render token) and its filled-in form."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    page = client.get(URL).content.decode()
    token = re.search(r'name="rendered" value="([^"]+)"', page)[1]
    return client, supporter_post(rendered=token)


@pytest.mark.parametrize("charset", ["utf-7", "UTF-7", "latin-1", "utf-16", "shift_jis", "cp1252"])
def test_a_urlencoded_form_in_another_charset_gets_a_400_page(supporter_post, charset):
    client, form = _visitor_and_form(supporter_post)
    body = urlencode(form).encode()
    content_type = f"application/x-www-form-urlencoded; charset={charset}"
    response = client.generic("POST", URL, body, content_type=content_type)
    assert response.status_code == 400
    assert "This form could not be read" in response.content.decode()
    assert Signature.objects.count() == 0


def test_the_page_is_in_the_language_of_the_address(supporter_post):
    client, form = _visitor_and_form(supporter_post)
    content_type = "application/x-www-form-urlencoded; charset=utf-7"
    response = client.generic(
        "POST", f"/es{URL}", urlencode(form).encode(), content_type=content_type
    )
    assert response.status_code == 400
    assert '<html lang="es">' in response.content.decode()


def test_a_multipart_form_in_another_charset_gets_a_400_page(supporter_post):
    client, form = _visitor_and_form(supporter_post)
    parts = "".join(
        f'--b\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in form.items()
    )
    body = (parts + "--b--\r\n").encode()
    content_type = "multipart/form-data; boundary=b; charset=utf-7"
    assert client.generic("POST", URL, body, content_type=content_type).status_code == 400


@pytest.mark.parametrize("charset", ["utf-8", "UTF8", "us-ascii", "no-such-charset"])
def test_utf8_however_spelt_and_unknown_charsets_are_read_as_utf8(supporter_post, charset):
    client, form = _visitor_and_form(supporter_post)
    content_type = f"application/x-www-form-urlencoded; charset={charset}"
    response = client.generic("POST", URL, urlencode(form).encode(), content_type=content_type)
    assert response.status_code == 302
    assert Signature.objects.count() == 1
