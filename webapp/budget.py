"""Each read request runs under a time budget (`REQUEST_SECONDS`, see `geo.budget`).

Past it, the loops that grow with the data stop and the client gets a 503 with Retry-After and
the usual JSON message, so one heavy request cannot hold a worker thread for minutes. Writes (the
ingest form, reviews) are not cut short: they finish inside their own transaction.
"""

from __future__ import annotations

from flask import Flask, g, request

from geo.budget import end_budget, start_budget

READ_METHODS = frozenset({"GET", "HEAD"})


def init_app(app: Flask) -> None:
    @app.before_request
    def open_budget() -> None:
        if request.method in READ_METHODS:
            g.budget_token = start_budget(app.config["REQUEST_SECONDS"])

    @app.teardown_request
    def close_budget(_error: BaseException | None) -> None:
        token = g.pop("budget_token", None)
        if token is not None:
            end_budget(token)
