"""The matrix kernel equals a point-to-point search for every origin and destination
(itself checked against the oracle), whether the origins run on one thread or are
split between two."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from jjj.ids import UNREACHED
from jjj.routing.kernels import allocate_state, matrix_rows, one_to_one
from tests.routing.test_against_oracle import (
    FEEDS,
    MAX_DURATION,
    MAX_TRANSFERS,
    _network,
    _planner,
    _served_stops,
)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["santa_barbara"])
def test_matrix_rows_equal_one_to_all_searches(name: str) -> None:
    net = _network(name)
    date = dt.date.fromisoformat(FEEDS[name][1])
    view = _planner(name).day_view(date, whole_previous_day=False, next_day=False)
    rounds = MAX_TRANSFERS + 1
    rng = np.random.default_rng(11)
    points = rng.choice(_served_stops(net), 12, replace=False)
    # each point reaches itself and its footpath neighbours, walking their footpath time
    stops: list[np.ndarray] = []
    seconds: list[np.ndarray] = []
    for p in points.tolist():
        lo, hi = int(net.footpaths_offsets[p]), int(net.footpaths_offsets[p + 1])
        stops.append(np.concatenate([[p], net.footpath_to_stop[lo:hi]]).astype(np.int32))
        seconds.append(np.concatenate([[0], net.footpath_seconds[lo:hi]]).astype(np.int32))
    offsets = np.zeros(len(points) + 1, dtype=np.int64)
    np.cumsum([len(s) for s in stops], out=offsets[1:])
    flat_stops, flat_seconds = np.concatenate(stops), np.concatenate(seconds)
    departure = 8 * 3600

    want = np.full((len(points), len(points)), UNREACHED, dtype=np.int64)
    state = allocate_state(view.n_stops, view.n_vps, rounds)
    horizon = departure + MAX_DURATION + 1
    for r in range(len(points)):
        for c in range(len(points)):
            one_to_one(
                view.arrays, state, stops[r], seconds[r], stops[c], seconds[c], departure,
                rounds, horizon,
            )  # fmt: skip
            want[r, c] = min(int(state.labels.target_time[rounds]), UNREACHED)

    def run(parts: int) -> np.ndarray:
        got = np.empty((len(points), len(points)), dtype=np.int32)
        bounds = np.linspace(0, len(points), parts + 1).astype(int)
        states = [allocate_state(view.n_stops, view.n_vps, rounds) for _ in range(parts)]

        def rows(part: int) -> None:
            lo, hi = int(bounds[part]), int(bounds[part + 1])
            matrix_rows(
                view.arrays, states[part], flat_stops, flat_seconds, offsets[lo : hi + 1],
                flat_stops, flat_seconds, offsets, departure, rounds, MAX_DURATION, got[lo:hi],
            )  # fmt: skip

        with ThreadPoolExecutor(parts) as pool:
            list(pool.map(rows, range(parts)))
        return got.astype(np.int64)

    assert (want < UNREACHED).sum() > len(points)  # some rides, not only the diagonal
    assert np.array_equal(run(1), want)
    assert np.array_equal(run(2), want)
