"""A day view scans as few view-patterns as the date's trips allow.

The network splits the trips of one stop sequence into sub-patterns so that no trip
of any day overtakes another; a day view merges them again and splits only where
that date's trips overtake. The count must be the least possible: for every stop
sequence, the minimum number of non-overtaking groups of its view-trips, computed
here independently as a minimum chain cover (Dilworth: trips less a maximum
matching in the "runs no earlier at every stop" order).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.sparse.csgraph import maximum_bipartite_matching

from jjj.routing.dayview import DayView, build_day_view
from tests.routing.view_feeds import FEEDS, view_date, view_network


def _view(name: str) -> DayView:
    return build_day_view(view_network(name, footpaths=False), view_date(name))


def _times(view: DayView, vp: int) -> tuple[np.ndarray, np.ndarray]:
    pat = view.arrays.pat
    n_pos = int(pat.vp_stops_offsets[vp + 1] - pat.vp_stops_offsets[vp])
    n_trips = int(pat.vp_trips_offsets[vp + 1] - pat.vp_trips_offsets[vp])
    base = int(pat.vp_times_offsets[vp])
    size = n_pos * n_trips
    arrivals = pat.arrivals[base : base + size].reshape(n_trips, n_pos).T  # trip by trip
    departures = pat.departures[base : base + size].reshape(n_pos, n_trips)
    return arrivals.astype(np.int64), departures.astype(np.int64)


def _key(view: DayView, vp: int) -> tuple[Any, ...]:
    pat = view.arrays.pat
    lo, hi = int(pat.vp_stops_offsets[vp]), int(pat.vp_stops_offsets[vp + 1])
    return tuple(
        part[lo:hi].tobytes()
        for part in (pat.vp_stops, pat.vp_pickup, pat.vp_dropoff, pat.vp_pos_route,
                     pat.vp_pos_segment)
    )  # fmt: skip


def _minimum_chain_cover(arrivals: np.ndarray, departures: np.ndarray) -> int:
    """Trips (columns) less a maximum matching of the strict "no earlier anywhere" order."""
    times = np.vstack([arrivals, departures]).T  # trips × (2 × positions)
    n = int(times.shape[0])
    no_earlier = np.ones((n, n), dtype=bool)
    for column in times.T:
        no_earlier &= column[:, None] <= column[None, :]
    equal = no_earlier & no_earlier.T
    order = np.arange(n)
    before = no_earlier & ~(equal & (order[:, None] >= order[None, :]))
    matching = np.asarray(maximum_bipartite_matching(sp.csr_matrix(before), perm_type="column"))
    matched = int(np.count_nonzero(matching >= 0))
    return n - matched


@pytest.mark.parametrize("name", sorted(FEEDS))
def test_view_patterns_are_fifo_and_fewest(name: str) -> None:
    view = _view(name)
    families: dict[tuple[Any, ...], list[int]] = {}
    for vp in range(view.n_vps):
        arrivals, departures = _times(view, vp)
        assert (np.diff(arrivals, axis=1) >= 0).all(), f"view-pattern {vp} overtakes"
        assert (np.diff(departures, axis=1) >= 0).all(), f"view-pattern {vp} overtakes"
        families.setdefault(_key(view, vp), []).append(vp)
    for members in families.values():
        parts = [_times(view, vp) for vp in members]
        arrivals = np.hstack([a for a, _ in parts])
        departures = np.hstack([d for _, d in parts])
        assert len(members) == _minimum_chain_cover(arrivals, departures)


def test_subway_sub_patterns_merge_on_a_date() -> None:
    """The subway's network splits stop sequences by trips of other days; on one
    date they form fewer view-patterns than the network has sub-patterns."""
    network = view_network("nyc_subway", footpaths=False)
    view = _view("nyc_subway")
    served = np.unique(network.trip_pattern_idx[network.trips_active_on(view.date)])
    assert view.n_vps < len(served)
