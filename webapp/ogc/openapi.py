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
# Far beyond any layer; a bound keeps `offset` a plain integer everywhere it goes.
MAX_OFFSET = 1_000_000_000
# The `f` values each endpoint accepts (the first is the default): `webapp.ogc.core` offers
# exactly these, and the document below lists exactly these, per endpoint.
DOCUMENT_FORMATS = ("json", "html")  # landing page, conformance, API, collections
FEATURE_FORMATS = ("geojson", "json", "html")  # items and single features
OPENAPI_MEDIA_TYPE = "application/vnd.oai.openapi+json;version=3.0"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/parameters/{name}"}


def _schema(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json_response(description: str, schema: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {
            "application/json": {"schema": _schema(schema)},
            "text/html": {"schema": {"type": "string"}},
        },
    }


_STRINGS = {"type": "array", "items": {"type": "string"}}
_LINKS = {"type": "array", "items": _schema("link")}
# What the JSON responses hold (after OGC API - Features' own schemas, reduced to what drillmap
# writes), so that clients and the schemathesis tests can check the responses against them.
SCHEMAS: dict[str, dict[str, Any]] = {
    "exception": {
        "type": "object", "required": ["code", "description", "status"],
        "properties": {
            "code": {"type": "string"}, "description": {"type": "string"},
            "status": {"type": "integer", "minimum": 400, "maximum": 599},
        },
    },
    "link": {
        "type": "object", "required": ["href", "rel"],
        "properties": {
            "href": {"type": "string"}, "rel": {"type": "string"},
            "type": {"type": "string"}, "title": {"type": "string"},
        },
    },
    "landingPage": {
        "type": "object", "required": ["links"],
        "properties": {
            "title": {"type": "string"}, "description": {"type": "string"}, "links": _LINKS,
        },
    },
    "confClasses": {
        "type": "object", "required": ["conformsTo"],
        "properties": {"conformsTo": _STRINGS, "links": _LINKS},
    },
    "collections": {
        "type": "object", "required": ["links", "collections"],
        "properties": {
            "links": _LINKS,
            "collections": {"type": "array", "items": _schema("collectionInfo")},
        },
    },
    "collectionInfo": {
        "type": "object", "required": ["id", "links"],
        "properties": {
            "id": {"type": "string"}, "title": {"type": "string"},
            "description": {"type": "string"}, "itemType": {"type": "string"},
            "crs": _STRINGS, "links": _LINKS,
            "extent": {
                "type": "object",
                "properties": {
                    "spatial": {
                        "type": "object",
                        "properties": {
                            "bbox": {
                                "type": "array",
                                "items": {
                                    "type": "array", "minItems": 4, "maxItems": 6,
                                    "items": {"type": "number"},
                                },
                            },
                            "crs": {"type": "string"},
                        },
                    },
                    "temporal": {
                        "type": "object",
                        "properties": {
                            "interval": {
                                "type": "array",
                                "items": {
                                    "type": "array", "minItems": 2, "maxItems": 2,
                                    "items": {"type": "string", "nullable": True},
                                },
                            },
                            "trs": {"type": "string"},
                        },
                    },
                },
            },
        },
    },
    "feature": {
        "type": "object", "required": ["type", "geometry", "properties"],
        "properties": {
            "type": {"type": "string", "enum": ["Feature"]},
            "id": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
            "geometry": {"type": "object", "nullable": True},
            "properties": {"type": "object", "nullable": True},
            "bbox": {"type": "array", "minItems": 4, "items": {"type": "number"}},
            "links": _LINKS,
        },
    },
    "featureCollection": {
        "type": "object", "required": ["type", "features"],
        "properties": {
            "type": {"type": "string", "enum": ["FeatureCollection"]},
            "features": {"type": "array", "items": _schema("feature")},
            "links": _LINKS,
            "timeStamp": {"type": "string", "format": "date-time"},
            "numberMatched": {"type": "integer", "minimum": 0},
            "numberReturned": {"type": "integer", "minimum": 0},
        },
    },
}


def _items_response() -> dict[str, Any]:
    return {
        "description": "A GeoJSON FeatureCollection with paging links",
        "content": {
            "application/geo+json": {"schema": _schema("featureCollection")},
            "text/html": {"schema": {"type": "string"}},
        },
    }


ERRORS = {
    "400": {"description": "A bad query parameter", "content": {
        "application/json": {"schema": _schema("exception")}}},
    "404": {"description": "No such collection or feature", "content": {
        "application/json": {"schema": _schema("exception")}}},
}

PARAMETERS: dict[str, dict[str, Any]] = {
    # `f` of the features endpoints (items, one feature).
    "f": {
        "name": "f", "in": "query", "required": False, "style": "form", "explode": False,
        "description": "Response format; overrides the Accept header.",
        "schema": {"type": "string", "enum": list(FEATURE_FORMATS)},
    },
    # `f` of the other endpoints: they have no GeoJSON form.
    "fMetadata": {
        "name": "f", "in": "query", "required": False, "style": "form", "explode": False,
        "description": "Response format; overrides the Accept header.",
        "schema": {"type": "string", "enum": list(DOCUMENT_FORMATS)},
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
        "schema": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET, "default": 0},
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
        "application/geo+json": {"schema": _schema("feature")},
        "text/html": {"schema": {"type": "string"}},
    }
    paths: dict[str, Any] = {
        "/": _get("Landing page", "getLandingPage", "capabilities", ["fMetadata"],
                  {"200": _json_response("Links to the API's resources", "landingPage"),
                   "400": ERRORS["400"]}),
        "/conformance": _get("Conformance classes", "getConformance", "capabilities", ["fMetadata"],
                             {"200": _json_response("The conformance classes", "confClasses"),
                              "400": ERRORS["400"]}),
        "/api": _get("This API definition", "getApi", "capabilities", ["fMetadata"],
                     {"200": {"description": "OpenAPI 3.0 document", "content": openapi_content},
                      "400": ERRORS["400"]}),
        "/collections": _get("The feature collections", "getCollections", "capabilities",
                             ["fMetadata"],
                             {"200": _json_response("The collections", "collections"),
                              "400": ERRORS["400"]}),
        "/collections/{collectionId}": _get(
            "One collection", "describeCollection", "capabilities", ["collectionId", "fMetadata"],
            {"200": _json_response("The collection", "collectionInfo"), **ERRORS}),
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
            "schemas": SCHEMAS,
        },
    }
