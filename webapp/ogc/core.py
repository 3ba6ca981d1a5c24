"""OGC API – Features Part 1 (core, geojson, html, oas30) over the feature store.

Like pygeoapi's API core: plain functions of (store, request) returning (status, headers, body),
so the Flask blueprint stays a thin adapter and every rule here is testable without a server.
Collections are the layers listed in the build's index; feature ids are the layers' own ids.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlencode

import orjson
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from geo.budget import check_budget
from geo.domain.query import FILTER_NAMES, collect_params, parse_int, parse_query
from geo.errors import DrillmapError, InvalidParameter, NotFound
from geo.storage.base import FeatureStore
from webapp.ogc.html import render
from webapp.ogc.openapi import (
    DEFAULT_LIMIT,
    DOCUMENT_FORMATS,
    FEATURE_FORMATS,
    MAX_LIMIT,
    MAX_OFFSET,
    openapi_document,
)
from webapp.ogc.openapi import OPENAPI_MEDIA_TYPE as OPENAPI

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
]
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
JSON = "application/json"
GEOJSON = "application/geo+json"
HTML = "text/html"
MEDIA_TYPES = {"json": JSON, "geojson": GEOJSON, "html": HTML}
ITEMS_PARAMS = ("f", "limit", "offset", *FILTER_NAMES)
WHOLE_WORLD = [-180.0, -90.0, 180.0, 90.0]

ApiResponse = tuple[int, dict[str, str], bytes]


@dataclass(frozen=True)
class ApiRequest:
    """What the API needs from an HTTP request, free of any web framework."""

    base_url: str  # the API's landing page, e.g. "http://127.0.0.1:8000/ogc"
    params: Sequence[tuple[str, str]] = ()
    accept: str = ""


def _link(href: str, rel: str, media_type: str, title: str) -> dict[str, str]:
    return {"href": href, "rel": rel, "type": media_type, "title": title}


def _json(status: int, doc: Any, media_type: str = JSON) -> ApiResponse:
    return status, {"Content-Type": media_type, "Vary": "Accept"}, orjson.dumps(doc)


def _html(template: str, **context: Any) -> ApiResponse:
    return 200, {"Content-Type": "text/html; charset=utf-8", "Vary": "Accept"}, render(
        template, **context
    )


def error_response(error: DrillmapError) -> ApiResponse:
    """An OGC exception document, in the app's one error shape."""
    doc = {"code": error.code, "description": error.description, "status": error.status}
    headers = {"Content-Type": JSON}
    retry_after = getattr(error, "retry_after", None)
    if retry_after is not None:
        headers["Retry-After"] = str(retry_after)
    return error.status, headers, orjson.dumps(doc)


def _params(request: ApiRequest, allowed: Iterable[str]) -> dict[str, str]:
    """The query parameters, refusing unknown ones (OGC /req/core/query-param-unknown)."""
    return collect_params(request.params, allowed)


def _format(request: ApiRequest, params: Mapping[str, str], offered: Sequence[str]) -> str:
    """`f` if given, else the Accept header; HTML only when the client prefers it to JSON."""
    if "f" in params:
        if params["f"] not in offered:
            raise InvalidParameter(f"'f' must be one of: {', '.join(offered)}")
        return params["f"]
    if request.accept:
        accept = parse_accept_header(request.accept, MIMEAccept)
        best = accept.best_match([MEDIA_TYPES[f] for f in offered if f != "html"] + [HTML])
        if best == HTML and "html" in offered:
            return "html"
    return offered[0]


def _paging(params: Mapping[str, str]) -> tuple[int, int]:
    """`limit` (1.., larger values capped at MAX_LIMIT) and `offset` (0..MAX_OFFSET)."""
    limit, offset = params.get("limit"), params.get("offset")
    return (
        DEFAULT_LIMIT if limit is None
        else parse_int(limit, "limit", minimum=1, maximum=MAX_LIMIT, clamp=True),
        0 if offset is None else parse_int(offset, "offset", minimum=0, maximum=MAX_OFFSET),
    )


_clock: tuple[int, str] = (0, "")


def _now() -> str:
    """The response timeStamp; formatted once per second, not once per request."""
    global _clock
    second = int(time.time())
    if _clock[0] != second:
        _clock = (second, datetime.fromtimestamp(second, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    return _clock[1]


def _display(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else orjson.dumps(value).decode()


@dataclass
class FeaturesApi:
    """The API over one feature store."""

    store: FeatureStore
    title: str = "drillmap"
    description: str = (
        "Military activity near Japan and Korea reported in the news, as feature collections."
    )

    # -- documents -------------------------------------------------------------------------

    def _collection_doc(self, base: str, entry: Mapping[str, Any]) -> dict[str, Any]:
        cid = entry["name"]
        href = f"{base}/collections/{quote(cid, safe='')}"
        years = [y for y in entry.get("years") or [] if y is not None]
        interval = (
            [f"{min(years)}-01-01T00:00:00Z", f"{max(years)}-12-31T23:59:59Z"]
            if years
            else [None, None]
        )
        return {
            "id": cid,
            "title": entry.get("title") or cid,
            "description": f"{entry.get('count', 0)} features; kinds: "
            + (", ".join(entry.get("kinds") or []) or "none"),
            "itemType": "feature",
            "crs": [CRS84],
            "extent": {
                "spatial": {"bbox": [entry.get("bbox") or WHOLE_WORLD], "crs": CRS84},
                "temporal": {
                    "interval": [interval],
                    "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian",
                },
            },
            "links": [
                _link(f"{href}?f=json", "self", JSON, "This collection"),
                _link(f"{href}?f=html", "alternate", HTML, "This collection as HTML"),
                _link(f"{href}/items?f=geojson", "items", GEOJSON, "Items as GeoJSON"),
                _link(f"{href}/items?f=html", "items", HTML, "Items as HTML"),
            ],
        }

    def _entries(self) -> list[dict[str, Any]]:
        return self.store.collections()

    def _entry(self, cid: str) -> dict[str, Any]:
        for entry in self._entries():
            if entry["name"] == cid:
                return entry
        raise NotFound(f"no collection {cid!r}")

    def _crumbs(self, base: str, *extra: tuple[str, str]) -> list[dict[str, str]]:
        return [{"href": f"{base}?f=html", "title": self.title}] + [
            {"href": href, "title": title} for href, title in extra
        ]

    # -- endpoints -------------------------------------------------------------------------

    def landing(self, request: ApiRequest) -> ApiResponse:
        params = _params(request, {"f"})
        fmt = _format(request, params, DOCUMENT_FORMATS)
        base = request.base_url
        links = [
            _link(f"{base}?f=json", "self", JSON, "This document"),
            _link(f"{base}?f=html", "alternate", HTML, "This document as HTML"),
            _link(f"{base}/api", "service-desc", OPENAPI, "The API definition (OpenAPI 3.0)"),
            _link(f"{base}/api?f=html", "service-doc", HTML, "The API documentation"),
            _link(f"{base}/conformance", "conformance", JSON, "Conformance classes"),
            _link(f"{base}/collections", "data", JSON, "Feature collections"),
        ]
        doc = {"title": self.title, "description": self.description, "links": links}
        if fmt == "html":
            return _html("landing.html", crumbs=self._crumbs(base), **doc)
        return _json(200, doc)

    def conformance(self, request: ApiRequest) -> ApiResponse:
        params = _params(request, {"f"})
        fmt = _format(request, params, DOCUMENT_FORMATS)
        base = request.base_url
        links = [
            _link(f"{base}/conformance?f=json", "self", JSON, "This document"),
            _link(f"{base}/conformance?f=html", "alternate", HTML, "This document as HTML"),
        ]
        if fmt == "html":
            crumbs = self._crumbs(base, (f"{base}/conformance?f=html", "Conformance"))
            return _html(
                "conformance.html", title="Conformance", conformsTo=CONFORMANCE,
                links=links, crumbs=crumbs,
            )
        return _json(200, {"conformsTo": CONFORMANCE, "links": links})

    def api(self, request: ApiRequest) -> ApiResponse:
        params = _params(request, {"f"})
        fmt = _format(request, params, DOCUMENT_FORMATS)
        base = request.base_url
        collections = [self._collection_doc(base, e) for e in self._entries()]
        doc = openapi_document(base, collections)
        if fmt == "html":
            shared = doc["components"]["parameters"]
            paths = [
                (path, op["get"]["summary"], [
                    p.get("name") or shared[p["$ref"].rsplit("/", 1)[-1]]["name"]
                    for p in op["get"]["parameters"]
                ])
                for path, op in doc["paths"].items()
            ]
            links = [_link(f"{base}/api?f=json", "alternate", OPENAPI, "OpenAPI 3.0 (JSON)")]
            crumbs = self._crumbs(base, (f"{base}/api?f=html", "API"))
            return _html(
                "api.html", title="API definition", openapi=doc["openapi"], paths=paths,
                links=links, crumbs=crumbs,
            )
        return _json(200, doc, OPENAPI)

    def collections(self, request: ApiRequest) -> ApiResponse:
        params = _params(request, {"f"})
        fmt = _format(request, params, DOCUMENT_FORMATS)
        base = request.base_url
        collections = [self._collection_doc(base, e) for e in self._entries()]
        links = [
            _link(f"{base}/collections?f=json", "self", JSON, "This document"),
            _link(f"{base}/collections?f=html", "alternate", HTML, "This document as HTML"),
        ]
        if fmt == "html":
            for c in collections:
                c["html_href"] = f"{base}/collections/{quote(c['id'], safe='')}?f=html"
                c["items_href"] = f"{base}/collections/{quote(c['id'], safe='')}/items?f=html"
            crumbs = self._crumbs(base, (f"{base}/collections?f=html", "Collections"))
            return _html(
                "collections.html", title="Collections", collections=collections,
                links=links, crumbs=crumbs,
            )
        return _json(200, {"links": links, "collections": collections})

    def collection(self, request: ApiRequest, cid: str) -> ApiResponse:
        params = _params(request, {"f"})
        entry = self._entry(cid)
        fmt = _format(request, params, DOCUMENT_FORMATS)
        base = request.base_url
        doc = self._collection_doc(base, entry)
        if fmt == "html":
            crumbs = self._crumbs(
                base,
                (f"{base}/collections?f=html", "Collections"),
                (f"{base}/collections/{quote(cid, safe='')}?f=html", doc["title"]),
            )
            return _html(
                "collection.html", title=doc["title"], collection=doc, links=doc["links"],
                crumbs=crumbs,
            )
        return _json(200, doc)

    def items(self, request: ApiRequest, cid: str) -> ApiResponse:
        params = _params(request, ITEMS_PARAMS)
        entry = self._entry(cid)
        fmt = _format(request, params, FEATURE_FORMATS)
        limit, offset = _paging(params)
        query = parse_query(params)
        page = self.store.query(cid, query, limit=limit, offset=offset)
        check_budget("selecting items")
        matched = page.matched
        returned = len(page.features)

        base = request.base_url
        items_url = f"{base}/collections/{quote(cid, safe='')}/items"
        # The filters are encoded once; each page link only appends f, limit and offset.
        filters = urlencode(
            [(k, v) for k, v in params.items() if k not in ("f", "limit", "offset")],
            safe=",:/",
        )
        fixed = f"{items_url}?{filters}&" if filters else f"{items_url}?"
        fixed_tail = f"&limit={limit}" if "limit" in params else ""

        def page_url(f: str, at: int) -> str:
            return f"{fixed}f={f}{fixed_tail}" + (f"&offset={at}" if at else "")

        own, other = ("html", "geojson") if fmt == "html" else (fmt, "html")
        links = [
            _link(page_url(own, offset), "self", HTML if own == "html" else GEOJSON, "This page"),
            _link(page_url(other, offset), "alternate", GEOJSON if own == "html" else HTML,
                  f"This page as {'GeoJSON' if own == 'html' else 'HTML'}"),
        ]
        link_format = "html" if fmt == "html" else "geojson"
        link_type = HTML if fmt == "html" else GEOJSON
        if offset + returned < matched:
            links.append(_link(page_url(link_format, offset + limit), "next", link_type,
                               "Next page"))
        if offset > 0:
            links.append(_link(page_url(link_format, max(offset - limit, 0)), "prev", link_type,
                               "Previous page"))
        links.append(_link(f"{base}/collections/{quote(cid, safe='')}", "collection", JSON,
                           "The collection"))

        if fmt == "html":
            features = [
                {**f, "href": f"{items_url}/{quote(str(f['id']), safe='')}?f=html"}
                for f in page.features
            ]
            crumbs = self._crumbs(
                base,
                (f"{base}/collections?f=html", "Collections"),
                (f"{base}/collections/{quote(cid, safe='')}?f=html", entry.get("title") or cid),
                (page_url("html", 0), "Items"),
            )
            return _html(
                "items.html", title=f"{entry.get('title') or cid}: items", features=features,
                numberMatched=matched, numberReturned=returned, offset=offset, links=links,
                crumbs=crumbs,
            )
        tail = orjson.dumps(
            {
                "numberMatched": matched,
                "numberReturned": returned,
                "timeStamp": _now(),
                "links": links,
            }
        )
        encoded = page.encoded or [orjson.dumps(f) for f in page.features]
        body = b"".join(
            (
                b'{"type":"FeatureCollection","features":[',
                b",".join(encoded),
                b"],",
                tail[1:],
            )
        )
        return 200, {"Content-Type": GEOJSON, "Vary": "Accept"}, body

    def item(self, request: ApiRequest, cid: str, fid: str) -> ApiResponse:
        params = _params(request, {"f"})
        entry = self._entry(cid)
        feature = self.store.get(cid, fid)
        fmt = _format(request, params, FEATURE_FORMATS)
        base = request.base_url
        href = f"{base}/collections/{quote(cid, safe='')}/items/{quote(fid, safe='')}"
        links = [
            _link(f"{href}?f=geojson", "self", GEOJSON, "This feature"),
            _link(f"{href}?f=html", "alternate", HTML, "This feature as HTML"),
            _link(f"{base}/collections/{quote(cid, safe='')}", "collection", JSON,
                  "The collection"),
        ]
        if fmt == "html":
            links[0], links[1] = (
                _link(f"{href}?f=html", "self", HTML, "This feature"),
                _link(f"{href}?f=geojson", "alternate", GEOJSON, "This feature as GeoJSON"),
            )
            props = feature.get("properties") or {}
            crumbs = self._crumbs(
                base,
                (f"{base}/collections?f=html", "Collections"),
                (f"{base}/collections/{quote(cid, safe='')}?f=html", entry.get("title") or cid),
                (f"{base}/collections/{quote(cid, safe='')}/items?f=html", "Items"),
                (f"{href}?f=html", fid),
            )
            return _html(
                "item.html", title=props.get("title") or fid,
                properties=[(k, _display(v)) for k, v in props.items()],
                geometry=_display(feature.get("geometry")), links=links, crumbs=crumbs,
            )
        return _json(200, {**feature, "links": links}, GEOJSON)

    def handle(self, endpoint: str, request: ApiRequest, *args: str) -> ApiResponse:
        """Run one endpoint, turning API errors into exception documents."""
        try:
            return getattr(self, endpoint)(request, *args)
        except DrillmapError as error:
            return error_response(error)
