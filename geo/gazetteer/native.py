"""Finding gazetteer places in Japanese, Chinese, Korean and Russian text.

Hand-kept places carry their names in each language (`"native"` in the hand-kept files: 日本海,
동해, Японское море); generated places carry the native-script names of the open data (towns'
alternate names, subdivisions' aliases). Japanese and Chinese have no spaces and Korean attaches
particles, so names match anywhere in the text; Russian names match from a word's start with any
case ending (Японском море, Японского моря). Offsets are those of the text. As in English,
hand-kept names win, longest first; a generated name fills only text no hand-kept name took, and
only one long or prominent enough not to be an ordinary word ("前田" is a surname, "演集" part of
a sentence): three characters or more, or two for an admin-1 unit or a city of 200,000.
"""

from __future__ import annotations

import re
from functools import cache

import zhconv  # type: ignore[import-untyped]  # no type stubs

from geo.domain.model import Mention
from geo.extraction.native_scan import TermIndex, longest_first
from geo.extraction.text import TextForms, fold
from geo.extraction.vocab.native import native_vocab
from geo.gazetteer.places import Gazetteer, Place, prominence_key

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_KATAKANA = r"[\u30a1-\u30ff]"
_SCRIPT = {
    # Japanese: a name with a Han character, or one wholly in katakana ("ソウル", "アンカレッジ").
    "ja": re.compile(rf"[{_HAN}\u3040-\u30ff]*[{_HAN}][{_HAN}\u3040-\u30ff]*|{_KATAKANA}{{3,}}"),
    "zh": re.compile(rf"[{_HAN}]+"),
    "ko": re.compile(r"[\uac00-\ud7a3]+(?: [\uac00-\ud7a3]+)*"),
    "ru": re.compile(r"[\u0400-\u04ff]+(?:[ -][\u0400-\u04ff]+)*"),
}
_PROMINENT = 200_000
_CHINESE_SCRIPT_COUNTRIES = frozenset({"CN", "TW", "HK", "MO"})
# Russian endings a name's words take: adjectives first (longest), then a noun's last vowel.
_ADJECTIVE_ENDINGS = (
    "ого", "его", "ому", "ему", "ыми", "ими", "ая", "яя", "ое", "ее", "ой", "ей", "ый", "ий",
    "ые", "ие", "ую", "юю", "ых", "их", "ым", "им",
)
_VOWELS = "аеёиоуыэюяйь"
_SHORT_NOUNS = frozenset({"мыс"})  # short words that still take endings
# Latin names matched in a native text: acronyms and names of several words ("KADIZ").
_LATIN_NAME = re.compile(r"[A-Z]{3,}|[A-Za-z]+(?: [A-Za-z]+)+")


def russian_stem(word: str) -> str:
    """A Russian word as a stem (`*` marks that any ending may follow): море → мор*."""
    lowered = word.lower()
    if lowered in _SHORT_NOUNS:
        return word + "*"  # мыс: мыса, мысе, мысом
    if len(lowered) < 4 or not re.fullmatch(r"[\u0400-\u04ff-]+", lowered):
        return word
    for ending in _ADJECTIVE_ENDINGS:
        if lowered.endswith(ending) and len(lowered) - len(ending) >= 4:
            return word[: -len(ending)] + "*"
    stem = word
    while len(stem) > 3 and stem[-1].lower() in _VOWELS and len(word) - len(stem) < 2:
        stem = stem[:-1]
    return stem + "*"


def russian_term(name: str) -> str:
    """A Russian name as a term of stems: Японское море → Японск* мор*."""
    return " ".join(russian_stem(word) for word in name.split())


def _generated_ok(name: str, place: Place, lang: str, vocabulary: set[str]) -> bool:
    if not _SCRIPT[lang].fullmatch(name):
        return False
    letters = len(name.replace(" ", "").replace("-", ""))
    if lang == "ru":
        # "Тихоокеанский" is a town and the Pacific Fleet's adjective: vocabulary wins.
        first = fold(name).split()[0]
        return letters >= 5 and not any(first.startswith(word) for word in vocabulary)
    if letters < 2 or _short(name, place):
        return False
    return not _in_vocabulary(name, vocabulary)


def _in_vocabulary(name: str, vocabulary: set[str]) -> bool:
    """Whether a word of the language's vocabulary lies inside the name: the name would match
    where the word is meant."""
    key = fold(name)
    return any(word in key for word in vocabulary if len(word) >= 2)


def _table_for(name: str, place: Place, lang: str, vocabulary: set[str]) -> str | None:
    """Where a generated name goes: "generated", "short" (it counts only with a place word
    after it), or nowhere."""
    if _generated_ok(name, place, lang, vocabulary):
        return "generated"
    if lang not in _PLACE_WORD_AFTER or not _short(name, place):
        return None
    if not _SCRIPT[lang].fullmatch(name) or _in_vocabulary(name, vocabulary):
        return None
    if lang == "ko" and name.endswith("해"):
        return None  # "남해 상공": the South Sea, not Namhae County
    return "short"


def _exonym_table(name: str, place: Place, lang: str, vocabulary: set[str]) -> str | None:
    """Where a name in another language goes ("ソウル", "元山", "블라디보스토크", "Вонсан"):
    as a generated native name, but two Korean syllables always need a place word after them
    (세부 is Cebu and "details", 위해 Weihai and "for"), and Russian ones are matched as written."""
    table = _table_for(name, place, lang, vocabulary)
    if table == "generated" and lang == "ko" and len(name.replace(" ", "")) == 2:
        return "short"
    return table


_CASE_ENDINGS = ("а", "у", "е", "ом", "ы")


def _russian_forms(name: str) -> list[str]:
    """A foreign name in Russian as written, and with a noun's case endings where it ends on a
    consonant (Вонсан, Вонсана, Вонсане): not as a stem, which would take "Накано" for
    "накануне" and "Макао" for "Макаров"."""
    if name[-1].lower() in _VOWELS:
        return [name]
    return [name, *(name + ending for ending in _CASE_ENDINGS)]


def _short(name: str, place: Place) -> bool:
    """A two-character name of a town that is not prominent ("신포", "속초"): an ordinary word
    as often as a place, so it counts only where a place word follows (`_PLACE_WORD_AFTER`)."""
    letters = len(name.replace(" ", "").replace("-", ""))
    return letters == 2 and place.feature_class != "admin1" and place.population < _PROMINENT


# What makes a short town name a place: "신포 앞바다", "속초항", "중화 일대", "舞鶴港", "基隆港".
_PLACE_WORD_AFTER = {
    "ko": re.compile(
        r"\s?(?:앞바다|앞 바다|인근|일대|부근|해상|근해|항(?![가-힣])|시(?![가-힣])|군(?![가-힣])|"
        r"지역|기지|비행장|공항|상공)"
    ),
    "ja": re.compile(r"(?:沖|市|港|町|村|付近|周辺|近海|基地|飛行場|空港|上空)"),
    "zh": re.compile(r"(?:市|港|附近|外海|近海|一带|一帶|基地|机场|機場|上空|县|縣)"),
}


# "臺灣以東海域" is the waters east of Taiwan, not the East China Sea (東海); "東海岸" a coast.
_NOT_BEFORE = {"zh": re.compile(r"[以偏]$"), "ja": re.compile(r"[以]$")}
# "日本海上自衛隊" is Japan's navy, not the Sea of Japan and a word; "連江艦", "溫州號" and
# "宗谷丸" are ships named after places.
_NOT_AFTER = {
    # used with match(): anchored at the end; "阿瓦恰湾部分海域" is part of the bay
    "zh": re.compile(r"(?:[岸艦舰號号]|部(?!分)|上(?:自|保))"),
    "ja": re.compile(r"(?:[岸艦丸号]|上(?:自|保))"),
}
# "东南海域" is the south-east waters, not 南海 (the South China Sea): a compass point's half.
_COMPASS = re.compile(r"[东東西][南北]")
_TAI = str.maketrans({"台": "臺", "臺": "台"})


_KOREAN_SUFFIX = re.compile(r"^(\S{2,}?) ?(해협|열도|제도|군도|반도)$")


@cache
def _character(ch: str, script: str) -> str:
    return zhconv.convert(ch, script)


def _in_script(name: str, script: str) -> str:
    """A name in Simplified or Traditional script, a character at a time: zhconv's phrase
    tables are for prose, and converting each of thousands of names whole takes seconds."""
    return "".join(_character(ch, script) for ch in name)


def _variants(name: str, lang: str, both_scripts: bool = True) -> list[str]:
    """A Chinese name in both spellings of 台 (台北 and 臺北) and, with `both_scripts`, in
    Simplified and Traditional script (花蓮 and 花莲, by zhconv's tables); a Korean one with
    and without the space before its feature word (소야해협 and 소야 해협)."""
    if lang == "zh":
        forms = [name]
        if both_scripts:
            forms += [_in_script(name, "zh-hans"), _in_script(name, "zh-hant")]
        forms += [form.translate(_TAI) for form in forms if "台" in form or "臺" in form]
        return list(dict.fromkeys(forms))
    korean = _KOREAN_SUFFIX.match(name) if lang == "ko" else None
    if korean is not None:
        stem, suffix = korean.groups()
        return list(dict.fromkeys([name, stem + suffix, f"{stem} {suffix}"]))
    return [name]


# Japanese shinjitai that Chinese writes otherwise: (Simplified, Traditional).
_KANJI = {
    "島": ("岛", "島"), "諸": ("诸", "諸"), "県": ("县", "縣"), "湾": ("湾", "灣"),
    "瀬": ("濑", "瀨"), "沢": ("泽", "澤"), "広": ("广", "廣"), "鳥": ("鸟", "鳥"),
    "徳": ("德", "德"), "浜": ("滨", "濱"), "竜": ("龙", "龍"), "与": ("与", "與"),
    "国": ("国", "國"), "隠": ("隐", "隱"), "対": ("对", "對"), "馬": ("马", "馬"),
    "黒": ("黑", "黑"), "戸": ("户", "戶"), "壱": ("壹", "壹"), "岐": ("岐", "岐"),
    "間": ("间", "間"), "東": ("东", "東"), "宮": ("宫", "宮"), "峡": ("峡", "峽"),
    "大": ("大", "大"), "列": ("列", "列"), "群": ("群", "群"), "頭": ("头", "頭"),
    "礼": ("礼", "禮"), "門": ("门", "門"),
}
_JAPANESE_FEATURE = re.compile(r"(?:島|諸島|列島|群島|礁|岬|半島|湾|海峡|水道)$")
_KANA = re.compile(r"[\u3040-\u30ff]")


def chinese_from_japanese(names: tuple[str, ...]) -> tuple[str, ...]:
    """A Japanese island's or strait's kanji name as Chinese writes it, in Simplified and
    Traditional (与那国島: 与那国岛, 與那國島): Chinese reports name Japan's islands in the same
    characters, so the hand-kept Japanese name serves a Chinese text where no Chinese is kept."""
    found: list[str] = []
    for name in names:
        if _KANA.search(name) or not _JAPANESE_FEATURE.search(name):
            continue
        for script in (0, 1):
            form = "".join(_KANJI.get(ch, (ch, ch))[script] for ch in name.replace("硫黄", "硫磺"))
            if form not in found:
                found.append(form)
    return tuple(found)


# Japanese names in Cyrillic (the Polivanov system Russian reports use): Russian texts name
# Japan's capes and islands so ("мыс Эримо", "остров Якусима"), which the open data lacks.
_VOWELS_RU = {"a": "а", "i": "и", "u": "у", "e": "э", "o": "о"}
# A consonant (or pair) and the syllable it makes with a, i, u, e, o.
_SYLLABLES = {
    "ky": ("кя", "ки", "кю", "кэ", "кё"),
    "sh": ("ся", "си", "сю", "сэ", "сё"),
    "ch": ("тя", "ти", "тю", "тэ", "тё"),
    "ts": ("ца", "цу", "цу", "цэ", "цо"),
    "ny": ("ня", "ни", "ню", "нэ", "нё"),
    "hy": ("хя", "хи", "хю", "хэ", "хё"),
    "my": ("мя", "ми", "мю", "мэ", "мё"),
    "ry": ("ря", "ри", "рю", "рэ", "рё"),
    "gy": ("гя", "ги", "гю", "гэ", "гё"),
    "by": ("бя", "би", "бю", "бэ", "бё"),
    "py": ("пя", "пи", "пю", "пэ", "пё"),
    "j": ("дзя", "дзи", "дзю", "дзэ", "дзё"),
    "k": ("ка", "ки", "ку", "кэ", "ко"),
    "s": ("са", "си", "су", "сэ", "со"),
    "t": ("та", "ти", "цу", "тэ", "то"),
    "n": ("на", "ни", "ну", "нэ", "но"),
    "h": ("ха", "хи", "фу", "хэ", "хо"),
    "f": ("фа", "фи", "фу", "фэ", "фо"),
    "m": ("ма", "ми", "му", "мэ", "мо"),
    "y": ("я", "и", "ю", "э", "ё"),
    "r": ("ра", "ри", "ру", "рэ", "ро"),
    "w": ("ва", "и", "у", "э", "о"),
    "g": ("га", "ги", "гу", "гэ", "го"),
    "z": ("дза", "дзи", "дзу", "дзэ", "дзо"),
    "d": ("да", "дзи", "дзу", "дэ", "до"),
    "b": ("ба", "би", "бу", "бэ", "бо"),
    "p": ("па", "пи", "пу", "пэ", "по"),
}


def polivanov(word: str) -> str | None:
    """A Japanese word in Hepburn romaji in Cyrillic, as Russian writes it (Polivanov): Erimo
    is эримо, Yakushima якусима; None for what is not romaji."""
    w = word.lower().replace("-", "").replace("'", "")
    out: list[str] = []
    i = 0
    while i < len(w):
        ch = w[i]
        if ch in _VOWELS_RU:
            diphthong = ch == "i" and i > 0 and w[i - 1] in "aoue"  # Tokai: Токай
            out.append("й" if diphthong else _VOWELS_RU[ch])
            i += 1
        elif ch == "n" and (i + 1 == len(w) or w[i + 1] not in "aiueoy"):
            out.append("н")
            i += 1
        elif i + 1 < len(w) and w[i + 1] == ch and ch in _SYLLABLES:
            out.append(_SYLLABLES[ch][0][0])  # a doubled consonant: Nosappu, Носаппу
            i += 1
        else:
            for size in (2, 1):
                key, vowel = w[i : i + size], w[i + size : i + size + 1]
                if key in _SYLLABLES and vowel in _VOWELS_RU:
                    out.append(_SYLLABLES[key]["aiueo".index(vowel)])
                    i += size + 1
                    break
            else:
                return None
    return "".join(out)


# An English name's pattern, the Russian word for its kind, and whether the name alone is
# distinctive enough to be matched without it (Якусима, not Соя).
_GENERIC = (
    (re.compile(r"^Cape (\w+)$"), "мыс*", False),
    (re.compile(r"^(\w+) Peninsula$"), "полуостров*", False),
    (re.compile(r"^(\w+) Islands$"), "остров*", False),
    (re.compile(r"^(\w+) Island$"), "остров*", False),
    (re.compile(r"^(\w+) (?:Strait|Channel)$"), "пролив*", False),
    (re.compile(r"^([\w-]+?(?:shima|jima))$"), "остров*", True),
)


def russian_from_romaji(names: tuple[str, ...]) -> list[str]:
    """Russian terms for a Japanese place's English names: "Cape Erimo" is мыс Эримо (and
    мысе, мыса…); an island in -jima/-shima is also named alone (Якусима); both spellings of
    э after a consonant (Сирэтоко, Сиретоко)."""
    terms: list[str] = []
    for name in names:
        for pattern, generic, alone in _GENERIC:
            match = pattern.match(name)
            word = polivanov(match.group(1)) if match else None
            if not word:
                continue
            for spelled in sorted({word, re.sub(r"(?<=[бвгдзклмнпрстфхц])э", "е", word)}):
                terms.append(f"{generic} {spelled}")
                if alone and len(spelled) >= 6:
                    terms.append(spelled)
    return list(dict.fromkeys(terms))


class NativePlaceMatcher:
    """Compiled once per gazetteer and language; `find` is one pass over the text."""

    def __init__(self, gazetteer: Gazetteer, lang: str) -> None:
        self.gazetteer = gazetteer
        self.lang = lang
        stems = lang == "ru"
        self._terms = TermIndex(stems)
        hand_keys: set[str] = set()
        # "Японского, Охотского и Берингова морей": seas named by their adjectives alone.
        self._sea_adjectives: dict[str, str] = {}
        for place in gazetteer.hand_kept():
            for name in place.names:
                if _LATIN_NAME.fullmatch(name):
                    self._terms.add("hand", name, place.id)
            names = place.native_for(lang)
            if not names and lang == "zh":
                names = chinese_from_japanese(place.native_for("ja"))
            if not names and stems and place.country == "JP":
                for text in russian_from_romaji(place.names):
                    self._terms.add("hand", text, place.id)
            for name in names:
                text = russian_term(name) if stems else name
                words = name.split()
                if stems and place.kind == "sea" and len(words) == 2 and words[1] == "море":
                    self._sea_adjectives[russian_term(words[0]).rstrip("*").lower()] = place.id
                for variant in [text] if stems else _variants(name, lang):
                    self._terms.add("hand", variant, place.id)
                    hand_keys.add(fold(variant))
        vocabulary = native_vocab(lang).all_terms()
        for place in sorted(gazetteer.generated(), key=prominence_key):
            for name in place.native_names:
                table = _table_for(name, place, lang, vocabulary)
                if table is None or fold(name) in hand_keys:
                    continue
                # A Japanese town's name converted is another's: 台東 (Taito, Tokyo) is not 台东.
                chinese = place.country in _CHINESE_SCRIPT_COUNTRIES
                for variant in _variants(name, lang, both_scripts=chinese):
                    self._terms.add(table, russian_term(name) if stems else variant, place.id)
            for name in place.exonyms:
                table = _exonym_table(name, place, lang, vocabulary)
                if table is None or fold(name) in hand_keys:
                    continue
                for variant in _russian_forms(name) if stems else [name]:
                    self._terms.add(table, variant, place.id)

    def _elided_seas(self, folded: str, taken: list) -> list:
        occupied = bytearray(len(folded))
        for start, end, _ in taken:
            occupied[start:end] = b"\x01" * (end - start)
        extra = [
            hit
            for hit in _elided_seas_in(folded, self._sea_adjectives)
            if not any(occupied[hit[0] : hit[1]])
        ]
        return sorted(taken + extra, key=lambda h: h[0]) if extra else taken

    def _outnamed(self, hand: list, generated: list) -> list:
        """Hand-kept hits inside a longer province's name give way to it: "황해북도" is North
        Hwanghae Province, not the Yellow Sea (황해) and a word."""
        if not generated or not hand:
            return hand
        provinces = [
            (start, end)
            for start, end, place_id in generated
            if self.gazetteer[place_id].kind == "region"
        ]
        return [
            (start, end, place_id)
            for start, end, place_id in hand
            if not any(s <= start and end <= e and e - s > end - start for s, e in provinces)
        ]

    def find(self, text: str, forms: TextForms | None = None) -> list[Mention]:
        """Non-overlapping place mentions, longest first, in text order."""
        forms = TextForms.of(text) if forms is None else forms
        found = self._terms.scan(forms)
        hand = longest_first(found.get("hand", []))
        if self._sea_adjectives and "мор" in forms.folded:
            hand = self._elided_seas(forms.folded, hand)
        hand = self._outnamed(hand, found.get("generated", []))
        occupied = bytearray(len(text))
        for start, end, _ in hand:
            occupied[start:end] = b"\x01" * (end - start)
        generated = []
        best: dict[tuple[int, int], str] = {}
        after = _PLACE_WORD_AFTER.get(self.lang)
        short = [
            hit for hit in found.get("short", []) if after is not None and after.match(text, hit[1])
        ]
        for start, end, place_id in [*found.get("generated", []), *short]:
            # One name of several places: the most prominent (the index was filled in that order).
            best.setdefault((start, end), place_id)
        for (start, end), place_id in best.items():
            if any(occupied[start:end]) or _inside_katakana_word(text, start, end):
                continue
            if self.lang == "ru" and _named_otherwise(text, start, end):
                continue
            generated.append((start, end, place_id))
        taken = sorted(hand + longest_first(generated), key=lambda h: h[0])
        before, after = _NOT_BEFORE.get(self.lang), _NOT_AFTER.get(self.lang)
        if before is not None and after is not None:
            taken = [
                (start, end, place_id)
                for start, end, place_id in taken
                if not before.search(text, max(0, start - 1), start)
                and not after.match(text, end)
                and not _COMPASS.match(text, max(0, start - 1), start + 1)
            ]
        return [Mention(place_id, text[start:end], start, end) for start, end, place_id in taken]


# A capitalised word beside a name makes it a person's ("Ясукадзу Хамада", "Виктор Лиина");
# guillemets around it a ship's («Яньтай»).
_CAPITALISED_BEFORE = re.compile(r"(?<![.!?…]\s)(?<!^)\b[А-ЯЁ][а-яё]{2,}\s$")
_CAPITALISED_AFTER = re.compile(r"\s[А-ЯЁ][а-яё]{2,}")


def _named_otherwise(text: str, start: int, end: int) -> bool:
    """A town's name in a Russian text that is a person's or a ship's name there."""
    if text[start - 1 : start] == "«" and text[end : end + 1] == "»":
        return True
    before = text[max(0, start - 30) : start]
    return bool(_CAPITALISED_BEFORE.search(before) or _CAPITALISED_AFTER.match(text, end))


def _katakana(ch: str) -> bool:
    return "\u30a1" <= ch <= "\u30ff"


def _inside_katakana_word(text: str, start: int, end: int) -> bool:
    """A katakana name inside a longer katakana word ("ハワイ" in "ハワイアン"): katakana words
    have no boundary but the change of script."""
    if not _katakana(text[start]) or not _katakana(text[end - 1]):
        return False
    return (start > 0 and _katakana(text[start - 1])) or (end < len(text) and _katakana(text[end]))


_ELIDED = re.compile(
    r"(?<!\w)([\w-]+?)(?:ого|ому|ым|ом|ое|ая|ой|ий|ый)?((?:\s*,\s*[\w-]+|\s+и\s+[\w-]+)+)"
    r"\s+мор(?:ей|ям|ями|ях|я)(?!\w)"
)
_WORD = re.compile(r"[\w-]+")


def _elided_seas_in(folded: str, adjectives: dict[str, str]) -> list[tuple[int, int, str]]:
    """Each adjective of "Японского, Охотского и Берингова морей" as the sea it names."""
    found = []
    for match in _ELIDED.finditer(folded):
        words = []
        start = match.start()
        segment = folded[start : match.end()]
        for word in _WORD.finditer(segment):
            text = word.group(0)
            place_id = next((p for stem, p in adjectives.items() if text.startswith(stem)), None)
            if place_id is not None:
                words.append((start + word.start(), start + word.end(), place_id))
        found.extend(words)
    return found


@cache
def native_matcher(gazetteer: Gazetteer, lang: str) -> NativePlaceMatcher:
    """The compiled matcher of one language, built once per gazetteer."""
    return NativePlaceMatcher(gazetteer, lang)
