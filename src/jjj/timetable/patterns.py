"""Group trips into patterns and lay their times out per pattern per stop.

A pattern is the set of trips of one route that visit the same stops with the same
pickup and drop-off types, split so that no trip overtakes another (first-fit into
FIFO sub-patterns, as R5 and nigiri do). Within a pattern, trips are ordered by
departure and the times of one stop form one contiguous span.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from jjj.streets.geo import haversine_m
from jjj.timetable.kernels import assign_subpatterns, scatter_pattern_times

__all__ = ["PatternArrays", "build_patterns"]

I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]
I8 = npt.NDArray[np.int8]


@dataclass
class PatternArrays:
    """The pattern part of a :class:`jjj.timetable.Network`."""

    trip_pattern_idx: I32
    pattern_route_idx: I32
    pattern_stops_offsets: I64
    pattern_stops: I32
    pattern_stop_pickup: I8
    pattern_stop_dropoff: I8
    pattern_stop_distance_m: npt.NDArray[np.float32]
    pattern_trips_offsets: I64
    pattern_trips: I32
    pattern_times_offsets: I64
    arrivals: I32
    departures: I32
    stop_patterns_offsets: I64
    stop_patterns: I32
    stop_patterns_pos: I32


def build_patterns(
    *,
    n_stops: int,
    trip_route_idx: I32,
    trip_offsets: I64,
    st_stop_idx: I32,
    st_pickup: I8,
    st_dropoff: I8,
    stop_lat: npt.NDArray[np.float64],
    stop_lon: npt.NDArray[np.float64],
    st_arrival: I32,
    st_departure: I32,
) -> PatternArrays:
    """Compile trip-major stop times into patterns (see the module docstring)."""
    n_trips = int(trip_route_idx.shape[0])
    counts = np.diff(trip_offsets)
    groups = _same_stops(trip_route_idx, trip_offsets, st_stop_idx, st_pickup, st_dropoff)

    pattern_trip_lists: list[npt.NDArray[np.int64]] = []
    for trips in groups:
        # departure order: first departure, then later times as tie-breaks
        n_stops_here = int(counts[trips[0]])
        matrix = st_departure[trip_offsets[trips][:, None] + np.arange(n_stops_here)]
        order = np.lexsort(tuple(matrix[:, s] for s in range(n_stops_here - 1, -1, -1)))
        trips = trips[order]
        sub = assign_subpatterns(trips, trip_offsets, st_arrival, st_departure, n_stops_here)
        if sub.max(initial=0) == 0:
            pattern_trip_lists.append(trips)
        else:
            for sub_idx in range(int(sub.max()) + 1):
                pattern_trip_lists.append(trips[sub == sub_idx])

    n_patterns = len(pattern_trip_lists)
    pattern_trips = (
        np.concatenate(pattern_trip_lists).astype(np.int32)
        if n_patterns
        else np.zeros(0, dtype=np.int32)
    )
    trips_per_pattern = np.array([len(t) for t in pattern_trip_lists], dtype=np.int64)
    pattern_trips_offsets = np.zeros(n_patterns + 1, dtype=np.int64)
    np.cumsum(trips_per_pattern, out=pattern_trips_offsets[1:])
    representative = pattern_trips[pattern_trips_offsets[:-1]] if n_patterns else pattern_trips
    stops_per_pattern = counts[representative].astype(np.int64)
    pattern_stops_offsets = np.zeros(n_patterns + 1, dtype=np.int64)
    np.cumsum(stops_per_pattern, out=pattern_stops_offsets[1:])
    rep_rows = (
        np.repeat(trip_offsets[representative] - pattern_stops_offsets[:-1], stops_per_pattern)
        + np.arange(int(pattern_stops_offsets[-1]))
    ).astype(np.int64)

    trip_pattern_idx = np.full(n_trips, -1, dtype=np.int32)
    trip_pattern_idx[pattern_trips] = np.repeat(
        np.arange(n_patterns, dtype=np.int32), trips_per_pattern
    )
    times_per_pattern = stops_per_pattern * trips_per_pattern
    pattern_times_offsets = np.zeros(n_patterns + 1, dtype=np.int64)
    np.cumsum(times_per_pattern, out=pattern_times_offsets[1:])
    total = int(pattern_times_offsets[-1])
    arrivals = np.empty(total, dtype=np.int32)
    departures = np.empty(total, dtype=np.int32)
    scatter_pattern_times(
        trip_offsets[pattern_trips].astype(np.int64),
        pattern_trips_offsets,
        stops_per_pattern,
        pattern_times_offsets,
        st_arrival,
        st_departure,
        arrivals,
        departures,
    )

    pattern_stops = st_stop_idx[rep_rows].astype(np.int32)
    pattern_of_stop_row = np.repeat(np.arange(n_patterns, dtype=np.int32), stops_per_pattern)
    position = (
        np.arange(len(pattern_stops)) - np.repeat(pattern_stops_offsets[:-1], stops_per_pattern)
    ).astype(np.int32)
    by_stop = np.lexsort((position, pattern_of_stop_row, pattern_stops))
    stop_patterns_offsets = np.zeros(n_stops + 1, dtype=np.int64)
    np.cumsum(np.bincount(pattern_stops, minlength=n_stops), out=stop_patterns_offsets[1:])

    return PatternArrays(
        trip_pattern_idx=trip_pattern_idx,
        pattern_route_idx=trip_route_idx[representative].astype(np.int32),
        pattern_stops_offsets=pattern_stops_offsets,
        pattern_stops=pattern_stops,
        pattern_stop_pickup=st_pickup[rep_rows].astype(np.int8),
        pattern_stop_dropoff=st_dropoff[rep_rows].astype(np.int8),
        pattern_stop_distance_m=_cumulative_distance(
            pattern_stops, pattern_stops_offsets, stop_lat, stop_lon
        ),
        pattern_trips_offsets=pattern_trips_offsets,
        pattern_trips=pattern_trips,
        pattern_times_offsets=pattern_times_offsets,
        arrivals=arrivals,
        departures=departures,
        stop_patterns_offsets=stop_patterns_offsets,
        stop_patterns=pattern_of_stop_row[by_stop],
        stop_patterns_pos=position[by_stop],
    )


def _same_stops(
    trip_route_idx: I32, trip_offsets: I64, st_stop_idx: I32, st_pickup: I8, st_dropoff: I8
) -> list[I64]:
    """Trips grouped by (route, stops, pickup and drop-off types), in trip order.

    Groups come in the order of their first trip. Each trip's stop sequence is
    hashed (a 64-bit polynomial hash) to group it, then compared value by value
    with its group's first trip, so a hash collision cannot merge two sequences.
    """
    n_trips = len(trip_route_idx)
    if n_trips == 0:
        return []
    counts = np.diff(trip_offsets)
    starts = trip_offsets[:-1]
    n_rows = int(trip_offsets[-1])
    # In-place arithmetic throughout: these are arrays of millions of stop times.
    position = np.arange(n_rows, dtype=np.int64)
    position -= np.repeat(starts, counts)
    value = st_stop_idx.astype(np.uint64)
    value <<= np.uint64(16)
    value |= st_pickup.astype(np.uint8).astype(np.uint64) << np.uint64(8)
    value |= st_dropoff.astype(np.uint8).astype(np.uint64)
    value += np.uint64(1)
    longest = int(counts.max(initial=0))
    powers = np.full(max(longest, 1), 0x9E3779B97F4A7C15, dtype=np.uint64)
    powers[0] = 1
    np.multiply.accumulate(powers, out=powers)  # wraps modulo 2**64, as intended
    terms = powers[position]
    terms *= value
    trip_hash = np.add.reduceat(terms, np.minimum(starts, max(n_rows - 1, 0)))
    del terms
    trip_hash[counts == 0] = 0
    order = np.lexsort((np.arange(n_trips), trip_hash, counts, trip_route_idx))
    key_change = np.ones(n_trips, dtype=np.bool_)
    key_change[1:] = (
        (trip_route_idx[order][1:] != trip_route_idx[order][:-1])
        | (counts[order][1:] != counts[order][:-1])
        | (trip_hash[order][1:] != trip_hash[order][:-1])
    )
    group_of_sorted = np.cumsum(key_change) - 1
    first_trip = order[key_change]  # the smallest trip index of each group
    group = np.empty(n_trips, dtype=np.int64)
    group[order] = group_of_sorted
    representative = first_trip[group]
    rows_of_representative = np.repeat(trip_offsets[representative], counts)
    rows_of_representative += position
    del position
    same = value[rows_of_representative] == value
    del rows_of_representative
    if not bool(same.all()):  # a hash collision: group by the sequences themselves
        return _same_stops_exact(trip_route_idx, trip_offsets, value)
    by_first = np.argsort(first_trip, kind="stable")
    group_starts = np.flatnonzero(key_change)
    group_ends = np.append(group_starts[1:], n_trips)
    # Trips without stop times belong to no pattern.
    return [order[group_starts[g] : group_ends[g]] for g in by_first if counts[first_trip[g]]]


def _same_stops_exact(
    trip_route_idx: I32, trip_offsets: I64, value: npt.NDArray[np.uint64]
) -> list[I64]:
    """:func:`_same_stops` without hashing (slower; only after a collision)."""
    groups: dict[tuple[int, bytes], list[int]] = {}
    for trip in range(len(trip_route_idx)):
        key = (
            int(trip_route_idx[trip]),
            value[trip_offsets[trip] : trip_offsets[trip + 1]].tobytes(),
        )
        groups.setdefault(key, []).append(trip)
    counts = np.diff(trip_offsets)
    return [np.asarray(trips, dtype=np.int64) for trips in groups.values() if counts[trips[0]]]


def _cumulative_distance(
    stops: I32, offsets: I64, lat: npt.NDArray[np.float64], lon: npt.NDArray[np.float64]
) -> npt.NDArray[np.float32]:
    """Great-circle metres from each pattern's first stop, stop by stop."""
    step = np.zeros(len(stops), dtype=np.float64)
    if len(stops) > 1:
        step[1:] = haversine_m(lat[stops[:-1]], lon[stops[:-1]], lat[stops[1:]], lon[stops[1:]])
    counts = np.diff(offsets)
    step[offsets[:-1][counts > 0]] = 0.0
    cumulative = np.cumsum(np.nan_to_num(step))
    cumulative -= np.repeat(cumulative[offsets[:-1][counts > 0]], counts[counts > 0])
    return cumulative.astype(np.float32)
