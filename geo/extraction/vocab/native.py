"""The vocabularies of Japanese, Chinese, Korean and Russian documents, read from data files.

Each language's words live in `geo/extraction/vocab/<lang>.json` (signals by family, assets,
actors, who reports, speculation cues, dates), so a reader of that language can review and extend
them without reading code. Japanese, Chinese and Korean terms match as substrings; a Russian word
written with a trailing `*` is a stem that takes any ending ("учени*": учения, учений, учениях).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from functools import cache
from pathlib import Path
from typing import Any

import orjson

from geo.extraction.text import fold

VOCAB_DIR = Path(__file__).parent
NEVER = re.compile(r"(?!)")
# The order a sentence's signals are claimed in: a launch or a scramble says more than "flew".
FAMILIES: tuple[str, ...] = (
    "missile", "scramble", "incident", "exercise", "patrol", "flight", "transit",
)


@dataclass(frozen=True)
class Term:
    """A term as the keyword scan takes it: its folded key, whether the key is a word's start
    (a stem), and the regex the rest of a multi-word term must match (None: the key alone)."""

    key: str
    prefix: bool
    phrase: re.Pattern[str] | None


def term(text: str, stems: bool) -> Term:
    """A vocabulary or gazetteer term ready for `geo.extraction.scan.KeywordIndex`."""
    words = fold(text).split()
    if not stems or "*" not in text:
        return Term(" ".join(words), False, None)
    first, rest = words[0], words[1:]
    prefix = first.endswith("*")
    key = first.rstrip("*")
    if not rest:
        return Term(key, prefix, None)
    lead = re.escape(key) + (r"\w*" if prefix else "")
    tail = "".join(
        r"\s+" + re.escape(w.rstrip("*")) + (r"\w*" if w.endswith("*") else r"(?!\w)")
        for w in rest
    )
    return Term(key, prefix, re.compile(lead + tail))


def _pattern(source: str | None) -> re.Pattern[str]:
    """A context regex of the data file; "^" is dropped, as `match(text, pos)` anchors at pos
    (and "^" would only ever match at the start of the whole text)."""
    return re.compile(source.removeprefix("^"), re.IGNORECASE) if source else NEVER


@dataclass(frozen=True)
class NativeVocab:
    """One language's vocabulary (see `geo/extraction/vocab/<lang>.json`)."""

    lang: str
    signals: dict[str, tuple[str, ...]]
    assets: dict[str, tuple[str, ...]]
    actors: dict[str, tuple[str, ...]]
    sources: tuple[str, ...]
    speculation: tuple[str, ...]
    joint: tuple[str, ...]
    reporter_after: re.Pattern[str]
    not_actor_after: re.Pattern[str]
    not_actor_before: re.Pattern[str]
    negation_after: re.Pattern[str]
    negation_before: re.Pattern[str]
    departure_after: re.Pattern[str]
    departure_before: re.Pattern[str]
    distance_after: re.Pattern[str]
    distance_before: re.Pattern[str]
    relative_years: dict[str, int]
    weekdays: tuple[tuple[str, ...], ...]
    months: tuple[str, ...]
    eras: dict[str, int]
    # Phrases that contain a signal but report nothing ("航行の自由": freedom of navigation).
    not_signals: tuple[str, ...] = ()
    # Japanese and Korean put "may" after the verb (…する可能性), Chinese and Russian before it.
    speculation_after_signal: bool = False
    # The headed sections of a ministry release ("3 場所", "2 日時"), by what they give.
    sections: dict[str, tuple[str, ...]] | None = None
    # Aircraft, ships and missiles by type, by owner ("Ту-95*": Russia): the owner acted when the
    # sentence names no country.
    owners: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Before a country that only reports ("по данным японского правительства").
    reporter_before: re.Pattern[str] = NEVER
    # Between a place and a larger one that only locates it ("полуострова Ното на острове Хонсю").
    locator_gap: re.Pattern[str] = NEVER
    # Before islands that only bound a passage ("между островами Хонсю и Хоккайдо").
    between_before: re.Pattern[str] = NEVER
    # After a place a missile was fired from ("황해북도 중화 일대에서 … 쐈다"): not where it flew.
    launch_site_after: re.Pattern[str] = NEVER
    # Marks that end a clause inside a sentence: Korean headlines join two reports with "…".
    clause_breaks: tuple[str, ...] = ()
    # Adverbs of habit ("регулярно выполняют полёты"): what is done as a rule is no one event.
    habitual: tuple[str, ...] = ()
    # A sentence that ends "…と発表した" / "…고 밝혔다" is a report: its topic ("韓国軍も",
    # "합참은") is who reported it.
    reported_end: re.Pattern[str] = NEVER
    # After a place a route passes by rather than leaves from ("从郁陵岛以北进入").
    route_after: re.Pattern[str] = NEVER
    # After who only saw it ("海上自衛隊が…測量艦を確認した"): an observer, marked as reporting.
    observer_after: re.Pattern[str] = NEVER
    observer_verbs: tuple[str, ...] = ()  # the verbs of `observer_after`, to look for first
    # After a place only headed for or bounding a passage ("南シナ海の方向へ", "台湾と…の間の"):
    # not where anything but a missile went.
    not_place_after: re.Pattern[str] = NEVER
    # After a launch that is part of a drill ("ミサイル発射を伴う訓練"): the drill is the event.
    accompanied_after: re.Pattern[str] = NEVER
    # Before a place the ships only called at on the way ("停靠堪察加半岛阿瓦恰湾补给").
    port_call_before: re.Pattern[str] = NEVER
    # A denied entry right before an airspace ("無人機未侵入日本領空"): nobody entered it.
    denied_entry_before: re.Pattern[str] = NEVER
    # Firings a drill practises ("演练…鱼雷发射、舰炮射击和导弹射击"): with a drill in the
    # sentence and no other launch word, the drill is the event.
    drill_fire: tuple[str, ...] = ()
    # After an island a drill is held on, not around ("北方領土で訓練"): a drill on land.
    on_land_after: re.Pattern[str] = NEVER
    # After a signal that is what someone condemned ("시험발사 등 도발을 강력히 규탄"): a mention.
    condemned_after: re.Pattern[str] = NEVER
    topic_after: re.Pattern[str] = NEVER
    # Around a base town the activity was over ("那覇上空", "над Владивостоком", "經基隆西南方
    # 上空"): the place, not where it came from.
    over_after: re.Pattern[str] = NEVER
    over_before: re.Pattern[str] = NEVER
    # A count of aircraft and one of ships ("共機23架次", "共艦6艘"): a tally of both.
    aircraft_tally: re.Pattern[str] = NEVER
    ship_tally: re.Pattern[str] = NEVER

    @property
    def stems(self) -> bool:
        """Whether words inflect (Russian): terms are stems matched from a word's start."""
        return self.lang == "ru"

    def all_terms(self) -> set[str]:
        """Every folded term, to keep a generated place name from shadowing vocabulary."""
        groups = [*self.signals.values(), *self.assets.values(), *self.actors.values()]
        return {term(t, self.stems).key for group in groups for t in group}


def _strings(value: Any, where: str, marks: bool = False) -> tuple[str, ...]:
    """A list of terms (`marks`: punctuation, which may be a full-width space)."""
    def ok(v: Any) -> bool:
        return isinstance(v, str) and bool(v if marks else v.strip())

    if not isinstance(value, list) or not all(ok(v) for v in value):
        raise ValueError(f"{where} must be a list of non-empty strings")
    return tuple(value)


# The context regexes of a data file, one per field of that name ("reporter_after", ...).
_PATTERN_FIELDS = tuple(f.name for f in fields(NativeVocab) if f.type == "re.Pattern[str]")


def _with_allied_forces(
    actors: dict[str, tuple[str, ...]], allied: dict[str, Any], lang: str
) -> dict[str, tuple[str, ...]]:
    """Each actor's terms plus the forces of the pairs it belongs to ("한미 해군" for both the
    United States and South Korea): longer than the "미 해군" inside, so they win the overlap."""
    heads = _strings(allied.get("heads", []), f"{lang}.allied_forces.heads")
    forces = _strings(allied.get("forces", []), f"{lang}.allied_forces.forces")
    return {
        actor: terms
        + tuple(f"{head} {force}" for head in heads if head in terms for force in forces)
        for actor, terms in actors.items()
    }


@cache
def native_vocab(lang: str) -> NativeVocab:
    """The vocabulary of a language, read once per process (KeyError: no such language)."""
    path = VOCAB_DIR / f"{lang}.json"
    if not path.exists():
        raise KeyError(lang)
    data = orjson.loads(path.read_bytes())
    signals = {f: _strings(data["signals"].get(f, []), f"{lang}.signals.{f}") for f in FAMILIES}
    return NativeVocab(
        lang=lang,
        signals=signals,
        assets={k: _strings(v, f"{lang}.assets.{k}") for k, v in data["assets"].items()},
        actors=_with_allied_forces(
            {k: _strings(v, f"{lang}.actors.{k}") for k, v in data["actors"].items()},
            data.get("allied_forces", {}),
            lang,
        ),
        sources=_strings(data.get("sources", []), f"{lang}.sources"),
        speculation=_strings(data.get("speculation", []), f"{lang}.speculation"),
        joint=_strings(data.get("joint", []), f"{lang}.joint"),
        relative_years={str(k): int(v) for k, v in data.get("relative_years", {}).items()},
        weekdays=tuple(tuple(day) for day in data.get("weekdays", [])),
        months=tuple(data.get("months", [])),
        eras={str(k): int(v) for k, v in data.get("eras", {}).items()},
        not_signals=_strings(data.get("not_signals", []), f"{lang}.not_signals"),
        speculation_after_signal=bool(data.get("speculation_after_signal", False)),
        sections={
            k: _strings(v, f"{lang}.sections.{k}") for k, v in data.get("sections", {}).items()
        },
        owners={k: _strings(v, f"{lang}.owners.{k}") for k, v in data.get("owners", {}).items()},
        clause_breaks=_strings(data.get("clause_breaks", []), f"{lang}.clause_breaks", marks=True),
        habitual=_strings(data.get("habitual", []), f"{lang}.habitual"),
        drill_fire=_strings(data.get("drill_fire", []), f"{lang}.drill_fire"),
        observer_verbs=_strings(data.get("observer_verbs", []), f"{lang}.observer_verbs"),
        **{name: _pattern(data.get(name)) for name in _PATTERN_FIELDS},
    )
