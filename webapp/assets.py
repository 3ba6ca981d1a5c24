"""Browser assets served from node_modules, so the map needs no CDN and nothing is copied.

One place holds the mapping folium CDN URL → (npm package, file); `localise` rewrites every
element's `default_js`/`default_css` through it and the `/vendor/<path>` route serves only the
files the mapping (plus the images and fonts their stylesheets reference) allows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath

from branca.element import Element
from flask import Blueprint, Response, abort, current_app, send_from_directory

blueprint = Blueprint("vendor", __name__)

# Prefix for an app-relative static file in an element's default_js/default_css.
STATIC_PREFIX = "static:"
# Prefix for an npm file that no folium element names by CDN URL (our own plugins' assets).
NPM_PREFIX = "npm:"

# folium 0.20's CDN URLs → (npm package, path inside it), pinned in package.json.
VENDOR: dict[str, tuple[str, str]] = {
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js": ("leaflet", "dist/leaflet.js"),
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css": ("leaflet", "dist/leaflet.css"),
    "https://code.jquery.com/jquery-3.7.1.min.js": ("jquery", "dist/jquery.min.js"),
    "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js": (
        "bootstrap",
        "dist/js/bootstrap.bundle.min.js",
    ),
    "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/css/bootstrap.min.css": (
        "bootstrap",
        "dist/css/bootstrap.min.css",
    ),
    "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@6.2.0/css/all.min.css": (
        "@fortawesome/fontawesome-free",
        "css/all.min.css",
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.js": (  # noqa: E501
        "leaflet.awesome-markers",
        "dist/leaflet.awesome-markers.js",
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.css": (  # noqa: E501
        "leaflet.awesome-markers",
        "dist/leaflet.awesome-markers.css",
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/leaflet.markercluster.js": (
        "leaflet.markercluster",
        "dist/leaflet.markercluster.js",
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.css": (
        "leaflet.markercluster",
        "dist/MarkerCluster.css",
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.Default.css": (  # noqa: E501
        "leaflet.markercluster",
        "dist/MarkerCluster.Default.css",
    ),
}

# No npm twin; the map uses Font Awesome icons (prefix="fa") instead.
DROPPED: frozenset[str] = frozenset(
    {
        "https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css",
        "https://cdn.jsdelivr.net/gh/python-visualization/folium/folium/templates/leaflet.awesome.rotate.min.css",
    }
)

# Folders whose files the vendored stylesheets load by relative URL (images, fonts).
ASSET_DIRS: tuple[str, ...] = (
    "leaflet/dist/images",
    "leaflet.awesome-markers/dist/images",
    "@fortawesome/fontawesome-free/webfonts",
)

# npm files loaded by drillmap's own map elements, pinned in package.json.
# The charts (Vega-Lite through vega-embed, whose bundle carries vega-interpreter for the
# CSP-safe `ast` mode), in the order they must load: each bundle reads the globals before it.
CHART_JS: tuple[str, ...] = (
    "vega/build/vega.min.js",
    "vega-lite/build/vega-lite.min.js",
    "vega-embed/build/vega-embed.min.js",
)

NPM_FILES: frozenset[str] = frozenset(
    {
        "leaflet-polylinedecorator/dist/leaflet.polylineDecorator.js",  # arrows on routes
        *CHART_JS,
    }
)

ALLOWED_FILES: frozenset[str] = (
    frozenset(f"{pkg}/{path}" for pkg, path in VENDOR.values()) | NPM_FILES
)


class UnknownAsset(LookupError):
    """An element asks for a URL with no local twin: the page would reach another host."""


def static(path: str) -> str:
    """Name a file under the app's static folder in an element's default_js/default_css."""
    return STATIC_PREFIX + path


def npm(path: str) -> str:
    """Name an npm file (one of NPM_FILES) in an element's default_js/default_css."""
    if path not in NPM_FILES:
        raise UnknownAsset(path)
    return NPM_PREFIX + path


def is_allowed(filename: str) -> bool:
    """Whether `/vendor/<filename>` may be served: a mapped file or a file in an asset folder."""
    parts = PurePosixPath(filename).parts
    if not parts or any(part in ("", ".", "..") for part in parts) or filename.startswith("/"):
        return False
    if filename in ALLOWED_FILES:
        return True
    return str(PurePosixPath(filename).parent) in ASSET_DIRS


def node_modules() -> Path:
    return Path(current_app.config["NODE_MODULES"])


@blueprint.get("/vendor/<path:filename>")
def vendor(filename: str) -> Response:
    if not is_allowed(filename):
        abort(404)
    return send_from_directory(node_modules(), filename)


def _walk(element: Element) -> Iterator[Element]:
    yield element
    for child in list(element._children.values()):
        yield from _walk(child)


def localise(
    root: Element,
    vendor_url: Callable[[str], str],
    static_url: Callable[[str], str],
) -> Element:
    """Point every element's JS/CSS links at this app; raise UnknownAsset for any other URL.

    Sets the lists per instance (folium's class-level lists stay untouched), recursively.
    """

    def resolve(links: list[tuple[str, str]]) -> list[tuple[str, str]]:
        local = []
        for name, url in links:
            if url in DROPPED:
                continue
            if url in VENDOR:
                package, path = VENDOR[url]
                local.append((name, vendor_url(f"{package}/{path}")))
            elif url.startswith(NPM_PREFIX) and url.removeprefix(NPM_PREFIX) in NPM_FILES:
                local.append((name, vendor_url(url.removeprefix(NPM_PREFIX))))
            elif url.startswith(STATIC_PREFIX):
                local.append((name, static_url(url.removeprefix(STATIC_PREFIX))))
            else:
                raise UnknownAsset(url)
        return local

    for element in _walk(root):
        if hasattr(element, "default_js"):
            element.default_js = resolve(element.default_js)
        if hasattr(element, "default_css"):
            element.default_css = resolve(element.default_css)
    return root
