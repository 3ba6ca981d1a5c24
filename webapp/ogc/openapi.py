"""The OpenAPI 3.0 definition of the OGC API (the `oas30` conformance class).

Besides the generic `{collectionId}` paths it lists each collection's items path with its
filter parameters, as pygeoapi does: GDAL's OAPIF driver reads them there to send simple
attribute filters to the server instead of filtering on its side.
"""

from __future__ import annotations

from typing import Any

from geo.domain.query import FILTER_PARAMS

DEFAULT_LIMIT = 10
MAX_LIMIT = 10_000
OPENAPI_MEDIA_TYPE = "application/vnd.oai.openapi+json;version=3.0"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/parameters/{name}"}


def _json_response(description: str, schema: str = "object") -> dict[str, Any]:
    return {
        "description": description,
        "content": {
            "application/json": {"schema": {"type": schema}},
            "text/html": {"schema": {"type": "string"}},
        },
    }


def _items_response() -> dict[str, Any]:
    return {
        "description": "A GeoJSON FeatureCollection with paging links",
        "content": {
            "application/geo+json": {"schema": {"$ref": "#/components/schemas/featureCollection"}},
            "text/html": {"schema": {"type": "string"}},
        },
    }


ERRORS = {
    "400": {"description": "A bad query parameter", "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/exception"}}}},
    "404": {"description": "No such collection or feature", "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/exception"}}}},
}

PARAMETERS: dict[str, dict[str, Any]] = {
    "f": {
        "name": "f", "in": "query", "required": False, "style": "form", "explode": False,
        "description": "Response format; overrides the Accept header.",
        "schema": {"type": "string", "enum": ["json", "html", "geojson"]},
    },
    "collectionId": {
        "name": "collectionId", "in": "path", "required": True,
        "description": "A layer name.", "schema": {"type": "string"},
    },
    "featureId": {
        "name": "featureId", "in": "path", "required": True,
        "description": "A feature's stable id.", "schema": {"type": "string"},
    },
    "limit": {
        "name": "limit", "in": "query", "required": False, "style": "form", "explode": False,
        "description": f"Features per page; larger values are capped at {MAX_LIMIT}.",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
    },
    "offset": {
        "name": "offset", "in": "query", "required": False, "style": "form", "explode": False,
        "description": "Number of matching features to skip.",
        "schema": {"type": "integer", "minimum": 0, "default": 0},
    },
}

# The filters, from the query model's one list (GDAL's OAPIF driver reads them here).
PARAMETERS.update(
    {
        p.name: {
            "name": p.name, "in": "query", "required": False, "style": "form", "explode": False,
            "description": p.description, "schema": p.openapi_schema,
        }
        for p in FILTER_PARAMS
    }
)
# The standard's own filters first (OGC API - Features core), then drillmap's.
OGC_CORE_FILTERS = ("bbox", "datetime")
ITEMS_PARAMETERS = [
    "f", *OGC_CORE_FILTERS, "limit", "offset",
    *(p.name for p in FILTER_PARAMS if p.name not in OGC_CORE_FILTERS),
]


def _get(
    summary: str, operation_id: str, tag: str, params: list[str], responses: dict[str, Any]
) -> dict[str, Any]:
    return {
        "get": {
            "summary": summary,
            "operationId": operation_id,
            "tags": [tag],
            "parameters": [_ref(p) for p in params],
            "responses": responses,
        }
    }


def _items_operation(summary: str, operation_id: str, path_params: list[str]) -> dict[str, Any]:
    return _get(
        summary, operation_id, "data", [*path_params, *ITEMS_PARAMETERS],
        {"200": _items_response(), **ERRORS},
    )


def openapi_document(base_url: str, collections: list[dict[str, Any]]) -> dict[str, Any]:
    """The API definition for the collections currently built."""
    openapi_content = {
        OPENAPI_MEDIA_TYPE: {"schema": {"type": "object"}},
        "text/html": {"schema": {"type": "string"}},
    }
    feature_content = {
        "application/geo+json": {"schema": {"type": "object"}},
        "text/html": {"schema": {"type": "string"}},
    }
    paths: dict[str, Any] = {
        "/": _get("Landing page", "getLandingPage", "capabilities", ["f"],
                  {"200": _json_response("Links to the API's resources"), "400": ERRORS["400"]}),
        "/conformance": _get("Conformance classes", "getConformance", "capabilities", ["f"],
                             {"200": _json_response("The conformance classes"),
                              "400": ERRORS["400"]}),
        "/api": _get("This API definition", "getApi", "capabilities", ["f"],
                     {"200": {"description": "OpenAPI 3.0 document", "content": openapi_content},
                      "400": ERRORS["400"]}),
        "/collections": _get("The feature collections", "getCollections", "capabilities", ["f"],
                             {"200": _json_response("The collections"), "400": ERRORS["400"]}),
        "/collections/{collectionId}": _get(
            "One collection", "describeCollection", "capabilities", ["collectionId", "f"],
            {"200": _json_response("The collection"), **ERRORS}),
        "/collections/{collectionId}/items": _items_operation(
            "Features of a collection", "getFeatures", ["collectionId"]),
        "/collections/{collectionId}/items/{featureId}": _get(
            "One feature", "getFeature", "data", ["collectionId", "featureId", "f"],
            {"200": {"description": "A GeoJSON Feature", "content": feature_content}, **ERRORS}),
    }
    for collection in collections:
        cid = collection["id"]
        paths[f"/collections/{cid}/items"] = _items_operation(
            f"Features of {collection['title']}", f"getFeatures_{cid}", [])
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "drillmap OGC API – Features",
            "version": "1.0.0",
            "description": "Military activity near Japan and Korea reported in news, as layers.",
            "license": {"name": "see the project"},
        },
        "servers": [{"url": base_url}],
        "tags": [{"name": "capabilities"}, {"name": "data"}],
        "paths": paths,
        "components": {
            "parameters": PARAMETERS,
            "schemas": {
                "exception": {
                    "type": "object", "required": ["code"],
                    "properties": {"code": {"type": "string"}, "description": {"type": "string"}},
                },
                "featureCollection": {
                    "type": "object", "required": ["type", "features"],
                    "properties": {
                        "type": {"type": "string", "enum": ["FeatureCollection"]},
                        "features": {"type": "array", "items": {"type": "object"}},
                        "links": {"type": "array", "items": {"type": "object"}},
                        "timeStamp": {"type": "string", "format": "date-time"},
                        "numberMatched": {"type": "integer", "minimum": 0},
                        "numberReturned": {"type": "integer", "minimum": 0},
                    },
                },
            },
        },
    }
