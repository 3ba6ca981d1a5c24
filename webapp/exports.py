"""Downloads of a layer in GIS formats: `/export/<layer>.<ext>?year=&actor=&kind=`.

The file is made by `geo.services.export` (the same code as `drillmap export`), in a temporary folder
that is gone before the response is sent.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import orjson
from flask import Blueprint, Response, request

from geo.domain.query import FeatureQuery, QueryError, parse_query
from geo.services.export import FILTER_PARAMS, FORMATS, export_layer
from geo.storage.files import UnknownLayer
from webapp import get_store

blueprint = Blueprint("exports", __name__, url_prefix="/export")


def _error(status: int, code: str, description: str) -> Response:
    body = orjson.dumps({"code": code, "description": description})
    return Response(body, status=status, mimetype="application/json")


def download_name(layer: str, query: FeatureQuery, ext: str) -> str:
    """`exercises_year-2023_actor-Russia.gpkg`: the filters stay readable in the file name."""
    parts = [layer] + [f"{key}-{value}" for key, value in query.as_params().items()]
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", "_".join(parts)).strip("-.")
    return f"{stem[:150]}.{ext}"


@blueprint.get(f"/<layer>.<any({', '.join(FORMATS)}):ext>")
def export(layer: str, ext: str) -> Response:
    params = dict(request.args.items(multi=True))
    unknown = sorted(set(request.args) - set(FILTER_PARAMS))
    if unknown or len(params) != len(list(request.args.items(multi=True))):
        what = f"unknown parameter {unknown[0]!r}" if unknown else "a repeated parameter"
        return _error(400, "InvalidParameterValue", f"{what}; filters: {', '.join(FILTER_PARAMS)}")
    try:
        query = parse_query(params)
    except QueryError as exc:
        return _error(400, "InvalidParameterValue", str(exc))
    fmt = FORMATS[ext]
    with tempfile.TemporaryDirectory(prefix="drillmap-export-") as folder:
        path = Path(folder) / f"{layer}.{fmt.extension}"
        try:
            export_layer(get_store(), layer, ext, query, path)
        except UnknownLayer:
            return _error(404, "NotFound", f"no layer {layer!r}")
        data = path.read_bytes()
    name = download_name(layer, query, fmt.extension)
    headers = {
        "Content-Type": fmt.media_type,
        "Content-Disposition": f'attachment; filename="{name}"',
    }
    return Response(data, headers=headers)
