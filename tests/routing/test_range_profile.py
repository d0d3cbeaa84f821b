"""A range search's journeys give, for every departure of the window and every number
of rides, the earliest arrival a fresh point-to-point search from that departure gives
(itself checked against the oracle): the departures range RAPTOR skips, and the
labels it reuses from later departures, lose no journey of the profile."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from jjj.ids import UNREACHED
from jjj.routing.kernels import allocate_state, one_to_one, range_one_to_one
from tests.routing.test_against_oracle import (
    FEEDS,
    MAX_DURATION,
    MAX_TRANSFERS,
    _network,
    _planner,
    _served_stops,
)
from tests.routing.view_feeds import stop_and_neighbours

ROUNDS = MAX_TRANSFERS + 1


@pytest.mark.slow
@pytest.mark.parametrize("name", ["cairns", "santa_barbara", "nyc_subway"])
def test_range_journeys_give_every_departures_earliest_arrivals(name: str) -> None:
    net = _network(name)
    view = _planner(name).day_view(
        dt.date.fromisoformat(FEEDS[name][1]), whole_previous_day=False, next_day=False
    )
    state = allocate_state(view.n_stops, view.n_vps, ROUNDS)
    fresh = allocate_state(view.n_stops, view.n_vps, ROUNDS)
    rng = np.random.default_rng(17)
    served = _served_stops(net)
    compared = improved = 0
    for _ in range(8):
        origin, destination = rng.choice(served, 2, replace=False).tolist()
        start = int(rng.integers(7 * 3600, 17 * 3600)) // 60 * 60
        departures = (start + 60 * np.arange(59, -1, -1)).astype(np.int32)  # latest first
        a_stops, a_seconds = stop_and_neighbours(net, origin)
        e_stops, e_seconds = stop_and_neighbours(net, destination)
        steps = np.empty((20_000, 4), dtype=np.int32)
        journeys = np.empty((2_000, 5), dtype=np.int32)
        n = range_one_to_one(
            view.arrays, state, a_stops, a_seconds, e_stops, e_seconds, departures, ROUNDS,
            MAX_DURATION, steps, journeys,
        )  # fmt: skip
        assert n >= 0
        found = journeys[:n]
        improved += n
        for m, departure in enumerate(departures.tolist()):
            one_to_one(
                view.arrays, fresh, a_stops, a_seconds, e_stops, e_seconds, departure, ROUNDS,
                departure + MAX_DURATION + 1,
            )  # fmt: skip
            for k in range(1, ROUNDS + 1):
                usable = (
                    (found[:, 2] <= m)
                    & (found[:, 3] <= k)
                    & (found[:, 4] <= departure + MAX_DURATION)
                )
                got = int(found[usable, 4].min()) if usable.any() else UNREACHED
                want = min(int(fresh.labels.target_time[k]), UNREACHED)
                assert got == want, (origin, destination, departure, k)
                compared += want < UNREACHED
    assert compared > 100 and improved > 8
