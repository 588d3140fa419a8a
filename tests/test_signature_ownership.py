"""Nobody can sign, or change a signature, in someone else's name: each attack of the trust
issue (#13, sections 2 and 3) performed through the real page, and shown to fail."""

import re

import pytest
from django.core import mail

from altavoz.campaigns.models import Campaign, Person, Signature
from altavoz.campaigns.selectors import signature_count
from altavoz.delivery.models import Delivery
from synthetic_city import a_school_in, control_point

URL = "/act/miami-287g/"
VICTIM = "maria.lopez@example.com"


def _stored(email: str = VICTIM) -> dict:
    """Everything an attacker would want to change about a person and their signature."""
    signature = Signature.objects.select_related("person").get(person__email=email)
    person = signature.person
    return {
        "person": [getattr(person, f) for f in ("first_name", "last_name", "street_address",
                   "zip_code", "consent_updates", "consent_updated_at", "verified_at")],
        "signature": [getattr(signature, f) for f in ("first_name", "last_name",
                      "street_address", "zip_code", "area_id", "letter_body", "is_public",
                      "consent_updates", "confirmed_at", "revision", "district_verified")],
        "deliveries": sorted(Delivery.objects.filter(signature=signature)
                             .values_list("official__name", "status")),
    }  # fmt: skip


def _attack(supporter_post, district, **more) -> dict:
    attack = {
        "email": " Maria.LOPEZ@example.com",
        "first_name": "Damian",
        "last_name": "Attacker",
        "street_address": "350 5th Ave",
        "zip_code": "10118",
        "area": str(district(5).pk),
        "letter_body": "Words the victim never wrote.",
        "consent_updates": "on",
        "is_public": "on",
    }
    return supporter_post(**{**attack, **more})


def _page(client, post) -> str:
    """The page a submission ends on, with its per-request tokens taken out."""
    html = client.post(URL, post, follow=True).content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_an_email_that_has_signed_cannot_be_overwritten(
    client, miami, supporter_post, district, emailed_links
):
    client.post(URL, supporter_post(is_public=None))
    before = _stored()
    with emailed_links() as sent:
        assert client.post(URL, _attack(supporter_post, district)).status_code == 302
    assert _stored() == before
    assert Signature.objects.count() == Person.objects.count() == 1
    (warning,) = sent  # the owner learns of it, with the only way to change it
    assert warning.to == [VICTIM] and "/signature/" in warning.body


def test_the_answer_does_not_tell_whether_an_address_has_signed(
    client, miami, supporter_post, district
):
    first = _page(client, _attack(supporter_post, district))  # a new signature
    again = _page(client, _attack(supporter_post, district))  # the same address again
    assert first == again
    assert "already" not in again.lower()


def test_the_answer_does_not_tell_it_with_double_opt_in_either(
    client, miami, supporter_post, district
):
    Campaign.objects.filter(pk=miami.pk).update(double_opt_in=True)
    first = _page(client, _attack(supporter_post, district))
    again = _page(client, _attack(supporter_post, district))
    assert first == again and "check your email" in first


def test_review_emails_to_an_address_are_limited(client, miami, supporter_post, emailed_links):
    client.post(URL, supporter_post())
    with emailed_links() as sent:
        for _ in range(6):
            client.post(URL, supporter_post())
    assert len(sent) == 3


def test_consent_is_never_added_to_a_known_person_by_a_submission(
    client, miami, supporter_post, organisers
):
    client.post(URL, supporter_post())
    other = organisers.other_campaign
    Campaign.objects.filter(pk=other.pk).update(organisation=miami.organisation)
    post = {**supporter_post(consent_updates="on"), "rendered": ""}
    from altavoz.shield import formtoken

    post["rendered"] = formtoken.issue(str(other.pk))
    client.post(f"/act/{other.slug}/", post)
    assert Signature.objects.count() == 2
    assert not Person.objects.get().consent_updates


def _link(message) -> str:
    return re.search(r"http://\S+/signature/\S+/", message.body).group(0).split("8000", 1)[1]


def test_only_the_emailed_link_changes_a_signature_once(
    client, miami, supporter_post, district, emailed_links
):
    client.post(URL, supporter_post())
    with emailed_links() as sent:
        client.post(URL, supporter_post())
    link = _link(sent[0])
    form = client.get(f"{link}change/").content.decode()
    assert "Change your signature" in form and "3500 Pan American Dr" in form
    change = supporter_post(first_name="Mariela", area=str(district(2).pk), letter_body="Fixed.")
    response = client.post(f"{link}change/", change)
    assert response.status_code == 302
    signature = Signature.objects.get()
    assert (signature.first_name, signature.letter_body, signature.revision) == (
        "Mariela",
        "Fixed.",
        1,
    )
    assert Person.objects.get().first_name == "Mariela"  # proven by the link
    used = client.post(f"{link}change/", {**change, "letter_body": "Again."})
    assert used.status_code == 410 and "This link has been used" in used.content.decode()
    assert Signature.objects.get().letter_body == "Fixed."


def test_a_change_link_expires(client, miami, supporter_post, emailed_links):
    import time_machine
    from django.utils import timezone

    client.post(URL, supporter_post())
    with emailed_links() as sent:
        client.post(URL, supporter_post())
    with time_machine.travel(timezone.now() + timezone.timedelta(days=15)):
        response = client.get(_link(sent[0]))
    assert response.status_code == 404 and "This link does not work" in response.content.decode()


# Double opt-in confirms one signature, not a person ---------------------------------------


@pytest.fixture
def opt_in(miami):
    Campaign.objects.filter(pk=miami.pk).update(double_opt_in=True)
    miami.refresh_from_db()
    return miami


def _confirm(client, signature) -> None:
    from altavoz.delivery.tasks import send_signature_link

    mail.outbox.clear()
    send_signature_link.call(str(signature.pk))
    client.post(_link(mail.outbox[-1]))


def test_an_earlier_confirmation_does_not_carry_to_another_signature(
    client, opt_in, supporter_post, organisers, district
):
    client.post(URL, supporter_post())
    _confirm(client, Signature.objects.get())
    assert Person.objects.get().verified_at is not None
    other = organisers.other_campaign
    Campaign.objects.filter(pk=other.pk).update(
        organisation=opt_in.organisation, double_opt_in=True
    )
    from altavoz.shield import formtoken

    post = _attack(supporter_post, district, rendered=formtoken.issue(str(other.pk)))
    client.post(f"/act/{other.slug}/", post)
    riding = Signature.objects.get(campaign=other)
    assert riding.confirmed_at is None
    assert not Delivery.objects.filter(signature=riding).exists()
    assert signature_count(Campaign.objects.get(pk=other.pk)) == 0


def test_a_pending_signature_cannot_be_replaced_before_it_is_confirmed(
    client, opt_in, supporter_post, district
):
    client.post(URL, supporter_post(letter_body="The own words of the victim."))
    before = _stored()
    client.post(URL, _attack(supporter_post, district))
    assert _stored() == before
    signature = Signature.objects.get()
    from altavoz.delivery.tasks import send_signature_link

    send_signature_link.call(str(signature.pk))
    page = client.get(_link(mail.outbox[-1])).content.decode()
    assert "The own words of the victim." in page and "Words the victim never wrote" not in page
    client.post(_link(mail.outbox[-1]))
    assert Delivery.objects.get().official.name == "Damian Pardo"


def test_a_confirmation_link_confirms_only_the_revision_it_showed(
    client, opt_in, supporter_post, district
):
    client.post(URL, supporter_post())
    signature = Signature.objects.get()
    from altavoz.delivery.tasks import send_signature_link

    send_signature_link.call(str(signature.pk))
    old_link = _link(mail.outbox[-1])
    client.post(f"{old_link}change/", supporter_post(letter_body="Changed before confirming."))
    assert client.post(old_link).status_code == 410
    assert Signature.objects.get().confirmed_at is None


# Letters say only what is true about the writer (section 3) -------------------------------


def test_a_chosen_district_that_disagrees_with_the_address_is_refused(
    client, city_map, supporter_post, district
):
    response = client.post(URL, supporter_post(area=str(district(5).pk)))
    assert response.status_code == 400
    html = response.content.decode()
    assert "The address you typed is in District 2, not District 5." in html
    assert 'value="3500 Pan American Dr"' in html and 'value="Maria"' in html
    assert not Signature.objects.exists()


def test_a_resolved_address_makes_a_constituent_letter(
    client, city_map, supporter_post, district, drain
):
    client.post(URL, supporter_post())
    signature = Signature.objects.get()
    assert signature.area == district(2) and signature.district_verified
    drain()
    (letter,) = [m for m in mail.outbox if "Dear Commissioner" in m.body]
    assert "Constituent of District 2" in letter.body


def test_an_address_outside_the_city_cannot_choose_a_district(client, city_map, supporter_post):
    school = a_school_in("Hialeah")
    post = supporter_post(street_address=school["address"], zip_code=school["zip"])
    response = client.post(URL, post)
    assert response.status_code == 400
    assert "This address is not in the City of Miami." in response.content.decode()
    assert not Signature.objects.exists()


def test_one_email_in_new_york_cannot_write_to_five_districts(
    client, miami, supporter_post, district, drain
):
    """The attack as found: one email, a New York address, districts 1 to 5 chosen."""
    for number in range(1, 6):
        client.post(URL, _attack(supporter_post, district, area=str(district(number).pk)))
    assert Signature.objects.count() == 1
    drain()
    letters = [m for m in mail.outbox if "Dear Commissioner" in m.body]
    assert len(letters) == 1
    assert "District 1 (chosen by the writer; address not verified)" in letters[0].body
    assert "Constituent of" not in letters[0].body


def test_the_packet_says_a_chosen_district_was_not_verified(client, miami, supporter_post):
    from altavoz.organising.packet import build_packet
    from test_organising import _pdf_text

    client.post(URL, supporter_post())
    text = _pdf_text(build_packet(miami))[1]
    assert "District 2 (chosen by the writer; address not verified)" in text


def test_a_campaign_can_require_an_address_on_the_map(client, miami, supporter_post):
    Campaign.objects.filter(pk=miami.pk).update(require_verified_address=True)
    response = client.post(URL, supporter_post())
    assert response.status_code == 400
    assert "counts only addresses we can find on the map" in response.content.decode()
    assert not Signature.objects.exists()


def test_a_point_from_the_browser_decides_when_the_address_cannot_be_found(
    client, city_map, supporter_post, district
):
    lon, lat = control_point("City District 4")
    unknown = {"street_address": "1 Nowhere Lane", "zip_code": "33133"}
    refused = client.post(
        URL, supporter_post(**unknown, area=str(district(2).pk), lat=lat, lon=lon)
    )
    assert refused.status_code == 400
    assert "in District 4, not District 2" in refused.content.decode()
    client.post(URL, supporter_post(**unknown, area=str(district(4).pk), lat=lat, lon=lon))
    signature = Signature.objects.get()
    assert signature.area == district(4) and signature.district_verified


def test_after_delivery_the_link_changes_only_how_the_signature_is_shown(
    client, miami, supporter_post, district, emailed_links, drain
):
    client.post(URL, supporter_post())
    drain()
    with emailed_links() as sent:
        client.post(URL, supporter_post())
    link = _link(sent[0])
    form = client.get(f"{link}change/").content.decode()
    assert "Your letter has been delivered" in form
    change = supporter_post(letter_body="Rewritten after the fact.", area=str(district(4).pk))
    change.pop("is_public")
    assert client.post(f"{link}change/", change).status_code == 302
    signature = Signature.objects.get()
    assert signature.letter_body != "Rewritten after the fact." and signature.area == district(2)
    assert not signature.is_public
    assert Delivery.objects.get().official.name == "Damian Pardo"
