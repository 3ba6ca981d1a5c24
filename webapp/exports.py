"""Downloads of a layer in GIS formats: `/export/<layer>.<ext>?year=&actor=&kind=`.

The file is made by `geo.services.export` (the same code as `drillmap export`).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from flask import Blueprint, Response

from geo.domain.query import FeatureQuery
from geo.services.export import FORMATS, export_bytes
from webapp import get_store
from webapp.params import request_query

blueprint = Blueprint("exports", __name__, url_prefix="/export")


def _visible(text: str) -> str:
    """`text` without control and format characters (C0/C1 controls, bidi overrides, isolates
    and marks, zero-width characters): dropped, not replaced, as they show nothing."""
    return "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf"))


def download_name(layer: str, query: FeatureQuery, ext: str) -> str:
    """`exercises_year-2023_actor-Russia.gpkg`: the filters stay readable in the file name."""
    parts = [layer] + [f"{key}-{value}" for key, value in query.as_params().items()]
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", _visible("_".join(parts))).strip("-.")
    return f"{stem[:150]}.{ext}"


@blueprint.get(f"/<layer>.<any({', '.join(FORMATS)}):ext>")
def export(layer: str, ext: str) -> Response:
    query = request_query()
    fmt = FORMATS[ext]
    data = export_bytes(get_store(), layer, ext, query)
    name = download_name(layer, query, fmt.extension)
    headers = {
        "Content-Type": fmt.media_type,
        "Content-Disposition": f'attachment; filename="{name}"',
    }
    response = Response(data, headers=headers)
    # A GeoPackage differs byte for byte on every write (it stamps the time): tag the version of
    # the layers and the query instead of the bytes.
    version = get_store().version()
    tag = hashlib.sha256(repr((version, ext, sorted(query.as_params().items()))).encode())
    response.set_etag(tag.hexdigest()[:32])
    return response
