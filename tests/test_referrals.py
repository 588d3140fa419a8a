"""Referral tracking: each supporter's share links carry their own code, a new signature
that arrives through one records who referred it, and the dashboard, export and API show
signatures by channel and the top referrers (first name and initial only). No third-party
analytics."""

import csv
import io
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

from altavoz.api import keys
from altavoz.campaigns import referrals
from altavoz.campaigns.models import Signature

PAGE = "/act/miami-287g/"


def _share_codes(html: str) -> set[str]:
    """The ref= of every share link on a thank-you page."""
    urls = re.findall(r'(?:href|value)="([^"]+)"', unescape(html))
    codes = set()
    for url in urls:
        for value in parse_qs(urlsplit(url).query).get("ref", []):
            codes.add(value)
        if url.startswith(("https://wa.me/", "mailto:")):
            codes.update(re.findall(r"ref(?:%3D|=)([0-9a-f]{12})", url))
    return codes


def test_the_thank_you_pages_share_links_carry_the_signers_own_code(client, miami, supporter_post):
    response = client.post(PAGE, supporter_post())
    html = client.get(response["Location"]).content.decode()
    code = referrals.code_for(miami.pk, "maria.lopez@example.com")
    assert _share_codes(html) == {code}
    assert Signature.objects.get().referral_code == code


def test_signing_again_shows_the_same_links_whether_or_not_the_address_had_signed(
    client, miami, supporter_post
):
    first = client.get(client.post(PAGE, supporter_post())["Location"]).content.decode()
    again = client.get(client.post(PAGE, supporter_post())["Location"]).content.decode()
    assert _share_codes(first) == _share_codes(again)


def test_a_signature_through_a_share_link_records_who_referred_it(client, miami, supporter_post):
    client.post(PAGE, supporter_post())
    maria = Signature.objects.get()
    page = client.get(PAGE, {"source": "share-whatsapp", "ref": maria.referral_code})
    assert f'name="ref" value="{maria.referral_code}"' in page.content.decode()
    client.post(PAGE, supporter_post(email="ana@example.com", first_name="Ana",
                                     source="share-whatsapp", ref=maria.referral_code))  # fmt: skip
    ana = Signature.objects.get(person__email="ana@example.com")
    assert ana.referred_by == maria
    assert ana.source == "share-whatsapp"


def test_nobody_refers_themselves_and_a_made_up_code_is_dropped(client, miami, supporter_post):
    own = referrals.code_for(miami.pk, "maria.lopez@example.com")
    client.post(PAGE, supporter_post(ref=own))
    client.post(PAGE, supporter_post(email="ana@example.com", ref="<script>"))
    client.post(PAGE, supporter_post(email="joe@example.com", ref="0123456789ab"))
    assert not Signature.objects.filter(referred_by__isnull=False).exists()


def test_a_signature_through_the_embed_counts_as_the_embed_channel(client, miami, supporter_post):
    assert 'name="source" value="embed"' in client.get("/embed/miami-287g/").content.decode()
    assert referrals.channel_of("embed") == "embed"


def _signed_through_links(sign):
    maria = sign(first_name="Maria", last_name="Lopez")
    for n, source in enumerate(["share-whatsapp", "share-whatsapp", "share-email", "embed"]):
        sign(source=source, ref=maria.referral_code, first_name=f"Friend{n}")
    joe = sign(first_name="Joe", last_name="Smith", source="flyer")
    sign(ref=joe.referral_code, source="share-x")
    sign()  # direct
    return maria


def test_the_dashboard_shows_signatures_by_channel_and_the_top_referrers(client, organisers, sign):
    maria = _signed_through_links(sign)
    client.force_login(organisers.a)
    html = client.get(f"/organise/campaigns/{maria.campaign_id}/").content.decode()
    channels = re.search(r"Signatures per channel</caption>(.*?)</table>", html, re.S).group(1)
    rows = dict(re.findall(r'<th scope="row">([^<]+)</th><td>(\d+)</td>', channels))
    assert rows == {"WhatsApp": "2", "Direct": "2", "Email": "1", "Embedded form": "1",
                    "Other source codes": "1", "X": "1"}  # fmt: skip
    top = re.search(r"brought the most signatures</caption>(.*?)</table>", html, re.S).group(1)
    assert re.findall(r'<th scope="row">([^<]+)</th><td>(\d+)</td>', top) == [
        ("Maria L.", "4"),
        ("Joe S.", "1"),
    ]
    assert "Lopez" not in top and "Smith" not in top


def test_the_export_has_the_channel_and_the_referrer(client, organisers, sign):
    maria = _signed_through_links(sign)
    client.force_login(organisers.a)
    response = client.get(f"/organise/campaigns/{maria.campaign_id}/signers.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    friend = next(r for r in rows if r["first_name"] == "Friend0")
    assert (friend["channel"], friend["referred_by"]) == ("whatsapp", maria.person.email)
    assert next(r for r in rows if r["first_name"] == "Maria")["channel"] == "direct"


def test_the_api_carries_the_referrer(client, sign):
    maria = _signed_through_links(sign)
    friend = Signature.objects.get(first_name="Friend0")
    _, key = keys.apikey_create(organisation=maria.campaign.organisation, name="r", scope="read")
    path = f"/api/v1/petitions/{maria.campaign_id}/signatures/{friend.pk}/"
    body = client.get(path, HTTP_OSDI_API_TOKEN=key).json()
    assert body["referrer_data"] == {"source": "share-whatsapp", "referrer": maria.referral_code}
    assert body["altavoz:channel"] == "whatsapp"
    assert body["_links"]["altavoz:referred_by"]["href"].endswith(
        f"/petitions/{maria.campaign_id}/signatures/{maria.pk}/"
    )
