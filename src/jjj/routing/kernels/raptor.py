"""RAPTOR rounds over a day view: earliest arrival per number of rides.

One call of :func:`run_departure` runs the rounds for one departure time on the
labels already in the state: after :func:`reset_state` it is plain RAPTOR; called
again for an earlier departure without a reset, it is a range-RAPTOR iteration
(labels of later departures stay valid upper bounds, as in R5 and rRAPTOR).
Arrive-by searches run the same code on a reversed view (times negated).

Round ``k`` scans the view-patterns through stops whose ready label improved in
round ``k - 1``, boarding the earliest trip each stop's ready label allows and
switching to an earlier one when a later stop allows it; each alighting updates the
ride label (pruned by the best arrival at the destination so far and the horizon).
Then one relaxation makes ready labels: the stop itself after its minimum transfer
time and each footpath (not transitive). Alightings touched by transfer rules become
events instead; the next round turns each event into boarding offers computed per
trip with the rule in force (see :mod:`jjj.routing.kernels.rules`).

A label with at most ``k`` rides also counts for more rides: each improvement lowers
the later rounds' labels at the stop at once (:func:`lower_label`), so no round
copies whole label rows, and range iterations touch only the stops they improve.
"""

from __future__ import annotations

import numba as nb
import numpy as np
import numpy.typing as npt

from jjj.ids import UNREACHED
from jjj.routing.kernels.arrays import (
    COUNTER_ARRIVAL_ONLY,
    COUNTER_BOUNDS,
    COUNTER_DESTINATION,
    COUNTER_EVENTS,
    COUNTER_OFFERS,
    COUNTER_ONE_RIDE,
    COUNTER_ROUND_EVENTS,
    COUNTER_SCANNED,
    COUNTER_SECOND_RIDE,
    COUNTER_SEEDS,
    COUNTER_TRACE,
    KEEP_ARRIVALS,
    KEEP_RIDES,
    KEEP_TRACE,
    NO_DROPOFF,
    NO_PICKUP,
    RULES_APPLY,
    SECOND_RIDE_MARKED,
    SECOND_RIDE_SKIPPED,
    SECOND_RIDE_UNKNOWN,
    Labels,
    RaptorState,
    StopLinks,
    ViewArrays,
    WorkLists,
    i64,
    inner,
    lower_label,
    lower_target,
)
from jjj.routing.kernels.bounds import bounds_from_areas, compute_lower_bounds
from jjj.routing.kernels.events import add_event, make_offers, named_later_events
from jjj.routing.kernels.minutes import minutes_to_search, new_departures
from jjj.routing.kernels.rules import special_level

__all__ = [
    "BOUNDS_WANTED",
    "mark_second_ride",
    "one_to_one",
    "range_one_to_all",
    "reset_state",
    "run_departure",
    "run_departure_from",
    "set_egress",
    "start_search",
]

_NO_POS = np.iinfo(np.int32).max
#: how many pattern positions one edge of the bound graph is worth (see run_departure)
BOUND_PAYOFF = 2
#: rides left in a search without a destination (every stop may lead somewhere)
MANY_RIDES = 127
#: the ride before the last is marked when the relaxation before it starts from this
#: many times as many stops as are one ride from the destination (on Brooklyn's buses,
#: 3 to 4 kept both the searches with many access stops and those with few fastest)
SECOND_RIDE_PAYOFF = 4
#: ``counters[COUNTER_BOUNDS]``: lower bounds computed, or to be computed as soon as the
#: destination is reached (0: when they pay off)
BOUNDS_COMPUTED = 1
BOUNDS_WANTED = 2

I64 = npt.NDArray[np.int64]
I32 = npt.NDArray[np.int32]
B1 = npt.NDArray[np.bool_]


@nb.njit(cache=True, nogil=True)
def reset_state(state: RaptorState) -> None:
    """Forget every label (before a new query; not between range iterations)."""
    labels = state.labels
    labels.ride_time.fill(UNREACHED)
    labels.ready_time.fill(UNREACHED)
    labels.arrival_time.fill(UNREACHED)
    labels.target_time.fill(UNREACHED)
    labels.target_kind.fill(-1)
    labels.target_ref.fill(-1)
    labels.lower_bound.fill(0)
    work = state.work
    work.stop_marked.fill(False)
    work.ride_improved.fill(False)
    work.vp_marked.fill(False)
    work.vp_first_pos.fill(_NO_POS)
    work.vp_last_pos.fill(-1)
    work.vp_has_offer.fill(False)
    work.counters.fill(0)


@nb.njit(cache=True, nogil=True)
def set_egress(view: ViewArrays, state: RaptorState, stops: I32, seconds: I32) -> int:
    """Make ``stops`` the destination (walking ``seconds`` from each); returns the
    shortest egress (0 and no destination when ``stops`` is empty). Also marks what
    the last ride needs (:class:`jjj.routing.kernels.arrays.WorkLists`): the
    view-patterns alighting at a destination stop, and the stops they can be boarded
    at before it; :func:`_mark_second_ride` does the ride before."""
    work = state.work
    egress = state.labels.egress_seconds
    egress.fill(-1)
    work.counters[COUNTER_TRACE] = KEEP_TRACE if stops.shape[0] > 0 else KEEP_ARRIVALS
    work.counters[COUNTER_DESTINATION] = 1 if stops.shape[0] > 0 else 0
    shortest = i64(-1)
    for i in range(stops.shape[0]):
        s = stops[i]
        w = seconds[i]
        if egress[s] < 0 or w < egress[s]:
            egress[s] = w
        if shortest < 0 or w < shortest:
            shortest = w
    _mark_last_ride(view, work, stops)
    return max(shortest, 0)


@inner
def _mark_last_ride(view: ViewArrays, work: WorkLists, stops: I32) -> None:
    """``vp_target_pos`` and the stops one ride from ``stops`` (``stop_rides`` 1, the
    others 2: not known yet), listed first in ``second_seeds``, then the destination
    stops that are not one of them."""
    pat = view.pat
    links = view.links
    vp_stops_offsets = pat.vp_stops_offsets
    vp_stops = pat.vp_stops
    flags = pat.vp_pos_flags
    target_pos = work.vp_target_pos
    rides = work.stop_rides
    seeds = work.second_seeds
    target_pos.fill(-1)
    rides.fill(2)
    vps = work.marked_vps  # scratch: the rounds have not started
    n_vps = i64(0)
    for i in range(stops.shape[0]):
        n_vps = _alight_at(
            links.stop_vps_offsets, links.stop_vps, links.stop_vps_pos, vp_stops_offsets,
            flags, target_pos, vps, n_vps, i64(stops[i]),
        )  # fmt: skip
    n_seeds = i64(0)
    for i in range(n_vps):
        vp = i64(vps[i])
        s0 = vp_stops_offsets[vp]
        for j in range(target_pos[vp]):
            s = vp_stops[s0 + j]
            if flags[s0 + j] & NO_PICKUP == 0 and rides[s] != 1:
                rides[s] = 1
                seeds[n_seeds] = s
                n_seeds += 1
    work.counters[COUNTER_ONE_RIDE] = n_seeds
    for i in range(stops.shape[0]):
        s = stops[i]
        if rides[s] == 2:
            rides[s] = 0  # listed once; set back below
            seeds[n_seeds] = s
            n_seeds += 1
    for i in range(work.counters[COUNTER_ONE_RIDE], n_seeds):
        rides[seeds[i]] = 2
    work.counters[COUNTER_SEEDS] = n_seeds
    work.counters[COUNTER_SECOND_RIDE] = SECOND_RIDE_UNKNOWN


@inner
def _mark_second_ride(view: ViewArrays, work: WorkLists) -> None:
    """``vp_second_pos`` and ``stop_rides`` 2 or 3 after :func:`set_egress`: where a
    ride may alight to leave one ride to go (at a destination stop, a stop one ride
    reaches it from, or a walk from one), and the stops such a ride boards at."""
    pat = view.pat
    links = view.links
    stop_vps_offsets = links.stop_vps_offsets
    stop_vps = links.stop_vps
    stop_vps_pos = links.stop_vps_pos
    footpaths_in_offsets = links.footpaths_in_offsets
    footpath_from_stop = links.footpath_from_stop
    vp_stops_offsets = pat.vp_stops_offsets
    vp_stops = pat.vp_stops
    flags = pat.vp_pos_flags
    second_pos = work.vp_second_pos
    rides = work.stop_rides
    seeds = work.second_seeds
    n_one = i64(work.counters[COUNTER_ONE_RIDE])
    second_pos.fill(-1)
    # scratch lists and marks, free before the rounds and between a scan and its
    # relaxation
    vps = work.marked_vps
    alight = work.marked_stops
    seen = work.stop_marked
    n_alight = i64(0)
    for i in range(work.counters[COUNTER_SEEDS]):
        u = i64(seeds[i])
        n_alight = _mark_stop(seen, alight, u, n_alight)
        if i >= n_one:
            continue  # a destination stop: no walk after the ride
        for f in range(footpaths_in_offsets[u], footpaths_in_offsets[u + 1]):
            n_alight = _mark_stop(seen, alight, i64(footpath_from_stop[f]), n_alight)
    n_vps = i64(0)
    for i in range(n_alight):
        y = i64(alight[i])
        seen[y] = False
        n_vps = _alight_at(
            stop_vps_offsets, stop_vps, stop_vps_pos, vp_stops_offsets, flags, second_pos,
            vps, n_vps, y,
        )  # fmt: skip
    for s in range(rides.shape[0]):
        if rides[s] == 2:
            rides[s] = 3
    for i in range(n_vps):
        vp = i64(vps[i])
        s0 = vp_stops_offsets[vp]
        for j in range(second_pos[vp]):
            s = vp_stops[s0 + j]
            if flags[s0 + j] & NO_PICKUP == 0 and rides[s] == 3:
                rides[s] = 2
    work.counters[COUNTER_SECOND_RIDE] = SECOND_RIDE_MARKED


@nb.njit(cache=True, nogil=True)
def mark_second_ride(view: ViewArrays, state: RaptorState) -> None:
    """:func:`_mark_second_ride` callable from Python, after :func:`set_egress`
    (inspection and tests; searches mark it when it pays off)."""
    _mark_second_ride(view, state.work)


@nb.njit(cache=True, inline="always")
def _alight_at(
    stop_vps_offsets: I64,
    stop_vps: I32,
    stop_vps_pos: I32,
    vp_stops_offsets: I64,
    flags: npt.NDArray[np.int8],
    last_pos: I32,
    vps: I32,
    n_vps: int,
    stop: int,
) -> int:
    """Raise ``last_pos[vp]`` to each position of ``stop`` where one may alight,
    listing the view-patterns first reached in ``vps``; returns their number."""
    for x in range(stop_vps_offsets[stop], stop_vps_offsets[stop + 1]):
        vp = i64(stop_vps[x])
        pos = i64(stop_vps_pos[x])
        if flags[vp_stops_offsets[vp] + pos] & NO_DROPOFF:
            continue
        if last_pos[vp] < 0:
            vps[n_vps] = vp
            n_vps += 1
        if pos > last_pos[vp]:
            last_pos[vp] = pos
    return n_vps


@inner
def _pruning_round(work: WorkLists, k: int, n_rounds: int) -> int:
    """The round whose best arrival prunes round ``k``'s labels: ``k`` itself (a label
    with ``k`` rides may still improve the answer for ``k`` rides, the latest of those
    it can improve), or the last round when only the earliest arrival is wanted."""
    if work.counters[COUNTER_ARRIVAL_ONLY]:
        return n_rounds - 1
    return k


@nb.njit(cache=True, inline="always")
def _mark_stop(stop_marked: B1, marked_stops: I32, stop: int, n_marked: int) -> int:
    if not stop_marked[stop]:
        stop_marked[stop] = True
        marked_stops[n_marked] = stop
        return n_marked + 1
    return n_marked


@inner
def _scan_round(
    view: ViewArrays,
    state: RaptorState,
    k: int,
    horizon: int,
    min_egress: int,
    n_vps: int,
    reach: I32,
    limited: bool,
) -> int:
    """Scan the marked view-patterns (round ``k``); returns how many ride labels improved.

    One call per round: helpers taking the view or state tuples cost reference-count
    updates on every array per call, so the per-pattern loop stays in here."""
    pat = view.pat
    rules = view.rules
    labels = state.labels
    work = state.work
    events = state.events
    ready = labels.ready_time[k - 1]
    ride = labels.ride_time[k]
    # arrays in locals: reading them from the tuples inside the loops costs a
    # reference-count update per access
    vp_stops_offsets = pat.vp_stops_offsets
    vp_trips_offsets = pat.vp_trips_offsets
    vp_times_offsets = pat.vp_times_offsets
    vp_segments_offsets = pat.vp_segments_offsets
    vp_stops = pat.vp_stops
    vp_pos_flags = pat.vp_pos_flags
    arrivals = pat.arrivals
    departures = pat.departures
    marked_vps = work.marked_vps
    vp_first_pos = work.vp_first_pos
    vp_last_pos = work.vp_last_pos
    vp_has_offer = work.vp_has_offer
    vp_marked = work.vp_marked
    stop_marked = work.stop_marked
    ride_improved = work.ride_improved
    improved_stops = work.improved_stops
    ride_time = labels.ride_time
    ride_trip = labels.ride_trip
    ride_alight_pos = labels.ride_alight_pos
    ride_board_pos = labels.ride_board_pos
    ride_board_source = labels.ride_board_source
    egress_seconds = labels.egress_seconds
    lower_bound = labels.lower_bound
    target_time = labels.target_time
    n_rounds = ride_time.shape[0]
    pk = _pruning_round(work, k, n_rounds)
    n_improved = i64(0)
    for i in range(n_vps):
        vp = i64(marked_vps[i])
        s0 = vp_stops_offsets[vp]
        n_pos = vp_stops_offsets[vp + 1] - s0
        t0 = vp_trips_offsets[vp]
        n_trips = vp_trips_offsets[vp + 1] - t0
        base = vp_times_offsets[vp]
        seg_base = vp_segments_offsets[vp]
        has_offer = vp_has_offer[vp]
        current = i64(-1)
        board_pos = i64(-1)
        board_source = i64(-1)
        bound = min(horizon, i64(target_time[pk]))
        last = i64(vp_last_pos[vp])
        work.counters[COUNTER_SCANNED] += n_pos - vp_first_pos[vp]
        cap = n_trips  # only trips before it may still be boarded
        # the last rides need not go past where they can still lead to the destination
        end = reach[vp] + 1 if limited else n_pos
        for j in range(vp_first_pos[vp], end):
            row = base + j * n_trips
            if current >= 0 and i64(arrivals[base + current * n_pos + j]) + min_egress >= bound:
                # every later arrival of this trip (and of later trips) is pruned too:
                # drop it, and stop once no marked position is left to board an
                # earlier trip at
                cap = current
                current = i64(-1)
            if current < 0 and j > last:
                break
            s = i64(vp_stops[s0 + j])
            flags = vp_pos_flags[s0 + j]
            if current >= 0 and flags & NO_DROPOFF == 0:
                t = i64(arrivals[base + current * n_pos + j])
                free_pos = current
                if flags & RULES_APPLY:
                    route = i64(pat.vp_pos_route[s0 + j])
                    seg_row = seg_base + pat.vp_pos_segment[s0 + j] * n_trips
                    orig = i64(pat.segment_trip[seg_row + current])
                    level = special_level(rules, s, orig, route)
                    if level > 0:
                        add_event(
                            view.links, labels, work, events, k, s, t, i64(t0 + current), j,
                            board_pos, board_source, orig, route,
                        )  # fmt: skip
                        named_later_events(
                            view, state, k, vp, j, current, board_pos, board_source, bound
                        )
                        bound = min(horizon, i64(target_time[pk]))
                        free_pos = i64(-1)
                        if level == 1:
                            q = current + 1
                            while q < n_trips and (
                                special_level(rules, s, i64(pat.segment_trip[seg_row + q]), route)
                                > 0
                            ):
                                q += 1
                            if q < n_trips:
                                free_pos = q
                if free_pos >= 0:
                    tf = t if free_pos == current else i64(arrivals[base + free_pos * n_pos + j])
                    if tf < ride[s] and tf + lower_bound[s] < bound:
                        for r in range(k, n_rounds):
                            if ride_time[r, s] <= tf:
                                break
                            ride_time[r, s] = tf
                        ride_trip[k, s] = t0 + free_pos
                        ride_alight_pos[k, s] = j
                        ride_board_pos[k, s] = board_pos
                        ride_board_source[k, s] = board_source
                        if not ride_improved[s]:
                            ride_improved[s] = True
                            improved_stops[n_improved] = s
                            n_improved += 1
                        egress = egress_seconds[s]
                        if egress >= 0 and tf + egress < target_time[k]:
                            lower_target(target_time, k, tf + egress)
                            labels.target_kind[k] = 0
                            labels.target_ref[k] = s
                            bound = min(bound, tf + egress)
            # boarding from a label that did not improve last round was tried then
            if flags & NO_PICKUP == 0 and stop_marked[s]:
                rt = ready[s]
                if rt + lower_bound[s] < bound:
                    limit = current if current >= 0 else cap
                    if limit > 0 and departures[row + limit - 1] >= rt:
                        lo = i64(0)
                        hi = limit
                        while lo < hi:
                            mid = (lo + hi) // 2
                            if departures[row + mid] >= rt:
                                hi = mid
                            else:
                                lo = mid + 1
                        current = lo
                        board_pos = j
                        board_source = i64(-1)
            if has_offer and flags & NO_PICKUP == 0:
                for o in range(work.counters[COUNTER_OFFERS]):
                    if events.offer_vp[o] == vp and events.offer_pos[o] == j:
                        q = i64(events.offer_trip_pos[o])
                        if q < (current if current >= 0 else cap):
                            current = q
                            board_pos = j
                            board_source = i64(events.offer_event[o])
        vp_marked[vp] = False
        vp_first_pos[vp] = _NO_POS
        vp_last_pos[vp] = -1
        vp_has_offer[vp] = False
    return n_improved


@inner
def _scan_round_plain(
    view: ViewArrays,
    state: RaptorState,
    k: int,
    horizon: int,
    min_egress: int,
    n_vps: int,
    reach: I32,
    limited: bool,
) -> int:
    """:func:`_scan_round` for a round without transfer rules or offers (most): the
    same loop without their branches, which numba compiles into a tighter loop
    (about a quarter faster on real feeds)."""
    pat = view.pat
    labels = state.labels
    work = state.work
    ready = labels.ready_time[k - 1]
    ride = labels.ride_time[k]
    # arrays in locals: reading them from the tuples inside the loops costs a
    # reference-count update per access
    vp_stops_offsets = pat.vp_stops_offsets
    vp_trips_offsets = pat.vp_trips_offsets
    vp_times_offsets = pat.vp_times_offsets
    vp_stops = pat.vp_stops
    vp_pos_flags = pat.vp_pos_flags
    arrivals = pat.arrivals
    departures = pat.departures
    marked_vps = work.marked_vps
    vp_first_pos = work.vp_first_pos
    vp_last_pos = work.vp_last_pos
    vp_marked = work.vp_marked
    stop_marked = work.stop_marked
    ride_improved = work.ride_improved
    improved_stops = work.improved_stops
    ride_time = labels.ride_time
    ride_trip = labels.ride_trip
    ride_alight_pos = labels.ride_alight_pos
    ride_board_pos = labels.ride_board_pos
    ride_board_source = labels.ride_board_source
    egress_seconds = labels.egress_seconds
    lower_bound = labels.lower_bound
    target_time = labels.target_time
    n_rounds = ride_time.shape[0]
    trace = work.counters[COUNTER_TRACE] == KEEP_TRACE
    pk = _pruning_round(work, k, n_rounds)
    n_improved = i64(0)
    for i in range(n_vps):
        vp = i64(marked_vps[i])
        s0 = vp_stops_offsets[vp]
        n_pos = vp_stops_offsets[vp + 1] - s0
        t0 = vp_trips_offsets[vp]
        n_trips = vp_trips_offsets[vp + 1] - t0
        base = vp_times_offsets[vp]
        current = i64(-1)
        board_pos = i64(-1)
        board_source = i64(-1)
        bound = min(horizon, i64(target_time[pk]))
        last = i64(vp_last_pos[vp])
        work.counters[COUNTER_SCANNED] += n_pos - vp_first_pos[vp]
        cap = n_trips  # only trips before it may still be boarded
        # the last rides need not go past where they can still lead to the destination
        end = reach[vp] + 1 if limited else n_pos
        for j in range(vp_first_pos[vp], end):
            row = base + j * n_trips
            tf = i64(0)
            if current >= 0:
                # the trip's arrivals lie one after another (see the arrays' module doc)
                tf = i64(arrivals[base + current * n_pos + j])
                if tf + min_egress >= bound:
                    # every later arrival of this trip (and of later trips) is pruned
                    # too: drop it, and stop once no marked position is left to board
                    # an earlier trip at
                    cap = current
                    current = i64(-1)
            if current < 0 and j > last:
                break
            s = i64(vp_stops[s0 + j])
            flags = vp_pos_flags[s0 + j]
            if (
                current >= 0
                and flags & NO_DROPOFF == 0
                and tf < ride[s]
                and tf + lower_bound[s] < bound
            ):
                for r in range(k, n_rounds):
                    if ride_time[r, s] <= tf:
                        break
                    ride_time[r, s] = tf
                if trace:
                    ride_trip[k, s] = t0 + current
                    ride_alight_pos[k, s] = j
                    ride_board_pos[k, s] = board_pos
                    ride_board_source[k, s] = board_source
                if not ride_improved[s]:
                    ride_improved[s] = True
                    improved_stops[n_improved] = s
                    n_improved += 1
                egress = egress_seconds[s]
                if egress >= 0 and tf + egress < target_time[k]:
                    lower_target(target_time, k, tf + egress)
                    labels.target_kind[k] = 0
                    labels.target_ref[k] = s
                    bound = min(bound, tf + egress)
            # boarding from a label that did not improve last round was tried then
            if flags & NO_PICKUP == 0 and stop_marked[s]:
                rt = ready[s]
                if rt + lower_bound[s] < bound:
                    limit = current if current >= 0 else cap
                    if limit > 0 and departures[row + limit - 1] >= rt:
                        lo = i64(0)
                        hi = limit
                        while lo < hi:
                            mid = (lo + hi) // 2
                            if departures[row + mid] >= rt:
                                hi = mid
                            else:
                                lo = mid + 1
                        current = lo
                        board_pos = j
                        board_source = i64(-1)
        vp_marked[vp] = False
        vp_first_pos[vp] = _NO_POS
        vp_last_pos[vp] = -1
    return n_improved


@inner
def _relax(
    links: StopLinks,
    labels: Labels,
    work: WorkLists,
    k: int,
    horizon: int,
    min_egress: int,
    n_improved: int,
    rides_left: int,
) -> int:
    """One footpath relaxation from the stops whose ride label improved; returns the
    number of stops whose ready label improved (they are marked for round ``k + 1``).
    Only stops from which ``rides_left`` rides may reach the destination
    (``stop_rides``) get ready labels."""
    n_marked = i64(0)
    pk = _pruning_round(work, k, labels.ready_time.shape[0])
    bound = min(horizon, i64(labels.target_time[pk]))
    # once the destination is reached, walks arriving after it are of no use (one-to-all
    # searches keep every walk for their arrival labels)
    to_target = labels.target_time[pk] < UNREACHED
    # arrays in locals and lower_label written out: numba's calls to helpers taking
    # arrays cost more than the work per footpath
    arrival_time = labels.arrival_time
    ready_time = labels.ready_time
    ready_from = labels.ready_from
    ride = labels.ride_time[k]
    lower_bound = labels.lower_bound
    improved_stops = work.improved_stops
    ride_improved = work.ride_improved
    stop_marked = work.stop_marked
    marked_stops = work.marked_stops
    footpaths_offsets = links.footpaths_offsets
    footpath_to_stop = links.footpath_to_stop
    footpath_seconds = links.footpath_seconds
    min_transfer_seconds = links.min_transfer_seconds
    n_rounds = ready_time.shape[0]
    trace = work.counters[COUNTER_TRACE] == KEEP_TRACE
    on_foot = work.counters[COUNTER_TRACE] == KEEP_ARRIVALS
    ready_k = ready_time[k]
    stop_rides = work.stop_rides
    # unsigned indices (numba checks a signed index for wrap-around on every access)
    # and conditions joined with ``&`` (both sides are safe to read; no branch between
    # them): 8 % off a bus point-to-point search; the loop alone, 8.9 -> 4.1 ns a footpath
    for i in range(n_improved):
        s = np.uint64(improved_stops[i])
        ride_improved[s] = False
        t = i64(ride[s])
        if t < arrival_time[s]:
            arrival_time[s] = t
        x = t + i64(min_transfer_seconds[s])
        if (x < ready_k[s]) & (x + lower_bound[s] < bound) & (stop_rides[s] <= rides_left):
            for r in range(k, n_rounds):
                if ready_time[r, s] <= x:
                    break
                ready_time[r, s] = x
            if trace:
                ready_from[k, s] = s
            if not stop_marked[s]:
                stop_marked[s] = True
                marked_stops[n_marked] = s
                n_marked += 1
        first = np.uint64(footpaths_offsets[s])
        for f in range(first, np.uint64(footpaths_offsets[s + np.uint64(1)])):
            u = np.uint64(footpath_to_stop[f])
            x = t + i64(footpath_seconds[f])
            if to_target and x + min_egress >= bound:
                break  # footpaths are sorted by time: the rest are pruned too
            if on_foot and x < arrival_time[u]:
                # arrivals on foot are an output of one-to-all searches only
                arrival_time[u] = x
            if (x < ready_k[u]) & (x + lower_bound[u] < bound) & (stop_rides[u] <= rides_left):
                for r in range(k, n_rounds):
                    if ready_time[r, u] <= x:
                        break
                    ready_time[r, u] = x
                if trace:
                    ready_from[k, u] = s
                if not stop_marked[u]:
                    stop_marked[u] = True
                    marked_stops[n_marked] = u
                    n_marked += 1
    return n_marked


@nb.njit(cache=True, nogil=True)
def run_departure(
    view: ViewArrays,
    state: RaptorState,
    access_stops: I32,
    access_seconds: I32,
    departure: int,
    max_rounds: int,
    horizon: int,
    min_egress: int,
) -> None:
    """Run rounds ``1..max_rounds`` for one departure time on the current labels.

    ``horizon``: arrivals at or after it are pruned; ``min_egress``: the shortest walk
    from a destination stop (0 for one-to-all).
    """
    run_departure_from(
        view, state, access_stops, access_seconds, np.ones(access_stops.shape[0], np.bool_),
        departure, max_rounds, horizon, min_egress,
    )  # fmt: skip


@nb.njit(cache=True, nogil=True)
def run_departure_from(
    view: ViewArrays,
    state: RaptorState,
    access_stops: I32,
    access_seconds: I32,
    start: B1,
    departure: int,
    max_rounds: int,
    horizon: int,
    min_egress: int,
) -> None:
    """:func:`run_departure` in which only the access stops with ``start[i]`` begin
    the search (every access stop's labels are lowered): in a range search, the stops
    with no new vehicle since the later departure board the trips it boarded
    (:func:`jjj.routing.kernels.minutes.new_departures`)."""
    labels = state.labels
    work = state.work
    links = view.links
    counters = work.counters
    departure = i64(departure)
    horizon = i64(horizon)
    min_egress = i64(min_egress)
    n_marked = i64(0)
    arrival_time = labels.arrival_time
    for i in range(access_stops.shape[0]):
        s = i64(access_stops[i])
        t = departure + i64(access_seconds[i])
        if t < arrival_time[s]:
            arrival_time[s] = t
        if t < labels.ready_time[0, s] and t + labels.lower_bound[s] < horizon:
            lower_label(labels.ready_time, 0, s, t)
            labels.ready_from[0, s] = -1
            if start[i]:
                n_marked = _mark_stop(work.stop_marked, work.marked_stops, s, n_marked)
    counters[COUNTER_ROUND_EVENTS] = counters[COUNTER_EVENTS]
    for k in range(1, max_rounds + 1):
        events_lo = counters[COUNTER_ROUND_EVENTS + k - 1]
        events_hi = counters[COUNTER_EVENTS]
        counters[COUNTER_ROUND_EVENTS + k] = events_hi
        if n_marked == 0 and events_lo == events_hi:
            for later in range(k + 1, max_rounds + 1):
                counters[COUNTER_ROUND_EVENTS + later] = events_hi
            break
        # towards a destination, a ride with no more than one ride after it need not go
        # past where it can still lead there (vp_target_pos for the last ride,
        # vp_second_pos for the one before, once marked), and a transfer with r rides
        # left need only reach stops from which r rides may do (stop_rides)
        rides_left = max_rounds - k if counters[COUNTER_DESTINATION] == 1 else MANY_RIDES
        limited = rides_left == 0 or (
            rides_left == 1 and counters[COUNTER_SECOND_RIDE] == SECOND_RIDE_MARKED
        )
        reach = work.vp_target_pos if rides_left == 0 else work.vp_second_pos
        n_vps = i64(0)
        for i in range(n_marked):
            s = i64(work.marked_stops[i])
            for x in range(links.stop_vps_offsets[s], links.stop_vps_offsets[s + 1]):
                vp = links.stop_vps[x]
                pos = links.stop_vps_pos[x]
                if limited and pos >= reach[vp]:
                    continue
                if pos < work.vp_first_pos[vp]:
                    work.vp_first_pos[vp] = pos
                if pos > work.vp_last_pos[vp]:
                    work.vp_last_pos[vp] = pos
                if not work.vp_marked[vp]:
                    work.vp_marked[vp] = True
                    work.marked_vps[n_vps] = vp
                    n_vps += 1
        counters[COUNTER_OFFERS] = 0
        for e in range(events_lo, events_hi):
            n_vps = make_offers(view, state, i64(e), n_vps)
        if counters[COUNTER_OFFERS] == 0 and view.rules.rule_type.shape[0] == 0:
            n_improved = _scan_round_plain(
                view, state, k, horizon, min_egress, n_vps, reach, limited
            )
        else:
            n_improved = _scan_round(view, state, k, horizon, min_egress, n_vps, reach, limited)
        if (
            counters[COUNTER_BOUNDS] != BOUNDS_COMPUTED
            and labels.target_time[k] < UNREACHED
            and k < max_rounds
            # worth it when asked for (range searches reuse them for every departure)
            # or once the rounds left are expected to scan more pattern positions than
            # the bound graph has edges; until then the bounds stay 0
            and (
                counters[COUNTER_BOUNDS] == BOUNDS_WANTED
                or links.bound_tail.shape[0] * k
                <= BOUND_PAYOFF * counters[COUNTER_SCANNED] * (max_rounds - k)
            )
        ):
            # bound every stop's remaining time to the destination, up to this
            # journey's length (farther stops cannot beat it from now on)
            compute_lower_bounds(links, labels, work, i64(labels.target_time[k]) - departure)
            counters[COUNTER_BOUNDS] = BOUNDS_COMPUTED
        for i in range(n_marked):
            work.stop_marked[work.marked_stops[i]] = False
        if rides_left == 0:
            # no ride follows: walks and transfers lead nowhere
            for i in range(n_improved):
                work.ride_improved[work.improved_stops[i]] = False
            n_marked = 0
        else:
            if rides_left == 2 and counters[COUNTER_SECOND_RIDE] == SECOND_RIDE_UNKNOWN:
                # marking the ride before the last costs walks and view-patterns
                # around every stop one ride from the destination; it pays when this
                # relaxation starts from several times as many stops (the next rounds
                # then scan and walk less)
                if n_improved >= SECOND_RIDE_PAYOFF * counters[COUNTER_ONE_RIDE]:
                    _mark_second_ride(view, work)
                else:
                    counters[COUNTER_SECOND_RIDE] = SECOND_RIDE_SKIPPED
            n_marked = _relax(links, labels, work, k, horizon, min_egress, n_improved, rides_left)
    # stops improved in the last round stay unmarked for the next call (range iterations)
    for i in range(n_marked):
        work.stop_marked[work.marked_stops[i]] = False


@nb.njit(cache=True, nogil=True)
def range_one_to_all(
    view: ViewArrays,
    state: RaptorState,
    access_stops: I32,
    access_seconds: I32,
    departures: I32,
    max_rounds: int,
    max_duration: int,
    out: I32,
) -> None:
    """Range RAPTOR to every stop: ``departures`` latest first, labels reused;
    ``out[m, s]`` is the earliest arrival at ``s`` leaving at ``departures[m]`` or later
    with at most ``max_rounds`` rides (UNREACHED if none). Departures from which no
    new vehicle can be boarded are not searched (:mod:`.minutes`)."""
    reset_state(state)
    state.labels.egress_seconds.fill(-1)
    new = new_departures(view, access_stops, access_seconds, departures)
    searched = minutes_to_search(new)
    for m in range(departures.shape[0]):
        d = i64(departures[m])
        if not searched[m]:
            # the rides of the next later departure; the access walks leave earlier
            out[m, :] = out[m - 1, :]
            for i in range(access_stops.shape[0]):
                s = access_stops[i]
                t = d + i64(access_seconds[i])
                if t < out[m, s]:
                    out[m, s] = t
            continue
        run_departure_from(
            view, state, access_stops, access_seconds, new[m], d, i64(max_rounds),
            d + max_duration + 1, i64(0),
        )  # fmt: skip
        out[m, :] = state.labels.arrival_time


@nb.njit(cache=True, nogil=True)
def one_to_one(
    view: ViewArrays,
    state: RaptorState,
    access_stops: I32,
    access_seconds: I32,
    egress_stops: I32,
    egress_seconds: I32,
    departure: int,
    max_rounds: int,
    horizon: int,
) -> None:
    """A fresh query in one call (each call from Python unboxes every array once):
    :func:`start_search` with the lower bounds computed when they pay off; afterwards
    ``state.labels.target_time[k]`` is the earliest arrival with at most ``k`` rides
    (no journeys are traced: :func:`jjj.routing.kernels.ranges.range_one_to_one` does
    that). Pruning every round by the best arrival with the most rides would change
    nothing here: in one departure, the best arrival found by round ``k`` took at most
    ``k`` rides."""
    start_search(
        view, state, access_stops, access_seconds, egress_stops, egress_seconds,
        i64(departure), i64(max_rounds), i64(horizon), False, False, False,
    )  # fmt: skip


@inner
def start_search(
    view: ViewArrays,
    state: RaptorState,
    access_stops: I32,
    access_seconds: I32,
    egress_stops: I32,
    egress_seconds: I32,
    departure: int,
    max_rounds: int,
    horizon: int,
    bounds_at_once: bool,
    keep_trace: bool,
    arrival_only: bool,
) -> None:
    """:func:`reset_state`, :func:`set_egress`, then :func:`run_departure`. Lower
    bounds come from the view's area table when it has one; otherwise, with
    ``bounds_at_once``, they are computed as soon as the destination is reached (a
    range search reuses them for every earlier departure). With the table, exact
    bounds are not computed even then: on Brooklyn's buses their Dijkstra cost about
    0.65 ms a range query and saved less (1-hour range 4.3 -> 3.9 ms without it; the
    NYC subway's range took the same time either way). Without ``keep_trace`` the
    search keeps only what its best arrivals need (no labels to trace journeys); with
    ``arrival_only`` it prunes every round by the best arrival with ``max_rounds``
    rides, the only answer it then keeps exact. The ride before the last is marked
    when it pays off (see :func:`run_departure_from`)."""
    reset_state(state)
    min_egress = set_egress(view, state, egress_stops, egress_seconds)
    if not keep_trace:
        state.work.counters[COUNTER_TRACE] = KEEP_RIDES
    state.work.counters[COUNTER_ARRIVAL_ONLY] = 1 if arrival_only else 0
    if view.links.area_bounds.shape[0] > 0 and egress_stops.shape[0] > 0:
        bounds_from_areas(view.links, state.labels, state.work, egress_stops, egress_seconds)
        state.work.counters[COUNTER_BOUNDS] = BOUNDS_COMPUTED
    elif bounds_at_once:
        state.work.counters[COUNTER_BOUNDS] = BOUNDS_WANTED
    run_departure(
        view, state, access_stops, access_seconds, departure, max_rounds, horizon, min_egress
    )
