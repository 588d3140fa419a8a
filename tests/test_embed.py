"""The action embedded on the organisation's own site (/embed/<slug>/): the same form,
service and shield as the campaign page, framed only by the sites the campaign names, and
needing no cookie (a signed render token, as on the page)."""

import re
from urllib.parse import urlsplit

import pytest

from altavoz import kept
from altavoz.campaigns.models import Campaign, Signature
from altavoz.delivery.models import Delivery
from altavoz.shield import formtoken

EMBED = "/embed/miami-287g/"
SITE = "https://org.example"


@pytest.fixture
def embedded(miami):
    Campaign.objects.filter(pk=miami.pk).update(embed_origins=[SITE])
    kept.forget()
    return miami


@pytest.mark.parametrize(("prefix", "says"), [("", "Sign and send"), ("/es", "Firmar y enviar")])
def test_the_embed_is_the_campaigns_form_in_the_pages_language_without_a_cookie(
    client, embedded, prefix, says
):
    response = client.get(prefix + EMBED)
    html = response.content.decode()
    assert response.status_code == 200
    assert says in html
    for name in ("first_name", "email", "street_address", "zip_code", "area", "letter_body",
                 "rendered", "form_label", "source"):  # fmt: skip
        assert f'name="{name}"' in html, name
    assert f'action="{prefix}{EMBED}"' in html
    assert "csrfmiddlewaretoken" not in html
    assert not response.cookies  # nothing a browser blocking third-party cookies would refuse
    assert '<meta name="robots" content="noindex">' in html
    assert re.search(r'<link rel="canonical" href="http://[^"]+/act/miami-287g/">', html)


def test_the_embed_loads_nothing_from_another_site(client, embedded, settings):
    html = client.get(EMBED).content.decode()
    loaded = re.findall(r'<(?:script|img|link|iframe)[^>]+(?:src|href)="([^"]+)"', html)
    assert loaded
    for url in loaded:
        assert urlsplit(url).netloc in ("", urlsplit(settings.SITE_URL).netloc), url


def test_only_the_sites_the_campaign_names_may_frame_the_embed(client, miami, supporter_post):
    refused = client.get(EMBED)
    assert "frame-ancestors 'none'" in refused["Content-Security-Policy"]
    assert refused["X-Frame-Options"] == "DENY"
    Campaign.objects.filter(pk=miami.pk).update(embed_origins=[SITE])
    kept.forget()
    for response in (
        client.get(EMBED),
        client.post(EMBED, supporter_post(first_name="")),  # the form shown again
        client.get(EMBED + "thanks/"),
    ):
        assert f"frame-ancestors {SITE};" in response["Content-Security-Policy"]
        assert "X-Frame-Options" not in response


def test_a_signature_through_the_embed_is_stored_and_thanked_with_no_personal_data_in_the_address(
    client, embedded, supporter_post
):
    response = client.post(EMBED, supporter_post())
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(EMBED + "thanks/?r=")
    assert "maria" not in location.lower() and "lopez" not in location.lower()
    signature = Signature.objects.get()
    assert signature.person.email == "maria.lopez@example.com"
    assert Delivery.objects.filter(signature=signature).count() == 1
    client.cookies.clear()  # as in a frame whose browser refused the receipt cookie
    html = client.get(location).content.decode()
    assert "Thank you!" in html
    assert "Commissioner, District 2: Damian Pardo" in html
    code = Signature.objects.get().referral_code
    assert f"?source=share-copy&amp;ref={code}" in html  # the signer's own share links


def test_a_forged_thank_you_token_shows_a_thank_you_without_a_district(client, embedded):
    html = client.get(EMBED + "thanks/?r=forged").content.decode()
    assert "Thank you!" in html
    assert "Damian Pardo" not in html


@pytest.mark.parametrize(
    "token",
    [None, "", "forged-token", "other-campaign"],
)
def test_a_submission_without_a_render_token_signed_for_this_campaign_is_refused(
    client, embedded, supporter_post, token
):
    """A form from a page of ours carries a render token signed for its campaign."""
    if token == "other-campaign":
        token = formtoken.issue("another-campaign-id")
    response = client.post(EMBED, supporter_post(rendered=token))
    html = response.content.decode()
    assert response.status_code == 403
    assert "This form could not be verified" in html
    assert 'value="Maria"' in html  # what was typed is kept
    assert not Signature.objects.exists()


def test_the_shields_rules_hold_on_the_embed(client, embedded, supporter_post, settings):
    """The same shield: the honeypot, the render time, one email address per page."""
    filled = client.post(EMBED, supporter_post(form_label="bot"))
    assert filled.status_code == 400
    settings.SHIELD_MIN_FILL_SECONDS = 3
    too_fast = client.post(EMBED, supporter_post())
    assert "quicker than a person can type" in too_fast.content.decode()
    settings.SHIELD_MIN_FILL_SECONDS = 0
    token = formtoken.issue(str(embedded.pk))
    assert client.post(EMBED, supporter_post(rendered=token)).status_code == 302
    replayed = client.post(EMBED, supporter_post(rendered=token, email="other@example.com"))
    assert "already sent a signature for another email address" in replayed.content.decode()
    assert Signature.objects.count() == 1


def test_the_connection_limit_is_shared_with_the_campaign_page(
    client, embedded, supporter_post, settings
):
    settings.SHIELD_IP_LIMIT = 1
    assert client.post("/act/miami-287g/", supporter_post()).status_code == 302
    response = client.post(EMBED, supporter_post(email="second@example.com"))
    assert response.status_code == 429
    assert response["Retry-After"]


def test_double_opt_in_holds_on_the_embed(client, embedded, supporter_post):
    Campaign.objects.filter(pk=embedded.pk).update(double_opt_in=True)
    kept.forget()
    response = client.post(EMBED, supporter_post())
    html = client.get(response["Location"]).content.decode()
    assert "One more step: check your email" in html
    assert Signature.objects.get().confirmed_at is None
    assert not Delivery.objects.exists()


def test_a_draft_has_no_embed(client, miami):
    Campaign.objects.filter(pk=miami.pk).update(status=Campaign.Status.DRAFT)
    assert client.get(EMBED).status_code == 404
