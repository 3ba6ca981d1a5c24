"""Validators on every answer: an ETag (of the body) and a Last-Modified (of the store), so a
client that has the current version gets 304 Not Modified instead of the body again.

Compressed answers are made conditional by Flask-Compress after compressing (its ETag carries
the encoding); the others here.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request

from webapp import get_store


def _compressible(response: Response) -> bool:
    accepted = request.headers.get("Accept-Encoding", "")
    mimetypes = current_app.config.get("COMPRESS_MIMETYPES") or ()
    return response.mimetype in mimetypes and ("gzip" in accepted or "br" in accepted)


def _validators(response: Response) -> Response:
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    if response.is_streamed or response.direct_passthrough:
        return response  # files: send_file sets its own validators
    if "ETag" not in response.headers:
        response.add_etag()
    if response.last_modified is None:
        response.last_modified = get_store().modified()
    conditional = "If-None-Match" in request.headers or "If-Modified-Since" in request.headers
    if conditional and not _compressible(response):
        response.make_conditional(request)
    return response


def init_app(app: Flask) -> None:
    app.after_request(_validators)
