"""One error type for the whole pipeline: it carries its HTTP status and OGC exception code.

Modelled on pygeoapi's errors: the web layer turns any `DrillmapError` into one JSON shape
(`{"code", "description", "status"}`) in one handler; the command line prints its message.
"""

from __future__ import annotations


class DrillmapError(Exception):
    """Something the user asked for cannot be done; the message is safe to show them."""

    status: int = 500
    code: str = "ServerError"

    @property
    def description(self) -> str:
        return str(self.args[0]) if self.args else self.code


class InvalidParameter(DrillmapError, ValueError):
    """A request or command-line parameter is malformed (HTTP 400)."""

    status = 400
    code = "InvalidParameterValue"


class NotFound(DrillmapError, KeyError):
    """No layer, feature, document or place has that name (HTTP 404)."""

    status = 404
    code = "NotFound"

    def __str__(self) -> str:  # KeyError would quote the message
        return self.description


class DocumentRefused(DrillmapError, ValueError):
    """A document is empty, binary, too big or not UTF-8; the message says which (HTTP 400)."""

    status = 400
    code = "InvalidParameterValue"


class WritesRefused(DrillmapError):
    """This server may not change the store (HTTP 403)."""

    status = 403
    code = "Forbidden"


class StoreUnavailable(DrillmapError):
    """The store cannot be read right now (HTTP 503)."""

    status = 503
    code = "ServiceUnavailable"


class BudgetExceeded(DrillmapError):
    """A request ran past its time budget (HTTP 503 with Retry-After); nothing was changed."""

    status = 503
    code = "ServiceUnavailable"
    retry_after = 5
