"""Serving the app with waitress: a pure-Python production WSGI server.

Why waitress: it runs everywhere Python does (no fork model, no C build), and its I/O loop reads
requests asynchronously, so a slow client holds a connection slot, not a worker thread. The
limits are set so slow or idle clients cannot starve the others: up to CONNECTION_LIMIT open
connections (waitress's default of 100 was exhausted by 120 slow-header sockets), an idle or
stalled connection closed after CHANNEL_TIMEOUT seconds, THREADS workers for the requests
themselves, and request bodies capped (the ingest form's own limit is lower still).
"""

from __future__ import annotations

import waitress
from flask import Flask
from waitress.server import BaseWSGIServer, MultiSocketServer

THREADS = 8
CONNECTION_LIMIT = 1000
CHANNEL_TIMEOUT = 30  # seconds a connection may sit idle or stalled mid-request
CLEANUP_INTERVAL = 10  # how often waitress looks for such connections
MAX_REQUEST_BODY = 4 * 1024 * 1024


def make_server(
    app: Flask, host: str = "127.0.0.1", port: int = 0, threads: int = THREADS
) -> BaseWSGIServer | MultiSocketServer:
    """A bound server to `.run()` (here or in a test's thread); port 0 picks a free port."""
    return waitress.create_server(
        app,
        host=host,
        port=port,
        threads=threads,
        connection_limit=CONNECTION_LIMIT,
        channel_timeout=CHANNEL_TIMEOUT,
        cleanup_interval=CLEANUP_INTERVAL,
        max_request_body_size=MAX_REQUEST_BODY,
        ident="drillmap",
    )


def addresses(server: BaseWSGIServer | MultiSocketServer) -> list[tuple[str, int]]:
    """Where the server listens (a host name may bind several sockets)."""
    if isinstance(server, MultiSocketServer):
        return list(server.effective_listen)
    return [(server.effective_host, server.effective_port)]


def serve(app: Flask, host: str = "127.0.0.1", port: int = 8000, threads: int = THREADS) -> None:
    """Serve until interrupted; loopback by default (writes off loopback need signed-in users)."""
    server = make_server(app, host=host, port=port, threads=threads)
    for listen_host, listen_port in addresses(server):
        shown = f"[{listen_host}]" if ":" in listen_host else listen_host
        print(f"drillmap: serving on http://{shown}:{listen_port}/ (Ctrl-C to stop)", flush=True)
    try:
        server.run()  # returns on Ctrl-C, after stopping its worker threads
    finally:
        server.close()
