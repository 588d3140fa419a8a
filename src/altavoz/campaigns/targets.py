"""Who a campaign's letters go to, and what keeps them from leaving: a seat nobody holds, an
official without a delivery address, or an address changed and held until platform staff
confirm it (districts.services)."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

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
    for post in posts.select_related("area"):
        if post.pk not in holders:
            text = _("%(post)s: nobody holds this seat today.") % {"post": post}
            problems.append(TargetProblem(post, None, "vacant", text))
        for official in holders.get(post.pk, []):
            problem = _official_problem(post, official)
            if problem:
                problems.append(problem)
    return problems
