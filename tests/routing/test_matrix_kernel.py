"""The matrix kernels equal a point-to-point search for every origin and destination
(itself checked against the oracle): origin by origin, on one thread or split between
two, and many origins at once in lanes, whatever order fills the lanes."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from itertools import pairwise

import numpy as np
import pytest

from jjj.ids import UNREACHED
from jjj.routing.dayview import DayView
from jjj.routing.kernels import (
    LANES,
    allocate_lane_state,
    allocate_state,
    lane_batch,
    lanes_apply,
    matrix_rows,
    matrix_rows_in_lanes,
    one_to_one,
    spatial_order,
)
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
DEPARTURE = 8 * 3600
#: more than two searches' worth of lanes, shared out as 13, 13 and 13
N_POINTS = 2 * LANES + 7


class Points:
    """Served stops as matrix points: each reaches itself and its footpath neighbours,
    walking their footpath time (flattened as the kernels take them)."""

    def __init__(self, name: str) -> None:
        net = _network(name)
        self.view: DayView = _planner(name).day_view(
            dt.date.fromisoformat(FEEDS[name][1]), whole_previous_day=False, next_day=False
        )
        rng = np.random.default_rng(11)
        served = _served_stops(net)
        self.points = rng.choice(served, min(N_POINTS, len(served)), replace=False)
        self.lat = net.stop_lat[self.points].astype(np.float64)
        self.lon = net.stop_lon[self.points].astype(np.float64)
        near = [stop_and_neighbours(net, p) for p in self.points.tolist()]
        self.stops = [stops for stops, _ in near]
        self.seconds = [seconds for _, seconds in near]
        self.offsets = np.zeros(len(self.points) + 1, dtype=np.int64)
        np.cumsum([len(s) for s in self.stops], out=self.offsets[1:])
        self.flat_stops = np.concatenate(self.stops)
        self.flat_seconds = np.concatenate(self.seconds)


@cache
def _points(name: str) -> Points:
    return Points(name)


@cache
def _point_to_point(name: str) -> np.ndarray:
    """The matrix by one point-to-point search per pair."""
    p = _points(name)
    n = len(p.points)
    want = np.full((n, n), UNREACHED, dtype=np.int64)
    state = allocate_state(p.view.n_stops, p.view.n_vps, ROUNDS)
    horizon = DEPARTURE + MAX_DURATION + 1
    for r in range(n):
        for c in range(n):
            one_to_one(
                p.view.arrays, state, p.stops[r], p.seconds[r], p.stops[c], p.seconds[c],
                DEPARTURE, ROUNDS, horizon,
            )  # fmt: skip
            want[r, c] = min(int(state.labels.target_time[ROUNDS]), UNREACHED)
    assert (want < UNREACHED).sum() > n  # some rides, not only the diagonal
    return want


def _split(n: int, parts: int, run_part: object) -> None:
    bounds = np.linspace(0, n, parts + 1).astype(int)
    with ThreadPoolExecutor(parts) as pool:
        list(pool.map(run_part, [(int(bounds[i]), int(bounds[i + 1])) for i in range(parts)]))  # type: ignore[arg-type]


@pytest.mark.slow
@pytest.mark.parametrize("name", ["santa_barbara", "nyc_subway"])
@pytest.mark.parametrize("parts", [1, 2])
def test_matrix_rows_equal_point_to_point_searches(name: str, parts: int) -> None:
    p = _points(name)
    n = len(p.points)
    got = np.empty((n, n), dtype=np.int32)

    def rows(part: tuple[int, int]) -> None:
        lo, hi = part
        state = allocate_state(p.view.n_stops, p.view.n_vps, ROUNDS)
        matrix_rows(
            p.view.arrays, state, p.flat_stops, p.flat_seconds, p.offsets[lo : hi + 1],
            p.flat_stops, p.flat_seconds, p.offsets, DEPARTURE, ROUNDS, MAX_DURATION, got[lo:hi],
        )  # fmt: skip

    _split(n, parts, rows)
    assert np.array_equal(got.astype(np.int64), _point_to_point(name))


@pytest.mark.slow
@pytest.mark.parametrize("name", ["cairns", "santa_barbara", "nyc_subway"])
@pytest.mark.parametrize("order", ["spatial", "given", "reversed"])
@pytest.mark.parametrize("parts", [1, 2])
def test_matrix_rows_in_lanes_equal_point_to_point_searches(
    name: str, order: str, parts: int
) -> None:
    p = _points(name)
    assert lanes_apply(p.view.arrays)
    n = len(p.points)
    orders = {
        "spatial": spatial_order(p.lat, p.lon),
        "given": np.arange(n, dtype=np.int64),
        "reversed": np.arange(n - 1, -1, -1, dtype=np.int64),
    }
    rows_order = orders[order]
    got = np.full((n, n), -7, dtype=np.int32)

    def rows(part: tuple[int, int]) -> None:
        lo, hi = part
        state = allocate_lane_state(p.view.n_stops, p.view.n_vps)
        matrix_rows_in_lanes(
            p.view.arrays, state, p.flat_stops, p.flat_seconds, p.offsets,
            p.flat_stops, p.flat_seconds, p.offsets, DEPARTURE, ROUNDS, MAX_DURATION,
            rows_order[lo:hi], got,
        )  # fmt: skip

    _split(n, parts, rows)
    assert np.array_equal(got.astype(np.int64), _point_to_point(name))


def test_spatial_order_is_a_permutation_that_keeps_neighbours_together() -> None:
    rng = np.random.default_rng(3)
    lat = rng.uniform(39.0, 40.0, 400)
    lon = rng.uniform(116.0, 117.0, 400)
    order = spatial_order(lat, lon)
    assert sorted(order.tolist()) == list(range(400))
    step = np.hypot(np.diff(lat[order]), np.diff(lon[order]))
    shuffled = np.hypot(np.diff(lat), np.diff(lon))
    # consecutive points along the curve are several times closer than at random
    assert np.median(step) * 3 < np.median(shuffled)
    assert spatial_order(np.zeros(0), np.zeros(0)).shape == (0,)
    assert spatial_order(np.full(3, 39.9), np.full(3, 116.4)).tolist() == [0, 1, 2]


def test_lane_batches_cover_the_origins_evenly() -> None:
    for n in range(1, 6 * LANES):
        n_batches = (n + LANES - 1) // LANES
        bounds = [lane_batch(n, b) for b in range(n_batches)]
        assert bounds[0][0] == 0 and bounds[-1][1] == n
        assert all(end == first for (_, end), (first, _) in pairwise(bounds))
        sizes = [end - first for first, end in bounds]
        assert max(sizes) <= LANES and max(sizes) - min(sizes) <= 1
