"""The `drillmap` command: wires the pipeline (geo) and the web app together.

Each subcommand is a thin adapter; the work happens in the module it names.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import orjson

from geo.storage.documents import DocumentError, load_document, parse_date


def _published(value: str) -> date:
    try:
        parsed = parse_date(value)
    except DocumentError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    assert parsed is not None
    return parsed


def cmd_extract(args: argparse.Namespace) -> int:
    """Print one JSON object per document (JSON Lines); write nothing."""
    from geo.extraction.pipeline import extract_document, extraction_json

    status = 0
    for path in args.files:
        try:
            document = load_document(Path(path), args.published)
        except DocumentError as exc:
            print(f"drillmap extract: {exc}", file=sys.stderr)
            status = 1
            continue
        sys.stdout.buffer.write(orjson.dumps(extraction_json(extract_document(document))) + b"\n")
    return status


def cmd_build(args: argparse.Namespace) -> int:
    from geo.build.runner import build_layers

    started = time.perf_counter()
    try:
        result = build_layers(Path(args.seeds), Path(args.out), show_progress=not args.quiet)
    except DocumentError as exc:
        print(f"drillmap build: {exc}; the previous layers were kept", file=sys.stderr)
        return 1
    elapsed = time.perf_counter() - started
    counts = ", ".join(f"{name} {count}" for name, count in result.counts.items())
    print(f"built {args.out}/ from {result.documents} documents in {elapsed:.2f} s: {counts}")
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    """Store documents in seeds/ with their sidecars and rebuild the layers after each."""
    from geo.services.ingest import ingest_file

    status = 0
    for path in args.files:
        fields = {"published": args.published, "source": args.source}
        if args.title:
            fields["title"] = args.title
        try:
            result = ingest_file(Path(path), Path(args.seeds), Path(args.layers), **fields)
        except DocumentError as exc:
            print(f"drillmap ingest: {exc}", file=sys.stderr)
            status = 1
            continue
        if result.duplicate:
            print(f"{path}: already stored as {result.path}")
        else:
            counts = ", ".join(f"{n} {c}" for n, c in result.build.counts.items())
            print(f"{path}: stored as {result.path}; layers rebuilt: {counts}")
    return status


def cmd_serve(args: argparse.Namespace) -> int:
    from webapp import create_app
    from webapp.server import serve

    app = create_app(
        {
            "LAYERS_DIR": Path(args.layers),
            "SEEDS_DIR": Path(args.seeds),
            "ALLOW_WRITES": args.allow_writes,
            # The add-document form writes only when bound to loopback (or --allow-writes).
            "BOUND_HOST": args.host,
        }
    )
    serve(app, host=args.host, port=args.port)
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from geo.services.evaluate import main as evaluate_main

    return evaluate_main([args.gold, *args.rest])


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="drillmap", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    extract = sub.add_parser("extract", help="print places and events of documents as JSON Lines")
    extract.add_argument("files", nargs="+", metavar="FILE")
    extract.add_argument("--published", type=_published, help="document date, YYYY-MM-DD")
    extract.set_defaults(func=cmd_extract)

    build = sub.add_parser("build", help="build layers/ from the documents in seeds/")
    build.add_argument("--seeds", default="seeds")
    build.add_argument("--out", default="layers")
    build.add_argument("--quiet", action="store_true", help="no progress bar")
    build.set_defaults(func=cmd_build)

    ingest = sub.add_parser("ingest", help="add documents to seeds/ and rebuild the layers")
    ingest.add_argument("files", nargs="+", metavar="FILE")
    ingest.add_argument("--title", help="title (default: the file name)")
    ingest.add_argument("--published", type=_published, help="document date, YYYY-MM-DD")
    ingest.add_argument("--source", help="outlet or agency")
    ingest.add_argument("--seeds", default="seeds")
    ingest.add_argument("--layers", default="layers")
    ingest.set_defaults(func=cmd_ingest)

    from geo.services import export

    exporter = sub.add_parser("export", help="export a layer to GeoJSON/GPKG/KML/CSV/FlatGeobuf")
    export.add_arguments(exporter)
    exporter.set_defaults(func=export.run)

    evaluate = sub.add_parser("eval", help="precision, recall and F1 against a gold JSONL file")
    evaluate.add_argument("gold", metavar="GOLD.jsonl")
    evaluate.add_argument("rest", nargs=argparse.REMAINDER, help="options of geo.services.evaluate")
    evaluate.set_defaults(func=cmd_eval)

    serve = sub.add_parser("serve", help="serve the map on a production WSGI server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--layers", default="layers")
    serve.add_argument("--seeds", default="seeds")
    serve.add_argument(
        "--allow-writes",
        action="store_true",
        help="allow adding documents from the web form even when not bound to loopback",
    )
    serve.set_defaults(func=cmd_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
