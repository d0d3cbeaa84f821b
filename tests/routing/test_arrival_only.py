"""Searches asked for the earliest arrival only (``arrival_only``: every round pruned
by the best arrival with the most rides) give that arrival exactly as the searches
keeping the best arrival for every number of rides, over a window and at one
departure (where the two are the same search), with exact bounds and with the area
table."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from jjj.ids import UNREACHED
from jjj.routing.kernels import allocate_state, one_to_one, range_arrivals
from jjj.routing.locations import Location, access_links
from jjj.routing.planner import Planner
from tests.routing.test_against_oracle import (
    FEEDS,
    MAX_DURATION,
    MAX_TRANSFERS,
    _network,
    _planner,
    _served_stops,
)

ROUNDS = MAX_TRANSFERS + 1


def _links(planner: Planner, stop: int, *, leaving: bool) -> tuple[np.ndarray, np.ndarray]:
    """The stops within the planner's walking reach of the stop's coordinates."""
    net = planner.network
    lat, lon = float(net.stop_lat[stop]), float(net.stop_lon[stop])
    place = Location(text=f"{lat},{lon}", label=f"{lat},{lon}", lat=lat, lon=lon)
    return access_links(
        net, place, model=planner.walking, radius_m=planner.access_radius_m, leaving=leaving
    )


@pytest.mark.slow
@pytest.mark.parametrize("area_bounds", [False, True], ids=["exact-bounds", "area-table"])
@pytest.mark.parametrize("name", ["cairns", "santa_barbara", "nyc_subway"])
def test_arrival_only_searches_give_the_same_earliest_arrival(name: str, area_bounds: bool) -> None:
    net = _network(name)
    planner = _planner(name, area_bounds)
    view = planner.day_view(
        dt.date.fromisoformat(FEEDS[name][1]), whole_previous_day=False, next_day=False
    )
    full = allocate_state(view.n_stops, view.n_vps, ROUNDS)
    lean = allocate_state(view.n_stops, view.n_vps, ROUNDS)
    rng = np.random.default_rng(29)
    served = _served_stops(net)
    reached = fewer_rides_differ = 0
    for _ in range(60):
        origin, destination = rng.choice(served, 2, replace=False).tolist()
        access = _links(planner, origin, leaving=True)
        egress = _links(planner, destination, leaving=False)
        when = int(rng.integers(6 * 3600, 20 * 3600))
        horizon = when + MAX_DURATION + 1
        # a window of one departure: in one departure the best arrival so far took at
        # most the current round's rides, so pruning by it is pruning by the round's
        # own and nothing differs (the point-to-point kernel has no such option)
        for state, only in ((full, False), (lean, True)):
            range_arrivals(
                view.arrays, state, *access, *egress, np.array([when], dtype=np.int32),
                ROUNDS, MAX_DURATION, only,
            )  # fmt: skip
        assert (lean.labels.target_time == full.labels.target_time).all()
        one_to_one(view.arrays, full, *access, *egress, when, ROUNDS, horizon)
        assert (lean.labels.target_time == full.labels.target_time).all()
        reached += int(full.labels.target_time[ROUNDS] < horizon)
        departures = (when + 60 * np.arange(19, -1, -1)).astype(np.int32)
        for state, only in ((full, False), (lean, True)):
            range_arrivals(
                view.arrays, state, *access, *egress, departures, ROUNDS, MAX_DURATION, only
            )
        assert lean.labels.target_time[ROUNDS] == full.labels.target_time[ROUNDS]
        # the window's answers are those of a fresh search leaving at its start: the
        # minutes skipped (no new vehicle, or none that can arrive in time) lose none
        window = full.labels.target_time.copy()
        one_to_one(view.arrays, full, *access, *egress, when, ROUNDS, horizon)
        in_time = np.where(window < horizon, window, UNREACHED)  # later departures go later
        assert (in_time[1:] == np.minimum(full.labels.target_time[1:], UNREACHED)).all()
        # over a window, later departures' arrivals with more rides prune sooner
        fewer_rides_differ += int((lean.labels.target_time[:ROUNDS] != window[:ROUNDS]).any())
    assert reached > 20
    # the answers with fewer rides were pruned away at times: the mode is in force
    assert fewer_rides_differ > 0
