"""The search query model: what an analyst types, parsed into terms every search backend compiles.

Words must all match, "quoted phrases" match as written, `bomb*` matches a prefix. Everything
else (quotes left open, `NEAR(`, `-`, `)`, SQL) is only text: the parser keeps the letters and
digits and drops the rest, so no user input ever reaches a backend as its own query syntax.
Like tipg's filter expression, the model is backend-neutral: SQLite FTS5 and PostgreSQL
full-text search each compile `SearchQuery.terms` their own way.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from geo.errors import InvalidParameter

MAX_QUERY_CHARS = 500
MAX_TERMS = 20
# Letters and digits, in every script (`_` is a word character to `\w` but not to a tokenizer).
_TOKEN = re.compile(r"[^\W_]+")
# A quoted phrase (an unclosed quote runs to the end) or a run of anything but space and quotes.
_CHUNK = re.compile(r'"([^"]*)"?(\*?)|([^\s"]+)')
# Scripts written without spaces between words: matched as substrings, not as whole words.
CJK = re.compile(
    "[\u1100-\u11ff\u2e80-\u2fdf\u3040-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f]"
)


@dataclass(frozen=True)
class Term:
    """One thing that must match: a word, or a phrase of words in order; `prefix` lets its last
    word be the start of a longer one."""

    words: tuple[str, ...]
    prefix: bool = False

    @property
    def cjk(self) -> bool:
        """Written in a script without spaces (Chinese, Japanese, Korean): match as a substring."""
        return any(CJK.search(word) for word in self.words)

    @property
    def text(self) -> str:
        return " ".join(self.words) + ("*" if self.prefix else "")


@dataclass(frozen=True)
class SearchQuery:
    """Terms that must all match; `text` is the query as the user typed it (for links)."""

    terms: tuple[Term, ...]
    text: str


def _shown(text: str, limit: int = 40) -> str:
    return repr(text) if len(text) <= limit else repr(text[:limit]) + "..."


def parse_search(text: str | None) -> SearchQuery:
    """The query in `text`; InvalidParameter (400) if it is empty, too long or has no letters."""
    text = unicodedata.normalize("NFC", " ".join((text or "").split()))
    if not text:
        raise InvalidParameter("type a word or a \"phrase\" to search for")
    if len(text) > MAX_QUERY_CHARS:
        raise InvalidParameter(
            f"the search is {len(text)} characters long; at most {MAX_QUERY_CHARS} are allowed"
        )
    terms: list[Term] = []
    for match in _CHUNK.finditer(text):
        phrase, star, bare = match.groups()
        chunk = phrase if bare is None else bare
        prefix = bool(star) if bare is None else bare.endswith("*")
        words = tuple(_TOKEN.findall(chunk))
        # `bomb*` is a prefix, `bomb *` or `*` alone is nothing.
        prefix = prefix and bool(words) and (bare is None or bool(_TOKEN.search(chunk[-2:-1])))
        if words and Term(words, prefix) not in terms:
            terms.append(Term(words, prefix))
    if not terms:
        raise InvalidParameter(f"the search {_shown(text)} has no letters or digits to look for")
    if len(terms) > MAX_TERMS:
        raise InvalidParameter(
            f"the search has {len(terms)} terms; at most {MAX_TERMS} are allowed"
        )
    return SearchQuery(tuple(terms), text)


@dataclass(frozen=True)
class SearchEntry:
    """One searchable text: a whole document, or one event's evidence sentence in it.

    `base` is where `body` starts in the document, so a match's offsets in the body plus `base`
    are its offsets in the document (what the document view marks).
    """

    kind: str  # "document" or "evidence"
    doc_id: str
    title: str
    body: str
    base: int = 0
    feature_id: str | None = None
    layer: str | None = None


def search_entries(
    documents: Iterable[Mapping[str, Any]],
    texts: Mapping[str, str],
    layers: Mapping[str, Sequence[Mapping[str, Any]]],
    event_layers: Iterable[str],
) -> list[SearchEntry]:
    """Every document (title and text; a title only if its text is missing) and every evidence
    sentence of the event layers, in build order: what a search index holds."""
    entries: list[SearchEntry] = []
    for document in documents:
        doc_id = str(document.get("id"))
        title = str(document.get("title") or doc_id)
        entries.append(SearchEntry("document", doc_id, title, texts.get(doc_id, "")))
    for layer in event_layers:
        for feature in layers.get(layer) or ():
            props = feature.get("properties") or {}
            for evidence in props.get("evidence") or ():
                text, start = evidence.get("text"), evidence.get("start")
                if isinstance(text, str) and text and isinstance(start, int):
                    entries.append(
                        SearchEntry(
                            "evidence",
                            str(evidence.get("doc_id")),
                            str(props.get("title") or props.get("name") or feature.get("id")),
                            text,
                            start,
                            str(feature.get("id")),
                            layer,
                        )
                    )
    return entries


def substring_spans(text: str, needle: str) -> list[tuple[int, int]]:
    """Where `needle` occurs in `text`, ignoring case, as (start, end) offsets into `text`
    (each character folded on its own, so offsets never shift as with 'ß' → 'ss')."""
    if not needle:
        return []

    def fold(value: str) -> str:
        return "".join(c.lower() if len(c.lower()) == 1 else c for c in value)

    folded, target = fold(text), fold(needle)
    spans, at = [], folded.find(target)
    while at >= 0:
        spans.append((at, at + len(target)))
        at = folded.find(target, at + len(target))
    return spans


def fold_word(word: str) -> str:
    """A word as a search backend compares it: case and diacritics folded (as FTS5's
    `unicode61 remove_diacritics 2` does), so "Đà Nẵng" is found by "da nang"."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("đ", "d")


def word_spans(text: str) -> list[tuple[int, int, str]]:
    """Every word of `text` (letters and digits, as the query parser reads them): its
    offsets and its folded form."""
    return [(m.start(), m.end(), fold_word(m.group())) for m in _TOKEN.finditer(text)]


def term_spans(words: Sequence[tuple[int, int, str]], term: Term) -> list[tuple[int, int]]:
    """Where a (non-CJK) term matches among a text's `word_spans`: each occurrence of its
    words in a row, the last one a prefix if the term says so, as one span."""
    wanted = [fold_word(w) for w in term.words]
    n, spans = len(wanted), []
    for i in range(len(words) - n + 1):
        window = words[i : i + n]
        if all(got == want for (_, _, got), want in zip(window[:-1], wanted[:-1], strict=True)):
            last = window[-1][2]
            if last == wanted[-1] or (term.prefix and last.startswith(wanted[-1])):
                spans.append((window[0][0], window[-1][1]))
    return spans


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, with overlapping or touching spans joined into one."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


SNIPPET_BEFORE = 80
SNIPPET_CHARS = 260


@dataclass(frozen=True)
class Snippet:
    """A window of text around the first match, and the matches inside it (window offsets)."""

    text: str
    marks: tuple[tuple[int, int], ...]
    cut_before: bool
    cut_after: bool



def marked_parts(text: str, marks: Sequence[tuple[int, int]]) -> list[tuple[str, bool]]:
    """`text` as (piece, marked) runs, for a template to escape and wrap in <mark>."""
    runs, at = [], 0
    for start, end in marks:
        if start > at:
            runs.append((text[at:start], False))
        runs.append((text[start:end], True))
        at = end
    if at < len(text):
        runs.append((text[at:], False))
    return runs


def snippet(text: str, spans: Sequence[tuple[int, int]]) -> Snippet:
    """About SNIPPET_CHARS of `text` from a little before the first span, cut at spaces."""
    first = spans[0][0] if spans else 0
    start = max(0, first - SNIPPET_BEFORE)
    if start > 0:
        space = text.find(" ", start, first)
        start = space + 1 if space >= 0 else start
    end = min(len(text), max(start + SNIPPET_CHARS, spans[0][1] if spans else 0))
    if end < len(text):
        space = text.rfind(" ", start + SNIPPET_CHARS // 2, end)
        end = space if space > (spans[0][1] if spans else 0) else end
    marks = tuple(
        (max(s, start) - start, min(e, end) - start) for s, e in spans if s < end and e > start
    )
    window = text[start:end].replace("\n", " ")
    return Snippet(window, marks, start > 0, end < len(text))
