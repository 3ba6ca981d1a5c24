"""Serving the app with waitress: a pure-Python production WSGI server, fine on loopback."""

from __future__ import annotations

import waitress
from flask import Flask
from waitress.server import BaseWSGIServer, MultiSocketServer

THREADS = 8


def make_server(
    app: Flask, host: str = "127.0.0.1", port: int = 0, threads: int = THREADS
) -> BaseWSGIServer | MultiSocketServer:
    """A bound server to `.run()` (here or in a test's thread); port 0 picks a free port."""
    return waitress.create_server(app, host=host, port=port, threads=threads)


def addresses(server: BaseWSGIServer | MultiSocketServer) -> list[tuple[str, int]]:
    """Where the server listens (a host name may bind several sockets)."""
    if isinstance(server, MultiSocketServer):
        return list(server.effective_listen)
    return [(server.effective_host, server.effective_port)]


def serve(app: Flask, host: str = "127.0.0.1", port: int = 8000, threads: int = THREADS) -> None:
    """Serve until interrupted; loopback by default because the app has no authentication."""
    server = make_server(app, host=host, port=port, threads=threads)
    for listen_host, listen_port in addresses(server):
        shown = f"[{listen_host}]" if ":" in listen_host else listen_host
        print(f"drillmap: serving on http://{shown}:{listen_port}/ (Ctrl-C to stop)", flush=True)
    try:
        server.run()  # returns on Ctrl-C, after stopping its worker threads
    finally:
        server.close()
