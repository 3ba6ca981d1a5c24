"""OGC API – Features Part 1 over the built layers: `core` answers, `views` serves it at /ogc."""

from webapp.ogc.views import blueprint

__all__ = ["blueprint"]
