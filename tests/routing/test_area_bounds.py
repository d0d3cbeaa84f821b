"""A view's table of bounds between areas never exceeds the exact bounds.

The exact bound of a stop (a Dijkstra from the destination over the view's graph of
quickest rides and walks, already checked against real travel times in
``test_bounds``) is the most a bound may be; the table's, folded for the same
destination, must be at most that at every stop, forwards and on the mirrored view
of arrive-by searches, and still bound most stops away from zero. Journeys found with
the table are checked against the oracle in ``test_against_oracle``.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from jjj.routing.bound_table import stop_areas, with_area_bounds
from jjj.routing.dayview import DayView, build_day_view, reverse_view
from jjj.routing.kernels import allocate_state
from jjj.routing.kernels.bounds import NO_BOUND, destination_area_bounds, destination_bounds
from jjj.routing.kernels.raptor import reset_state, set_egress
from tests.routing.view_feeds import FEEDS, view_date, view_network


@cache
def _views(name: str) -> tuple[DayView, DayView]:
    network = view_network(name)
    forward = with_area_bounds(build_day_view(network, view_date(name)), network)
    return forward, reverse_view(forward)


def _bounds(view: DayView, stops: np.ndarray, walks: np.ndarray) -> tuple[np.ndarray, ...]:
    state = allocate_state(view.n_stops, view.n_vps, 1)
    reset_state(state)
    set_egress(view.arrays, state, stops, walks)
    destination_bounds(view.arrays.links, state.labels, state.work, 10**6)
    exact = state.labels.lower_bound.copy()
    destination_area_bounds(view.arrays.links, state.labels, state.work, stops, walks)
    return exact, state.labels.lower_bound.copy()


@pytest.mark.parametrize("name", sorted(FEEDS))
@pytest.mark.parametrize("direction", ["forward", "reverse"])
def test_area_bounds_never_exceed_the_exact_bounds(name: str, direction: str) -> None:
    forward, backward = _views(name)
    view = forward if direction == "forward" else backward
    links = view.arrays.links
    assert links.area_bounds.shape[0] == links.stop_area.max() + 1 > 1
    served = np.unique(view.arrays.pat.vp_stops)
    rng = np.random.default_rng(5)
    informative = []
    for _ in range(8):
        stops = rng.choice(served, size=int(rng.integers(1, 4)), replace=False).astype(np.int32)
        walks = rng.integers(0, 600, size=len(stops)).astype(np.int32)
        exact, table = _bounds(view, stops, walks)
        reached = exact < NO_BOUND
        assert (table[reached] <= exact[reached]).all()
        assert (table[stops] <= walks).all()
        far = reached & (exact > 1800)
        informative.append((table[far] > 0).mean())
    # areas are a few stops each: most stops half an hour away get a positive bound
    assert np.mean(informative) > 0.8


def test_areas_are_grid_cells_within_the_budget() -> None:
    network = view_network("nyc_subway")
    lat = np.array(network.stop_lat, dtype=np.float64)
    lon = np.array(network.stop_lon, dtype=np.float64)
    for budget in (1, 10, 200):
        areas = stop_areas(lat, lon, budget)
        assert areas.min() == 0 and areas.max() < budget
        assert len(np.unique(areas)) == areas.max() + 1  # numbered densely
    lat[:3] = np.nan
    areas = stop_areas(lat, lon, 50)
    assert len(set(areas[:3].tolist())) == 1  # no coordinates: an area of their own
    assert not np.isin(areas[:3], areas[3:]).any()
    assert areas.max() < 50
