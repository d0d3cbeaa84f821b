"""Kernels called without numba's type dispatch give the dispatcher's answers."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from jjj.gtfs.read import read_feed
from jjj.routing.dayview import build_day_view
from jjj.routing.kernels import KernelCall, allocate_state, one_to_one
from jjj.timetable.build import build_network
from tests.conftest import FIXTURES

CAIRNS = FIXTURES / "feeds" / "cairns_gtfs.zip"


def test_kernel_call_equals_the_dispatcher_and_checks_its_arrays() -> None:
    network = build_network([read_feed(CAIRNS, name="cairns")])
    view = build_day_view(network, dt.date(2014, 6, 17), whole_previous_day=False, next_day=False)
    fast = KernelCall(one_to_one)
    direct = allocate_state(view.n_stops, view.n_vps, 3)
    called = allocate_state(view.n_stops, view.n_vps, 3)
    rng = np.random.default_rng(3)
    reached = 0
    for _ in range(30):
        origin, destination = rng.integers(0, view.n_stops, 2)
        args = (
            np.array([origin], dtype=np.int32), np.zeros(1, dtype=np.int32),
            np.array([destination], dtype=np.int32), np.zeros(1, dtype=np.int32),
            8 * 3600, 3, 14 * 3600,
        )  # fmt: skip
        one_to_one(view.arrays, direct, *args)
        fast(view.arrays, called, *args)
        assert (direct.labels.target_time == called.labels.target_time).all()
        reached += int(direct.labels.target_time[-1] < 14 * 3600)
    assert reached > 0
    with pytest.raises(TypeError, match="int32 or bool"):
        fast(view.arrays, called, np.array([0], dtype=np.int64), *args[1:])
