"""The layer tree: layers › kinds with their symbols, actors with their colours (the legend),
years, what is drawn out of what exists, and download links for exactly what is drawn."""

from __future__ import annotations

from webapp.map.client import ClientPart


def layer_tree(links: list[tuple[str, str]], position: str = "topright") -> ClientPart:
    """`links` are (title, href) pairs to the app's other pages, shown in the control's header."""
    return ClientPart(
        "layerTree",
        {"position": position, "links": [{"title": t, "href": h} for t, h in links]},
        js=("filters", "tree"),
    )
