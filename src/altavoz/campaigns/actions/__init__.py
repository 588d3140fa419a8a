"""Action kinds, registered by name (healthchecks' CHECK_KINDS): ``Campaign.kind`` names
one. Each kind lives in one module here (``letter``, ``call``) with its form, page blocks,
what it records, and its dashboard, export, packet and API parts (``base.ActionKind``).
Adding a kind is one module and one ``kind_register``; see CONTRIBUTING.md, "Adding an
action kind".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from altavoz.campaigns.actions.base import ActionKind

if TYPE_CHECKING:
    from altavoz.campaigns.models import Campaign

KINDS: dict[str, ActionKind] = {}
DEFAULT_KIND = "letter"


def kind_register(kind: ActionKind) -> ActionKind:
    if kind.name in KINDS and type(KINDS[kind.name]) is not type(kind):
        raise ValueError(f"an action kind called {kind.name!r} is already registered")
    KINDS[kind.name] = kind
    return kind


def kind_named(name: str) -> ActionKind:
    try:
        return KINDS[name]
    except KeyError:
        known = ", ".join(KINDS)
        raise KeyError(f"no action kind called {name!r}; known: {known}") from None


def kind_of(campaign: Campaign) -> ActionKind:
    return kind_named(campaign.kind or DEFAULT_KIND)


def kind_choices() -> list[tuple[str, str]]:
    return [(name, str(kind.label)) for name, kind in KINDS.items()]


def _register_shipped() -> None:
    from altavoz.campaigns.actions.call import CallKind
    from altavoz.campaigns.actions.letter import LetterKind

    kind_register(LetterKind())
    kind_register(CallKind())


_register_shipped()
