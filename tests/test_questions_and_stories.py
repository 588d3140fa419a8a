"""The organiser's own questions (any kind of action) and the signer's personal story (it
opens the letter): asked in each language, validated with clear messages that keep what was
typed, stored per signature, and shown on the dashboard, in the export, the packet and the
API; answers usable as merge fields in the letter."""

import csv
import io
import re

import pytest
from django.core import mail
from pypdf import PdfReader

from altavoz import kept
from altavoz.api import keys
from altavoz.campaigns.models import Answer, Campaign, Question, Signature
from test_campaign_editing import _change, _form_data

PAGE = "/act/miami-287g/"


def miami_questions(campaign) -> dict:
    """The Miami petition's three questions (a number, one choice, several), in English and
    Spanish, by short name."""
    return {
        "years": Question.objects.create(
            campaign=campaign, position=1, kind=Question.Kind.NUMBER, required=True,
            label="How many years have you lived in Miami?", merge_field="Years",
            translations={"es": {"label": "¿Cuántos años lleva viviendo en Miami?"}},
        ),
        "affected": Question.objects.create(
            campaign=campaign, position=2, kind=Question.Kind.SINGLE_CHOICE, required=True,
            label="Has 287(g) affected your family?", choices="Yes\nNo\nI prefer not to say",
            translations={"es": {"label": "¿287(g) ha afectado a su familia?",
                                 "choices": "Sí\nNo\nPrefiero no decirlo"}},
        ),
        "help": Question.objects.create(
            campaign=campaign, position=3, kind=Question.Kind.MULTIPLE_CHOICE,
            label="How else can you help?", choices="Call\nVolunteer\nDonate",
        ),
    }  # fmt: skip


@pytest.fixture
def asked(miami):
    """The Miami campaign asking a story and three questions, with Spanish words."""
    Campaign.objects.filter(pk=miami.pk).update(
        story_prompt="In one sentence, why does this matter to you?"
    )
    miami.translations.filter(language="es").update(
        story_prompt="En una frase, ¿por qué le importa esto?"
    )
    questions = miami_questions(miami)
    kept.forget()
    return questions


def _name(question) -> str:
    return f"question_{question.pk.hex}"


def _answers(asked, **overrides) -> dict:
    data = {_name(asked["years"]): "12", _name(asked["affected"]): "Yes",
            _name(asked["help"]): ["Call", "Donate"]}  # fmt: skip
    data.update({_name(asked[k]): v for k, v in overrides.items()})
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize(
    ("prefix", "says"),
    [
        ("", ["How many years have you lived in Miami?", "I prefer not to say",
              "In one sentence, why does this matter to you?"]),
        ("/es", ["¿Cuántos años lleva viviendo en Miami?", "Prefiero no decirlo",
                 "En una frase, ¿por qué le importa esto?"]),
    ],
)  # fmt: skip
def test_the_questions_and_the_story_are_asked_in_the_pages_language(client, asked, prefix, says):
    html = client.get(prefix + PAGE).content.decode()
    for text in says:
        assert text in html
    assert 'value="Yes"' in html  # the stored value is the campaign's own word


def test_answers_and_the_story_are_stored_with_the_signature(client, asked, supporter_post):
    story = "My neighbour was detained at a traffic stop."
    response = client.post(PAGE, {**supporter_post(story=story), **_answers(asked)})
    assert response.status_code == 302
    signature = Signature.objects.get()
    assert signature.story == story
    stored = {a.question.label: a.value for a in signature.answers.select_related("question")}
    assert stored == {"How many years have you lived in Miami?": "12",
                      "Has 287(g) affected your family?": "Yes",
                      "How else can you help?": "Call\nDonate"}  # fmt: skip


def test_a_question_deleted_while_the_form_still_asks_it_costs_no_signature(
    client, asked, supporter_post
):
    """Each process keeps a campaign's questions a few seconds: an answer to one the
    organiser deleted meanwhile is dropped, and the signature is stored."""
    client.get(PAGE)  # this process now keeps the three questions
    Question.objects.filter(pk=asked["help"].pk).delete()  # as another process's admin would
    response = client.post(PAGE, {**supporter_post(), **_answers(asked)})
    assert response.status_code == 302
    assert Signature.objects.get().answers.count() == 2


def test_a_spanish_signer_answers_with_the_spanish_words_and_the_campaigns_are_stored(
    client, asked, supporter_post
):
    client.post("/es" + PAGE, {**supporter_post(), **_answers(asked, affected="Yes")})
    assert Answer.objects.get(question=asked["affected"]).value == "Yes"


@pytest.mark.parametrize(
    ("overrides", "says"),
    [
        ({"years": None}, "Answer with a number."),
        ({"years": "twelve"}, "Enter a number, like 12 or 3.5."),
        ({"affected": None}, "Choose one answer."),
        ({"affected": "Maybe"}, "Choose one of the answers listed."),
        ({"help": ["Call", "Riot"]}, "Choose among the answers listed."),
    ],
)
def test_a_wrong_answer_gets_a_clear_message_and_keeps_what_was_typed(
    client, asked, supporter_post, overrides, says
):
    data = {**supporter_post(story="Kept story"), **_answers(asked, **overrides)}
    response = client.post(PAGE, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert says in html
    assert 'value="Maria"' in html and "Kept story" in html
    assert not Signature.objects.exists()


def test_a_story_too_long_is_refused_plainly(client, asked, supporter_post):
    response = client.post(PAGE, {**supporter_post(story="x" * 501), **_answers(asked)})
    assert "Your story is 501 characters long; keep it under 500." in response.content.decode()


def test_the_story_opens_the_letter_and_answers_fill_merge_fields(
    client, asked, addressed, supporter_post, drain, django_capture_on_commit_callbacks
):
    Campaign.objects.filter(pk=addressed.pk).update(
        letter_body="I have lived in Miami for [Years] years. Please vote NO."
    )
    kept.forget()
    data = {**supporter_post(story="My neighbour was detained.", letter_body=None),
            **_answers(asked)}  # fmt: skip
    data["letter_body"] = "I have lived in Miami for [Years] years. Please vote NO."
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(PAGE, data).status_code == 302
    drain()
    (letter,) = [m for m in mail.outbox if "commissioner2@city.example" in m.to]
    body = letter.body
    greeting = body.index("Dear Commissioner Damian Pardo,")
    assert body.index("My neighbour was detained.") > greeting
    assert body.index("My neighbour was detained.") < body.index("I have lived in Miami for 12")


def test_a_letter_may_use_a_questions_merge_field_and_not_an_unknown_one(
    client, organisers, asked, miami
):
    client.force_login(organisers.a)
    data = _form_data(miami, letter_body="For [Years] years I have lived here. [Shoe Size]")
    html = client.post(_change(miami), data).content.decode()
    assert "Unknown merge field [Shoe Size]" in html
    assert "[Years]" in re.search(r"Use only ([^<.]+)", html).group(1)


def test_the_organiser_adds_a_question_with_its_translations_in_the_admin(
    client, organisers, miami
):
    client.force_login(organisers.a)
    data = {**_form_data(miami), "questions-TOTAL_FORMS": "1",
            "questions-0-position": "1", "questions-0-kind": "single_choice",
            "questions-0-label": "Do you rent?", "questions-0-choices": "Yes\nNo",
            "questions-0-label_es": "¿Alquila?", "questions-0-choices_es": "Sí\nNo",
            "questions-0-required": "on"}  # fmt: skip
    response = client.post(_change(miami), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    question = Question.objects.get()
    assert question.choice_list("es") == ["Sí", "No"]
    kept.forget()
    assert "¿Alquila?" in client.get("/es" + PAGE).content.decode()


def test_a_choice_question_without_two_choices_is_refused_by_name(client, organisers, miami):
    client.force_login(organisers.a)
    data = {**_form_data(miami), "questions-TOTAL_FORMS": "1",
            "questions-0-position": "1", "questions-0-kind": "multiple_choice",
            "questions-0-label": "Which?", "questions-0-choices": "Only one"}  # fmt: skip
    html = client.post(_change(miami), data).content.decode()
    assert "Write at least two choices, one per line." in html
    assert not Question.objects.exists()


def _signed(client, asked, supporter_post, district):
    client.post(PAGE, {**supporter_post(story="Story of Maria."), **_answers(asked)})
    client.post(PAGE, {**supporter_post(email="ana@example.com", first_name="Ana"),
                       **_answers(asked, affected="No", help=["Call"])})  # fmt: skip
    client.post(PAGE, {**supporter_post(email="joe@example.com", first_name="Joe",
                                        area=str(district(3).pk), letter_body="My own words."),
                       **_answers(asked, affected="No", help=None)})  # fmt: skip


def test_the_dashboard_counts_each_choice_and_the_share_of_personal_letters(
    client, organisers, asked, supporter_post, district, miami
):
    _signed(client, asked, supporter_post, district)
    client.force_login(organisers.a)
    html = client.get(f"/organise/campaigns/{miami.pk}/").content.decode()
    affected = re.search(r"affected your family\?</caption>(.*?)</table>", html, re.S).group(1)
    rows = re.findall(r'<th scope="row">([^<]+)</th><td>(\d+)</td>', affected)
    assert rows == [("Yes", "1"), ("No", "2"), ("I prefer not to say", "0")]
    personal = re.search(r"Personal letters per district(.*?)</table>", html, re.S).group(1)
    rows = re.findall(r"<tr><th scope=\"row\">([^<]+)</th><td>(\d+)</td><td>(\d+)</td><td>(\d+)%",
                      personal)  # fmt: skip
    assert rows == [("District 2", "2", "1", "50"), ("District 3", "1", "1", "100")]


def test_the_export_the_packet_and_the_api_carry_the_answers_and_stories(
    client, organisers, asked, supporter_post, district, miami
):
    _signed(client, asked, supporter_post, district)
    client.force_login(organisers.a)
    response = client.get(f"/organise/campaigns/{miami.pk}/signers.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    maria = next(r for r in rows if r["first_name"] == "Maria")
    assert maria["story"] == "Story of Maria."
    assert maria["How else can you help?"] == "Call; Donate"
    assert maria["How many years have you lived in Miami?"] == "12"
    pdf = client.get(f"/organise/campaigns/{miami.pk}/packet.pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert '"Story of Maria." (Maria Lopez)' in text
    assert "In their own words" in text
    assert "I prefer not to say: 0" in text
    _, key = keys.apikey_create(organisation=miami.organisation, name="r", scope="read")
    signature = Signature.objects.get(first_name="Maria")
    body = client.get(f"/api/v1/petitions/{miami.pk}/signatures/{signature.pk}/",
                      HTTP_OSDI_API_TOKEN=key).json()  # fmt: skip
    assert body["altavoz:story"] == "Story of Maria."
    assert {
        "question": "Has 287(g) affected your family?",
        "answer": "Yes",
        "question_identifier": f"altavoz:{asked['affected'].pk}",
    } in body["altavoz:answers"]


# Changing the answers through the emailed link ---------------------------------------------


def _change_link(client, asked, supporter_post, emailed_links) -> str:
    """Sign with the usual answers, then sign again: the address gets its signature's link."""
    from test_signature_ownership import _link

    client.post(PAGE, {**supporter_post(), **_answers(asked)})
    with emailed_links() as sent:
        client.post(PAGE, {**supporter_post(), **_answers(asked)})
    return _link(sent[0]) + "change/"


def _stored_answers() -> dict:
    return {a.question.label: a.value for a in Answer.objects.select_related("question")}


def test_the_signer_changes_their_answers_through_the_emailed_link(
    client, asked, supporter_post, emailed_links
):
    link = _change_link(client, asked, supporter_post, emailed_links)
    form = client.get(link).content.decode()
    assert "How else can you help?" in form and 'value="12"' in form
    assert re.search(r'value="Donate"[^>]*checked', form)  # what they answered, to change
    changed = {**supporter_post(), **_answers(asked, years="20", affected="No", help=None)}
    assert client.post(link, changed).status_code == 302
    assert _stored_answers() == {"How many years have you lived in Miami?": "20",
                                 "Has 287(g) affected your family?": "No"}  # fmt: skip
    assert Signature.objects.get().revision == 1


@pytest.mark.parametrize(
    ("overrides", "says"),
    [({"years": None}, "Answer with a number."),
     ({"affected": "Maybe"}, "Choose one of the answers listed."),
     ({"help": ["Riot"]}, "Choose among the answers listed.")],
)  # fmt: skip
def test_a_changed_answer_is_checked_as_on_the_page(
    client, asked, supporter_post, emailed_links, overrides, says
):
    link = _change_link(client, asked, supporter_post, emailed_links)
    before = _stored_answers()
    response = client.post(link, {**supporter_post(), **_answers(asked, **overrides)})
    assert response.status_code == 400 and says in response.content.decode()
    assert _stored_answers() == before and Signature.objects.get().revision == 0


@pytest.fixture
def quoted(addressed, asked):
    """The letter quotes the [Years] answer."""
    addressed.letter_body = "I have lived in Miami for [Years] years. Please vote NO."
    addressed.save(update_fields=["letter_body", "updated_at"])
    kept.forget()
    return asked


def _letter_to_pardo() -> str:
    (letter,) = [m for m in mail.outbox if "commissioner2@city.example" in m.to]
    return letter.body


def test_a_letter_not_sent_yet_quotes_the_changed_answer(
    client, quoted, supporter_post, emailed_links, drain
):
    link = _change_link(client, quoted, supporter_post, emailed_links)
    changed = {**supporter_post(), **_answers(quoted, years="30")}
    assert client.post(link, changed).status_code == 302
    drain()
    assert "I have lived in Miami for 30 years." in _letter_to_pardo()


def test_once_the_letter_has_left_the_answers_it_quotes_stay_as_sent(
    client, quoted, supporter_post, emailed_links, drain
):
    link = _change_link(client, quoted, supporter_post, emailed_links)
    drain()
    assert "I have lived in Miami for 12 years." in _letter_to_pardo()
    form = client.get(link).content.decode()
    assert "Your letter quotes some of your answers, so those stay as sent too." in form
    assert re.search(r'name="question_[0-9a-f]+" value="12"[^>]*disabled', form)
    changed = {**supporter_post(), **_answers(quoted, years="30", affected="No")}
    assert client.post(link, changed).status_code == 302
    stored = _stored_answers()
    assert stored["How many years have you lived in Miami?"] == "12"  # quoted: as sent
    assert stored["Has 287(g) affected your family?"] == "No"  # not in the letter
    from altavoz.campaigns import services

    signature = Signature.objects.get()
    years = quoted["years"].pk.hex
    services.signature_change(
        signature=signature, revision=signature.revision, changes={}, answers={years: "99"}
    )
    assert _stored_answers()["How many years have you lived in Miami?"] == "12"
