"""The last rides of a search towards a destination look only where they can still
lead there, and that changes no answer.

With ``K`` rides allowed, the last ride only scans view-patterns to a destination stop
and the transfers before it only reach stops one ride from one; the ride before
(marked when it pays off) only scans as far as it can still alight to leave one ride,
and the transfers before that only reach stops two rides away. Searches with those
marks forced and with them left out must give the same earliest arrival for every
number of rides; the searches without them are checked against the oracle in
``test_against_oracle``.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from jjj.routing.dayview import DayView, build_day_view, reverse_view
from jjj.routing.kernels import allocate_state
from jjj.routing.kernels.arrays import (
    COUNTER_SECOND_RIDE,
    SECOND_RIDE_MARKED,
    SECOND_RIDE_SKIPPED,
)
from jjj.routing.kernels.raptor import mark_second_ride, reset_state, run_departure, set_egress
from tests.routing.view_feeds import FEEDS, stop_and_neighbours, view_date, view_network


@cache
def _views(name: str) -> tuple[DayView, DayView]:
    forward = build_day_view(view_network(name), view_date(name))
    return forward, reverse_view(forward)


def _best(
    view: DayView, query: tuple[np.ndarray, ...], departure: int, rides: int, marked: bool
) -> list[int]:
    access, walk, egress, egress_walk = query
    state = allocate_state(view.n_stops, view.n_vps, rides)
    reset_state(state)
    min_egress = set_egress(view.arrays, state, egress, egress_walk)
    if marked:
        mark_second_ride(view.arrays, state)
        assert state.work.counters[COUNTER_SECOND_RIDE] == SECOND_RIDE_MARKED
    else:
        state.work.counters[COUNTER_SECOND_RIDE] = SECOND_RIDE_SKIPPED
    run_departure(
        view.arrays, state, access, walk, departure, rides, departure + 4 * 3600, min_egress
    )
    return [int(t) for t in state.labels.target_time[1:]]


@pytest.mark.parametrize("backwards", [False, True], ids=["depart-at", "arrive-by"])
@pytest.mark.parametrize("rides", [2, 3, 4])
@pytest.mark.parametrize("name", list(FEEDS))
def test_marking_the_ride_before_the_last_changes_no_answer(
    name: str, rides: int, backwards: bool
) -> None:
    net = view_network(name)
    view = _views(name)[1 if backwards else 0]
    rng = np.random.default_rng(23)
    served = np.flatnonzero(np.isin(np.arange(net.n_stops), view.arrays.pat.vp_stops))
    reached = pruned = 0
    for _ in range(40):
        a, b = (int(x) for x in rng.choice(served, 2, replace=False))
        query = (*stop_and_neighbours(net, a), *stop_and_neighbours(net, b))
        when = int(rng.integers(6 * 3600, 20 * 3600))
        departure = -when if backwards else when
        marked = _best(view, query, departure, rides, True)
        assert marked == _best(view, query, departure, rides, False), (a, b, when)
        reached += marked[-1] < departure + 4 * 3600
        state = allocate_state(view.n_stops, view.n_vps, rides)
        set_egress(view.arrays, state, query[2], query[3])
        mark_second_ride(view.arrays, state)
        pruned += int((state.work.stop_rides == 3).sum() > 0)
    assert reached > 10, "too few queries reached their destination to prove much"
    assert pruned > 10, "the marks left every stop in: the test would prove little"
