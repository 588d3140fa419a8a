"""What a campaign page shows where it is shared or indexed: a description, its one address
in each language, Open Graph and Twitter card tags, a 1200 x 630 share image served from
Altavoz (drawn for the campaign, or the organiser's upload without its metadata), and a
favicon."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from altavoz import kept
from altavoz.campaigns.models import ShareImage
from test_campaign_editing import _change, _form_data

PAGES = {"en": "/act/miami-287g/", "es": "/es/act/miami-287g/", "ht": "/ht/act/miami-287g/"}


def _meta(html: str) -> dict:
    """Each <meta name|property=... content=...> of the page, and its <link rel> addresses."""
    tags = {}
    for _attr, key, value in re.findall(r'<meta (name|property)="([^"]+)" content="([^"]*)"', html):
        tags.setdefault(key, value)
    for rel, rest in re.findall(r'<link rel="(canonical|alternate)"([^>]*)>', html):
        lang = re.search(r'hreflang="([^"]+)"', rest)
        href = re.search(r'href="([^"]+)"', rest).group(1)
        tags[f"{rel}:{lang.group(1)}" if lang else rel] = href
    return tags


@pytest.mark.parametrize("language", ["en", "es", "ht"])
def test_every_language_of_the_page_has_its_description_address_and_share_tags(
    client, miami, settings, language
):
    page = miami.in_language(language)
    html = client.get(PAGES[language] + "?source=share-whatsapp").content.decode()
    tags = _meta(html)
    own = settings.SITE_URL + PAGES[language]
    assert tags["description"] == page.summary
    assert tags["canonical"] == own  # without the share link's code
    assert tags["og:url"] == own
    assert tags["og:title"] == tags["twitter:title"] == page.title
    assert tags["og:description"] == page.summary
    assert tags["twitter:card"] == "summary_large_image"
    assert tags["og:image"].startswith(settings.SITE_URL + PAGES[language] + "share-image?v=")
    assert (tags["og:image:width"], tags["og:image:height"]) == ("1200", "630")
    assert tags["og:locale"] == {"en": "en_US", "es": "es_US", "ht": "ht_HT"}[language]
    for code, path in PAGES.items():
        assert tags[f"alternate:{code}"] == settings.SITE_URL + path
    assert tags["alternate:x-default"] == settings.SITE_URL + PAGES["en"]


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_drawn_share_image_is_1200_by_630_and_served_from_the_site(client, miami, language):
    response = client.get(PAGES[language] + "share-image")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "public" in response["Cache-Control"]
    picture = Image.open(io.BytesIO(response.content))
    assert picture.size == (1200, 630)
    # the progress bar: the accent colour fills its start, a soft grey the rest (no signature)
    assert picture.convert("RGB").getpixel((1100, 530)) == (0xDD, 0xE6, 0xF2)


def test_the_drawn_image_shows_the_progress(client, miami, sign):
    for _ in range(3):
        sign()
    type(miami).objects.filter(pk=miami.pk).update(goal=4)
    picture = Image.open(io.BytesIO(client.get(PAGES["en"] + "share-image").content))
    assert picture.convert("RGB").getpixel((800, 530)) == (0x0B, 0x5C, 0xAD)  # 3 of 4


def _photo_with_location(size=(3000, 2000)) -> bytes:
    picture = Image.new("RGB", size, "orange")
    exif = Image.Exif()
    exif[0x8825] = {2: (25.0, 45.0, 0.0)}  # GPS latitude, where the photo was taken
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    picture.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_an_organisers_upload_becomes_the_share_image_cropped_and_without_its_metadata(
    client, organisers, miami
):
    client.force_login(organisers.a)
    upload = SimpleUploadedFile("march.jpg", _photo_with_location(), content_type="image/jpeg")
    response = client.post(_change(miami), {**_form_data(miami), "share_image_upload": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    served = client.get(PAGES["en"] + "share-image")
    assert served["Content-Type"] == "image/jpeg"
    picture = Image.open(io.BytesIO(served.content))
    assert picture.size == (1200, 630)
    assert not picture.getexif()
    assert b"PhoneMaker" not in served.content
    # the page's tags name the new picture (a new version in its address)
    html = client.get(PAGES["en"]).content.decode()
    old = _meta(html)["og:image"]
    client.force_login(organisers.a)
    data = {**_form_data(miami), "share_image_remove": "on"}
    assert client.post(_change(miami), data).status_code == 302
    assert not ShareImage.objects.filter(campaign=miami).exists()
    assert client.get(PAGES["en"] + "share-image")["Content-Type"] == "image/png"
    kept.forget()  # the campaign as this process read it a moment ago
    assert _meta(client.get(PAGES["en"]).content.decode())["og:image"] != old


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"%PDF-1.4 not a picture", "This file is not a picture we can read"),
        (b"\xff\xd8" + b"0" * (5 * 1024 * 1024 + 1), "use one under 5 MB"),
    ],
)
def test_an_upload_that_cannot_be_a_share_image_is_refused_by_name(
    client, organisers, miami, content, says
):
    client.force_login(organisers.a)
    upload = SimpleUploadedFile("x.jpg", content, content_type="image/jpeg")
    data = {**_form_data(miami), "share_image_upload": upload, "title": "A new headline"}
    response = client.post(_change(miami), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert says in html
    assert 'value="A new headline"' in html  # what was typed is kept
    assert not ShareImage.objects.exists()


def test_a_picture_of_too_many_pixels_is_refused_unread(client, organisers, miami):
    out = io.BytesIO()
    Image.new("1", (9000, 5000)).save(out, "PNG")  # 45 megapixels in a small file
    client.force_login(organisers.a)
    upload = SimpleUploadedFile("huge.png", out.getvalue(), content_type="image/png")
    response = client.post(_change(miami), {**_form_data(miami), "share_image_upload": upload})
    assert "too large in pixels" in response.content.decode()


def test_the_share_image_of_a_draft_is_not_served(client, miami):
    type(miami).objects.filter(pk=miami.pk).update(status="draft")
    assert client.get(PAGES["en"] + "share-image").status_code == 404


def test_the_site_has_a_favicon(client, miami):
    html = client.get(PAGES["en"]).content.decode()
    assert '<link rel="icon" href="/static/altavoz/favicon.svg"' in html
    assert client.get("/static/altavoz/favicon.svg").status_code == 200
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/altavoz/favicon.ico"
    assert Image.open(io.BytesIO(client.get(response["Location"]).getvalue())).format == "ICO"
