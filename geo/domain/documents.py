"""What makes bytes a usable document: plain UTF-8 text of a bounded size, its date, and its
sidecar (one JSON Schema, `SIDECAR_SCHEMA`).

Pure checks (no files): the document store, the command line and the web form all refuse the
same input with the same reason.
"""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator, FormatChecker, validators

from geo.domain.language import LANGUAGES
from geo.errors import DocumentRefused

EXAMPLES_DIR = "examples"  # the documents folder's shipped example corpus, one folder per set

MAX_DOCUMENT_BYTES = 1_000_000
# Control characters other than tab, newline, carriage return and form feed mark binary input.
_CONTROL = {chr(c) for c in range(32)} - {"\t", "\n", "\r", "\f"}


def decode_text(data: bytes, name: str = "document") -> str:
    """Validate raw bytes as a usable text document and return the text."""
    if not data.strip():
        raise DocumentRefused(f"{name}: empty document")
    if len(data) > MAX_DOCUMENT_BYTES:
        raise DocumentRefused(
            f"{name}: {len(data):,} bytes is over the {MAX_DOCUMENT_BYTES:,}-byte limit"
        )
    if b"\x00" in data:
        raise DocumentRefused(f"{name}: binary file (contains NUL bytes), expected plain text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentRefused(
            f"{name}: not UTF-8 text (invalid byte at offset {exc.start}); save it as UTF-8"
        ) from None
    controls = sum(1 for ch in text[:4096] if ch in _CONTROL)
    if controls > 8:
        raise DocumentRefused(
            f"{name}: looks binary ({controls} control characters), expected text"
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_date(value: str | None, field: str = "published") -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise DocumentRefused(f"{field} must be a date as YYYY-MM-DD, got {value!r}") from None


# -- sidecars ------------------------------------------------------------------------------

MAX_FIELD_CHARS = 300
MAX_URL_CHARS = 2000
SIDECAR_YEARS = (1000, 9999)
# Characters that show nothing yet change how text reads or is processed: C0 and C1 controls,
# the bidi marks (U+061C, U+200E, U+200F), embeddings and overrides (U+202A-U+202E) and isolates
# (U+2066-U+2069). Written as JSON Schema (ECMA 262) escapes, which Python's re reads too.
INVISIBLE_CLASS = r"\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_INVISIBLE = re.compile(f"[{INVISIBLE_CLASS}]")
_TEXT_FIELD_RULE = (
    f"must be text of at most {MAX_FIELD_CHARS} characters without invisible control "
    "characters, or null"
)
SIDECAR_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "drillmap document sidecar (NAME.json beside NAME.txt)",
    "type": "object",
    "properties": {
        "title": {
            "description": _TEXT_FIELD_RULE,
            "type": ["string", "null"],
            "maxLength": MAX_FIELD_CHARS,
            "pattern": f"^[^{INVISIBLE_CLASS}]*$",
        },
        "published": {
            "description": "must be a date as YYYY-MM-DD (years 1000-9999), or null",
            "type": ["string", "null"],
            "pattern": "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$",
            "format": "date",
        },
        "published_year": {
            "description": "must be a whole number from 1000 to 9999 (not true or false), or null",
            "type": ["integer", "null"],
            "minimum": SIDECAR_YEARS[0],
            "maximum": SIDECAR_YEARS[1],
        },
        "source": {
            "description": _TEXT_FIELD_RULE,
            "type": ["string", "null"],
            "maxLength": MAX_FIELD_CHARS,
            "pattern": f"^[^{INVISIBLE_CLASS}]*$",
        },
        "url": {
            "description": (
                f"must be an http:// or https:// address with a host, of at most "
                f"{MAX_URL_CHARS} characters and without spaces, or null"
            ),
            "type": ["string", "null"],
            "maxLength": MAX_URL_CHARS,
            "pattern": (
                f"^[Hh][Tt][Tt][Pp][Ss]?://[^/?#\\s{INVISIBLE_CLASS}]+"
                f"(?:[/?#][^\\s{INVISIBLE_CLASS}]*)?$"
            ),
            "format": "http-url",
        },
        "lang": {
            "description": "must be one of " + ", ".join(LANGUAGES) + ", or null",
            "type": ["string", "null"],
            "enum": [*LANGUAGES, None],
        },
    },
    # Other keys ("note", ...) are for people and kept as they are.
    "additionalProperties": True,
}

# Sidecars already in the seeds folder are hand-written, and the pages link a url only if it is
# http(s) with a host (`webapp.pages.documents.safe_url`), showing any other as text. So when a
# stored sidecar is read its url need only be one token (no spaces or invisible characters, at
# most MAX_URL_CHARS); a document being added must give an http(s) address with a host.
STORED_SIDECAR_SCHEMA: dict[str, Any] = {
    **SIDECAR_SCHEMA,
    "properties": {
        **SIDECAR_SCHEMA["properties"],
        "url": {
            "description": (
                f"must be an address of at most {MAX_URL_CHARS} characters without spaces or "
                "invisible control characters, or null"
            ),
            "type": ["string", "null"],
            "maxLength": MAX_URL_CHARS,
            "pattern": f"^[^\\s{INVISIBLE_CLASS}]+$",
        },
    },
}

_FORMATS = FormatChecker(["date"])


@_FORMATS.checks("http-url", raises=ValueError)
def _is_http_url(value: object) -> bool:
    """An http(s) URL that names a host (urlsplit raises ValueError on a broken one)."""
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


# JSON Schema's "integer" takes 2023.0; a year must be written as a whole number.
_SidecarValidator = validators.extend(
    Draft202012Validator,
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine(
        "integer", lambda _checker, v: isinstance(v, int) and not isinstance(v, bool)
    ),
)
_VALIDATORS = {
    stored: _SidecarValidator(schema, format_checker=_FORMATS)
    for stored, schema in ((False, SIDECAR_SCHEMA), (True, STORED_SIDECAR_SCHEMA))
}
_FIELD_ORDER = {name: i for i, name in enumerate(SIDECAR_SCHEMA["properties"])}


def invisible_character(text: str) -> str | None:
    """The first invisible control character in `text`, as 'U+202E RIGHT-TO-LEFT OVERRIDE'."""
    found = _INVISIBLE.search(text)
    if found is None:
        return None
    ch = found.group()
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X} {name}" if name else f"U+{ord(ch):04X} (a control character)"


def _shown(value: Any, limit: int = 60) -> str:
    text = json.dumps(value)  # JSON spelling, with invisible characters escaped
    return text if len(text) <= limit else text[:limit] + "..."


def check_sidecar(sidecar: Any, where: str, *, stored: bool = False) -> None:
    """Check a sidecar against `SIDECAR_SCHEMA` (`STORED_SIDECAR_SCHEMA` for one read from the
    seeds folder); DocumentRefused names the first bad field and what it must be."""
    if not isinstance(sidecar, dict):
        raise DocumentRefused(f"{where}: sidecar must be a JSON object")
    schema = STORED_SIDECAR_SCHEMA if stored else SIDECAR_SCHEMA
    errors = [e for e in _VALIDATORS[stored].iter_errors(sidecar) if e.path]
    if not errors:
        return
    error = min(errors, key=lambda e: (_FIELD_ORDER.get(str(e.path[0]), 99), str(e.path[0])))
    field = str(error.path[0])
    value = sidecar[field]
    rule = schema["properties"][field]["description"]
    if isinstance(value, str) and error.validator == "maxLength":
        detail = f"got {len(value):,} characters"
    elif isinstance(value, str) and invisible_character(value):
        detail = f"it contains {invisible_character(value)}"
    else:
        detail = f"got {_shown(value)}"
    raise DocumentRefused(f"{where}: {field!r} {rule}; {detail}")
