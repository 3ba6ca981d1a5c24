"""The offline vector basemap: world-atlas countries (npm) converted once to GeoJSON and served.

Built at set-up (`python -m webapp.basemap`) into a cache folder, or on the first request if
missing, so the map draws land and coasts with no tile server.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import threading
from pathlib import Path

from flask import Blueprint, Response, current_app, send_file

blueprint = Blueprint("basemap", __name__)

SOURCE = Path("world-atlas") / "countries-50m.json"
FILENAME = "countries.geojson"
PRECISION = 3  # decimals: ~100 m, plenty at the zooms a 1:50m basemap is good for
_build_lock = threading.Lock()


def build_basemap(source: Path, target: Path, precision: int = PRECISION) -> Path:
    """Convert a world-atlas TopoJSON to a valid, rounded GeoJSON; write atomically."""
    import geopandas
    import shapely

    frame = geopandas.read_file(source, layer="countries")[["name", "geometry"]]
    frame = frame.set_crs(4326, allow_override=True)  # TopoJSON comes back without a CRS
    valid = shapely.make_valid(frame.geometry.values, method="structure", keep_collapsed=False)
    frame["geometry"] = shapely.orient_polygons(valid)  # RFC 7946 winding
    frame = frame[~frame.geometry.is_empty]
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=target.name, suffix=".tmp")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        tmp.unlink()  # GDAL refuses to overwrite an existing file
        frame.to_file(
            tmp,
            driver="GeoJSON",
            engine="pyogrio",
            layer_options={"COORDINATE_PRECISION": str(precision)},
        )
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def ensure_basemap(node_modules: Path, cache_dir: Path) -> Path:
    """The cached basemap, (re)built when missing or older than its npm source."""
    source = node_modules / SOURCE
    target = cache_dir / FILENAME
    with _build_lock:
        if not target.exists() or (
            source.exists() and source.stat().st_mtime > target.stat().st_mtime
        ):
            if not source.exists():
                raise FileNotFoundError(f"{source} is missing: run `npm ci`")
            build_basemap(source, target)
    return target


@blueprint.get("/basemap/countries.geojson")
def countries() -> Response:
    try:
        path = ensure_basemap(
            Path(current_app.config["NODE_MODULES"]), Path(current_app.config["BASEMAP_DIR"])
        )
    except FileNotFoundError as error:
        current_app.logger.warning("basemap unavailable: %s", error)
        return Response(str(error), status=404, mimetype="text/plain")
    return send_file(path, mimetype="application/geo+json")


def main(argv: list[str] | None = None) -> None:
    """Command line for `make`: build the basemap cache once at set-up."""
    from webapp import DEFAULT_BASEMAP_DIR, DEFAULT_NODE_MODULES

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--node-modules", type=Path, default=DEFAULT_NODE_MODULES)
    parser.add_argument("--out-dir", type=Path, default=DEFAULT_BASEMAP_DIR)
    args = parser.parse_args(argv)
    path = ensure_basemap(args.node_modules, args.out_dir)
    print(f"{path} ({path.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
