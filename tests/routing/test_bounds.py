"""Lower bounds for target pruning never exceed a real journey's time (NYC subway)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from jjj.gtfs.read import read_feed
from jjj.ids import UNREACHED
from jjj.routing.dayview import build_day_view, reverse_view
from jjj.routing.kernels import allocate_state, range_one_to_all
from jjj.routing.kernels.bounds import NO_BOUND, destination_bounds
from jjj.routing.kernels.raptor import reset_state, set_egress
from jjj.timetable.build import build_network
from tests.conftest import shared

ARRIVE_BY = 9 * 3600


@pytest.fixture(scope="module")
def subway_views():  # type: ignore[no-untyped-def]
    network = build_network([read_feed(shared("feeds/nyc_mta/nyc_subway.zip"), name="nyc")])
    forward = build_day_view(
        network, dt.date(2026, 9, 15), whole_previous_day=False, next_day=False
    )
    return forward, reverse_view(forward)


@pytest.mark.parametrize("destination", [17, 400, 901, 1300])
def test_bounds_are_at_most_the_latest_departure_gap(subway_views, destination) -> None:  # type: ignore[no-untyped-def]
    forward, backward = subway_views
    stops = np.array([destination], dtype=np.int32)
    walk = np.array([0], dtype=np.int32)
    # the latest departure from every stop that still arrives by ARRIVE_BY (arrive-by
    # search on the mirrored view: times negated)
    state = allocate_state(backward.n_stops, backward.n_vps, 4)
    latest = np.empty((1, backward.n_stops), dtype=np.int32)
    range_one_to_all(
        backward.arrays, state, stops, walk, np.array([-ARRIVE_BY], dtype=np.int32), 4,
        6 * 3600, latest,
    )  # fmt: skip
    reached = latest[0] < UNREACHED
    travel = ARRIVE_BY + latest[0][reached].astype(np.int64)
    bounds_state = allocate_state(forward.n_stops, forward.n_vps, 4)
    reset_state(bounds_state)
    set_egress(forward.arrays, bounds_state, stops, walk)
    destination_bounds(forward.arrays.links, bounds_state.labels, bounds_state.work, 10**6)
    bound = bounds_state.labels.lower_bound
    assert reached.sum() > 100
    assert (bound[reached] <= travel).all()
    assert bound[destination] == 0
    # the bound is informative: most stops that reach the destination get a positive one
    assert (bound[reached] > 0).mean() > 0.9
    assert (bound < NO_BOUND).sum() >= reached.sum()
