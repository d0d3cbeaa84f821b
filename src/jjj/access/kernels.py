"""Numba kernels of the accessibility layer: per-minute travel times and their percentiles.

For one origin, ``arrivals[m, s]`` is the earliest arrival at stop ``s`` when leaving
at ``departures[m]`` (range RAPTOR output). A destination linked to stops ``s`` by
walks of ``w`` seconds is reached at ``min_s(arrivals[m, s] + w)``; its travel time
for minute ``m`` is that minus ``departures[m]``, or the direct walk when shorter.
Times above the limit count as unreachable (:data:`jjj.ids.UNREACHED`). Percentiles
use the nearest-rank definition over the minutes of the window (the ``k``-th smallest
value, ``k = ceil(p / 100 · n)``), so each one is a travel time that really occurs;
``numpy.percentile(..., method="inverted_cdf")`` computes the same.
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np
import numpy.typing as npt

from jjj.ids import UNREACHED

__all__ = ["nearest_rank_indices", "per_minute_times", "reduce_to_percentiles"]

I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]


def nearest_rank_indices(percentiles: npt.ArrayLike, n: int) -> I64:
    """0-based positions in the sorted ``n`` values of each percentile (nearest rank)."""
    values = np.asarray(percentiles, dtype=np.float64)
    ranks = np.array([math.ceil(p / 100.0 * n - 1e-9) for p in values.tolist()], dtype=np.int64)
    return np.clip(ranks - 1, 0, max(n - 1, 0))


@nb.njit(cache=True)
def _minute_times(
    arrivals: I32,
    departures: I32,
    links_offsets: I64,
    link_stops: I32,
    link_seconds: I32,
    direct_seconds: I32,
    max_seconds: int,
    d: int,
    buffer: I32,
) -> None:  # pragma: no cover
    n_minutes = departures.shape[0]
    direct = direct_seconds[d]
    for m in range(n_minutes):
        best = UNREACHED
        if direct >= 0:
            best = direct
        dep = departures[m]
        for i in range(links_offsets[d], links_offsets[d + 1]):
            a = arrivals[m, link_stops[i]]
            if a < UNREACHED:
                t = a + link_seconds[i] - dep
                if t < best:
                    best = t
        buffer[m] = best if best <= max_seconds else UNREACHED


@nb.njit(cache=True)
def per_minute_times(
    arrivals: I32,
    departures: I32,
    links_offsets: I64,
    link_stops: I32,
    link_seconds: I32,
    direct_seconds: I32,
    max_seconds: int,
) -> I32:  # pragma: no cover
    """``(n_destinations, n_minutes)`` travel times (for checks and small jobs)."""
    n_dest = links_offsets.shape[0] - 1
    out = np.empty((n_dest, departures.shape[0]), dtype=np.int32)
    for d in range(n_dest):
        _minute_times(
            arrivals,
            departures,
            links_offsets,
            link_stops,
            link_seconds,
            direct_seconds,
            max_seconds,
            d,
            out[d],
        )
    return out


@nb.njit(cache=True)
def reduce_to_percentiles(
    arrivals: I32,
    departures: I32,
    links_offsets: I64,
    link_stops: I32,
    link_seconds: I32,
    direct_seconds: I32,
    max_seconds: int,
    ranks: I64,
    out: I32,
    reached: npt.NDArray[np.int16],
) -> None:  # pragma: no cover
    """Fill ``out[d, p]`` with the nearest-rank percentile ``ranks[p]`` of destination
    ``d``'s per-minute travel times and ``reached[d]`` with the minutes that reach it;
    never holds more than one destination's minutes."""
    n_dest = links_offsets.shape[0] - 1
    buffer = np.empty(departures.shape[0], dtype=np.int32)
    for d in range(n_dest):
        _minute_times(
            arrivals,
            departures,
            links_offsets,
            link_stops,
            link_seconds,
            direct_seconds,
            max_seconds,
            d,
            buffer,
        )
        buffer.sort()
        count = 0
        for m in range(buffer.shape[0]):
            if buffer[m] < UNREACHED:
                count += 1
        reached[d] = count
        for p in range(ranks.shape[0]):
            out[d, p] = buffer[ranks[p]]
