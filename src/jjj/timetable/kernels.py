"""Compiled loops of the timetable compiler (numba): interpolation and pattern splitting.

Written by hand because no library does these GTFS-specific passes over millions of
stop times; each is a single linear loop.
"""

from __future__ import annotations

import numba
import numpy as np
import numpy.typing as npt

__all__ = ["assign_subpatterns", "interpolate_times", "scatter_pattern_times"]

I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]


@numba.njit(cache=True)
def interpolate_times(trip_offsets: I64, times: I32, distance: F64) -> int:
    """Fill missing times (-1) between timed stops of each trip, in place.

    The time of an untimed stop is proportional to its distance along the trip
    between the surrounding timed stops, rounded down to the second; where those
    stops are at the same distance, proportional to the stop count instead.
    Returns the number of trips whose first or last stop has no time (left as -1).
    """
    untimed_edges = 0
    for trip in range(trip_offsets.shape[0] - 1):
        start = trip_offsets[trip]
        end = trip_offsets[trip + 1]
        if end <= start:
            continue
        if times[start] < 0 or times[end - 1] < 0:
            untimed_edges += 1
            continue
        previous = start
        for row in range(start + 1, end):
            if times[row] < 0:
                continue
            if row - previous > 1:
                t0 = times[previous]
                t1 = times[row]
                d0 = distance[previous]
                d1 = distance[row]
                span = d1 - d0
                for gap in range(previous + 1, row):
                    if span > 0:
                        fraction = (distance[gap] - d0) / span
                    else:
                        fraction = (gap - previous) / (row - previous)
                    fraction = min(max(fraction, 0.0), 1.0)
                    times[gap] = t0 + np.int32(np.floor((t1 - t0) * fraction))
            previous = row
    return untimed_edges


@numba.njit(cache=True)
def assign_subpatterns(
    order: I64, trip_offsets: I64, arrivals: I32, departures: I32, n_stops: int
) -> I32:
    """Split trips (given in departure order) into FIFO sub-patterns, first fit.

    A trip joins the first sub-pattern whose latest trip it does not overtake: its
    arrival and departure at every stop are no earlier than that trip's. Returns
    the sub-pattern number of each trip, aligned with ``order``.
    """
    n = order.shape[0]
    result = np.empty(n, dtype=np.int32)
    last_trip = np.empty(n, dtype=np.int64)
    n_sub = 0
    for i in range(n):
        trip = order[i]
        base = trip_offsets[trip]
        placed = -1
        for sub in range(n_sub):
            other = trip_offsets[last_trip[sub]]
            ok = True
            for s in range(n_stops):
                if arrivals[base + s] < arrivals[other + s] or (
                    departures[base + s] < departures[other + s]
                ):
                    ok = False
                    break
            if ok:
                placed = sub
                break
        if placed < 0:
            placed = n_sub
            n_sub += 1
        last_trip[placed] = trip
        result[i] = placed
    return result


@numba.njit(cache=True)
def scatter_pattern_times(
    pattern_trip_rows: I64,
    pattern_trips_offsets: I64,
    pattern_n_stops: I64,
    pattern_times_offsets: I64,
    arrivals_in: I32,
    departures_in: I32,
    arrivals_out: I32,
    departures_out: I32,
) -> None:
    """Write each trip's times into its pattern's ``[stop][trip]`` block.

    ``pattern_trip_rows[j]`` is the first row (in the trip-major input arrays) of
    the ``j``-th trip of ``pattern_trips``.
    """
    for p in range(pattern_trips_offsets.shape[0] - 1):
        t0 = pattern_trips_offsets[p]
        n_trips = pattern_trips_offsets[p + 1] - t0
        n_stops = pattern_n_stops[p]
        base = pattern_times_offsets[p]
        for t in range(n_trips):
            row = pattern_trip_rows[t0 + t]
            for s in range(n_stops):
                arrivals_out[base + s * n_trips + t] = arrivals_in[row + s]
                departures_out[base + s * n_trips + t] = departures_in[row + s]
