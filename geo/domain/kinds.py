"""The event kinds: one registry line each says how the rest of the pipeline treats a kind.

Adding a kind is a line here (plus, in extraction, the words that signal it and the rule that
picks it); the model's type, the layers, routes, merging, labels and filters all read this table.
"""

from __future__ import annotations

from dataclasses import dataclass

# How many days apart two dated reports of one unnamed activity may be and still be one event.
SAME_EVENT_DAYS = 10


@dataclass(frozen=True)
class EventKindSpec:
    """How one kind of event is labelled, drawn and merged."""

    name: str
    label: str  # in tables, popups and the legend
    title_noun: str  # in feature titles: "China–Russia fighter scramble, Japan ADIZ"
    layer: str  # the layer its features go to
    route: bool  # drawn as a route through its places (in text order), not as markers
    family: str  # kinds of one family may describe one activity (merged within a document)
    same_event_days: int = SAME_EVENT_DAYS


EVENT_KIND_SPECS: tuple[EventKindSpec, ...] = (
    EventKindSpec("naval_exercise", "naval exercise", "naval exercise", "exercises", False,
                  "exercise"),
    EventKindSpec("air_patrol", "air patrol", "air patrol", "patrols", True, "air_patrol"),
    EventKindSpec("naval_patrol", "naval patrol", "naval patrol", "patrols", True,
                  "naval_patrol"),
    EventKindSpec("bomber_flight", "bomber flight", "bomber flight", "patrols", True,
                  "bomber_flight"),
    EventKindSpec("scramble", "scramble", "fighter scramble", "patrols", True, "scramble"),
    # A launch is over in minutes: launches on different days are different events.
    EventKindSpec("missile_launch", "missile launch", "missile launch", "exercises", False,
                  "missile_launch", same_event_days=0),
    # Combined-arms drills, airspace violations, radar lock-ons: titled as exercises.
    EventKindSpec("other", "other", "exercise", "exercises", False, "exercise"),
)
EVENT_KINDS: tuple[str, ...] = tuple(spec.name for spec in EVENT_KIND_SPECS)
_BY_NAME = {spec.name: spec for spec in EVENT_KIND_SPECS}


def kind_spec(kind: str) -> EventKindSpec:
    """The registry entry of a kind; a KeyError names a kind nobody registered."""
    return _BY_NAME[kind]


def kind_label(kind: str | None) -> str:
    """A kind as people read it; kinds outside the registry (places' kinds) lose underscores."""
    spec = _BY_NAME.get(kind or "other")
    return spec.label if spec is not None else str(kind).replace("_", " ")


def kind_labels() -> dict[str, str]:
    """Every registered kind's label, for the map's client."""
    return {spec.name: spec.label for spec in EVENT_KIND_SPECS}
