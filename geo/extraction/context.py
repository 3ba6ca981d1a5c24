"""What the clause rules of `geo.extraction.pipeline` look up by offset, found once per document.

One keyword pass (`geo.extraction.scan`) finds the signals of activity, the vocabularies that
decide an event's kind (`geo.extraction.vocab.lexicon`) and the actors
(`geo.extraction.rules.actors`); the exercise-name regex runs only around a year or a known
exercise name, not over the whole text.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from geo.domain.model import ACTORS, Mention
from geo.extraction.rules.actors import ActorMention, actors_from_hits, add_actor_keywords
from geo.extraction.scan import Hit, KeywordIndex, leftmost_longest
from geo.extraction.text import TextForms, fold
from geo.extraction.vocab.lexicon import (
    AIR_ASSET_KEYWORDS,
    BACKGROUND_KEYWORDS,
    BALLOON_KEYWORDS,
    BOMBER_FLIGHT_KEYWORDS,
    BOMBER_KEYWORDS,
    BYSTANDER_KEYWORDS,
    EXERCISE_ALIASES,
    EXERCISE_STEMS,
    GROUND_KEYWORDS,
    HABITUAL_KEYWORDS,
    HYPOTHETICAL_KEYWORDS,
    NAVAL_ASSET_KEYWORDS,
    NAVAL_CONTEXT_KEYWORDS,
    PATROL_KEYWORDS,
    REPORTED_KEYWORDS,
    REPORTER_BEFORE_KEYWORDS,
    RESPONDER_KEYWORDS,
    SIGNALS,
    TARGET_KEYWORDS,
    YEARED_STEMS,
    Keywords,
)
from geo.gazetteer.places import Gazetteer


def _alternation(stems: tuple[str, ...]) -> str:
    return "|".join(re.escape(stem) for stem in sorted(stems, key=len, reverse=True))



# Exercise names: a code word and a year ("Ocean-2024", "Northern/Interaction-2023"), or a known
# stem with its year written with a space ("Joint Sea 2022").
EXERCISE_NAME = re.compile(
    r"(?<![\w-])((?:[A-Z][A-Za-z]+[ /])?[A-Z][A-Za-z]+-(?:19|20)\d\d[A-Z]?)(?![\w-])"
    rf"|(?<![\w-])(?:{_alternation(YEARED_STEMS)})[- ](?:19|20)\d\d[A-Z]?(?![\w-])"
    # "the Joint Sword exercise around Taiwan": a capitalised name before the word for a drill.
    rf"|(?<![\w-])(?:{_alternation(YEARED_STEMS)})"
    r"(?=\s+(?:exercises?|drills?|war\s*games|maneuvers|manoeuvres)\b)"
    # "Keen Sword 23": a known name may take a two-digit year too.
    rf"|(?<![\w-])(?:{_alternation(EXERCISE_STEMS)})(?:[- ](?:(?:19|20)\d\d|\d\d))?(?![\w-])"
)

# Words that look like names but are not ("Sino-Japanese", "COVID-2019" is not in scope either).
NOT_NAMES = re.compile(
    r"^(?:Sino|Japan|Korea|US|Post|Pre|Anti|Mid|Fiscal|Vision)[ /-]", re.IGNORECASE
)

Span = tuple[int, int]

_NAME_LEAD_WORDS = frozenset(
    "the in during at for a an its this last and of as with after before from like".split()  # noqa: SIM905
)
_YEAR = re.compile(r"(?:19|20)\d\d")
_NAME_REACH = 60  # characters before a year that an exercise name can span
# Vocabularies looked up by offset: assets near an event, what tells its kind, and the words a
# context rule needs (a rule's regex runs only where its first word was found).
VOCABULARIES: dict[str, tuple[Keywords, ...]] = {
    "air": AIR_ASSET_KEYWORDS,
    "naval": NAVAL_ASSET_KEYWORDS,
    "bomber": BOMBER_KEYWORDS,
    "bomber_flight": BOMBER_FLIGHT_KEYWORDS,
    "balloon": BALLOON_KEYWORDS,
    "patrol_word": PATROL_KEYWORDS,
    "naval_context": NAVAL_CONTEXT_KEYWORDS,
    "ground": GROUND_KEYWORDS,
    "background": BACKGROUND_KEYWORDS,
    "hypothetical": HYPOTHETICAL_KEYWORDS,
    "habitual": HABITUAL_KEYWORDS,
    "reported": REPORTED_KEYWORDS,
    "reporter_before": REPORTER_BEFORE_KEYWORDS,
    "bystander": BYSTANDER_KEYWORDS,
    "responder": RESPONDER_KEYWORDS,
    "target": TARGET_KEYWORDS,
}


def _keywords() -> KeywordIndex:
    keywords = KeywordIndex()
    for table, group in [*SIGNALS, *VOCABULARIES.items()]:
        for entry in group:
            for word in entry.words:
                keywords.add(table, word, entry)
            for prefix in entry.prefixes:
                keywords.add(table, prefix, entry, prefix=True)
    for stem in EXERCISE_STEMS + YEARED_STEMS:
        keywords.add("exercise_stem", fold(stem))
    add_actor_keywords(keywords)
    return keywords


_KEYWORDS = _keywords()
_FAMILY_RANK = {family: rank for rank, (family, _) in enumerate(SIGNALS)}


def _spans(hits: list[Hit], folded: str) -> list[Span]:
    """Hits whose keyword needs a tail keep it; the rest span their word. As a regex scan would."""
    kept = []
    for hit in hits:
        start, _, entry = hit
        if entry.phrase is None:
            kept.append(hit)
            continue
        match = entry.phrase.match(folded, start)
        if match is not None:
            kept.append((start, match.end(), entry))
    return [(start, end) for start, end, _ in leftmost_longest(kept)]


def _outside(spans: list[Span], others: list[Span]) -> list[Span]:
    """The spans that do not lie within one of `others`."""
    starts = [start for start, _ in others]
    kept = []
    for start, end in spans:
        i = bisect_right(starts, start) - 1
        if i < 0 or end > others[i][1]:
            kept.append((start, end))
    return kept


def _not_a_target(spans: list[Span], forms: TextForms) -> list[Span]:
    """ "anti-ship cruise missiles", "anti-aircraft guns": the craft a weapon is for is not
    one that was there."""
    folded = forms.folded
    return [(s, e) for s, e in spans if not folded.endswith(("anti-", "anti "), 0, s)]


def _clean_name(raw: str) -> str | None:
    """ "the Vostok 2022" → "Vostok-2022"; None for words that only look like names."""
    words = raw.split(" ")
    if len(words) > 1 and words[0].lower() in _NAME_LEAD_WORDS:
        raw = " ".join(words[1:])
    if NOT_NAMES.match(raw):
        return None
    # One spelling per exercise: "Joint Sea 2022" and "Joint Sea-2022" are the same name.
    name = re.sub(r" ((?:19|20)\d\d)$", r"-\1", raw)
    for alias, canonical in EXERCISE_ALIASES.items():
        if name.startswith(alias):
            return canonical + name[len(alias) :]
    return name


def _word_end(text: str, at: int) -> int:
    r"""The end of the word at `at`: a window cut inside a word would let "(?![\w-])" pass."""
    while at < len(text) and (text[at].isalnum() or text[at] in "-_"):
        at += 1
    return at


def _exercise_names(text: str, stems: list[Hit]) -> list[tuple[int, int, str]]:
    """Exercise names: the regex runs only in a window that ends at a year or starts at a stem."""
    # "Ocean-2024": a code word joined to its year; a year after a space ("Vostok 2022") names
    # an exercise only behind a known stem, which has a window of its own.
    windows = [
        (m.start() - _NAME_REACH, m.end())
        for m in _YEAR.finditer(text)
        if text[m.start() - 1] == "-"
    ]
    windows += [
        (start, end + 6) for start, end, _ in stems
    ]  # "Vostok", "Vostok 2022", "Vostok-2022A"
    found: dict[Span, str] = {}
    for start, end in windows:
        for match in EXERCISE_NAME.finditer(text, max(0, start), _word_end(text, end)):
            found[match.span()] = match.group(0)
    names = []
    last_end = -1
    for (start, end), raw in sorted(found.items(), key=lambda item: (item[0][0], -item[0][1])):
        if start < last_end:
            continue
        last_end = end
        name = _clean_name(raw)
        if name is not None:
            names.append((end - len(name), end, name))
    return names


@dataclass
class DocIndex:
    """One document's text forms and place mentions, with its signals, vocabulary, actors, names."""

    forms: TextForms
    mentions: list[Mention]
    gazetteer: Gazetteer
    actors: list[ActorMention]
    signals: dict[str, list[Span]]  # by family
    vocabulary: dict[str, list[Span]]  # by table of VOCABULARIES
    names: list[tuple[int, int, str]]
    mention_starts: list[int] = field(init=False)
    actor_starts: list[int] = field(init=False)
    signal_list: list[tuple[int, int, str]] = field(init=False)  # all families, by start
    signal_starts: list[int] = field(init=False)
    vocabulary_starts: dict[str, list[int]] = field(init=False)
    name_starts: list[int] = field(init=False)
    anchor_starts: list[int] = field(init=False)

    def __post_init__(self) -> None:
        self.mention_starts = [m.start for m in self.mentions]
        self.actor_starts = [a.start for a in self.actors]
        self.signal_list = sorted(
            (s, e, family) for family, spans in self.signals.items() for s, e in spans
        )
        self.signal_starts = [s for s, _, _ in self.signal_list]
        self.vocabulary_starts = {t: [s for s, _ in spans] for t, spans in self.vocabulary.items()}
        self.name_starts = [s for s, _, _ in self.names]
        self.anchor_starts = sorted(self.signal_starts + self.name_starts)

    @classmethod
    def build(cls, forms: TextForms, mentions: list[Mention], gazetteer: Gazetteer) -> DocIndex:
        found = _KEYWORDS.scan(forms.folded, forms.blank)
        mention_starts = [m.start for m in mentions]

        def in_place_name(actor: ActorMention) -> bool:
            """ "Sea of Japan", "Taiwan Island", "Japanese airspace" name a place, not an actor;
            "Japan" or "Taiwan" alone may be either."""
            i = bisect_right(mention_starts, actor.start) - 1
            if i < 0 or actor.start >= mentions[i].end:
                return False
            mention, place = mentions[i], gazetteer[mentions[i].place_id]
            longer_name = mention.end - mention.start > actor.end - actor.start
            return longer_name or not (place.kind == "country" or place.name in ACTORS)

        actors = actors_from_hits(found["actor"], forms)
        vocabulary = {table: _spans(found[table], forms.folded) for table in VOCABULARIES}
        # "aircraft carrier" names a ship, not an aircraft; "missile carrier" (a Tu-95MS) is
        # an aircraft, not a ship.
        naval = _outside(vocabulary["naval"], vocabulary["air"])
        vocabulary["air"] = _not_a_target(_outside(vocabulary["air"], vocabulary["naval"]), forms)
        vocabulary["naval"] = _not_a_target(naval, forms)
        return cls(
            forms=forms,
            mentions=mentions,
            gazetteer=gazetteer,
            actors=[a for a in actors if not in_place_name(a)],
            signals={family: _spans(found[family], forms.folded) for family, _ in SIGNALS},
            vocabulary=vocabulary,
            names=_exercise_names(forms.text, found["exercise_stem"]),
        )

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        """Place mentions that start in [start, end)."""
        starts = self.mention_starts
        return self.mentions[bisect_left(starts, start) : bisect_left(starts, end)]

    def actors_in(self, start: int, end: int) -> list[ActorMention]:
        """Actor mentions inside [start, end)."""
        lo, hi = bisect_left(self.actor_starts, start), bisect_left(self.actor_starts, end)
        return [a for a in self.actors[lo:hi] if a.end <= end]

    def signals_in(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """Signals inside [start, end) as (start, end, family), the strongest family first."""
        lo = bisect_left(self.signal_starts, start)
        hi = bisect_left(self.signal_starts, end)
        inside = [s for s in self.signal_list[lo:hi] if s[1] <= end]
        inside.sort(key=lambda s: _FAMILY_RANK[s[2]])
        return inside

    def names_in(self, start: int, end: int) -> list[tuple[int, int, str]]:
        lo, hi = bisect_left(self.name_starts, start), bisect_left(self.name_starts, end)
        return [n for n in self.names[lo:hi] if n[1] <= end]

    def has_anchor(self, start: int, end: int) -> bool:
        """Whether a signal or an exercise name starts in [start, end)."""
        return bisect_left(self.anchor_starts, start) < bisect_left(self.anchor_starts, end)

    def spans_in(self, table: str, start: int, end: int) -> list[Span]:
        """The words of a vocabulary that lie inside [start, end)."""
        starts = self.vocabulary_starts[table]
        spans = self.vocabulary[table][bisect_left(starts, start) : bisect_left(starts, end)]
        return [span for span in spans if span[1] <= end]

    def has(self, table: str, start: int, end: int) -> bool:
        """Whether a word of a vocabulary lies inside [start, end)."""
        starts = self.vocabulary_starts[table]
        spans = self.vocabulary[table]
        return any(
            e <= end for _, e in spans[bisect_left(starts, start) : bisect_left(starts, end)]
        )

    def any_asset(self, start: int, end: int) -> bool:
        """Whether an aircraft or a ship is named starting in [start, end)."""
        return any(
            bisect_left(starts, start) < bisect_left(starts, end)
            for starts in (self.vocabulary_starts["air"], self.vocabulary_starts["naval"])
        )

    def nearest(self, table: str, start: int, end: int, at: int) -> int | None:
        """Distance from `at` to the nearest word of a vocabulary starting in [start, end)."""
        starts = self.vocabulary_starts[table]
        inside = starts[bisect_left(starts, start) : bisect_left(starts, end)]
        return min((abs(p - at) for p in inside), default=None)
