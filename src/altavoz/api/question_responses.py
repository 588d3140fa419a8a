"""The answers to a petition's questions in a "record signature" request, the OSDI way: its
helper action function ``add_questions_responses_uri``, a list of question response objects.
Each names a question by its identifier (``altavoz:<uuid>``, as the petition lists it under
``altavoz:questions``) and answers it as OSDI says for the question's type: ``responses``
(the choices, in the campaign's own words) for one or several choices, ``value`` for the
rest (the text, a number, ``"yes"`` to tick a box).

They become the supporter form's question fields, so that the form checks them exactly as on
the page (required questions, choices, lengths); the form's messages come back pointing at
the item that gave the answer, or at the list when a required question was left out."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from altavoz.api.resources import identifiers
from altavoz.campaigns import questions
from altavoz.campaigns.models import Campaign, Question

FIELD = "add_questions_responses_uri"
LIST_POINTER = f"#/{FIELD}"


@dataclass
class Responses:
    """The request's answers as the form's data, where each came from, and what could not
    be read as an answer to one of the petition's questions (by JSON pointer)."""

    data: dict = field(default_factory=dict)
    pointers: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)
    asked: dict = field(default_factory=dict)

    def located(self, form_errors: dict) -> dict[str, list[str]]:
        """The form's messages on its question fields, by JSON pointer in the request."""
        located: dict[str, list[str]] = {}
        for name, messages in form_errors.items():
            question = self.asked.get(name)
            if question is None:
                continue
            if name in self.pointers:
                located.setdefault(self.pointers[name], []).extend(messages)
                continue
            for message in messages:  # not answered at all: say which question
                located.setdefault(LIST_POINTER, []).append(
                    _("%(identifier)s (%(question)s): %(problem)s")
                    % {
                        "identifier": identifiers(question)[0],
                        "question": question.label,
                        "problem": message,
                    }
                )
        return located


def answered_with(question: Question) -> str:
    """What OSDI answers this question with: ``responses`` for choices, else ``value``."""
    return "responses" if question.kind in Question.CHOICE_KINDS else "value"


def _form_value(question: Question, given):
    """An item's answer as the form's field receives it from the page."""
    kind = Question.Kind
    if question.kind == kind.MULTIPLE_CHOICE:
        return given or []
    if question.kind == kind.SINGLE_CHOICE:  # two responses or more: not one of the choices
        return given[0] if given and len(given) == 1 else (given or "")
    if question.kind == kind.CHECKBOX:
        return "on" if (given or "").strip().lower() == "yes" else ""
    return given or ""


def read(body: dict, campaign: Campaign) -> Responses:
    """The (shape-checked) request's question responses, for ``campaign``'s questions."""
    by_identifier = {identifiers(q)[0]: q for q in questions.asked(campaign)}
    responses = Responses(asked={questions.field_name(q): q for q in by_identifier.values()})
    for index, item in enumerate(body.get(FIELD) or []):
        at = f"{LIST_POINTER}/{index}"
        question = by_identifier.get(item.get("question", ""))
        if question is None:
            responses.errors[f"{at}/question"] = [
                _("No question %(identifier)s on this petition: use one of its %(field)s.")
                % {"identifier": item.get("question", ""), "field": "altavoz:questions"}
            ]
            continue
        name = questions.field_name(question)
        takes = answered_with(question)
        wrong = "value" if takes == "responses" else "responses"
        if name in responses.data:
            responses.errors[f"{at}/question"] = [_("This question is answered twice.")]
        elif wrong in item and takes not in item:
            responses.errors[f"{at}/{wrong}"] = [
                _("Answer this question with %(field)s.") % {"field": takes}
            ]
        else:
            responses.data[name] = _form_value(question, item.get(takes))
            responses.pointers[name] = f"{at}/{takes}"
    return responses
