"""The year slider: one position per dated year plus "all years", and a play button that steps
through them. It sets the same year ticks as the layer tree's year checkboxes."""

from __future__ import annotations

from webapp.map.client import ClientPart

STEP_MS = 1600  # long enough to read a year's marks before the next one


def year_slider(position: str = "bottomleft", step_ms: int = STEP_MS) -> ClientPart:
    return ClientPart(
        "yearSlider", {"position": position, "stepMs": step_ms}, js=("filters", "timeline")
    )
