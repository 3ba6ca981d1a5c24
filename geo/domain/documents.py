"""What makes bytes a usable document: plain UTF-8 text of a bounded size, and its date.

Pure checks (no files): the document store, the command line and the web form all refuse the
same input with the same reason.
"""

from __future__ import annotations

from datetime import date

from geo.errors import DocumentRefused

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

