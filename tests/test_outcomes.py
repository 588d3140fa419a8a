"""Closing the loop: did the office reply (the writer's answer, or a reply seen through the
letter's reply address), and what each official did (positions recorded by organisers)."""

import io
import uuid
from datetime import date
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from altavoz.delivery.models import Delivery
from altavoz.districts.models import Official
from altavoz.organising.packet import build_packet
from altavoz.outcomes import reply_address, services, tokens
from altavoz.outcomes.models import LetterReply, Position

Answer = LetterReply.Answer


def _path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


@pytest.fixture
def letter(sign, drain):
    """One letter, delivered to the District 2 commissioner."""
    sign()
    assert drain() == 1
    return Delivery.objects.select_related("official").get()


def test_a_reply_address_names_its_letter_whatever_the_case_of_its_letters():
    delivery_id = uuid.uuid4()
    address = reply_address.address_for(delivery_id, "replies.example.org")
    assert address.startswith("reply+") and address.endswith("@replies.example.org")
    assert len(address.partition("@")[0]) <= 64  # an email local part's limit
    assert reply_address.delivery_id_for(address) == delivery_id
    assert reply_address.delivery_id_for(address.upper()) == delivery_id
    assert reply_address.delivery_id_for(f"<{address}>") == delivery_id


def test_a_reply_address_cannot_be_made_for_another_letter():
    real = reply_address.address_for(uuid.uuid4(), "r.example.org")
    other = reply_address.address_for(uuid.uuid4(), "r.example.org")
    forged = real[:32] + other[32:]  # one letter's id with another's code
    assert reply_address.delivery_id_for(forged) is None
    assert reply_address.delivery_id_for("reply+nonsense@r.example.org") is None
    assert reply_address.delivery_id_for("someone@r.example.org") is None


def test_following_the_link_records_nothing_until_the_writer_presses(client, letter):
    url = _path(tokens.answer_url(letter.pk, "en", Answer.YES))
    page = client.get(url)
    assert page.status_code == 200
    assert letter.official.name in page.content.decode()
    assert not LetterReply.objects.exists()  # a mail scanner's GET answers nothing
    done = client.post(url, {"answer": Answer.YES})
    assert done.status_code == 200
    reply = LetterReply.objects.get(delivery=letter)
    assert reply.answer == Answer.YES and reply.answered_at is not None


def test_the_latest_answer_counts(client, letter):
    url = _path(tokens.answer_url(letter.pk, "en", Answer.NOT_YET))
    client.post(url, {"answer": Answer.NOT_YET})
    client.post(url, {"answer": Answer.YES})
    assert LetterReply.objects.get(delivery=letter).answer == Answer.YES


def test_the_question_page_answers_in_the_writers_language(client, letter):
    url = _path(tokens.answer_url(letter.pk, "es", Answer.NO))
    assert url.startswith("/es/replied/")
    assert "¿" in client.get(url).content.decode()


def test_a_forged_or_unsent_letters_link_records_nothing(client, letter):
    forged = f"/replied/{tokens.answer_token(letter.pk)[:-2]}xx/"
    assert client.post(forged, {"answer": Answer.YES}).status_code == 404
    Delivery.objects.update(status=Delivery.Status.QUEUED)
    url = _path(tokens.answer_url(letter.pk, "en", Answer.YES))
    assert client.post(url, {"answer": Answer.YES}).status_code == 404
    assert not LetterReply.objects.exists()


def test_an_answer_that_is_not_one_of_the_three_is_refused(client, letter):
    url = _path(tokens.answer_url(letter.pk, "en", Answer.YES))
    assert client.post(url, {"answer": "maybe"}).status_code == 404
    assert not LetterReply.objects.exists()


def test_a_position_is_only_for_an_official_the_campaign_writes_to(addressed):
    target = Official.objects.filter(post__area__boundary_set=addressed.target_set).first()
    fine = Position(
        campaign=addressed, official=target, stance=Position.Stance.VOTED_NO,
        stated_on=date(2027, 6, 12), source_url="https://example.org/minutes",
    )  # fmt: skip
    fine.full_clean()
    outsider = Official.objects.exclude(post__area__boundary_set=addressed.target_set)
    outsider = outsider.exclude(post__area__boundary_set__in=addressed.at_large_ids()).first()
    if outsider is None:
        pytest.skip("no official outside the campaign's targets in the fixtures")
    wrong = Position(
        campaign=addressed, official=outsider, stance=Position.Stance.VOTED_NO,
        stated_on=date(2027, 6, 12), source_url="https://example.org/minutes",
    )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        wrong.full_clean()
    assert "official" in error.value.message_dict


def test_a_positions_sentence_is_whole_in_each_language(addressed):
    from django.utils import translation

    target = Official.objects.filter(post__area__boundary_set=addressed.target_set).first()
    position = Position(
        campaign=addressed, official=target, stance=Position.Stance.VOTED_NO,
        stated_on=date(2027, 6, 12), source_url="https://example.org/minutes",
    )  # fmt: skip
    assert position.sentence().startswith(f"{target.name} voted no on June 12, 2027")
    with translation.override("es"):
        assert target.name in position.sentence() and "votó" in position.sentence()


def test_the_dashboard_and_the_packet_show_replies_and_positions(client, letter, organisers):
    Position.objects.create(
        campaign=letter.signature.campaign, official=letter.official,
        stance=Position.Stance.VOTED_NO, stated_on=date(2027, 6, 12),
        source_url="https://example.org/minutes",
    )  # fmt: skip
    services.letter_reply_answer(delivery_id=letter.pk, answer=Answer.YES)
    client.force_login(organisers.a)
    page = client.get(f"/organise/campaigns/{letter.signature.campaign_id}/").content.decode()
    section = page[page.index('id="outcomes-heading"') :]
    assert letter.official.name in section
    assert "100% (1 of 1 who answered)" in section
    assert "Voted no" in section and "https://example.org/minutes" in section
    reader = PdfReader(io.BytesIO(build_packet(letter.signature.campaign)))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Replies and outcomes per official" in text
    assert "Voted no, June 12, 2027" in text


def test_the_export_says_what_each_writer_answered_and_which_replies_were_seen(
    client, letter, organisers
):
    import csv

    services.letter_reply_answer(delivery_id=letter.pk, answer=Answer.NOT_YET)
    services.letter_reply_capture(delivery_id=letter.pk)
    client.force_login(organisers.a)
    response = client.get(f"/organise/campaigns/{letter.signature.campaign_id}/signers.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    (row,) = csv.DictReader(io.StringIO(text))
    assert row["office_replied_says_writer"] == f"{letter.official.name}: not_yet"
    assert row["office_reply_seen"].startswith(f"{letter.official.name}: 20")


def test_the_api_gives_each_letters_reply_and_each_officials_position(client, letter):
    from altavoz.api import keys

    campaign = letter.signature.campaign
    _, key = keys.apikey_create(organisation=campaign.organisation, name="r", scope="read")
    headers = {"HTTP_OSDI_API_TOKEN": key}
    base = f"/api/v1/advocacy_campaigns/{campaign.pk}"
    outreach = client.get(f"{base}/outreaches/", **headers).json()["_embedded"]["osdi:outreaches"]
    assert outreach[0]["altavoz:reply"] == {
        "writer_says": None, "answered_date": None, "seen_date": None,
    }  # fmt: skip
    services.letter_reply_answer(delivery_id=letter.pk, answer=Answer.NO)
    services.letter_reply_capture(delivery_id=letter.pk)
    Position.objects.create(
        campaign=campaign, official=letter.official, stance=Position.Stance.ABSENT,
        stated_on=date(2027, 6, 12), source_url="https://example.org/minutes",
    )  # fmt: skip
    outreach = client.get(f"{base}/outreaches/", **headers).json()["_embedded"]["osdi:outreaches"]
    reply = outreach[0]["altavoz:reply"]
    assert reply["writer_says"] == "no" and reply["seen_date"] and reply["answered_date"]
    targets = client.get(f"{base}/", **headers).json()["targets"]
    target = next(t for t in targets if t["name"] == letter.official.name)
    assert target["altavoz:position"] == {
        "stance": "absent", "date": "2027-06-12", "source": "https://example.org/minutes",
    }  # fmt: skip
    others = [t["altavoz:position"] for t in targets if t["name"] != letter.official.name]
    assert others and all(p is None for p in others)
