"""HTML pages of the OGC API (the `html` conformance class), from small Jinja templates.

A plain Jinja environment rather than Flask's, so the API core renders without an app context;
autoescaping is on for every template, because titles and evidence come from news text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

TEMPLATES = Path(__file__).parent / "templates"

_env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def render(template: str, **context: Any) -> bytes:
    return _env.get_template(template).render(**context).encode()
