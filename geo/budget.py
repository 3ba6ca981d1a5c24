"""A time budget for one piece of work, so a request that runs long ends with a clear 503.

The web layer opens a budget per read request (`DRILLMAP_REQUEST_SECONDS`); the loops that grow
with the data (serialising features, building an export's table, the events table) call
`check_budget`, or iterate through `within_budget`, and stop once the deadline has passed. Nothing
is written under a budget: writes run to the end inside their own transaction.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

from geo.errors import BudgetExceeded

T = TypeVar("T")
CHECK_EVERY = 2048  # items between two clock readings in `within_budget`

_deadline: ContextVar[tuple[float, float] | None] = ContextVar("drillmap_deadline", default=None)


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Run the block with a deadline `seconds` from now (None: no deadline)."""
    token = _deadline.set(None if seconds is None else (time.monotonic() + seconds, seconds))
    try:
        yield
    finally:
        _deadline.reset(token)


def start_budget(seconds: float | None) -> object:
    """Open a budget without a `with` block (for request hooks); pass the token to `end_budget`."""
    return _deadline.set(None if seconds is None else (time.monotonic() + seconds, seconds))


def end_budget(token: object) -> None:
    _deadline.reset(token)  # type: ignore[arg-type]


def remaining() -> float | None:
    """Seconds left in the current budget (None: no budget; negative: it has run out)."""
    budget = _deadline.get()
    return None if budget is None else budget[0] - time.monotonic()


def check_budget(doing: str) -> None:
    """Raise `BudgetExceeded` if the current budget has run out; `doing` says where."""
    budget = _deadline.get()
    if budget is not None and time.monotonic() > budget[0]:
        raise BudgetExceeded(
            f"the request ran past its time budget of {budget[1]:g} s while {doing}; "
            "narrow it (bbox, filters, limit) or try again"
        )


def within_budget(items: Iterable[T], doing: str, every: int = CHECK_EVERY) -> Iterator[T]:
    """`items`, checking the budget before the first and then every `every` items."""
    for count, item in enumerate(items):
        if count % every == 0:
            check_budget(doing)
        yield item
