"""The timetable of one query date as the kernels see it (R5's per-date pattern cache).

For a date ``D`` (in the network's timezone) the view holds every trip that can run
on that calendar day: trips of ``D`` with their times as stored, trips of ``D - 1``
that run past midnight (times − 86 400; all of ``D - 1`` when asked, for arrive-by
searches before dawn) and, when asked, trips of ``D + 1`` (+ 86 400) for searches
crossing midnight. Agencies in another timezone than the network's are shifted by
the difference of UTC offsets on their service day. A vehicle's consecutive trips
(``trip_block_next_idx``, transfers.txt type 4 minus type 5) are chained into one
view-trip so a rider can stay seated. Chains with the same sequence of pattern
families form a view-pattern, split so that no view-trip overtakes another (copies
from different days only share a view-pattern when they do not overtake). A family is
the patterns of one route with the same stops and pickup and drop-off types: the
network splits them into sub-patterns so that no trip of *any* day overtakes another,
but the trips of one date seldom do, and one view-pattern scanned instead of several
is less work for every search (Brooklyn's buses: 298 view-patterns instead of 429).

:func:`reverse_view` mirrors a view (stop order and time reversed, pickup and drop-off
and every transfer swapped) so the same kernel answers arrive-by queries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from jjj.ids import DAY_SECONDS
from jjj.routing.kernels.arrays import (
    NO_DROPOFF,
    NO_PICKUP,
    RULES_APPLY,
    PatternArrays,
    RuleArrays,
    StopLinks,
    ViewArrays,
)
from jjj.routing.kernels.bounds import NO_AREA_BOUNDS, bound_graph
from jjj.timetable.network import Network

__all__ = ["DayView", "build_day_view", "reverse_view", "utc_offset_seconds"]

I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]


@dataclass(frozen=True)
class DayView:
    """One query date's timetable for the kernels.

    Attributes
    ----------
    date:
        The calendar date ``D``; view times are seconds since ``D``'s noon minus 12 h
        in the network timezone.
    arrays:
        What the kernels read.
    vtrip_day:
        Day offset (-1, 0, 1) of each view-trip's service day relative to ``D``.
    trip_route:
        The network's route of each timetable trip.
    reversed:
        True for the mirrored view of arrive-by searches (times negated).
    """

    date: dt.date
    arrays: ViewArrays
    vtrip_day: npt.NDArray[np.int8]
    trip_route: I32
    reversed: bool = False

    @property
    def n_vps(self) -> int:
        return int(self.arrays.pat.vp_stops_offsets.shape[0]) - 1

    @property
    def n_stops(self) -> int:
        return int(self.arrays.links.min_transfer_seconds.shape[0])

    @cached_property
    def vtrip_vp(self) -> list[int]:
        """The view-pattern of each view-trip."""
        offsets = self.arrays.pat.vp_trips_offsets
        vps: list[int] = np.repeat(np.arange(len(offsets) - 1), np.diff(offsets)).tolist()
        return vps

    def vp_of_vtrip(self, vtrip: int) -> int:
        """The view-pattern of a view-trip."""
        return self.vtrip_vp[vtrip]

    def departure(self, vtrip: int, pos: int) -> int:
        """When view-trip ``vtrip`` leaves position ``pos`` of its view-pattern."""
        pat = self.arrays.pat
        vp = self.vtrip_vp[vtrip]
        first = int(pat.vp_trips_offsets[vp])
        n_trips = int(pat.vp_trips_offsets[vp + 1]) - first
        return int(pat.departures[int(pat.vp_times_offsets[vp]) + pos * n_trips + vtrip - first])

    def arrival(self, vtrip: int, pos: int) -> int:
        """When view-trip ``vtrip`` reaches position ``pos`` of its view-pattern."""
        pat = self.arrays.pat
        vp = self.vtrip_vp[vtrip]
        first = int(pat.vp_trips_offsets[vp])
        n_pos = int(pat.vp_stops_offsets[vp + 1] - pat.vp_stops_offsets[vp])
        return int(pat.arrivals[int(pat.vp_times_offsets[vp]) + (vtrip - first) * n_pos + pos])


def utc_offset_seconds(timezone: str, date: dt.date) -> int:
    """The UTC offset of ``timezone`` at noon of ``date``, in seconds."""
    noon = dt.datetime.combine(date, dt.time(12), tzinfo=ZoneInfo(timezone))
    offset = noon.utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


def _pattern_positions(network: Network) -> I64:
    """Each trip's column in its pattern's time matrix."""
    n_entries = network.pattern_trips.shape[0]
    counts = np.diff(network.pattern_trips_offsets)
    starts = np.repeat(network.pattern_trips_offsets[:-1], counts)
    position = np.full(network.n_trips, -1, dtype=np.int64)
    position[network.pattern_trips] = np.arange(n_entries, dtype=np.int64) - starts
    return position


def _continuations(network: Network) -> I32:
    """The trip each trip's vehicle continues as: blocks, plus type 4, minus type 5."""
    following = np.array(network.trip_block_next_idx, dtype=np.int32, copy=True)
    kinds = network.transfer_type
    for rule in np.flatnonzero((kinds == 4) | (kinds == 5)).tolist():
        a = int(network.transfer_from_trip_idx[rule])
        b = int(network.transfer_to_trip_idx[rule])
        if a < 0 or b < 0:
            continue
        if kinds[rule] == 5 and following[a] == b:
            following[a] = -1
        elif kinds[rule] == 4 and following[a] < 0:
            following[a] = b
    return following


def _trip_shifts(network: Network, date: dt.date, offsets: list[int]) -> dict[int, I64]:
    """Seconds to add to stored times of each trip when it runs on ``date + offset``."""
    tz_names = network.agency_timezones.to_list()
    trip_agency = network.route_agency_idx[network.trip_route_idx]
    shifts: dict[int, I64] = {}
    for offset in offsets:
        day = date + dt.timedelta(days=offset)
        reference = utc_offset_seconds(network.timezone, day)
        by_agency = np.array(
            [reference - utc_offset_seconds(tz, day) if tz else 0 for tz in tz_names] or [0],
            dtype=np.int64,
        )
        agency_shift = by_agency[trip_agency] if len(tz_names) else np.zeros(network.n_trips)
        shifts[offset] = (agency_shift + offset * DAY_SECONDS).astype(np.int64)
    return shifts


def _trip_ends(network: Network, position: I64) -> tuple[I64, I64]:
    """Each trip's first departure and last arrival as stored."""
    pattern = network.trip_pattern_idx.astype(np.int64)
    n_trips = np.diff(network.pattern_trips_offsets)[pattern]
    n_stops = np.diff(network.pattern_stops_offsets)[pattern]
    base = network.pattern_times_offsets[pattern]
    first = network.departures[base + position].astype(np.int64)
    last = network.arrivals[base + (n_stops - 1) * n_trips + position].astype(np.int64)
    return first, last


def build_day_view(
    network: Network, date: dt.date, *, whole_previous_day: bool = False, next_day: bool = False
) -> DayView:
    """The view for ``date`` (see the module docstring).

    Parameters
    ----------
    whole_previous_day:
        Include every trip of the day before, not only those running past midnight
        (needed when the search reaches before 00:00 of ``date``).
    next_day:
        Include the trips of the day after (needed past 24:00 of ``date``).
    """
    offsets = [-1, 0, 1] if next_day else [-1, 0]
    position = _pattern_positions(network)
    first, last = _trip_ends(network, position)
    shifts = _trip_shifts(network, date, offsets)
    following = _continuations(network)

    inst_trip: list[I32] = []
    inst_day: list[npt.NDArray[np.int8]] = []
    for offset in offsets:
        trips = network.trips_active_on(date + dt.timedelta(days=offset))
        trips = trips[network.trip_pattern_idx[trips] >= 0]
        if offset == -1 and not whole_previous_day:
            trips = trips[last[trips] + shifts[offset][trips] >= 0]
        inst_trip.append(trips.astype(np.int32))
        inst_day.append(np.full(len(trips), offset, dtype=np.int8))
    trip_of = np.concatenate(inst_trip) if inst_trip else np.zeros(0, np.int32)
    day_of = np.concatenate(inst_day) if inst_day else np.zeros(0, np.int8)
    shift_of = np.zeros(len(trip_of), dtype=np.int64)
    for offset in offsets:
        chosen = day_of == offset
        shift_of[chosen] = shifts[offset][trip_of[chosen]]

    chains = _chains(trip_of, day_of, following, first, last, shift_of)
    return _assemble(network, date, chains, trip_of, day_of, shift_of, position)


def _chains(
    trip_of: I32,
    day_of: npt.NDArray[np.int8],
    following: I32,
    first: I64,
    last: I64,
    shift_of: I64,
) -> list[list[int]]:
    """Instances (indices into ``trip_of``) grouped into stay-seated chains."""
    n = len(trip_of)
    successor = np.full(n, -1, dtype=np.int64)
    has_next = following[trip_of] >= 0 if n else np.zeros(0, dtype=np.bool_)
    if has_next.any():
        key = {(int(t), int(d)): i for i, (t, d) in enumerate(zip(trip_of, day_of, strict=True))}
        for i in np.flatnonzero(has_next).tolist():
            j = key.get((int(following[trip_of[i]]), int(day_of[i])))
            if j is None or j == i:
                continue
            if first[trip_of[j]] + shift_of[j] >= last[trip_of[i]] + shift_of[i]:
                successor[i] = j
    is_target = np.zeros(n, dtype=np.bool_)
    chains: list[list[int]] = []
    linked = np.flatnonzero(successor >= 0)
    if len(linked) == 0:
        return [[i] for i in range(n)]
    # a trip with two predecessors keeps the first; the other chain ends before it
    for i in linked.tolist():
        j = int(successor[i])
        if is_target[j]:
            successor[i] = -1
        else:
            is_target[j] = True
    used = np.zeros(n, dtype=np.bool_)
    for head in np.flatnonzero(~is_target).tolist():
        chain = [head]
        used[head] = True
        nxt = int(successor[head])
        while nxt >= 0 and not used[nxt]:
            chain.append(nxt)
            used[nxt] = True
            nxt = int(successor[nxt])
        chains.append(chain)
    for i in np.flatnonzero(~used).tolist():  # cycles (bad data): cut anywhere
        chain = [i]
        used[i] = True
        nxt = int(successor[i])
        while nxt >= 0 and not used[nxt]:
            chain.append(nxt)
            used[nxt] = True
            nxt = int(successor[nxt])
        chains.append(chain)
    return chains


def _pattern_matrix(network: Network, pattern: int, which: npt.NDArray[np.int32]) -> I32:
    lo, hi = network.pattern_stop_span(pattern)
    t_lo, t_hi = network.pattern_trip_span(pattern)
    base = int(network.pattern_times_offsets[pattern])
    size = (hi - lo) * (t_hi - t_lo)
    matrix: I32 = which[base : base + size].reshape(hi - lo, t_hi - t_lo)
    return matrix


def _pattern_families(network: Network) -> I64:
    """For each pattern, the first pattern of its family: the same route, stops and
    pickup and drop-off types (the network's FIFO sub-patterns of one stop sequence).
    Cached per network: every day view needs it."""
    cached: I64 | None = network._extra.get("routing.pattern_families")
    if cached is not None:
        return cached
    family = np.arange(network.n_patterns, dtype=np.int64)
    first: dict[tuple[Any, ...], int] = {}
    for pattern in range(network.n_patterns):
        lo, hi = network.pattern_stop_span(pattern)
        key = (
            int(network.pattern_route_idx[pattern]),
            network.pattern_stops[lo:hi].tobytes(),
            network.pattern_stop_pickup[lo:hi].tobytes(),
            network.pattern_stop_dropoff[lo:hi].tobytes(),
        )
        family[pattern] = first.setdefault(key, pattern)
    network._extra["routing.pattern_families"] = family
    return family


def _family_times(
    network: Network, patterns: I64, columns: I64, shift: I64, which: npt.NDArray[np.int32]
) -> I64:
    """Stops × instances matrix of times for instances of one family (``patterns``:
    each instance's own pattern, ``columns``: its trip position there)."""
    lo, hi = network.pattern_stop_span(int(patterns[0]))
    out = np.empty((hi - lo, len(patterns)), dtype=np.int64)
    for pattern in np.unique(patterns).tolist():
        chosen = patterns == pattern
        out[:, chosen] = _pattern_matrix(network, pattern, which)[:, columns[chosen]]
    out += shift[None, :]
    return out


def _split_no_overtaking(arrivals: I64, departures: I64) -> list[npt.NDArray[np.int64]]:
    """Columns (trips) grouped so that no group's trips overtake: times
    non-decreasing along each row within a group, in first departure order.

    Trips are sorted by first departure, then last arrival, then the sum of all their
    times: an order in which a trip never comes after one it overtakes, so that trips
    that do not overtake each other at all form one group (first fit)."""
    total = arrivals.sum(axis=0) + departures.sum(axis=0)
    order = np.lexsort((total, arrivals[-1], departures[0]))
    a, d = arrivals[:, order], departures[:, order]
    if a.shape[1] < 2 or (np.all(np.diff(a, axis=1) >= 0) and np.all(np.diff(d, axis=1) >= 0)):
        return [order]
    groups: list[list[int]] = []
    last_a: list[I64] = []
    last_d: list[I64] = []
    for column in range(a.shape[1]):
        for g in range(len(groups)):
            if np.all(a[:, column] >= last_a[g]) and np.all(d[:, column] >= last_d[g]):
                groups[g].append(column)
                last_a[g], last_d[g] = a[:, column], d[:, column]
                break
        else:
            groups.append([column])
            last_a.append(a[:, column])
            last_d.append(d[:, column])
    return [order[np.array(g, dtype=np.int64)] for g in groups]


def _assemble(
    network: Network,
    date: dt.date,
    chains: list[list[int]],
    trip_of: I32,
    day_of: npt.NDArray[np.int8],
    shift_of: I64,
    position: I64,
) -> DayView:
    family = _pattern_families(network)
    by_key: dict[tuple[int, ...], list[int]] = {}
    for c, chain in enumerate(chains):
        key = tuple(int(family[network.trip_pattern_idx[trip_of[i]]]) for i in chain)
        by_key.setdefault(key, []).append(c)

    vp_stops: list[I32] = []
    vp_pickup: list[npt.NDArray[np.int8]] = []
    vp_dropoff: list[npt.NDArray[np.int8]] = []
    vp_segment: list[I32] = []
    vp_route: list[I32] = []
    arrivals_out: list[I32] = []
    departures_out: list[I32] = []
    segment_trip: list[I32] = []
    vtrip_day: list[npt.NDArray[np.int8]] = []
    n_pos: list[int] = []
    n_trip: list[int] = []
    n_seg: list[int] = []
    for key, members in by_key.items():
        columns = np.array([chains[c] for c in members], dtype=np.int64)  # chains × segments
        arr_parts: list[I64] = []
        dep_parts: list[I64] = []
        stops: list[I32] = []
        pickup: list[npt.NDArray[np.int8]] = []
        dropoff: list[npt.NDArray[np.int8]] = []
        segment: list[I32] = []
        route: list[I32] = []
        for g, pattern in enumerate(key):
            inst = columns[:, g]
            own = network.trip_pattern_idx[trip_of[inst]].astype(np.int64)
            cols = position[trip_of[inst]]
            shift = shift_of[inst]
            arr_parts.append(_family_times(network, own, cols, shift, network.arrivals))
            dep_parts.append(_family_times(network, own, cols, shift, network.departures))
            lo, hi = network.pattern_stop_span(pattern)
            stops.append(network.pattern_stops[lo:hi])
            # nobody boards a trip at its last stop or alights at its first: in a chain
            # that would be a ride going nowhere
            can_board = np.array(network.pattern_stop_pickup[lo:hi], dtype=np.int8)
            can_alight = np.array(network.pattern_stop_dropoff[lo:hi], dtype=np.int8)
            can_board[-1] = 1
            can_alight[0] = 1
            pickup.append(can_board)
            dropoff.append(can_alight)
            segment.append(np.full(hi - lo, g, dtype=np.int32))
            route.append(np.full(hi - lo, network.pattern_route_idx[pattern], dtype=np.int32))
        arr_all = np.vstack(arr_parts)
        dep_all = np.vstack(dep_parts)
        for group in _split_no_overtaking(arr_all, dep_all):
            vp_stops.append(np.concatenate(stops).astype(np.int32))
            vp_pickup.append(np.concatenate(pickup).astype(np.int8))
            vp_dropoff.append(np.concatenate(dropoff).astype(np.int8))
            vp_segment.append(np.concatenate(segment))
            vp_route.append(np.concatenate(route))
            arrivals_out.append(arr_all[:, group].astype(np.int32).ravel())
            departures_out.append(dep_all[:, group].astype(np.int32).ravel())
            inst_matrix = columns[group]  # trips × segments
            segment_trip.append(trip_of[inst_matrix.T].astype(np.int32).ravel())
            vtrip_day.append(day_of[inst_matrix[:, 0]].astype(np.int8))
            n_pos.append(int(arr_all.shape[0]))
            n_trip.append(len(group))
            n_seg.append(len(key))

    def offsets(counts: list[int]) -> I64:
        out = np.zeros(len(counts) + 1, dtype=np.int64)
        if counts:
            np.cumsum(counts, out=out[1:])
        return out

    def cat(parts: Sequence[npt.NDArray[Any]], dtype: Any) -> Any:
        return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype=dtype)

    stops_all = cat(vp_stops, np.int32)
    stops_offsets = offsets(n_pos)
    trips_offsets = offsets(n_trip)
    times_offsets = offsets([p * t for p, t in zip(n_pos, n_trip, strict=True)])
    segments_offsets = offsets([s * t for s, t in zip(n_seg, n_trip, strict=True)])
    seg_trip = cat(segment_trip, np.int32)
    rules = RuleArrays(
        **_rules(network),
        **_trip_instances(network.n_trips, trips_offsets, segments_offsets, seg_trip),
    )
    pickup_all = cat(vp_pickup, np.int8)
    dropoff_all = cat(vp_dropoff, np.int8)
    route_all = cat(vp_route, np.int32)
    pat = PatternArrays(
        vp_stops_offsets=stops_offsets,
        vp_stops=stops_all,
        vp_pickup=pickup_all,
        vp_dropoff=dropoff_all,
        vp_pos_segment=cat(vp_segment, np.int32),
        vp_pos_route=route_all,
        vp_pos_flags=_position_flags(pickup_all, dropoff_all, stops_all, route_all, rules),
        vp_trips_offsets=trips_offsets,
        vp_times_offsets=times_offsets,
        arrivals=cat(arrivals_out, np.int32)[
            _trip_major_order(stops_offsets, trips_offsets, times_offsets)
        ],
        departures=cat(departures_out, np.int32),
        vp_segments_offsets=segments_offsets,
        segment_trip=seg_trip,
    )
    footpaths = _footpaths(network)
    links = StopLinks(
        **_stop_index(network.n_stops, stops_offsets, stops_all),
        **footpaths,
        min_transfer_seconds=np.array(network.stop_min_transfer_seconds, dtype=np.int32, copy=True),
        **bound_graph(pat, footpaths, rules, network.n_stops),
        **NO_AREA_BOUNDS,
    )
    arrays = ViewArrays(pat=pat, links=links, rules=rules)
    return DayView(
        date=date,
        arrays=arrays,
        vtrip_day=cat(vtrip_day, np.int8),
        trip_route=np.asarray(network.trip_route_idx, dtype=np.int32),
    )


def _position_flags(
    pickup: npt.NDArray[np.int8],
    dropoff: npt.NDArray[np.int8],
    stops: I32,
    routes: I32,
    rules: RuleArrays,
) -> npt.NDArray[np.int8]:
    """``vp_pos_flags``: no pickup, no drop-off, rules may apply (see the kernels)."""
    stop_has_rules = np.diff(rules.stop_rules_offsets) > 0
    applies = stop_has_rules[stops] | rules.route_has_rules[routes]
    flags: npt.NDArray[np.int8] = (
        (pickup == 1) * NO_PICKUP + (dropoff == 1) * NO_DROPOFF + applies * RULES_APPLY
    ).astype(np.int8)
    return flags


def _stop_index(n_stops: int, stops_offsets: I64, stops: I32) -> dict[str, Any]:
    n_vps = len(stops_offsets) - 1
    vp_of_entry = np.repeat(np.arange(n_vps, dtype=np.int32), np.diff(stops_offsets))
    pos_of_entry = (np.arange(len(stops), dtype=np.int64) - stops_offsets[vp_of_entry]).astype(
        np.int32
    )
    order = np.argsort(stops, kind="stable")
    offsets = np.zeros(n_stops + 1, dtype=np.int64)
    np.cumsum(np.bincount(stops, minlength=n_stops), out=offsets[1:])
    return {
        "stop_vps_offsets": offsets,
        "stop_vps": vp_of_entry[order],
        "stop_vps_pos": pos_of_entry[order],
    }


def _footpaths(network: Network) -> dict[str, Any]:
    offsets = np.asarray(network.footpaths_offsets, dtype=np.int64)
    to_stop = np.asarray(network.footpath_to_stop, dtype=np.int32)
    seconds = np.asarray(network.footpath_seconds, dtype=np.int32)
    origin = np.repeat(np.arange(network.n_stops, dtype=np.int32), np.diff(offsets))
    keep = origin != to_stop
    return _csr(network.n_stops, origin[keep], to_stop[keep], seconds[keep])


def _csr(n_stops: int, origin: I32, to_stop: I32, seconds: I32) -> dict[str, Any]:
    """Footpaths by origin stop, each stop's shortest first (the kernels stop at the
    first one that is too long), and where each stop's footpaths come from."""
    order = np.lexsort((to_stop, seconds, origin))
    offsets = np.zeros(n_stops + 1, dtype=np.int64)
    np.cumsum(np.bincount(origin, minlength=n_stops), out=offsets[1:])
    incoming = np.lexsort((origin, to_stop))
    in_offsets = np.zeros(n_stops + 1, dtype=np.int64)
    np.cumsum(np.bincount(to_stop, minlength=n_stops), out=in_offsets[1:])
    return {
        "footpaths_offsets": offsets,
        "footpath_to_stop": np.ascontiguousarray(to_stop[order], dtype=np.int32),
        "footpath_seconds": np.ascontiguousarray(seconds[order], dtype=np.int32),
        "footpaths_in_offsets": in_offsets,
        "footpath_from_stop": np.ascontiguousarray(origin[incoming], dtype=np.int32),
    }


def rule_rank(
    from_stop: I32, to_stop: I32, from_route: I32, to_route: I32, from_trip: I32, to_trip: I32
) -> I32:
    """GTFS specificity: both trips > a trip and a route > one trip > both routes > one
    route > stops only; then a named from-stop, then a named to-stop."""
    side_from = np.where(from_trip >= 0, 3, np.where(from_route >= 0, 1, 0))
    side_to = np.where(to_trip >= 0, 3, np.where(to_route >= 0, 1, 0))
    rank: I32 = (10 * (side_from + side_to) + 2 * (from_stop >= 0) + (to_stop >= 0)).astype(
        np.int32
    )
    return rank


def _rules(network: Network) -> dict[str, Any]:
    kinds = np.asarray(network.transfer_type, dtype=np.int8)
    keep = np.flatnonzero((kinds == 1) | (kinds == 2) | (kinds == 3))
    columns = {
        "rule_from_stop": network.transfer_from_stop_idx,
        "rule_to_stop": network.transfer_to_stop_idx,
        "rule_from_route": network.transfer_from_route_idx,
        "rule_to_route": network.transfer_to_route_idx,
        "rule_from_trip": network.transfer_from_trip_idx,
        "rule_to_trip": network.transfer_to_trip_idx,
    }
    out: dict[str, Any] = {
        name: np.ascontiguousarray(np.asarray(values)[keep], dtype=np.int32)
        for name, values in columns.items()
    }
    out["rule_type"] = kinds[keep].copy()
    out["rule_seconds"] = np.ascontiguousarray(
        np.asarray(network.transfer_min_seconds)[keep], np.int32
    )
    out["rule_rank"] = rule_rank(
        out["rule_from_stop"],
        out["rule_to_stop"],
        out["rule_from_route"],
        out["rule_to_route"],
        out["rule_from_trip"],
        out["rule_to_trip"],
    )
    out.update(_rule_index(network.n_stops, network.n_routes, network.trip_route_idx, out))
    return out


def _rule_index(
    n_stops: int, n_routes: int, trip_route: I32, rules: dict[str, Any]
) -> dict[str, Any]:
    from_stop = np.asarray(rules["rule_from_stop"], dtype=np.int64)
    with_stop = np.flatnonzero(from_stop >= 0)
    order = with_stop[np.argsort(from_stop[with_stop], kind="stable")]
    offsets = np.zeros(n_stops + 1, dtype=np.int64)
    np.cumsum(np.bincount(from_stop[with_stop], minlength=n_stops), out=offsets[1:])
    any_stop = np.flatnonzero(from_stop < 0).astype(np.int32)
    flags = np.zeros(max(n_routes, 1), dtype=np.bool_)
    for rule in any_stop.tolist():
        route = int(rules["rule_from_route"][rule])
        trip = int(rules["rule_from_trip"][rule])
        if trip >= 0:
            flags[int(trip_route[trip])] = True
        elif route >= 0:
            flags[route] = True
        else:
            flags[:] = True
    return {
        "stop_rules_offsets": offsets,
        "stop_rules": order.astype(np.int32),
        "any_stop_rules": any_stop,
        "route_has_rules": flags,
    }


def _trip_instances(
    n_trips: int, trips_offsets: I64, segments_offsets: I64, segment_trip: I32
) -> dict[str, Any]:
    n_vps = len(trips_offsets) - 1
    counts = np.diff(segments_offsets)
    vp_of_entry = np.repeat(np.arange(n_vps, dtype=np.int64), counts)
    n_trip = np.diff(trips_offsets)[vp_of_entry]
    pos = (
        np.arange(len(segment_trip), dtype=np.int64) - segments_offsets[vp_of_entry]
    ) % np.maximum(n_trip, 1)
    order = np.argsort(segment_trip, kind="stable")
    offsets = np.zeros(n_trips + 1, dtype=np.int64)
    np.cumsum(np.bincount(segment_trip, minlength=n_trips), out=offsets[1:])
    return {
        "trip_instances_offsets": offsets,
        "trip_instance_vp": vp_of_entry[order].astype(np.int32),
        "trip_instance_pos": pos[order].astype(np.int32),
    }


def _trip_major_order(stops_offsets: I64, trips_offsets: I64, times_offsets: I64) -> I64:
    """For each slot of the arrivals (trip by trip, see
    :mod:`jjj.routing.kernels.arrays`), the slot of the same time position by position
    (the departures' layout)."""
    n_pos = np.diff(stops_offsets)
    n_trips = np.diff(trips_offsets)
    n_vps = len(n_pos)
    vp = np.repeat(np.arange(n_vps, dtype=np.int64), n_pos * n_trips)
    base = np.asarray(times_offsets[:-1], dtype=np.int64)[vp]
    local = np.arange(int(times_offsets[-1]), dtype=np.int64) - base
    trip, pos = np.divmod(local, np.maximum(n_pos[vp], 1))
    order: I64 = base + pos * n_trips[vp] + trip
    return order


def reverse_view(view: DayView) -> DayView:
    """The mirrored view: running the kernel on it computes latest departures."""
    a = view.arrays.pat
    links = view.arrays.links
    ru = view.arrays.rules
    n_vps = view.n_vps
    stops_offsets = a.vp_stops_offsets
    trips_offsets = a.vp_trips_offsets
    n_pos = np.diff(stops_offsets)
    n_trip = np.diff(trips_offsets)
    n_seg = np.diff(a.vp_segments_offsets) // np.maximum(n_trip, 1)
    pos_index = np.empty(len(a.vp_stops), dtype=np.int64)
    time_index = np.empty(len(a.arrivals), dtype=np.int64)
    seg_index = np.empty(len(a.segment_trip), dtype=np.int64)
    trip_index = np.empty(int(trips_offsets[-1]), dtype=np.int64)
    for p in range(n_vps):
        lo, hi = int(stops_offsets[p]), int(stops_offsets[p + 1])
        pos_index[lo:hi] = np.arange(hi - 1, lo - 1, -1)
        t_lo, t_hi = int(trips_offsets[p]), int(trips_offsets[p + 1])
        trip_index[t_lo:t_hi] = np.arange(t_hi - 1, t_lo - 1, -1)
        base = int(a.vp_times_offsets[p])
        shape = (hi - lo, t_hi - t_lo)
        time_index[base : base + shape[0] * shape[1]] = (
            base + np.arange(shape[0] * shape[1], dtype=np.int64).reshape(shape)[::-1, ::-1].ravel()
        )
        s_base = int(a.vp_segments_offsets[p])
        s_shape = (int(n_seg[p]), t_hi - t_lo)
        seg_index[s_base : s_base + s_shape[0] * s_shape[1]] = (
            s_base
            + np.arange(s_shape[0] * s_shape[1], dtype=np.int64)
            .reshape(s_shape)[::-1, ::-1]
            .ravel()
        )
    vp_of_pos = np.repeat(np.arange(n_vps), n_pos)
    order = _trip_major_order(stops_offsets, trips_offsets, a.vp_times_offsets)
    arrivals_by_position = np.empty_like(a.arrivals)
    arrivals_by_position[order] = a.arrivals
    stops = a.vp_stops[pos_index]
    segment_trip = a.segment_trip[seg_index]
    pickup = a.vp_dropoff[pos_index]
    dropoff = a.vp_pickup[pos_index]
    routes = a.vp_pos_route[pos_index]
    swapped: dict[str, Any] = {
        "rule_from_stop": ru.rule_to_stop,
        "rule_to_stop": ru.rule_from_stop,
        "rule_from_route": ru.rule_to_route,
        "rule_to_route": ru.rule_from_route,
        "rule_from_trip": ru.rule_to_trip,
        "rule_to_trip": ru.rule_from_trip,
        "rule_type": ru.rule_type,
        "rule_seconds": ru.rule_seconds,
        "rule_rank": ru.rule_rank,
    }
    rules = RuleArrays(
        **swapped,
        **_rule_index(view.n_stops, ru.route_has_rules.shape[0], view.trip_route, swapped),
        **_trip_instances(
            len(ru.trip_instances_offsets) - 1, trips_offsets, a.vp_segments_offsets, segment_trip
        ),
    )
    pat = PatternArrays(
        vp_stops_offsets=stops_offsets,
        vp_stops=stops,
        vp_pickup=pickup,
        vp_dropoff=dropoff,
        vp_pos_segment=(n_seg[vp_of_pos] - 1 - a.vp_pos_segment[pos_index]).astype(np.int32),
        vp_pos_route=routes,
        vp_pos_flags=_position_flags(pickup, dropoff, stops, routes, rules),
        vp_trips_offsets=trips_offsets,
        vp_times_offsets=a.vp_times_offsets,
        arrivals=(-a.departures[time_index[order]]).astype(np.int32),
        departures=(-arrivals_by_position[time_index]).astype(np.int32),
        vp_segments_offsets=a.vp_segments_offsets,
        segment_trip=segment_trip,
    )
    origin = np.repeat(np.arange(view.n_stops, dtype=np.int32), np.diff(links.footpaths_offsets))
    mirrored_footpaths = _csr(view.n_stops, links.footpath_to_stop, origin, links.footpath_seconds)
    mirrored_links = StopLinks(
        **_stop_index(view.n_stops, stops_offsets, stops),
        **mirrored_footpaths,
        min_transfer_seconds=links.min_transfer_seconds,
        **bound_graph(pat, mirrored_footpaths, rules, view.n_stops),
        # the bound from area a to area b forwards is the bound from b to a backwards
        stop_area=links.stop_area,
        area_bounds=np.ascontiguousarray(links.area_bounds.T),
    )
    return DayView(
        date=view.date,
        arrays=ViewArrays(pat=pat, links=mirrored_links, rules=rules),
        vtrip_day=view.vtrip_day[trip_index],
        trip_route=view.trip_route,
        reversed=True,
    )
