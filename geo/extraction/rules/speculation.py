"""Reported or not: the cue that makes an anchor speculation, a habit or a plan.

"could involve more exercises", "crews regularly fly", a "Future Scenario:" heading: kept apart,
never drawn. "The ministry said the navy would join": an announced plan, reported as fact.
"""

from __future__ import annotations

import re

from geo.extraction.context import DocIndex
from geo.extraction.rules.anchors import Anchor
from geo.extraction.text import lowercase_pattern

# A line titled like this ("Future Scenario:", "Potential Conflict Scenarios:") is speculation.
SPECULATIVE_HEADING = re.compile(
    r"scenario|future|outlook|forecast|potential|possible|prospect|assessment|remarks|"
    r"what to watch|what comes next|what could|looking ahead|implications",
    re.I,
)

# Right after the event word (matched there): "drills are expected to begin", "patrols will".
HYPOTHETICAL_AFTER = re.compile(
    # ("a joint patrol near Guam or Hawaii could come next": a few words, no punctuation, between)
    r"\W{0,3}(?:(?:\w+\W+){0,2}?|(?:[\w'’-]+\s+){3,5}?)"
    r"(?:(?:are|is) (?:expected|likely) to|will (?:likely|probably|possibly)|"
    r"could|might|may(?!\s+\d))\b",
    re.IGNORECASE,
)

_HYPOTHETICAL_AFTER = lowercase_pattern(HYPOTHETICAL_AFTER)
_HABIT_REACH = 25  # "Chinese ships sail there regularly"
# "Under the scenario, the forces are to repel a landing": an exercise's script, not speculation.
_EXERCISE_SCRIPT = re.compile(r"\b(?:under the|exercise|drill|training|the drills')\s+$")


def speculation_cue(
    index: DocIndex, clause_start: int, anchor: Anchor, heading: str | None
) -> str | None:
    """The cue that makes this anchor speculation, if any."""
    if heading and SPECULATIVE_HEADING.search(heading):
        return heading
    folded = index.forms.folded
    habitual = index.spans_in("habitual", clause_start, anchor.end + _HABIT_REACH)
    if habitual:
        start, end = habitual[-1]
        return folded[start:end]  # "regularly fly", "usually reports"
    reported = index.has("reported", clause_start, anchor.start)
    cues = [
        folded[start:end]
        for start, end in index.spans_in("hypothetical", clause_start, anchor.start)
        if not (reported and _is_plan(folded[start:end]))
        and not is_month(index, start, end)
        and not _EXERCISE_SCRIPT.search(folded, max(0, start - 20), start)
    ]
    if cues:
        return cues[-1]
    after = _HYPOTHETICAL_AFTER.match(folded, anchor.end, anchor.end + 40)
    if after and after.group(0).endswith("may") and is_month(index, after.end() - 3, after.end()):
        after = None  # "was held in May in the Mediterranean Sea"
    if after and not (reported and _is_plan(after.group(0))):
        return after.group(0).strip()
    return None


def is_month(index: DocIndex, start: int, end: int) -> bool:
    """ "in late May": the month, not the modal verb (which is lower case inside a sentence)."""
    return index.forms.text[start:end] == "May" and index.forms.text[start - 2 : start] != ". "


def _is_plan(cue: str) -> bool:
    """ "The ministry said the navy would join": an announced plan, reported as fact."""
    return bool(re.search(r"\b(?:would|will|is to|are to|plans? to|scheduled|set to)\b", cue, re.I))
