"""What signers wrote beyond the form letter, for organisers: answers to the organiser's
questions (counted per choice), and personal stories (the share of personalised letters per
district; the stories for the packet)."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from altavoz.campaigns.models import Answer, Campaign, Question
from altavoz.campaigns.selectors import counted_signatures
from altavoz.districts.boundaries.area_index import number_order
from altavoz.organising.reports import Row, _rows


@dataclass(frozen=True)
class Asked:
    question: Question
    answered: int
    rows: list[Row]  # per choice (choices, boxes); empty for text and numbers


def _counted_answers(campaign: Campaign):
    return Answer.objects.filter(signature__in=counted_signatures(campaign))


def questions_summary(campaign: Campaign) -> list[Asked]:
    """Each question with how many answered it and, for choices and boxes, how many chose
    each answer (every choice listed, zero included)."""
    summary = []
    for question in campaign.questions.all():
        values = list(_counted_answers(campaign).filter(question=question).values_list("value"))
        counts = Counter(line for (value,) in values for line in value.splitlines())
        if question.kind in Question.CHOICE_KINDS:
            rows = _rows([(choice, counts.get(choice, 0)) for choice in question.choice_list()])
        elif question.kind == Question.Kind.CHECKBOX:
            rows = _rows([(_("Ticked"), counts.get("yes", 0))])
        else:
            rows = []
        summary.append(Asked(question, len(values), rows))
    return summary


@dataclass(frozen=True)
class Personalised:
    district: str
    letters: int
    personal: int

    @property
    def percent(self) -> int:
        return round(100 * self.personal / self.letters) if self.letters else 0


def personalised_per_district(campaign: Campaign) -> list[Personalised]:
    """Per district, the letters and how many are personal: opened by a story, or with
    words of the signer's own instead of the suggested text (in any language)."""
    suggested = {campaign.letter_body.strip()} | {
        text.strip()
        for t in campaign.translations.all()
        if (text := getattr(t, "letter_body", "")).strip()
    }
    personal = ~Q(story="") | ~Q(letter_body__in=suggested)
    rows = (
        counted_signatures(campaign)
        .filter(area__isnull=False)
        .values("area__name", "area__number")
        .annotate(letters=Count("id"), personal=Count("id", filter=personal))
    )
    ordered = sorted(rows, key=lambda r: (number_order(r["area__number"]), r["area__name"]))
    return [Personalised(r["area__name"], r["letters"], r["personal"]) for r in ordered]


def stories(campaign: Campaign, **whose) -> list[tuple[str, str]]:
    """(signer's name, story) of the counted signatures chosen by ``whose`` that have one."""
    rows = (
        counted_signatures(campaign)
        .filter(person__erased_at__isnull=True, **whose)
        .exclude(story="")
        .order_by("created_at")
        .values_list("first_name", "last_name", "story")
    )
    return [(f"{first} {last}", story) for first, last, story in rows]
