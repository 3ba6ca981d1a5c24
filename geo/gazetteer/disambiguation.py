"""Which generated place a name in a text denotes, if any.

The theatre gazetteer has thousands of names, and many are also a person's name ("Defense
Minister Hamada"), part of a ship's or a unit's name ("the carrier Shandong", "Air Station
Kodiak"), or shared by several places ("Magong" in Taiwan and in Guangdong). A hand-kept name is
always a mention; a generated name becomes one only when the text supports it:

1. **Written as a name.** Its words are capitalised in the text ("anchorage" is a word, "Anchorage"
   may be a city).
2. **Not part of a longer name.** Not after a title ("Minister", "Gen."), a ship prefix or type
   ("USS", "the carrier"), or another capitalised word that is no locative ("Yasukazu Hamada",
   "Air Station Kodiak"); not before a capitalised word that is no place word ("Kaga Maru"), a
   ship's "-class" or "strike group", or a verb of saying ("Hamada said").
3. **Supported.** One of: the name carries or is followed by its kind ("Ongjin County",
   "Hateruma Island", "Nemuro-shi"); it is qualified by its province or country ("Sinpo, South
   Hamgyong"); a locative word stands before it ("off Keelung", "near the port of Sokcho"); it is
   coordinated with a place already found ("Ishigaki, Miyako and Yonaguni"); it is prominent (an
   admin-1 unit, a city of half a million); or one of its places lies close to a place already
   found in the document ("Taira" in a story about Miyako-jima).
4. **Ranked.** Among the places of one name: the one in the province that qualifies it, then the
   one nearest the document's other places, in a country the document names, then the more
   prominent (admin units before towns, then by population).

Character offsets are those of the matcher's hits; nothing here rewrites the text.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence

from shapely.geometry.base import BaseGeometry

from geo.domain.model import Mention
from geo.extraction.text import TextForms
from geo.gazetteer.places import Gazetteer, Place

# (start, end, candidate ids) of a generated name in the folded text.
GeneratedHit = tuple[int, int, tuple[str, ...]]

_CLASS_WORDS = (
    r"Islands?|Islets?|Isles?|Rocks?|Reef|Atoll|Prefecture|Province|County|City|Town|Village|"
    r"District|Ward|Bay|Gulf|Straits?|Channel|Sea|Port|Harbou?r|Peninsula|Cape|Point|Airport|"
    r"Airfield|Air|Naval|Base|Krai|Oblast|Region|Coast|Shoal|Sound|Inlet|Borough|Area"
)
_CLASS_AFTER = re.compile(rf"[ -](?:{_CLASS_WORDS})\b")
_CLASS_IN_NAME = re.compile(
    rf"\b(?:{_CLASS_WORDS.lower()}|shi|si|gun|kun|machi|cho|jima|shima|do|to)\b"
)
_TITLE_BEFORE = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Gen|Adm|Lt|Col|Capt|Cmdr|Cdr|Sgt|Maj|Sen|Rep|Gov|Prof|St)\.?|"
    r"\b(?:Minister|President|Premier|Secretary|General|Admiral|Colonel|Captain|Commander|"
    r"Governor|Mayor|Ambassador|Chairman|Chairwoman|Spokesman|Spokeswoman|Spokesperson|"
    r"Director|Chief|Lieutenant|Senator|Professor|Representative|Lawmaker|Envoy|Commissioner|"
    r"Mister|Madam|Sergeant|Major|Marshal|Emperor|King|Queen|Prince|Princess|Saint))\s+$"
)
_SHIP_BEFORE = re.compile(
    r"\b(?:carrier|destroyer|frigate|cruiser|corvette|submarine|ship|vessel|warship|icebreaker|"
    r"tanker|flagship|js|uss|hms|roks|rfs|cns|plans|hmas|hmcs|hmnzs|ins|brp|cgc|usns|uscgc|"
    r"usnsa|mv|ms|ss|named|dubbed|codenamed|code-named|operation|exercise|drill|drills)\s+"
    r"(?:the\s+)?[\"'\u201c]?$"
)
_SHIP_AFTER = re.compile(
    r"^[\"'\u201d]?(?:\s*-?\s*class\b|\s+(?:aircraft\s+)?carrier\b|\s+(?:carrier\s+|battle\s+|"
    r"strike\s+|task\s+)?group\b|\s+(?:destroyer|frigate|cruiser|corvette|submarine)\b|"
    r"\s+(?:exercise|drills?|maneuvers?|manoeuvres?|operation)s?\b|-\d)"
)
_SAYS_AFTER = re.compile(
    r"^\s+(?:said|says|told|added|stated|noted|warned|argued|wrote|explained|asked|replied|"
    r"insisted|claimed|announced|tweeted|posted)\b"
)
_LOCATIVE_BEFORE = re.compile(
    r"\b(?:in|into|at|near|off|from|over|around|toward|towards|to|outside|via|through|across|"
    r"between|along|past|reached|reaching|visited|visiting|entered|entering|approached|"
    r"approaching|left|leaving|on|nearby|(?:north|south|east|west|northeast|northwest|southeast|"
    r"southwest)(?:ern)?\s+of|(?:city|town|port|village|county|island|islands|province|"
    r"prefecture|district|coast|waters|area|region|vicinity|outskirts|harbou?r|base)\s+of)\s+"
    r"(?:the\s+)?(?:(?:city|town|port|village|county|island|islands|province|prefecture|"
    r"district|coast(?:al)?|waters|area|region|northern|southern|eastern|western|north|south|"
    r"east|west|central|northeastern|northwestern|southeastern|southwestern|naval|air|base|"
    r"harbou?r|of|off|near)\s+){0,4}$"
)
_COORDINATION = re.compile(r"^\s*(?:,|,?\s+and|,?\s+or|/|&)\s+(?:the\s+)?$")
_QUALIFIER = re.compile(r"^,\s+(?=[A-Z])")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"'\u201c(\[\n]\s*|\n)$")
_PREVIOUS_WORD = re.compile(r"([A-Z][\w'\u2019.-]*)\s+$")
_NEXT_WORD = re.compile(r"^ ([A-Z][\w'\u2019-]*)")
_LOWER_WORDS = frozenset({"of", "the", "de", "del", "la", "no", "na", "do", "and"})
# Capitalised words that may stand right before a place ("North Hamgyong", "The Kuril").
_OPEN_BEFORE = frozenset(
    """the in at near off from over on to into toward towards around across through via along
    north south east west northern southern eastern western central northeast northwest southeast
    southwest northeastern northwestern southeastern southwestern upper lower greater outer inner
    and or but while as when if after before since both between within beyond outside inside
    with by for of""".split()  # noqa: SIM905
)
_PROXIMITY_DEGREES = 0.5
_MAX_CACHED_DISTANCES = 200_000
_PROMINENT_POPULATION = 500_000
_NEAR_DEGREES = (1.0, 3.0, 8.0)
# Hand-kept countries, for "a country the document names".
COUNTRY_CODES = {
    "china": "CN",
    "japan": "JP",
    "south-korea": "KR",
    "north-korea": "KP",
    "russia": "RU",
    "taiwan": "TW",
    "united-states": "US",
    "philippines": "PH",
    "mongolia": "MN",
    "vietnam": "VN",
    "guam": "GU",
}
# Hand-kept islands and regions that name an admin-1 unit when they qualify a town.
UNIT_OF_PLACE = {
    "hokkaido": "Hokkaido Prefecture",
    "okinawa": "Okinawa Prefecture",
    "jeju": "Jeju Province",
    "kamchatka": "Kamchatka Krai",
    "sakhalin": "Sakhalin Oblast",
}
_CONTEXT_KINDS = frozenset({"island", "base", "strait", "sea", "region", "airspace"})


def written_as_a_name(surface: str) -> bool:
    """Every word of the surface starts with a capital, but for "of", "the" and the like; and a
    single word is not in capitals ("NATO" is no town in Albay, "TOKYO" is a dateline)."""
    words = surface.replace("-", " ").split()
    if len(words) == 1 and len(surface) > 1 and surface.isupper():
        return False
    return (
        bool(words)
        and words[0][0].isupper()
        and all(w[0].isupper() or not w[0].isalpha() or w.lower() in _LOWER_WORDS for w in words)
    )


def part_of_a_longer_name(text: str, start: int, end: int) -> bool:
    """Person, ship, unit or exercise names that contain a place name."""
    before = text[max(0, start - 40) : start]
    if _TITLE_BEFORE.search(before) or _SHIP_BEFORE.search(before.lower()):
        return True
    after = text[end : end + 40]
    if _SHIP_AFTER.match(after.lower()) or _SAYS_AFTER.match(after):
        return True
    previous = _PREVIOUS_WORD.search(before)
    word = previous.group(1).lower().rstrip(".") if previous is not None else ""
    possessive = word.endswith(("'s", "\u2019s"))
    if (
        previous is not None
        and word not in _OPEN_BEFORE
        and not possessive
        and not _SENTENCE_START.search(before[: previous.start()])
    ):
        return True  # "Yasukazu Hamada", "Air Station Kodiak"
    following = _NEXT_WORD.match(after)
    return following is not None and not re.match(_CLASS_WORDS, following.group(1))


class Resolver:
    """Picks, per document, the generated mentions the text supports and the place each names."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self._distance: dict[tuple[str, str], float] = {}

    def resolve(
        self, forms: TextForms, hits: Sequence[GeneratedHit], known: Sequence[Mention]
    ) -> list[Mention]:
        text, folded = forms.text, forms.folded
        kept = [
            hit
            for hit in hits
            if written_as_a_name(text[hit[0] : hit[1]])
            and not part_of_a_longer_name(text, hit[0], hit[1])
        ]
        if not kept:
            return []
        # Looked up by position and by place, once per document: scanning every mention for
        # every hit made long documents quadratic.
        known_at: dict[int, Mention] = {}
        for mention in known:
            known_at.setdefault(mention.start, mention)
        hits_at: dict[int, GeneratedHit] = {}
        for hit in kept:
            hits_at.setdefault(hit[0], hit)
        context = self._context(known)
        chosen: dict[int, Mention] = {}
        pending = []
        for hit in kept:
            start, end, _ids = hit
            region = self._qualifier(text, end, known_at, hits_at)
            if region is not None or self._supported(text, folded, hit):
                chosen[start] = self._mention(text, hit, context, region)
            else:
                pending.append(hit)
        # Coordinated with a place found ("Ishigaki, Miyako and Yonaguni"), then close to one.
        for _ in range(2):
            found = sorted([*known, *chosen.values()], key=lambda m: m.start)
            starts = [m.start for m in found]
            ends = [m.end for m in found]
            still = []
            for hit in pending:
                if self._coordinated(folded, hit, found, starts, ends):
                    chosen[hit[0]] = self._mention(text, hit, context, None)
                else:
                    still.append(hit)
            pending = still
        anchors = self._small_places([*known, *chosen.values()])
        for hit in pending:
            near = self._near(hit, anchors)
            if near is not None:
                chosen[hit[0]] = Mention(near, text[hit[0] : hit[1]], hit[0], hit[1])
        return [chosen[start] for start in sorted(chosen)]

    # --- support --------------------------------------------------------------------------

    def _supported(self, text: str, folded: str, hit: GeneratedHit) -> bool:
        start, end, ids = hit
        if _CLASS_IN_NAME.search(folded, start, end) and " " in folded[start:end].strip():
            return True  # "Ongjin County", "Kagoshima Prefecture"
        if "-" in folded[start:end] and _CLASS_IN_NAME.search(folded, start, end):
            return True  # "Nemuro-shi"
        if _CLASS_AFTER.match(text, end):
            return True  # "Hateruma Island"
        if _LOCATIVE_BEFORE.search(folded, max(0, start - 80), start):
            return True
        top = self.gazetteer[ids[0]]
        return top.feature_class in ("admin1", "sea", "bay", "gulf", "strait") or (
            top.population >= _PROMINENT_POPULATION
        )

    def _qualifier(
        self,
        text: str,
        end: int,
        known_at: dict[int, Mention],
        hits_at: dict[int, GeneratedHit],
    ) -> str | None:
        """ "Sinpo, South Hamgyong": the admin-1 unit or country (as a country code or an admin1
        name) that follows the name."""
        match = _QUALIFIER.match(text, end)
        if match is None:
            return None
        at = match.end()
        if at in known_at:
            place_id = known_at[at].place_id
            return COUNTRY_CODES.get(place_id) or UNIT_OF_PLACE.get(place_id)
        if at in hits_at:
            ids = hits_at[at][2]
            units = [self.gazetteer[i] for i in ids if self.gazetteer[i].feature_class == "admin1"]
            return units[0].name if units else None
        return None

    def _coordinated(
        self,
        folded: str,
        hit: GeneratedHit,
        found: Sequence[Mention],
        starts: Sequence[int],
        ends: Sequence[int],
    ) -> bool:
        """A place found just before or after, joined by a comma or "and" (`found` is sorted,
        non-overlapping, so `starts` and `ends` are too)."""
        start, end, _ = hit
        for mention in found[bisect_left(ends, start - 8) : bisect_right(ends, start)]:
            if _COORDINATION.match(folded[mention.end : start]):
                return True
        for mention in found[bisect_left(starts, end) : bisect_right(starts, end + 8)]:
            if _COORDINATION.match(folded[end : mention.start]):
                return True
        return False

    # --- ranking --------------------------------------------------------------------------

    def _context(self, known: Sequence[Mention]) -> tuple[list[Place], set[str]]:
        """The document's distinct places that can rank candidates, and the countries named."""
        distinct = {m.place_id: self.gazetteer[m.place_id] for m in known}
        context = [p for p in distinct.values() if p.kind in _CONTEXT_KINDS]
        countries = {COUNTRY_CODES[i] for i in distinct if i in COUNTRY_CODES}
        countries |= {p.country for p in context if p.country}
        return context, countries

    def _mention(
        self,
        text: str,
        hit: GeneratedHit,
        context: tuple[list[Place], set[str]],
        region: str | None,
    ) -> Mention:
        start, end, ids = hit
        return Mention(self._best(ids, context, region), text[start:end], start, end)

    def _best(
        self, ids: tuple[str, ...], context: tuple[list[Place], set[str]], region: str | None
    ) -> str:
        if len(ids) == 1:
            return ids[0]
        places = [self.gazetteer[i] for i in ids]
        if region is not None:
            inside = [p for p in places if region in (p.admin1, p.country)]
            if inside:
                places = inside
        context_places, countries = context

        def score(place: Place) -> float:
            value = _prior(place)
            if place.country in countries:
                value += 1.5
            distance = min(
                (self._between(place, other) for other in context_places), default=math.inf
            )
            value += sum(1.0 for limit in _NEAR_DEGREES if distance <= limit)
            return value

        # max keeps the first of equals, and the candidates come most prominent first.
        return max(places, key=score).id

    def _between(self, place: Place, other: Place) -> float:
        key = (place.id, other.id)
        if key not in self._distance:
            if len(self._distance) > _MAX_CACHED_DISTANCES:
                self._distance.clear()  # a long-running server must not grow without bound
            self._distance[key] = other.geometry.distance(place.anchor)
        return self._distance[key]

    def _small_places(self, mentions: Iterable[Mention]) -> list[BaseGeometry]:
        """Where the document's islands, bases, towns and straits are (not seas or countries)."""
        anchors = []
        for place_id in dict.fromkeys(m.place_id for m in mentions):
            place = self.gazetteer[place_id]
            if place.kind in ("island", "base", "strait") or place.feature_class in (
                "admin2",
                "town",
                "city",
            ):
                anchors.append(place.anchor)
        return anchors

    def _near(self, hit: GeneratedHit, anchors: Sequence[BaseGeometry]) -> str | None:
        start, end, ids = hit
        if not anchors or end - start < 5:
            return None
        for place_id in ids:
            point = self.gazetteer[place_id].anchor
            if any(point.distance(anchor) <= _PROXIMITY_DEGREES for anchor in anchors):
                return place_id
        return None


def _prior(place: Place) -> float:
    weight = {"admin1": 3.0, "city": 2.0, "admin2": 1.5}.get(place.feature_class, 1.0)
    return weight + 0.4 * math.log10(place.population + 10)
