"""What names a supporter does not work forever: the thank-you page's receipt (their name and
email) for the day of signing, an unsubscribe link for a year after its email. An expired
link says so kindly, and changes nothing."""

import time
from datetime import timedelta

import time_machine
from django.core import mail

from altavoz.campaigns.models import Person

URL = "/act/miami-287g/"
DAY = timedelta(days=1).total_seconds()


def test_the_thank_you_page_shows_the_signer_only_on_the_day_of_signing(client, supporter_post):
    """Its details come from a signed receipt (campaigns/receipts.py) that expires in a day."""
    thanks = client.post(URL, supporter_post())["Location"]
    with time_machine.travel(time.time() + DAY - 60, tick=False):
        assert b"Thank you, Maria!" in client.get(thanks).content
    with time_machine.travel(time.time() + DAY + 60, tick=False):
        page = client.get(thanks).content.decode()
    assert "Thank you!" in page
    assert "maria.lopez@example.com" not in page and "Maria" not in page


def _unsubscribe_path(sign, drain) -> tuple[Person, str]:
    person = sign(email="ana@example.com", consent_updates=True).person
    drain()
    (notice,) = [m for m in mail.outbox if m.to == ["ana@example.com"]]
    link = notice.extra_headers["List-Unsubscribe"].strip("<>")
    return person, link.removeprefix("http://127.0.0.1:8000")


def test_an_unsubscribe_link_works_for_a_year(sign, drain, client):
    person, path = _unsubscribe_path(sign, drain)
    with time_machine.travel(time.time() + 364 * DAY, tick=False):
        assert b"You are unsubscribed" in client.post(path).content
    person.refresh_from_db()
    assert person.consent_updates is False


def test_an_unsubscribe_link_older_than_a_year_says_so_and_changes_nothing(sign, drain, client):
    person, path = _unsubscribe_path(sign, drain)
    with time_machine.travel(time.time() + 366 * DAY, tick=False):
        shown, sent = client.get(path), client.post(path)
    for response in (shown, sent):
        assert response.status_code == 410
        page = response.content.decode()
        assert "This unsubscribe link has expired" in page
        assert "To stop emails from Altavoz Demo, use the link in a more recent email" in page
        assert "ana@example.com" not in page
    person.refresh_from_db()
    assert person.consent_updates is True
