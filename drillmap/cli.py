"""The `drillmap` command: every subcommand, each a thin adapter over one service.

Options are parsed here and nowhere else; settings come from `geo.settings` (DRILLMAP_*
environment variables, overridden by the flags given).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

import orjson

from geo.domain.documents import parse_date
from geo.errors import DocumentRefused, DrillmapError
from geo.settings import Settings
from geo.storage.documents import load_document


def _published(value: str) -> date:
    try:
        parsed = parse_date(value)
    except DocumentRefused as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    assert parsed is not None
    return parsed


def _positive_int(value: str) -> int:
    if not (value.isascii() and value.isdigit()) or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {value!r}")
    return int(value)


def _language(value: str) -> str:
    from geo.domain.language import parse_language

    try:
        return parse_language(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _settings(args: argparse.Namespace, **more: object) -> Settings:
    """Settings from the environment, with the flags this subcommand was given on top."""
    return Settings.from_env(
        store=getattr(args, "store", None),
        layers_dir=getattr(args, "layers", None),
        seeds_dir=getattr(args, "seeds", None),
        examples=False if getattr(args, "no_examples", False) else None,
        **more,
    )


def _fail(command: str, message: str, status: int = 1) -> int:
    print(f"drillmap {command}: {message}", file=sys.stderr)
    return status


def cmd_extract(args: argparse.Namespace) -> int:
    """Print one JSON object per document (JSON Lines); write nothing."""
    from geo.extraction.pipeline import extract_document, extraction_json

    status = 0
    for path in args.files:
        try:
            document = load_document(Path(path), args.published)
        except DocumentRefused as exc:
            status = _fail("extract", str(exc))
            continue
        if args.lang:
            document = replace(document, meta=replace(document.meta, lang=args.lang))
        sys.stdout.buffer.write(orjson.dumps(extraction_json(extract_document(document))) + b"\n")
    return status


def _progress(args: argparse.Namespace) -> bool:
    """A bar with --progress; by default only on a terminal; never with --quiet."""
    from geo.build.parallel import show_progress

    return False if getattr(args, "quiet", False) else show_progress(args.progress or None)


def _parallel(args: argparse.Namespace) -> Settings:
    return _settings(args, workers=args.workers, scheduler=args.scheduler)


def cmd_build(args: argparse.Namespace) -> int:
    from geo.services.ingest import rebuild
    from geo.storage.registry import open_store

    settings = _parallel(args)
    store = open_store(settings)
    started = time.perf_counter()
    result = rebuild(
        store,
        show_progress=_progress(args),
        workers=settings.workers,
        scheduler=settings.scheduler or None,
    )
    for name, reason in store.documents.quarantined():
        print(f"drillmap build: {name} is in quarantine: {reason}", file=sys.stderr)
    for item in result.orphaned:  # kept, never dropped: `drillmap review list --orphaned`
        print(f"drillmap build: correction {item.id} is orphaned (no event)", file=sys.stderr)
    elapsed = time.perf_counter() - started
    counts = ", ".join(f"{name} {count}" for name, count in result.counts.items())
    where = (
        f"{store.details['layers']}/" if "layers" in store.details
        else store.details.get("database", store.kind)
    )
    print(f"built {where} from {result.documents} documents in {elapsed:.2f} s: {counts}")
    return 0


def _ingest_paths(paths: Sequence[str]) -> list[Path]:
    """Files as given; a directory stands for its `*.txt` files, in name order."""
    found: list[Path] = []
    for path in map(Path, paths):
        found.extend(sorted(path.glob("*.txt")) if path.is_dir() else [path])
    return found


def cmd_ingest(args: argparse.Namespace) -> int:
    """Store documents with their sidecars and fold them into the layers in one apply."""
    from geo.services.ingest import ingest_many
    from geo.storage.base import DocumentFields
    from geo.storage.registry import open_store

    settings = _parallel(args)
    store = open_store(settings)
    status = 0
    items: list[tuple[bytes, DocumentFields, str]] = []
    paths = _ingest_paths(args.files)
    readable: list[Path] = []
    for path in paths:
        if not path.is_file():
            status = _fail("ingest", f"{path}: no such file")
            continue
        fields = DocumentFields(
            args.title or path.stem, args.published, args.source, lang=args.lang
        )
        items.append((path.read_bytes(), fields, str(path)))
        readable.append(path)
    started = time.perf_counter()
    outcomes, result = ingest_many(
        items,
        store,
        workers=settings.workers,
        scheduler=settings.scheduler or None,
        show_progress=_progress(args),
    )
    elapsed = time.perf_counter() - started
    for path, outcome in zip(readable, outcomes, strict=True):
        if isinstance(outcome, DocumentRefused):
            status = _fail("ingest", str(outcome))
        elif outcome.duplicate:
            print(f"{path}: already stored as {outcome.location}")
        else:
            print(f"{path}: stored as {outcome.location}")
    if result is not None:
        counts = ", ".join(f"{n} {c}" for n, c in result.counts.items())
        how = "rebuilt" if result.touched is None else f"updated ({result.touched} rows)"
        print(f"layers {how} in {elapsed:.2f} s: {counts}")
    return status


def cmd_export(args: argparse.Namespace) -> int:
    """Write a layer (filtered) through GDAL; 0 on success, 2 on a bad layer or filter."""
    from geo.domain.query import FILTER_NAMES, parse_query
    from geo.errors import NotFound
    from geo.services.export import FORMATS, export_layer, format_for
    from geo.storage.registry import open_store

    fmt = format_for(args.output, args.format)
    output = Path(args.output or f"{args.layer}.{FORMATS[fmt].extension}")
    store = open_store(_settings(args)).features
    params = {p: getattr(args, p) for p in FILTER_NAMES if getattr(args, p) is not None}
    try:
        count = export_layer(store, args.layer, fmt, parse_query(params), output)
    except NotFound:
        names = ", ".join(c["name"] for c in store.collections())
        known = names or f"none (is {args.layers}/ built?)"
        return _fail("export", f"no layer {args.layer!r}; layers: {known}", 2)
    except DrillmapError as exc:
        return _fail("export", exc.description, 2)
    print(f"wrote {count} features to {output}")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    """Print the score table; exit 0 once scored, 2 on setup errors."""
    from geo.services.evaluate import format_table, score

    try:
        report = score(
            args.gold, args.extractor, root=args.root, names_as_written=args.names_as_written
        )
    except (ImportError, AttributeError, ValueError, OSError) as exc:
        return _fail("eval", str(exc), 2)
    print(format_table(report))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from geo.services.ingest import recover
    from geo.storage.registry import open_store
    from webapp import create_app
    from webapp.server import serve

    settings = _settings(
        args,
        allow_writes=args.allow_writes or None,
        behind_proxy=args.behind_proxy or None,
        host=args.host,
        request_seconds=args.request_seconds,
    )
    if settings.behind_proxy and not settings.allowed_hosts:
        return _fail(
            "serve",
            "--behind-proxy answers only the public host names: set DRILLMAP_ALLOWED_HOSTS "
            "(comma-separated, e.g. drillmap.example.org)",
            2,
        )
    store = open_store(settings)
    recover(store)  # an ingest killed with the last server is settled before serving
    serve(create_app(settings, store), host=args.host, port=args.port)
    return 0


def cmd_db(args: argparse.Namespace) -> int:
    """Create (init) or upgrade (migrate) the PostGIS store's schema; show its version."""
    from geo.storage.migrate import migrate, migrations, schema_version

    settings = _settings(args)
    if "://" not in settings.store:
        return _fail("db", "needs a database: --store postgresql://... or DRILLMAP_STORE", 2)
    try:
        if args.action == "version":
            print(f"schema version {schema_version(settings.store)} "
                  f"(this drillmap: {migrations()[-1].version})")
            return 0
        if args.action == "import":
            return _import_seeds(settings)
        applied = migrate(settings.store, init=args.action == "init")
    except DrillmapError as exc:
        return _fail("db", exc.description, 2)
    print(f"applied {', '.join(applied)}" if applied else "the schema is up to date")
    return 0


def _import_seeds(settings: Settings) -> int:
    """The documents of a seeds folder (with their sidecars) into the store, then one build."""
    from geo.services.ingest import import_documents
    from geo.storage.files import FileDocumentStore
    from geo.storage.registry import open_store

    store = open_store(settings)
    folder = FileDocumentStore(settings.seeds_dir, examples=settings.examples)
    new, result = import_documents(folder.documents(), store)
    counts = ", ".join(f"{name} {count}" for name, count in result.counts.items())
    print(f"imported {new} new documents from {settings.seeds_dir}/; layers rebuilt: {counts}")
    return 0


def cmd_users(args: argparse.Namespace) -> int:
    """Who may add documents on a server off loopback (with --allow-writes)."""
    from geo.services.users import add_user, load_users, save_users

    settings = Settings.from_env(users_file=args.users_file)
    path = settings.users_file
    if args.action == "list":
        for name in sorted(load_users(path)):
            print(name)
        return 0
    if not args.name:
        return _fail("users", f"{args.action} needs a user name", 2)
    if args.action == "remove":
        users = load_users(path)
        if users.pop(args.name, None) is None:
            return _fail("users", f"no user {args.name!r} in {path}", 2)
        save_users(path, users)
        print(f"removed {args.name} from {path}")
        return 0
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        import getpass

        password = getpass.getpass(f"password for {args.name}: ")
        if getpass.getpass("again: ") != password:
            return _fail("users", "the two passwords differ", 2)
    add_user(path, args.name, password)
    print(f"{args.name} may now add documents (stored in {path})")
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    """The analysts' corrections: list (or only the orphaned), export and import JSON Lines."""
    from geo.services import review
    from geo.storage.registry import open_store

    store = open_store(_settings(args))
    if args.action == "import":
        if not args.file:
            return _fail("review", "import needs a JSON Lines file", 2)
        try:
            data = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
        except OSError as exc:
            return _fail("review", str(exc), 2)
        result = review.import_jsonl(store, data, user=args.user)
        print(
            f"imported {result.added} new, {result.updated} changed, "
            f"{result.unchanged} unchanged corrections"
            + ("; layers rebuilt" if result.build else "")
        )
        orphans = result.build.orphaned if result.build else []
        for item in orphans:
            print(f"drillmap review: {item.id} is orphaned (its event is gone)", file=sys.stderr)
        return 0
    items = review.orphaned(store) if args.orphaned else review.corrections(store)
    if args.action == "export":
        data = review.export_jsonl(items)
        if args.file and args.file != "-":
            Path(args.file).write_bytes(data)
            print(f"wrote {len(items)} corrections to {args.file}")
        else:
            sys.stdout.buffer.write(data)
        return 0
    orphans = {c.id for c in items} if args.orphaned else {c.id for c in review.orphaned(store)}
    for item in items:
        what = item.machine.get("title") or item.machine.get("text", "")[:60]
        state = " ORPHANED" if item.id in orphans else ""
        print(f"{item.id}\t{item.status}{state}\t{item.user}\t{item.updated}\t{what}")
    return 0


def _store_options(parser: argparse.ArgumentParser, *, seeds: bool = True) -> None:
    parser.add_argument("--store", help="store name or address (default: files, DRILLMAP_STORE)")
    parser.add_argument("--layers", help="built layers folder (default: layers, DRILLMAP_LAYERS)")
    if seeds:
        parser.add_argument("--seeds", help="documents folder (default: seeds, DRILLMAP_SEEDS)")
        parser.add_argument(
            "--no-examples",
            action="store_true",
            help="leave out the example corpus in SEEDS/examples/ (DRILLMAP_EXAMPLES=false)",
        )


def _parallel_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--workers",
        type=_positive_int,
        help="extraction processes, on a local Dask cluster if more than 1 (DRILLMAP_WORKERS)",
    )
    parser.add_argument(
        "--scheduler", help="a Dask scheduler, tcp://host:port, instead of a local cluster"
    )
    parser.add_argument(
        "--progress", action="store_true", help="a progress bar even when not on a terminal"
    )


def _export_options(parser: argparse.ArgumentParser) -> None:
    from geo.domain.query import FILTER_PARAMS
    from geo.services.export import FORMATS

    parser.add_argument("layer", help="layer name, as `drillmap serve` lists them at /api/layers")
    parser.add_argument(
        "--format", choices=sorted(FORMATS), help="default: from the -o suffix, else geojson"
    )
    parser.add_argument("-o", "--output", help="file to write (default: LAYER.EXT here)")
    _store_options(parser, seeds=False)
    for param in FILTER_PARAMS:
        parser.add_argument(f"--{param.name}", help=param.description)


_LANG_HELP = "the document's language: en, ja, zh, ko or ru (default: detected from the text)"


def build_parser() -> argparse.ArgumentParser:
    from geo.services.evaluate import DEFAULT_EXTRACTOR

    parser = argparse.ArgumentParser(prog="drillmap", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    extract = sub.add_parser("extract", help="print places and events of documents as JSON Lines")
    extract.add_argument("files", nargs="+", metavar="FILE")
    extract.add_argument("--published", type=_published, help="document date, YYYY-MM-DD")
    extract.add_argument("--lang", type=_language, help=_LANG_HELP)
    extract.set_defaults(func=cmd_extract)

    build = sub.add_parser("build", help="build the layers from the stored documents")
    _store_options(build)
    build.add_argument("--out", dest="layers", help="the same as --layers")
    build.add_argument("--quiet", action="store_true", help="no progress bar")
    _parallel_options(build)
    build.set_defaults(func=cmd_build)

    ingest = sub.add_parser("ingest", help="add documents to the store and fold them in")
    ingest.add_argument("files", nargs="+", metavar="FILE", help="a .txt file, or a folder of them")
    ingest.add_argument("--title", help="title (default: the file name)")
    ingest.add_argument("--published", type=_published, help="document date, YYYY-MM-DD")
    ingest.add_argument("--source", help="outlet or agency")
    ingest.add_argument("--lang", type=_language, help=_LANG_HELP)
    _store_options(ingest)
    _parallel_options(ingest)
    ingest.set_defaults(func=cmd_ingest)

    exporter = sub.add_parser("export", help="export a layer to GeoJSON/GPKG/KML/CSV/FlatGeobuf")
    _export_options(exporter)
    exporter.set_defaults(func=cmd_export)

    evaluate = sub.add_parser("eval", help="precision, recall and F1 against a gold JSONL file")
    evaluate.add_argument("gold", metavar="GOLD.jsonl", type=Path)
    evaluate.add_argument("--root", type=Path, help="directory doc paths are relative to")
    evaluate.add_argument(
        "--names-as-written",
        action="store_true",
        help="compare place names as strings, not as the places the gazetteer says they name",
    )
    evaluate.add_argument(
        "--extractor",
        default=DEFAULT_EXTRACTOR,
        help=f"module:function called as f(path, published) (default {DEFAULT_EXTRACTOR})",
    )
    evaluate.set_defaults(func=cmd_eval)

    serve = sub.add_parser("serve", help="serve the map on a production WSGI server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    _store_options(serve)
    serve.add_argument(
        "--allow-writes",
        action="store_true",
        help="allow signed-in users (drillmap users add) to add documents off loopback",
    )
    serve.add_argument(
        "--behind-proxy",
        action="store_true",
        help="served through a reverse proxy (deploy/nginx-drillmap.conf): off loopback for "
        "writes, answering only DRILLMAP_ALLOWED_HOSTS",
    )
    serve.add_argument(
        "--request-seconds",
        type=_positive_int,
        help="a read request's time budget; past it the answer is 503 (default: 30, "
        "DRILLMAP_REQUEST_SECONDS)",
    )
    serve.set_defaults(func=cmd_serve)

    db = sub.add_parser("db", help="create or upgrade the PostGIS store's schema")
    db.add_argument("action", choices=["init", "migrate", "version", "import"],
                    help="import: copy the documents of --seeds into the store and build")
    db.add_argument("--store", help="postgresql://user@host:port/db (default: DRILLMAP_STORE)")
    db.add_argument("--seeds", help="documents folder to import (default: seeds)")
    db.add_argument(
        "--no-examples", action="store_true",
        help="import without the example corpus in SEEDS/examples/",
    )
    db.set_defaults(func=cmd_db)

    reviewer = sub.add_parser("review", help="the analysts' corrections: list, export, import")
    reviewer.add_argument("action", choices=["list", "export", "import"])
    reviewer.add_argument("file", nargs="?", help="JSON Lines to import or export to")
    reviewer.add_argument("--orphaned", action="store_true", help="only those whose event is gone")
    reviewer.add_argument("--user", default="local", help="who imports (for the audit log)")
    _store_options(reviewer)
    reviewer.set_defaults(func=cmd_review)

    users = sub.add_parser("users", help="who may add documents on a server off loopback")
    users.add_argument("action", choices=["add", "remove", "list"])
    users.add_argument("name", nargs="?")
    users.add_argument("--users-file", help="default: var/users.json, DRILLMAP_USERS_FILE")
    users.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    users.set_defaults(func=cmd_users)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except DrillmapError as exc:  # a bad DRILLMAP_* setting or store name
        return _fail(args.command, exc.description, 2)


if __name__ == "__main__":
    raise SystemExit(main())
