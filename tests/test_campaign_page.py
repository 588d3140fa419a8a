import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from django.utils import timezone

from altavoz.campaigns.models import Campaign, Person, Signature
from altavoz.delivery.models import Delivery

SEED = Path(__file__).resolve().parents[1] / ".." / "shared" / "campaigns" / "miami-287g.md"
URL = "/act/miami-287g/"


def _text(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#x27;", "'")


def test_the_page_shows_every_element_of_the_seed(client, miami):
    page = _text(client.get(URL))
    for element in [
        "Tell the City of Miami to Stop Diverting Local Funding to Federal Immigration Efforts",
        "Take Action Now",
        "Tell City of Miami Commissioners to unite against agreements",
        "Wasted taxpayer dollars",
        "Increased racial profiling",
        "Erosion of public safety",
        "Serious civil rights violations",
        "We can't let Miami be next.",
        "Send your message now.",
        "Lookup your Miami City Commission District.",
        "Your Message",
        "Use the form to send a message to your commissioner.",
        "I, along with the undersigned residents and voters of the City of Miami",
        "Vote NO on all forms of 287(g) agreements at the June 12th meeting",
        "By signing this petition, I voice my opposition to 287(g) agreements",
        "Sincerely, [your first name] [your last name]",
        "the June 12th City Commission meeting",
        "Recent participants",
    ]:
        assert element in page, element


def test_every_merge_field_reads_as_the_same_friendly_placeholder(client, miami, organisers):
    """Greeting and closing alike, on the page and in the organiser's preview, in each
    language: never a raw merge field such as "[First Name]"."""
    miami.letter_greeting = "Dear [Official Name], from [First Name]"
    miami.save()
    client.force_login(organisers.a)
    for url in (URL, f"/organise/campaigns/{miami.pk}/preview/"):
        page = _text(client.get(url))
        assert "Sincerely, [your first name] [your last name]" in page, url
        assert "Dear [your commissioner's name], from [your first name]" in page, url
        assert "[First Name]" not in page and "[Official Name]" not in page, url
    spanish = _text(client.get(f"/organise/campaigns/{miami.pk}/preview/?language=es"))
    assert "Atentamente, [su nombre] [su apellido]" in spanish


def test_the_letter_body_is_the_seed_text_verbatim(client, miami):
    if not SEED.exists():
        pytest.skip("shared/ is not beside this checkout")
    seed = re.sub(r"\s+", " ", SEED.read_text().replace("•", "-"))
    body = re.sub(r"\s+", " ", miami.letter_body)
    for sentence in re.split(r"(?<=[.:])\s", body):
        assert sentence.lstrip("- ") in seed, sentence


def test_the_form_has_the_fields_and_defaults(client, miami):
    html = client.get(URL).content.decode()
    for name in ["first_name", "last_name", "email", "street_address", "zip_code", "letter_body"]:
        assert f'name="{name}"' in html
    assert re.search(r'<input type="checkbox" name="consent_updates"(?![^>]*checked)[^>]*>', html)
    assert re.search(r'<input type="checkbox" name="is_public"[^>]*checked', html)
    assert 'autocomplete="street-address"' in html


def test_the_district_chooser_lists_each_district_with_its_commissioner(client, miami):
    page = _text(client.get(URL))
    for label in [
        "District 1 — Miguel Angel Gabela",
        "District 2 — Damian Pardo",
        "District 3 — Rolando Escalona",
        'District 4 — Ralph "Rafael" Rosado',
        "District 5 — Christine King",
    ]:
        assert label.replace('"', "&quot;") in page or label in page, label


def test_signing_stores_the_person_signature_and_one_delivery_per_target(
    client, miami, supporter_post, district
):
    response = client.post(URL, supporter_post())
    assert response.status_code == 302
    person = Person.objects.get()
    assert person.email == "maria.lopez@example.com"
    assert not person.consent_updates
    signature = Signature.objects.get()
    assert signature.area == district(2)
    assert signature.letter_body == miami.letter_body.strip()
    delivery = Delivery.objects.get()
    assert delivery.official.name == "Damian Pardo"
    assert delivery.status == Delivery.Status.QUEUED
    assert signature.ip_hash and "127.0.0.1" not in signature.ip_hash


def test_the_thank_you_page_names_the_official_and_carries_share_links(client, supporter_post):
    response = client.post(URL, supporter_post(), follow=True)
    page = response.content.decode()
    assert "Thank you, Maria!" in page
    assert "Damian Pardo" in page
    links = re.findall(r'href="([^"]+)"', page)
    for host in ["wa.me", "facebook.com", "x.com"]:
        assert any(host in link for link in links), host
    assert any(link.startswith("mailto:") for link in links)
    share_sources = [
        parse_qs(urlparse(link).query) for link in links if "share-" in link.replace("%2D", "-")
    ]
    assert len(share_sources) >= 4
    assert "source=share-copy" in page


def test_share_links_use_the_sites_configured_address_not_the_request_host(
    client, supporter_post, settings
):
    settings.SITE_URL = "https://act.example.org"
    client.post(URL, supporter_post(), HTTP_HOST="testserver")
    page = client.get(f"{URL}thanks/").content.decode()
    assert 'value="https://act.example.org/act/miami-287g/?source=share-copy&amp;ref=' in page
    assert "https%3A%2F%2Fact.example.org%2Fact%2Fmiami-287g%2F%3Fsource%3Dshare-facebook" in page
    assert "testserver" not in page


def test_a_tampered_receipt_shows_a_thank_you_without_anyones_details(client, supporter_post):
    client.post(URL, supporter_post())
    client.cookies["altavoz_receipt"] = client.cookies["altavoz_receipt"].value[:-3] + "abc"
    page = client.get(f"{URL}thanks/").content.decode()
    assert "Thank you!" in page and "Maria" not in page and "Damian Pardo" not in page


def test_a_share_link_source_is_recorded_on_the_signature(client, supporter_post):
    html = client.get(f"{URL}?source=share-whatsapp").content.decode()
    assert 'value="share-whatsapp"' in html
    client.post(URL, supporter_post(source="share-whatsapp"))
    assert Signature.objects.get().source == "share-whatsapp"


def test_a_malformed_source_is_dropped_not_an_error(client, supporter_post):
    response = client.post(URL, supporter_post(source="<script>x</script>"))
    assert response.status_code == 302
    assert Signature.objects.get().source == ""


def test_signing_again_changes_nothing_and_emails_a_link_instead(
    client, supporter_post, district, emailed_links
):
    client.post(URL, supporter_post(source="share-email"))
    with emailed_links() as sent:
        response = client.post(
            URL,
            supporter_post(
                email="maria.lopez@example.com ",
                letter_body="My own words.",
                area=str(district(3).pk),
                consent_updates="on",
            ),
            follow=True,
        )
    assert "Your signature is recorded." in response.content.decode()
    assert Person.objects.count() == 1 and Signature.objects.count() == 1
    signature = Signature.objects.get()
    assert signature.letter_body != "My own words." and signature.area == district(2)
    assert not Person.objects.get().consent_updates
    statuses = dict(Delivery.objects.values_list("official__name", "status"))
    assert statuses == {"Damian Pardo": "queued"}
    (link,) = sent
    assert link.to == ["maria.lopez@example.com"]
    assert "/signature/" in link.body and "Nothing was changed" in link.body


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("first_name", "", "Enter your first name."),
        ("last_name", "x" * 101, "Keep this under 100 characters (it has 101)."),
        ("email", "maria@", "Enter an email address like name@example.com."),
        ("street_address", "", "Enter your street address"),
        ("zip_code", "SW1A 1AA", "Enter a 5-digit US ZIP code"),
        ("zip_code", "3313", "Enter a 5-digit US ZIP code"),
        ("letter_body", "x" * 5001, "Your message is 5001 characters long; the limit is 5000."),
        ("letter_body", "   ", "Your message is empty."),
        ("area", None, "Choose your district"),
        ("area", "00000000-0000-4000-8000-000000000999", "Choose one of the districts listed."),
        ("first_name", "Maria\r\nBcc: x@example.com", "line breaks and control characters"),
    ],
)
def test_bad_input_gets_a_specific_message_and_keeps_what_was_typed(
    client, supporter_post, field, value, message
):
    response = client.post(URL, supporter_post(**{field: value}))
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page.replace("&#x27;", "'")
    assert 'value="3500 Pan American Dr"' in page or field == "street_address"
    assert "Please fix these and send again." in page
    assert Signature.objects.count() == 0


def test_markup_in_fields_is_stored_as_inert_text(client, supporter_post):
    client.post(
        URL,
        supporter_post(
            first_name="Maria & 'Co'",
            street_address="<b>3500</b> Pan American Dr",
            letter_body="<script>alert(1)</script> Vote no.",
        ),
    )
    signature = Signature.objects.select_related("person").get()
    assert signature.letter_body == "<script>alert(1)</script> Vote no."
    assert signature.person.street_address == "<b>3500</b> Pan American Dr"
    page = client.get(URL).content.decode()
    assert "Maria & 'Co'" not in page
    assert "Maria &amp; &#x27;Co&#x27; L." in page


def test_a_filled_honeypot_is_refused_and_shown_again_empty(client, supporter_post):
    response = client.post(URL, supporter_post(form_label="http://spam.example"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Check your details and send again" in page
    assert "spam.example" not in page
    assert Signature.objects.count() == 0


def test_counter_and_recent_participants(client, miami, supporter_post, district):
    client.post(URL, supporter_post())
    client.post(
        URL,
        supporter_post(
            first_name="José", last_name="Pérez", email="jose@example.com", area=str(district(5).pk)
        ),
    )
    client.post(
        URL, supporter_post(email="private@example.com", first_name="Hidden", is_public=None)
    )
    from django.core.cache import cache

    cache.clear()
    page = _text(client.get(URL))
    assert "3 signatures" in page
    assert "Goal: 1,000" in page
    assert "José P. · District 5" in page
    assert "Maria L. · District 2" in page
    assert "Hidden" not in page
    assert "Maria Lopez" not in page and "maria.lopez@example.com" not in page
    assert page.index("José P.") < page.index("Maria L.")  # most recent first


def test_recent_participants_shows_at_most_ten(client, miami, supporter_post):
    for n in range(12):
        client.post(URL, supporter_post(email=f"p{n}@example.com", first_name=f"Person{n}"))
    page = _text(client.get(URL))
    assert "Person11" in page and "Person2 " in page and "Person1 " not in page


def test_a_closed_campaign_refuses_signatures_kindly(client, miami, supporter_post):
    Campaign.objects.filter(pk=miami.pk).update(deadline=timezone.now())
    assert "This action is closed." in _text(client.get(URL))
    response = client.post(URL, supporter_post())
    assert response.status_code == 409
    assert "This action is closed." in _text(response)
    assert Signature.objects.count() == 0


def test_a_draft_campaign_is_not_public(client, miami):
    Campaign.objects.filter(pk=miami.pk).update(status=Campaign.Status.DRAFT)
    assert client.get(URL).status_code == 404


def test_the_home_page_leads_to_the_only_live_campaign(client, miami):
    html = client.get("/").content.decode()  # the demo's letter and call: both listed
    assert "/act/miami-287g/" in html and "/act/miami-287g-call/" in html
    Campaign.objects.filter(slug="miami-287g-call").update(status=Campaign.Status.DRAFT)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == URL


def test_the_demo_says_it_is_a_demo(client, miami):
    assert "Demo: letters go to a local outbox" in client.get(URL).content.decode()


def test_the_stylesheet_is_served_without_debug(client, miami):
    response = client.get("/static/altavoz/site.css")
    assert response.status_code == 200
    assert b".send" in b"".join(response.streaming_content)
