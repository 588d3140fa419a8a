"""Who a campaign's letters go to, and what keeps them from leaving: a seat nobody holds, an
official without a delivery address, or an address changed and held until platform staff
confirm it (districts.services)."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from altavoz.districts.boundaries.area_index import number_order
from altavoz.districts.models import Official, Post


@dataclass(frozen=True)
class TargetProblem:
    post: Post
    official: Official | None
    kind: str  # "vacant", "no_address" or "held"
    text: str

    @property
    def blocks_publishing(self) -> bool:
        """Letters that could never leave block going live; held ones only wait."""
        return self.kind != "held"


def _official_problem(post: Post, official: Official) -> TargetProblem | None:
    names = {"post": post, "name": official.name}
    if not official.email:
        text = _("%(post)s: %(name)s has no delivery email address.") % names
        return TargetProblem(post, official, "no_address", text)
    if official.letters_held_since is not None:
        text = (
            _(
                "%(post)s: the delivery address of %(name)s changed; letters wait until platform "
                "staff confirm it."
            )
            % names
        )
        return TargetProblem(post, official, "held", text)
    return None


def target_problems(posts) -> list[TargetProblem]:
    """Why letters could not (yet) reach each of ``posts`` today; empty when all can."""
    holders: dict = {}
    for official in Official.objects.current().filter(post__in=posts).order_by("name"):
        holders.setdefault(official.post_id, []).append(official)
    problems = []
    ordered = sorted(
        posts.select_related("area"), key=lambda p: (p.role, number_order(p.area.number))
    )
    for post in ordered:
        if post.pk not in holders:
            text = _("%(post)s: nobody holds this seat today.") % {"post": post}
            problems.append(TargetProblem(post, None, "vacant", text))
        for official in holders.get(post.pk, []):
            problem = _official_problem(post, official)
            if problem:
                problems.append(problem)
    return problems


def targets_guide() -> str:
    """What organisers can target today, set by set, and how to get a new set: shown where
    a campaign's targets are chosen."""
    from django.template.loader import render_to_string

    from altavoz.districts.selectors import seat_summaries

    return render_to_string("campaigns/_targets_guide.html", {"summaries": seat_summaries()})


def at_large_problems(target_set, at_large_sets) -> list[str]:
    """Why a set cannot be written to by every supporter of a campaign on ``target_set``:
    it must be one area (one seat for everyone) covering the same territory."""
    problems = []
    for chosen in at_large_sets:
        if chosen.pk == getattr(target_set, "pk", None):
            problems.append(_("%(set)s is already the target districts.") % {"set": chosen})
        elif chosen.areas.count() != 1:
            problems.append(
                _("%(set)s has several areas: choose it as the target districts instead.")
                % {"set": chosen}
            )
        elif target_set is not None and chosen.territory != target_set.territory:
            names = {"set": chosen, "its": chosen.territory or "?",
                     "territory": target_set.territory or "?"}  # fmt: skip
            problems.append(
                _("%(set)s covers %(its)s, not %(territory)s: not every supporter lives there.")
                % names
            )
    return problems
