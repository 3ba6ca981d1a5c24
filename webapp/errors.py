"""One error handler: every failure as one JSON shape on machine paths, a page elsewhere.

A `DrillmapError` carries its status and OGC code (`geo.errors`); werkzeug's HTTP errors (404,
405, 413, ...) get the same treatment, so `/api`, `/export` and `/ogc` clients parse one shape:
`{"code", "description", "status"}`. A layer the store cannot read is a 503 for that layer and
a notice on every page; the rest keeps working.
"""

from __future__ import annotations

import orjson
from flask import Flask, Response, render_template, request
from werkzeug.exceptions import HTTPException

from geo.errors import DrillmapError
from webapp import get_store

MACHINE_PREFIXES = ("/api", "/export", "/ogc")
HTTP_CODES = {400: "InvalidParameterValue", 404: "NotFound", 403: "Forbidden"}


def json_error(status: int, code: str, description: str) -> Response:
    body = orjson.dumps({"code": code, "description": description, "status": status})
    return Response(body, status=status, mimetype="application/json")


def error_response(error: DrillmapError) -> Response:
    return json_error(error.status, error.code, error.description)


def _machine_path() -> bool:
    return any(request.path == p or request.path.startswith(p + "/") for p in MACHINE_PREFIXES)


def _page(status: int, message: str) -> tuple[str, int]:
    return render_template("pages/error.html", status=status, message=message), status


def store_problems() -> list[str]:
    """What the store cannot read right now, shown on every page (the rest keeps working)."""
    try:
        return get_store().problems()
    except DrillmapError as error:
        return [error.description]


def init_app(app: Flask) -> None:
    app.jinja_env.globals["store_problems"] = store_problems

    @app.errorhandler(DrillmapError)
    def drillmap_error(error: DrillmapError):
        response = (
            error_response(error)
            if _machine_path()
            else app.make_response(_page(error.status, error.description))
        )
        retry_after = getattr(error, "retry_after", None)
        if retry_after is not None:  # a busy or timed-out answer says when to come back
            response.headers["Retry-After"] = str(retry_after)
        return response

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if not _machine_path():
            return error
        status = error.code or 500
        code = HTTP_CODES.get(status, "ServerError" if status >= 500 else "HTTPError")
        return json_error(status, code, error.description or error.name)
