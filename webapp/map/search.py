"""The map's search box: a GET form to `/search`, the same one every other page has in its top
bar (the map has no top bar; the box sits in a control of its own)."""

from __future__ import annotations

from webapp.map.client import ClientPart


def search_box(action: str, position: str = "topleft") -> ClientPart:
    return ClientPart("searchBox", {"action": action, "position": position}, js=("search",))
