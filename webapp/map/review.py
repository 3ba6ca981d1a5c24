"""The review buttons in event popups (confirm, reject, correct), where writes are allowed.

The page carries only the two addresses; whether this browser may review, and its form token,
come from `/review/session` when the map opens (the map page is cached for everyone).
"""

from __future__ import annotations

from webapp.map.client import ClientPart


def review_controls(session_url: str, review_url: str) -> ClientPart:
    return ClientPart(
        "reviewControls", {"sessionUrl": session_url, "reviewUrl": review_url}, js=("review",)
    )
