"""A read request that runs past its time budget ends with a 503 and Retry-After, not minutes
of a held worker thread; writes and requests inside the budget are untouched."""

from __future__ import annotations

import itertools

import pytest

import geo.budget
from geo.budget import check_budget, time_budget, within_budget
from geo.errors import BudgetExceeded
from geo.settings import Settings
from webapp import create_app

LAYER = "/api/layers/exercises.geojson"


class JumpingClock:
    """A monotonic clock that moves 10 s on every reading once started."""

    def __init__(self) -> None:
        self.ticks = itertools.count()

    def monotonic(self) -> float:
        return next(self.ticks) * 10.0


@pytest.fixture
def slow_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(geo.budget, "time", JumpingClock())


def test_a_budget_runs_out_only_past_its_deadline(slow_clock):
    with time_budget(15):  # opened at t=0: the check at t=10 passes, the one at t=20 does not
        check_budget("testing")
        with pytest.raises(BudgetExceeded, match="time budget of 15 s while testing"):
            check_budget("testing")
    check_budget("outside any budget")  # no deadline once the block has ended


def test_iterating_within_a_budget_checks_every_n_items(slow_clock):
    with time_budget(25), pytest.raises(BudgetExceeded):
        list(within_budget(range(10), "counting", every=3))
    with time_budget(25):  # checks at items 0 and 3 only: t=10 and t=20
        assert list(within_budget(range(5), "counting", every=3)) == [0, 1, 2, 3, 4]


@pytest.mark.parametrize(
    "url",
    [
        LAYER,
        "/export/exercises.geojson",
        "/export/exercises.gpkg",
        "/ogc/collections/exercises/items",
        "/events",
        "/api/stats",
    ],
)
def test_a_request_past_its_budget_is_a_503_with_retry_after(layers_dir, slow_clock, url):
    app = create_app(Settings(layers_dir=layers_dir, request_seconds=1), config={"TESTING": True})
    response = app.test_client().get(url)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == str(BudgetExceeded.retry_after)
    if not url.startswith("/events"):
        body = response.get_json()
        assert body["code"] == "ServiceUnavailable"
        assert "time budget of 1 s" in body["description"]
    else:
        assert b"time budget of 1 s" in response.data


def test_requests_inside_the_budget_are_answered(client):
    response = client.get(LAYER)
    assert response.status_code == 200
    assert response.get_json()["features"]


def test_the_budget_comes_from_the_environment():
    assert Settings.from_env({"DRILLMAP_REQUEST_SECONDS": "7"}).request_seconds == 7
    with pytest.raises(ValueError):
        Settings.from_env({"DRILLMAP_REQUEST_SECONDS": "0"})
