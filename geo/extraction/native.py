"""Events in Japanese, Chinese, Korean and Russian documents, with the same fields as English.

Per sentence (split at 。！？ as well as at full stops): the signals of activity in it
(`geo/extraction/vocab/<lang>.json`), the places it names (`geo.gazetteer.native`), who acted
(actor terms that are not the reporter, the place or the target), when
(`geo.extraction.rules.native_time`) and the kind, from the signal and the aircraft or ships
named. Speculation is kept apart and never drawn. Everything is looked up in one keyword pass per
document; place and actor names come out canonical and English, so the layers are the same
whatever the language; the evidence stays in the document's own words.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

from geo.domain.model import Document, DocumentMeta, Event, Evidence, Mention
from geo.extraction.merge import fold_aircraft_into_bomber_flights, merge_within_document
from geo.extraction.native_scan import TermIndex, longest_first
from geo.extraction.rules.actors import ASSET_OWNERS, ordered_unique
from geo.extraction.rules.native_time import resolve
from geo.extraction.rules.tallies import SENTENCES_AFTER, compared_totals
from geo.extraction.scan import Hit
from geo.extraction.text import Sentence, TextForms, split_sentences
from geo.extraction.vocab.lexicon import ALLIED_ACTORS, SCRAMBLE_ZONES
from geo.extraction.vocab.native import FAMILIES, NEVER, NativeVocab, native_vocab
from geo.gazetteer.native import native_matcher
from geo.gazetteer.places import Gazetteer

if TYPE_CHECKING:
    from geo.extraction.pipeline import Extraction

# Who scrambles when a Japanese or Korean text does not say: its own air force.
_HOME_AIR_FORCE = {"ja": "Japan", "ko": "South Korea"}
_ACTIVITY = ("patrol", "flight", "transit")
_AT_SEA = ("sea", "strait", "island", "base")
_SEMICOLON = re.compile("[;；]")
_PAUSE = re.compile("[,，、;；:：。.!?！？]")
_BETWEEN_AFTER = re.compile(r"(?:と|与|與|和)[^、。，]{1,12}?(?:の間|之[间間])")
_BETWEEN_END = re.compile(r"の間|之[间間]")
_AND_BEFORE = re.compile(r"[と与與和]")
_WATER = ("sea", "strait", "airspace")
_NAME = re.compile(
    r"[「『“\"«]\s*([^\s「」『』“”\"«»。，、,]{1,24}?[-—－–‐―·・]?(?:19|20)\d\d[A-ZＡ-Ｚ]?)\s*[」』”\"»]"
)
_NAME_YEAR = re.compile(r"(?:19|20)\d\d")
_CONTEXT = 12  # characters looked at around a term by the reporter and place rules


@dataclass(frozen=True)
class _Compiled:
    vocab: NativeVocab
    terms: TermIndex


@cache
def _compiled(lang: str) -> _Compiled:
    """One language's vocabulary as one keyword index, built once per process."""
    vocab = native_vocab(lang)
    terms = TermIndex(vocab.stems)
    for family, words in vocab.signals.items():
        for word in words:
            terms.add("signal", word, family)
    for word in vocab.not_signals:
        terms.add("signal", word, None)  # longer than the signal inside it: it wins, then goes
    for table, words in vocab.assets.items():
        for word in words:
            terms.add(table, word)
    actors_of: dict[str, list[str]] = {}
    for actor, words in vocab.actors.items():
        for word in words:
            actors_of.setdefault(word, []).append(actor)
    for word, actors in actors_of.items():
        terms.add("actor", word, tuple(actors))
    for word in vocab.sources:
        terms.add("actor", word, ())  # a ministry or an agency: it reports, it is nobody
    # Aircraft, ships and missiles named by type ("Ту-95МС", "H-6K", "화성-18형") name their owner.
    for actor, words in (*vocab.owners.items(), *ASSET_OWNERS.items()):
        for word in words:
            terms.add("owner", word, (actor,))
    for word in vocab.speculation:
        terms.add("speculation", word)
    for word in vocab.joint:
        terms.add("joint", word)
    for word in vocab.habitual:
        terms.add("habitual", word)
    return _Compiled(vocab, terms)


@dataclass
class _Doc:
    """One document's hits, by start, for lookups by sentence."""

    forms: TextForms
    vocab: NativeVocab
    gazetteer: Gazetteer
    mentions: list[Mention]
    tables: dict[str, list[Hit]]
    signals: list[Hit] = field(default_factory=list)
    actors: list[Hit] = field(default_factory=list)
    starts: dict[str, list[int]] = field(default_factory=dict)

    def index(self, signals: list[Hit], actors: list[Hit]) -> None:
        """Keep the signals and actors that count, and every table's starts for lookups."""
        self.signals, self.actors = sorted(signals), sorted(actors)
        for name in ("signals", "actors"):
            self.starts[name] = [h[0] for h in getattr(self, name)]
        for name, hits in self.tables.items():
            hits.sort()
            self.starts[name] = [h[0] for h in hits]
        self.starts["mentions"] = [m.start for m in self.mentions]

    def _in(self, name: str, items: list, start: int, end: int) -> list:
        starts = self.starts[name]
        return items[bisect_left(starts, start) : bisect_left(starts, end)]

    def signals_in(self, s: Sentence) -> list[Hit]:
        return self._in("signals", self.signals, s.start, s.end)

    def actors_in(self, s: Sentence) -> list[Hit]:
        return self._in("actors", self.actors, s.start, s.end)

    def mentions_in(self, s: Sentence) -> list[Mention]:
        return self.mentions_between(s.start, s.end)

    def mentions_between(self, start: int, end: int) -> list[Mention]:
        """The place mentions that start in [start, end)."""
        return self._in("mentions", self.mentions, start, end)

    def hits_in(self, table: str, start: int, end: int) -> list[Hit]:
        """The hits of an asset table in [start, end)."""
        if table not in self.starts:
            return []
        return self._in(table, self.tables[table], start, end)

    def has(self, table: str, start: int, end: int) -> bool:
        """Whether a term of `table` starts in [start, end) (asked many times per sentence)."""
        starts = self.starts.get(table)
        if not starts:
            return False
        first = bisect_left(starts, start)
        return first < len(starts) and starts[first] < end


def _after(doc: _Doc, pattern: re.Pattern[str], end: int, reach: int = 40) -> bool:
    return pattern is not NEVER and pattern.match(doc.forms.folded, end, end + reach) is not None


def _before(doc: _Doc, pattern: re.Pattern[str], start: int, reach: int = _CONTEXT) -> bool:
    if pattern is NEVER:
        return False
    return pattern.search(doc.forms.folded[max(0, start - reach) : start]) is not None


_UNIT_REACH = 16


def _not_in_units(mentions: list[Mention], actor_hits: list[Hit]) -> list[Mention]:
    """Place names inside a longer actor's name are no places: the Pacific Fleet
    ("太平洋艦隊", "태평양함대", "Тихоокеанский флот") and the East Sea Fleet ("东海舰队") name
    units, not where they were."""
    if not actor_hits:
        return mentions
    units = sorted((s, e) for s, e, actors in actor_hits if actors)
    starts = [s for s, _ in units]
    kept = []
    for mention in mentions:
        i = bisect_right(starts, mention.start) - 1
        inside = False
        # The actor names that start at most _UNIT_REACH characters before the place, nearest
        # first: a unit's name holds its place name near its start.
        while i >= 0 and not inside:
            start, end = units[i]
            inside = end >= mention.end and end - start > mention.end - mention.start
            i = i - 1 if start >= mention.start - _UNIT_REACH else -1
        if not inside:
            kept.append(mention)
    return kept


def _signals(doc: _Doc, hits: list[Hit]) -> list[Hit]:
    """The signals that report something (not "領空侵犯はなかった", "未侵犯", nor what someone
    condemned: "도발을 강력히 규탄")."""
    vocab = doc.vocab
    return [
        hit
        for hit in longest_first(hits)
        if hit[2] is not None
        and not _after(doc, vocab.negation_after, hit[1], reach=90)
        and not _after(doc, vocab.condemned_after, hit[1], reach=40)
        and not _before(doc, vocab.negation_before, hit[0])
    ]


def _actors(doc: _Doc, hits: list[Hit], owners: list[Hit], mentions: list[Mention]) -> list[Hit]:
    """Actor terms that may name who acted: not a place ("日本海", "Японского моря"), not a target
    ("日本に対し"); each marked if it names who reported ("韓国軍合同参謀本部によると",
    "Министерство обороны Японии заявило") and if it is only an aircraft's or ship's type."""
    vocab = doc.vocab
    text = doc.forms.text
    starts = [m.start for m in mentions]
    taken = longest_first([*hits, *((s, e, _Type(a)) for s, e, a in _standalone(doc, owners))])
    source_ends = {end for _, end, actors in taken if actors == ()}
    # Whether anyone in the text only saw something ("…を確認した"): one search, not one per actor.
    observed = any(verb in doc.forms.folded for verb in vocab.observer_verbs)
    kept = []
    for start, end, actors in taken:
        if not actors:
            continue
        owner = isinstance(actors, _Type)
        named = actors.owners if owner else actors
        i = bisect_right(starts, start) - 1
        if i >= 0 and end <= mentions[i].end:
            place = doc.gazetteer[mentions[i].place_id]
            longer = mentions[i].end - mentions[i].start > end - start
            if longer or place.kind != "country":
                continue
        if _after(doc, vocab.not_actor_after, end) or _before(doc, vocab.not_actor_before, start):
            continue
        # "Минобороны России сообщило": the country of the ministry that reports it.
        after_source = bool(source_ends) and any(
            e in source_ends and not text[e:start].strip()
            for e in range(max(0, start - 2), start + 1)
        )
        reporter = (
            after_source
            or _after(doc, vocab.reporter_after, end)
            or _before(doc, vocab.reporter_before, start, reach=24)
            or (observed and _observes(doc, end, taken))
            # "по данным японского правительства и южнокорейских военных": both report.
            or bool(kept and kept[-1][2][1] and _COORDINATED.fullmatch(text, kept[-1][1], start))
        )
        if kept and kept[-1][1] == start and set(kept[-1][2][0]).isdisjoint(named) and not owner:
            continue  # "美日海军": the navy of the countries just named, not the default's
        kept.append((start, end, (named, reporter, owner)))
    return kept


_COORDINATED = re.compile(r"\s*\S{0,16}\s+(?:и|и\s+\S+)\s+|[・、と及和与與]|\s*(?:과|와)\s")


class _Type(NamedTuple):
    """An aircraft's, ship's or missile's type among the actor hits: it names its owners."""

    owners: tuple[str, ...]


def _standalone(doc: _Doc, owners: list[Hit]) -> list[Hit]:
    """Type names that stand alone: "H-6" is not the start of "H-60", "B-1" not of "AB-1"."""
    text = doc.forms.text
    return [
        hit
        for hit in owners
        if not (hit[1] < len(text) and text[hit[1]].isdigit() and text[hit[1] - 1].isdigit())
        and not (hit[0] > 0 and text[hit[0] - 1].isascii() and text[hit[0] - 1].isalnum())
    ]


# "沖縄県の", "冲绳县宫古岛", "朝鮮半島西側の黄海", "宮古島北東の太平洋"
_LOCATOR_GAP = re.compile(r"(?:[東西南北东][東西南北东]?(?:側|侧|部|方)?)?[のの・的 县縣県]?")
_DATELINE = re.compile(r"[】\]]|(?:[0-9０-９]{1,2}月)?[0-9０-９]{1,2}日(?:專|专)?[电電]")
_IN_DATELINE = re.compile(r"[^【】\[\]\n。]{0,6}[】\]]")  # "【東京時事】", "[서울=연합뉴스]"


def _places(doc: _Doc, mentions: list[Mention]) -> list[Mention]:
    """Where the activity was: not where it left from, not a distance's reference point, not a
    country (a country names an actor), not a base unless it was over it (a base is where it
    came from), not a dateline ("【東京】"), and not a region that only locates the next place
    ("北海道の渡島大島")."""
    vocab = doc.vocab
    text = doc.forms.text
    kept = []
    for position, mention in enumerate(mentions):
        place = doc.gazetteer[mention.place_id]
        if place.kind == "country":
            continue
        if place.kind == "base" and not (
            _after(doc, vocab.over_after, mention.end, reach=12)
            or _before(doc, vocab.over_before, mention.start, reach=12)
        ):
            continue
        if _DATELINE.match(text, mention.end) or _IN_DATELINE.match(text, mention.end):
            continue
        if place.kind in ("region", "island") and _before(
            doc, vocab.between_before, mention.start, reach=40
        ):
            continue
        previous = mentions[position - 1] if position else None
        if (
            previous is not None
            and place.kind in ("region", "island")
            and vocab.locator_gap.fullmatch(text, previous.end, mention.start)
        ):
            continue
        following = mentions[position + 1] if position + 1 < len(mentions) else None
        if (
            following is not None
            and place.kind in ("region", "island")
            and _LOCATOR_GAP.fullmatch(text, mention.end, following.start)
        ):
            continue
        # "東シナ海から太平洋に出た" passed through both seas; "浙江から発射" left from land.
        water = place.kind in ("sea", "strait", "airspace")
        passed_by = _after(doc, vocab.route_after, mention.end, reach=4)
        if not water and not passed_by and (
            _after(doc, vocab.departure_after, mention.end)
            or _before(doc, vocab.departure_before, mention.start)
        ):
            continue
        if _after(doc, vocab.distance_after, mention.end) or _before(
            doc, vocab.distance_before, mention.start
        ):
            continue
        if _before(doc, vocab.port_call_before, mention.start, reach=12):
            continue  # "停靠堪察加半岛阿瓦恰湾补给": a port call on the way, not the activity
        if place.kind == "airspace" and (
            _after(doc, vocab.negation_after, mention.end, reach=12)
            or _before(doc, vocab.denied_entry_before, mention.start, reach=8)
        ):
            continue  # "領空侵犯はなく", "無人機未侵入日本領空": the airspace nobody entered
        kept.append(mention)
    return kept


def _kind(
    family: str,
    doc: _Doc,
    sentence: Sentence,
    places: list[str],
    actors: list[str],
    *,
    context: Sentence | None = None,
    ashore: bool = False,
    release: bool = False,
) -> str:
    """The event kind from the signal's family and the aircraft or ships the sentence names, or
    those of `context`, a sentence before it, for one that names none ("その後、…日本海に
    抜けた"); `ashore`: the drill is held on an island ("北方領土で"); `release`: `sentence` is a
    whole ministry release, whose troops need not be the drill's."""
    start, end = sentence.start, sentence.end
    if family == "missile":
        shells = doc.has("artillery", start, end) and not doc.has("missile", start, end)
        return "other" if shells else "missile_launch"  # "포탄을 쐈다": guns, not missiles
    if family == "scramble":
        return "scramble"
    if doc.has("balloon", start, end) and not doc.has("bomber", start, end):
        return "other"  # a balloon drifting over is an incident, not a patrol
    if family == "incident":
        # "測量艦が領海に侵入": a ship in territorial waters is at sea; an aircraft is not.
        ship = doc.has("naval", start, end) and doc.has("waters", start, end)
        aircraft = doc.has("air", start, end) or doc.has("bomber", start, end)
        return "naval_patrol" if ship and not aircraft else "other"
    crafts = context if context is not None and family in _ACTIVITY else sentence
    bomber = doc.has("bomber", crafts.start, crafts.end)
    naval = doc.has("naval", crafts.start, crafts.end)
    # Ships with their own helicopters or carrier aircraft ("舰载直升机", "艦載機") are at sea.
    air = bomber or (
        doc.has("air", crafts.start, crafts.end)
        and not (naval and _only_shipborne(doc, crafts))
    )
    kinds = {doc.gazetteer[p].kind for p in places}
    troops = not release and doc.has("ground", start, end)
    if family == "exercise" and not naval and (ashore or troops):
        return "other"  # on an island, or troops and guns and no ship: a drill on land
    if family == "exercise" and (naval or not air):
        return "naval_exercise" if naval or kinds & set(_AT_SEA) else "other"
    if naval and (not air or family == "transit"):
        return "naval_patrol"
    if not air and family == "transit":
        return "naval_patrol"
    if bomber and actors:
        if set(actors) <= ALLIED_ACTORS:
            return "bomber_flight"
        joint = doc.has("joint", start, end) or family == "patrol"
        if len(actors) == 1 and "airspace" not in kinds and not joint:
            return "bomber_flight"
    return "air_patrol"


def _tallies_ships_too(doc: _Doc, sentence: Sentence) -> bool:
    """Whether the sentence counts both aircraft and ships ("偵獲共機23架次、共艦6艘")."""
    vocab, text = doc.vocab, sentence.text
    return bool(vocab.aircraft_tally.search(text)) and bool(vocab.ship_tally.search(text))


def _only_shipborne(doc: _Doc, sentence: Sentence) -> bool:
    """Whether every aircraft the sentence names is a ship's ("舰载直升机", "палубный вертолёт"):
    it flies from a ship named with it, so what the ships do is the event."""
    shipborne = doc.hits_in("shipborne", sentence.start, sentence.end)
    aircraft = doc.hits_in("air", sentence.start, sentence.end)
    return bool(shipborne) and all(
        any(mark[0] <= hit[0] <= mark[1] + 1 for mark in shipborne) for hit in aircraft
    )


_OBSERVER_REACH = 144
_CLAUSE_BREAK = re.compile(r"[，,；;]")


def _observes(doc: _Doc, end: int, hits: list[Hit]) -> bool:
    """Whether the actor ending at `end` only saw something ("國軍…全程掌握", "…を確認した"):
    not when another actor begins a clause of its own before the verb ("日本航空自衛隊派出戰機
    緊急升空，海上自衛隊驅逐艦則全程監視": the destroyer watched, the air force scrambled; but
    "东部战区…对美舰过航全程跟踪监视" watched the ship it names)."""
    pattern = doc.vocab.observer_after
    if pattern is NEVER:
        return False
    text = doc.forms.text
    match = pattern.match(doc.forms.folded, end, end + _OBSERVER_REACH)
    return match is not None and not any(
        end < start < match.end() and actors and _CLAUSE_BREAK.search(text, end, start)
        for start, _, actors in hits
    )



def _scramblers(doc: _Doc, actors: list[Hit], signal: Hit, lang: str) -> list[str]:
    """Who scrambled: the actor named last before the signal; else whose fighters the sentence
    names after it ("в воздух были подняты японские истребители"); else the home air force."""
    named = [a for a in actors if not a[2][1] and not a[2][2]]
    before = [a for a in named if a[1] <= signal[0]]
    if before:
        return list(before[-1][2][0][:1])
    after = [a for a in named if a[0] >= signal[1]]
    fighters = doc.tables.get("fighter", [])
    for actor in after:
        # "японские истребители", or "истребители Су-35С … Восточного военного округа".
        owns = any(signal[1] <= f[0] and 0 <= actor[0] - f[1] <= 60 for f in fighters)
        if owns or _flies(doc, actor, ("fighter",)):
            return list(actor[2][0][:1])
    home = _HOME_AIR_FORCE.get(lang)
    return [home] if home else []


# Between an owner and its aircraft: a particle, or a word or two ("российский противолодочный
# самолёт", "japanese and south korean fighters").
_OWNER_GAP = re.compile(r"[\s\-の的之]*(?:(?:и\s+)?[^\s。，、,.;]+\s+)?")


def _flies(doc: _Doc, actor: Hit, tables: tuple[str, ...] = ("air", "bomber")) -> bool:
    """Whether an aircraft follows the actor term closely: it names what it flew."""
    text = doc.forms.text
    for table in tables:
        hits = doc.tables.get(table, [])
        starts = doc.starts[table]
        for hit in hits[bisect_left(starts, actor[1]) : bisect_left(starts, actor[1] + 32)]:
            if _OWNER_GAP.fullmatch(text, actor[1], hit[0]):
                return True
    return False


def _doers(
    actor_hits: list[Hit], signal_end: int, excluded: list[str]
) -> tuple[list[str], list[str]]:
    """Who did it, and who only reported it. The subject comes before the verb in all four
    languages, so whoever is named before the signal acted; failing that, anyone named in the
    sentence but the scramblers (the genitive after a noun: "полёт российских
    бомбардировщиков"); and a type's owner when no country is named. The reporters act only
    when nobody else, here or in the sentences before, is named ("中国国防部称…巡航")."""

    def countries(hits: list[Hit]) -> list[str]:
        found = ordered_unique([a for _, _, (actors, _, _) in hits for a in actors])
        return [a for a in found if a not in excluded]

    named = [a for a in actor_hits if not a[2][2]]
    doing = [a for a in named if not a[2][1]]
    for group in (
        [a for a in doing if a[0] < signal_end],
        doing,
        [a for a in actor_hits if a[2][2]],
    ):
        found = countries(group)
        if found:
            return found, []
    reporting = [a for a in named if a[0] < signal_end] or named
    return [], countries(reporting)


_CRAFT_TABLES = ("naval", "air", "bomber", "fighter", "shipborne")
_CRAFT_REACH = 12  # characters from the craft to its verb ("美舰再闯台湾海峡", "美舰过航")


def _crew(doc: _Doc, actor_hits: list[Hit], signal_start: int) -> list[Hit] | None:
    """The countries whose craft makes the move, named with it right before the verb: in
    "中方已就美舰过航向美方表达关切" the ship is American and China only spoke of it. None when
    the nearest country before the verb owns no craft there, or when it is the only one named.
    Not for Russian, whose partners follow the verb ("F-35B США прошли вместе с японскими F-15")."""
    if len(actor_hits) < 2 or len({a for hit in actor_hits for a in hit[2][0]}) < 2:
        return None  # one country named: nothing to choose between
    text = doc.forms.text
    before = [a for a in actor_hits if a[1] <= signal_start and not a[2][1] and not a[2][2]]
    if not before or len(before) == len(actor_hits):
        return None
    last = before[-1]
    crafts = [
        hit
        for table in _CRAFT_TABLES
        for hit in doc.hits_in(table, last[0], last[1] + 3)
        if not _PAUSE.search(text, last[1], max(last[1], hit[0]))
    ]
    if not crafts:
        return None
    craft_end = max(hit[1] for hit in crafts)
    if signal_start - craft_end > _CRAFT_REACH or _PAUSE.search(text, craft_end, signal_start):
        return None
    group = [last]
    for hit in reversed(before[:-1]):
        if not _COORDINATED.fullmatch(text, hit[1], group[0][0]):
            break
        group.insert(0, hit)
    return group if len(group) < len(actor_hits) else None


def _confidence(explicit_actors: bool, has_places: bool, explicit_year: bool) -> float:
    score = 0.45 + (0.15 if explicit_actors else 0.0) + (0.1 if has_places else 0.0)
    return round(score + (0.05 if explicit_year else 0.0), 2)


def extract_native(document: Document, lang: str, gazetteer: Gazetteer) -> Extraction:
    """Place mentions and events of one document in `lang` (ja, zh, ko or ru)."""
    from geo.extraction.pipeline import Extraction  # the pipeline calls this module

    compiled = _compiled(lang)
    vocab = compiled.vocab
    text = document.text
    meta = document.meta
    forms = TextForms.of(text)
    mentions = native_matcher(gazetteer, lang).find(text, forms)
    found = compiled.terms.scan(forms)
    mentions = _not_in_units(mentions, found.get("actor", []))
    # Every asset table of the vocabulary ("air", "naval", "shipborne", ...), and the cues.
    tables = {t: found.get(t, []) for t in (*vocab.assets, "speculation", "joint", "habitual")}
    doc = _Doc(forms, vocab, gazetteer, mentions, tables)
    doc.index(
        _signals(doc, found.get("signal", [])),
        _actors(doc, found.get("actor", []), found.get("owner", []), mentions),
    )
    events: list[Event] = []
    incidents: set[int] = set()  # ids of the events incidents gave: merged only with each other
    speculative: list[Event] = []
    last_actors: list[str] = []
    last_year: int | None = None
    sentences = _clauses(split_sentences(text), vocab.clause_breaks)
    if doc.vocab.sections:
        release = _release_event(doc, document, sentences)
        if release is not None:
            events.append(release)
    missile_before = False
    tally: tuple[int, Event] | None = None  # the latest yearly count of scrambles
    last_craft: tuple[int, Sentence] | None = None  # the latest sentence naming a craft
    lede_year = _first_year(sentences, vocab, meta)
    for number, sentence in enumerate(sentences):
        # A sentence that names no craft goes on about the craft of the sentence or two before
        # ("中国爆撃機6機…　空自が緊急発進。防衛省によると、8機は…"), whoever it names ("海警船…
        # 驶入金门周边水域。这是大陆方面…常态化执法巡查以来规模较大的一次": the ships' patrol).
        names_craft = _names_craft(doc, sentence)
        recent = last_craft[1] if last_craft and number - last_craft[0] <= 2 else None
        craft_from = None if names_craft else recent
        if names_craft:
            last_craft = (number, sentence)
        signals = doc.signals_in(sentence)
        actor_hits = _topic_reports(doc, sentence, doc.actors_in(sentence))
        # "Над Хоккайдо она прошла…": a sentence naming no craft and nobody goes on about the
        # missile of the sentence before; its verbs of flight are the missile's.
        carried = missile_before and not actor_hits and not names_craft
        families = sorted({family for _, _, family in signals}, key=FAMILIES.index)
        if "missile" in families and not _fires_something(doc, sentence, missile_before):
            families.remove("missile")  # "공격헬기가 100여 발을 쐈다": a gun, not a launch
        launches = [(s, e) for s, e, f in signals if f == "missile"]
        drill_launches = (
            "missile" in families
            and "exercise" in families
            and (
                any(_after(doc, vocab.accompanied_after, e, reach=8) for _, e in launches)
                or all(doc.forms.text[s:e] in vocab.drill_fire for s, e in launches)
            )
        )
        if drill_launches:
            families.remove("missile")  # "ミサイル発射を伴う訓練": the drill, with its launches
        missile_before = carried or "missile" in families or _missile_flight(doc, sentence)
        if not signals and tally and number - tally[0] <= SENTENCES_AFTER and _yearly(sentence):
            # "…2021年度は1004回だった。前年度の725回から大きく増え…": the next sentence goes on.
            events.extend(compared_totals(tally[1], sentence, meta.doc_id, lang))
        if not signals or doc.has("habitual", sentence.start, sentence.end):
            continue
        for moving in ("flight", "transit"):
            # "舰载机起降训练，…共起降约20架次", "훈련 해역은 독도 주변을 넘어 울릉도 인근까지":
            # the sorties and the passages of a drill's sentence are the drill's.
            if "exercise" in families and moving in families and _moves_of_drill(
                doc, signals, moving
            ):
                families.remove(moving)
        if carried or "incident" in families:
            # "무인기 5대가 … 넘어와 영공을 침범했다": the flight is the violation itself.
            families = [f for f in families if f not in _ACTIVITY]
        if not drill_launches and ("missile" in families or _missile_flight(doc, sentence)):
            # "飛越臺北上空", "落入專屬經濟海域", "미사일은 … 비행했다": what the missiles did, not
            # another event.
            families = [f for f in families if f not in _ACTIVITY and f != "exercise"]
        places = _places(doc, doc.mentions_in(sentence))
        place_ids = ordered_unique([m.place_id for m in places])
        fired_from = {
            m.place_id
            for m in places
            if "missile" in families
            and doc.gazetteer[m.place_id].kind not in _WATER
            and _after(doc, vocab.launch_site_after, m.end, reach=24)
        }
        headed_for = {
            m.place_id
            for m in places
            if _after(doc, vocab.not_place_after, m.end) and not _between_seas(doc, m)
        }
        ashore = "exercise" in families and any(
            doc.gazetteer[m.place_id].kind in ("island", "region")
            and _after(doc, vocab.on_land_after, m.end, reach=4)
            for m in places
        )
        when = resolve(sentence.text, vocab, meta.published, meta.reference_year)
        name_match = _NAME.search(sentence.text)
        name = name_match.group(1) if name_match else None
        # A drill named in quotes without a year ('쌍룡훈련', «Восток»): named, so kept placeless.
        quoted = name or _quoted_exercise(doc, sentence, signals)
        year = when.year
        if name:
            year = int(_NAME_YEAR.findall(name)[-1])
        if year is None:
            year = last_year or lede_year or meta.reference_year
        elif when.explicit or name:
            last_year = year
        scramble_signal = next((s for s in signals if s[2] == "scramble"), None)
        scramblers = (
            _scramblers(doc, actor_hits, scramble_signal, lang) if scramble_signal else []
        )
        # The scramblers, and whose fighters met them, did not do what they met.
        scrambling = scramblers + [
            actor
            for hit in actor_hits
            if scramble_signal and hit[0] >= scramble_signal[1] and _flies(doc, hit, ("fighter",))
            for actor in hit[2][0]
        ]
        evidence = Evidence(meta.doc_id, sentence.text, sentence.start, sentence.end)
        for family in families:
            own = [hit for hit in signals if hit[2] == family]
            crew = (lang != "ru" and _crew(doc, actor_hits, own[-1][0])) or actor_hits
            doers, reporters = _doers(crew, own[-1][1], scrambling)
            # "Tu-95MS 전략폭격기와 중국 H-6K 폭격기": a bomber's owner flew it, named or not.
            doers += [a for a in _bomber_owners(doc, actor_hits) if doers and a not in doers]
            hypothetical = _speculative(doc, sentence, own)
            if family == "scramble":
                actors, explicit = scramblers, bool(actor_hits)
                ids = [p for p in place_ids if gazetteer[p].kind == "airspace"]
                if not actors:
                    continue
                zone = SCRAMBLE_ZONES.get(actors[0]) if len(actors) == 1 else None
                if not ids and zone in gazetteer.places and _yearly(sentence):
                    ids = [zone]
            else:
                actors, explicit = (doers, True) if doers else (list(last_actors), False)
                if not actors and reporters:
                    actors, explicit = reporters, True
                left_out = fired_from if family == "missile" else headed_for
                ids = [p for p in place_ids if p not in left_out]
                named_drill = family == "exercise" and quoted is not None
                if not ids and family in ("exercise", *_ACTIVITY) and not named_drill:
                    if doers:
                        last_actors = doers
                    continue
            event = Event(
                kind=_kind(family, doc, sentence, ids, actors, context=craft_from, ashore=ashore),
                name=name,
                year=year,
                actors=actors,
                place_ids=ids,
                evidence=[evidence],
                confidence=_confidence(explicit, bool(ids), when.explicit),
                date_start=when.start if when.year == year else None,
                date_end=when.end if when.year == year else None,
                doc_ids=[meta.doc_id],
            )
            if hypothetical:
                event.hypothetical = True
                speculative.append(event)
                continue
            events.append(event)
            if family == "scramble" and ids and _yearly(sentence):
                # "2021年度は1004回で、前年度の725回から…": each count compared with is that
                # year's total.
                tally = (number, event)
                events.extend(compared_totals(event, sentence, meta.doc_id, lang))
            if family == "incident":
                incidents.add(id(event))
            if event.kind == "air_patrol" and _tallies_ships_too(doc, sentence):
                # "共機23架次、共艦6艘在臺海周邊活動": a tally of sorties and of ships is two
                # activities, the aircraft's and the ships'.
                events.append(replace(
                    event, kind="naval_patrol", evidence=[evidence], doc_ids=[meta.doc_id]
                ))
            if actors and family != "scramble":
                last_actors = actors
    merged = merge_within_document(events, gazetteer, apart=incidents)
    return Extraction(
        document, mentions, fold_aircraft_into_bomber_flights(merged, gazetteer), speculative
    )


_NUMBERED = re.compile(r"^\s*(?:[0-9０-９]{1,2}|[一二三四五六七八九十]{1,2})\s*[.．、）)]?\s*")


def _sections(text: str, vocab: NativeVocab) -> dict[str, tuple[int, int]]:
    """The spans of a release's headed sections ("3 場所\n日本海上空"), by what they give."""
    heads = {head: role for role, names in (vocab.sections or {}).items() for head in names}
    found: dict[str, tuple[int, int]] = {}
    offset, role, start = 0, None, 0
    for line in [*text.split("\n"), "0 end"]:
        numbered = _NUMBERED.match(line)
        if numbered:
            if role is not None:
                found.setdefault(role, (start, offset))
            head = re.split(r"[\s：:]", line[numbered.end() :], maxsplit=1)[0]
            role = heads.get(head)
            start = offset + numbered.end() + len(head)
        offset += len(line) + 1
    return found


def _release_event(doc: _Doc, document: Document, sentences: list[Sentence]) -> Event | None:
    """A ministry release laid out in headed sections (目的, 日時, 場所, 参加部隊): one event from
    its title's signal, the places of its place section, the date of its time section and the
    forces of its forces section."""
    text = document.text
    spans = _sections(text, doc.vocab)
    if "place" not in spans or not ({"time", "activity", "forces"} & set(spans)):
        return None
    first_section = min(start for start, _ in spans.values())
    heads = [s for s in sentences if s.end <= first_section]
    title = next((s for s in heads if doc.signals_in(s)), heads[1] if len(heads) > 1 else None)
    if title is None:
        return None
    signals = doc.signals_in(title)
    family = signals[0][2] if signals else ("exercise" if "activity" in spans else None)
    if family is None:
        return None
    place_start, place_end = spans["place"]
    place_sentence = Sentence(text[place_start:place_end], place_start, place_end, None)
    places = _places(doc, doc.mentions_in(place_sentence))
    place_ids = ordered_unique([m.place_id for m in places])
    if not place_ids:
        return None
    forces = spans.get("forces", (title.start, title.end))
    actor_hits = [
        a for a in doc.actors if title.start <= a[0] < title.end or forces[0] <= a[0] < forces[1]
    ]
    actors = ordered_unique([a for _, _, (named, _, _) in actor_hits for a in named])
    meta = document.meta
    time_start, time_end = spans.get("time", (title.start, title.end))
    when = resolve(text[time_start:time_end], doc.vocab, meta.published, meta.reference_year)
    year = when.year or meta.reference_year
    whole = Sentence(text, 0, len(text), None)
    return Event(
        kind=_kind(family, doc, whole, place_ids, actors, release=True),
        name=None,
        year=year,
        actors=actors,
        place_ids=place_ids,
        evidence=[Evidence(meta.doc_id, title.text, title.start, title.end)],
        confidence=_confidence(bool(actors), True, when.explicit),
        date_start=when.start,
        date_end=when.end,
        doc_ids=[meta.doc_id],
    )


def _missile_flight(doc: _Doc, sentence: Sentence) -> bool:
    """A sentence about a missile and no aircraft or ship: its verbs of flight are the missile's."""
    start, end = sentence.start, sentence.end
    return doc.has("missile", start, end) and not any(
        doc.has(table, start, end) for table in ("air", "bomber", "naval")
    )


_QUOTED = re.compile(r"[「『“\"«'‘]([^「」『』“”\"«»'‘’\n]{2,24})[」』”\"»'’]")


def _quoted_exercise(doc: _Doc, sentence: Sentence, signals: list[Hit]) -> str | None:
    """The quoted name an exercise signal stands in ("'쌍룡훈련'", "'자유의 방패'"), if any."""
    for match in _QUOTED.finditer(sentence.text):
        start, end = sentence.start + match.start(1), sentence.start + match.end(1)
        if any(f == "exercise" and start <= s and e <= end for s, e, f in signals):
            return match.group(1)
    return None


def _topic_reports(doc: _Doc, sentence: Sentence, actor_hits: list[Hit]) -> list[Hit]:
    """In "韓国軍も…発射されたと発表しています", the topic reports: marked a reporter."""
    vocab = doc.vocab
    if not actor_hits or vocab.reported_end.search(sentence.text) is None:
        return actor_hits
    first = actor_hits[0]
    if first[2][1] or not _after(doc, vocab.topic_after, first[1], reach=8):
        return actor_hits
    named, _, owner = first[2]
    return [(first[0], first[1], (named, True, owner)), *actor_hits[1:]]


def _clauses(sentences: list[Sentence], breaks: tuple[str, ...]) -> list[Sentence]:
    """Sentences cut at the marks that join two clauses ("한미 연합훈련…北 미사일 발사")."""
    if not breaks:
        return sentences
    pattern = re.compile("|".join(map(re.escape, breaks)))
    cut: list[Sentence] = []
    for sentence in sentences:
        start = 0
        for mark in pattern.finditer(sentence.text):
            if sentence.text[start : mark.start()].strip():
                cut.append(_part(sentence, start, mark.start()))
            start = mark.end()
        cut.append(_part(sentence, start, len(sentence.text)) if start else sentence)
    return cut


def _part(sentence: Sentence, start: int, end: int) -> Sentence:
    text = sentence.text[start:end]
    return Sentence(text, sentence.start + start, sentence.start + end, sentence.line_heading)


def _bomber_owners(doc: _Doc, actor_hits: list[Hit]) -> list[str]:
    """The owners of the bombers named by type in the sentence."""
    bombers = doc.tables.get("bomber", [])
    return [
        actor
        for start, end, (actors, _, owner) in actor_hits
        if owner and any(b[0] < end + 8 and start < b[1] for b in bombers)  # "Tu-95MS 전략폭격기"
        for actor in actors
    ]


_LEDE = 4  # sentences a headline's year may be read from (the dateline and first lines)


def _first_year(sentences: list[Sentence], vocab: NativeVocab, meta: DocumentMeta) -> int | None:
    """The first year the opening sentences state: a headline says none ("中国爆撃機…太平洋へ")
    and its lede dates it ("29日"), which the document's own date may not (published in the
    new year)."""
    for sentence in sentences[:_LEDE]:
        when = resolve(sentence.text, vocab, meta.published, meta.reference_year)
        if when.year is not None and when.explicit:
            return when.year
    return None


def _fires_something(doc: _Doc, sentence: Sentence, missile_before: bool) -> bool:
    """Whether a verb of firing has a missile or shells to fire: named here, or the missile of
    the sentence before ("쐈다" alone is any gun)."""
    start, end = sentence.start, sentence.end
    named = doc.has("missile", start, end) or doc.has("artillery", start, end)
    return named or missile_before


def _between_seas(doc: _Doc, mention: Mention) -> bool:
    """ "オホーツク海と太平洋の間を往復", "往返于东海与太平洋之间": a flight between two seas
    crossed both, unlike one between two islands, which only bound its passage."""
    text = doc.forms.text
    if doc.gazetteer[mention.place_id].kind != "sea":
        return False
    match = _BETWEEN_AFTER.match(text, mention.end)
    if match is not None:
        others = doc.mentions_between(mention.end, match.end())
    elif _BETWEEN_END.match(text, mention.end) and _AND_BEFORE.match(text, mention.start - 1):
        before = doc.mentions_between(0, mention.start)[-1:]
        others = [m for m in before if m.end == mention.start - 1]
    else:
        return False
    return any(doc.gazetteer[m.place_id].kind == "sea" for m in others)


def _moves_of_drill(doc: _Doc, signals: list[Hit], moving: str) -> bool:
    """Whether every signal of the `moving` family (flight, transit) stands in a drill's clause:
    no semicolon between them ("辽宁舰组织舰载机起降逾百次；中国军机又经宫古海峡往返" is a
    drill and a flight)."""
    text = doc.forms.text
    drills = [(s, e) for s, e, family in signals if family == "exercise"]
    return all(
        any(
            not _SEMICOLON.search(text, min(drill_end, move), max(drill_start, move))
            for drill_start, drill_end in drills
        )
        for move, _, family in signals
        if family == moving
    )


def _names_craft(doc: _Doc, sentence: Sentence) -> bool:
    start, end = sentence.start, sentence.end
    return any(doc.has(table, start, end) for table in ("air", "bomber", "naval", "missile"))


def _speculative(doc: _Doc, sentence: Sentence, own: list[Hit]) -> bool:
    """Whether a speculation cue governs the signal: after it in Japanese and Korean ("…する
    可能性"; a cue before it qualifies something else: "領空侵犯の恐れがある外国機"), anywhere in
    the sentence in Chinese and Russian ("可能还会", "明年可能继续举行", "может провести")."""
    if doc.vocab.speculation_after_signal:
        return doc.has("speculation", own[0][0], sentence.end)
    return doc.has("speculation", sentence.start, sentence.end)


_YEARLY = re.compile(r"[0-9０-９]{3,}\s*(?:回|次|번|회|раз)|年度|연간|за год")


def _yearly(sentence: Sentence) -> bool:
    """A yearly or record count of scrambles ("前年度比…回"): placed in the country's ADIZ."""
    return _YEARLY.search(sentence.text) is not None
