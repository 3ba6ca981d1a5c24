"""Anchors: the signals of activity and exercise names a clause is about.

Each signal family (`geo.extraction.vocab.lexicon.SIGNALS`) claims its words in order; a
movement ("flew") counts only near an aircraft or a ship; neighbours that describe one thing
become one anchor ("drills" + "Joint Sea-2022", "missiles launched" + "flew over Taiwan"); a
negated one ("without entering") stays an anchor, so it ends the one before, but is no event.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.extraction.context import DocIndex
from geo.extraction.rules.locations import launch_site

_NAME_TRIGGER_GAP = 45
_HELD_REACH = 250
_NEGATION = re.compile(r"\b(?:not|no|never|without|nor)\b|n't\b")
_NEGATED = re.compile(r"(?:\b(?:not|never|without)|n't)\s+(?:\w+\s+)?$")
ASSET_WINDOW = 120
ASSET_LOOKBACK = 200
# An activity anchor needs an asset nearby ("bombers flew"), else "flew" alone is no event.
_NEEDS_ASSET = frozenset({"movement"})


@dataclass
class Anchor:
    """A signal of activity and/or an exercise name, with the span of text it covers."""

    start: int
    end: int
    family: str
    name: str | None = None
    negated: bool = False


def _exercise_before(index: DocIndex, at: int) -> bool:
    """An exercise word or name shortly before ("The first was held …")."""
    start = max(0, at - _HELD_REACH)
    if any(start <= s < at for s, _ in index.signals["exercise"]):
        return True
    return bool(index.names_in(start, at))


def _is_negated(folded: str, start: int, end: int) -> bool:
    window = folded[start:end]
    if not any(word in window for word in ("not", "never", "without", "n't")):
        return False  # the common case, without a regex
    return _NEGATED.search(folded, start, end) is not None


def _family(signal: str) -> str:
    if signal == "held":
        return "exercise"
    return "activity" if signal in ("activity", "movement") else signal


def find_anchors(index: DocIndex, start: int, end: int) -> list[Anchor]:
    """Signals and names in a clause; neighbours that describe one thing become one anchor."""
    anchors: list[Anchor] = []
    for s, e, signal in index.signals_in(start, end):
        if any(a.start < e and s < a.end for a in anchors):
            continue
        if signal == "incident" and _NEGATION.search(index.forms.folded, start, s):
            continue  # "no airspace was violated", "without violating anyone's airspace"
        if signal == "held" and not _exercise_before(index, s):
            continue  # "rallies are held": only an exercise named just before is "held"
        if signal == "movement" and index.forms.folded.endswith(("forward-", "forward "), 0, s):
            continue  # "the Navy's only forward-deployed carrier": where it is kept, no move
        if signal in _NEEDS_ASSET and not index.any_asset(
            max(0, s - ASSET_LOOKBACK), min(end, e + ASSET_WINDOW)
        ):
            continue
        # "did not enter", "without entering": it stays an anchor, so it ends the one before.
        negated = _is_negated(index.forms.folded, max(start, s - 30), s)
        anchors.append(Anchor(s, e, family=_family(signal), negated=negated))
    for s, e, name in index.names_in(start, end):
        anchors.append(Anchor(s, e, family="exercise", name=name))
    anchors.sort(key=lambda a: a.start)
    return _join(index, anchors)


def _join(index: DocIndex, anchors: list[Anchor]) -> list[Anchor]:
    joined: list[Anchor] = []
    for anchor in anchors:
        previous = joined[-1] if joined else None
        if previous is not None and _belong_together(index, previous, anchor):
            previous.end = max(previous.end, anchor.end)
            previous.name = previous.name or anchor.name
            continue
        joined.append(anchor)
    return joined


def _belong_together(index: DocIndex, first: Anchor, second: Anchor) -> bool:
    """A name beside an exercise word, or two activity words with no place between them.

    "the drills covered the Taiwan Strait", "missiles launched from Fujian flew over Taiwan": a
    movement after an exercise or a launch is that exercise's or that missile's.
    """
    if first.negated or second.negated:
        return False
    if first.family in ("exercise", "missile") and second.family == "activity":
        between = index.mentions_in(first.end, second.start)
        if first.family == "missile":
            # "launched a missile off Sinpo, which travelled 500 km": where it left is no stop.
            between = [m for m in between if not launch_site(index, first.start, m)]
        return not between
    if first.family != second.family:
        return False
    if first.name and second.name:
        return False
    gap = index.forms.text[first.end : second.start]
    if first.name or second.name:
        return len(gap) <= _NAME_TRIGGER_GAP and not re.search(r"[.;]", gap)
    return not index.mentions_in(first.end, second.start)
