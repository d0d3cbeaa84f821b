"""Transfer rules at run time: alightings they touch become events, and each event
offers the next round boardings computed trip by trip with the rule in force.

An event is an alighting (stop, time, trip) to which some rule applies. Its boardings
are checked at the same stop, at each footpath's end and at stops a rule names: for
every view-pattern there, the earliest trip the rule in force (or the ordinary
transfer time) allows becomes an offer that the scan of the next round may take.
Later trips of the same pattern that a from-trip rule names alight as events too.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from jjj.routing.kernels.arrays import (
    COUNTER_EVENTS,
    COUNTER_OFFERS,
    COUNTER_OVERFLOW,
    Events,
    Labels,
    PatternArrays,
    RaptorState,
    RuleArrays,
    StopLinks,
    ViewArrays,
    WorkLists,
    i64,
    inner,
    lower_target,
)
from jjj.routing.kernels.rules import rule_matches_from, transfer_seconds

__all__ = ["add_event", "make_offers", "named_later_events"]

I32 = npt.NDArray[np.int32]


@inner
def _mark_vp(work: WorkLists, vp: int, pos: int, n_vps: int) -> int:
    if pos < work.vp_first_pos[vp]:
        work.vp_first_pos[vp] = pos
    if pos > work.vp_last_pos[vp]:
        work.vp_last_pos[vp] = pos
    if not work.vp_marked[vp]:
        work.vp_marked[vp] = True
        work.marked_vps[n_vps] = vp
        return n_vps + 1
    return n_vps


@inner
def _first_at_or_after(times: I32, row: int, n: int, t: int) -> int:
    """The first position ``q < n`` with ``times[row + q] >= t``, or ``n``."""
    lo = i64(0)
    hi = n
    while lo < hi:
        mid = (lo + hi) // 2
        if times[row + mid] >= t:
            hi = mid
        else:
            lo = mid + 1
    return lo


@inner
def add_event(
    links: StopLinks,
    labels: Labels,
    work: WorkLists,
    events: Events,
    k: int,
    stop: int,
    t: int,
    vtrip: int,
    alight_pos: int,
    board_pos: int,
    board_source: int,
    orig_trip: int,
    route: int,
) -> None:
    e = work.counters[COUNTER_EVENTS]
    if e >= events.event_round.shape[0]:
        work.counters[COUNTER_OVERFLOW] = 1
        return
    events.event_round[e] = k
    events.event_stop[e] = stop
    events.event_time[e] = t
    events.event_trip[e] = vtrip
    events.event_alight_pos[e] = alight_pos
    events.event_board_pos[e] = board_pos
    events.event_board_source[e] = board_source
    events.event_orig_trip[e] = orig_trip
    events.event_route[e] = route
    work.counters[COUNTER_EVENTS] = e + 1
    egress = labels.egress_seconds[stop]
    if egress >= 0 and t + egress < labels.target_time[k]:
        lower_target(labels.target_time, k, t + egress)
        labels.target_kind[k] = 1
        labels.target_ref[k] = e
    arrival_time = labels.arrival_time
    arrival_time[stop] = min(arrival_time[stop], t)
    for f in range(links.footpaths_offsets[stop], links.footpaths_offsets[stop + 1]):
        u = links.footpath_to_stop[f]
        arrival_time[u] = min(arrival_time[u], t + links.footpath_seconds[f])


@inner
def _rule_at(rules: RuleArrays, lo: int, n_stop_rules: int, i: int) -> int:
    """The ``i``-th rule to consider at a stop: its own rules, then any-stop rules."""
    if i < n_stop_rules:
        return i64(rules.stop_rules[lo + i])
    return i64(rules.any_stop_rules[i - n_stop_rules])


@inner
def _n_rules_at(rules: RuleArrays, stop: int, route: int) -> int:
    n = rules.stop_rules_offsets[stop + 1] - rules.stop_rules_offsets[stop]
    if rules.route_has_rules[route]:
        n += rules.any_stop_rules.shape[0]
    return i64(n)


@inner
def named_later_events(
    view: ViewArrays,
    state: RaptorState,
    k: int,
    vp: int,
    pos: int,
    current: int,
    board_pos: int,
    board_source: int,
    bound: int,
) -> None:
    """Later trips of ``vp`` named by a from-trip rule at this stop alight too: the rule
    may give them a transfer the earliest trip does not have."""
    pat = view.pat
    rules = view.rules
    s0 = pat.vp_stops_offsets[vp]
    n_pos = pat.vp_stops_offsets[vp + 1] - s0
    stop = i64(pat.vp_stops[s0 + pos])
    route = i64(pat.vp_pos_route[s0 + pos])
    t0 = pat.vp_trips_offsets[vp]
    n_trips = pat.vp_trips_offsets[vp + 1] - t0
    seg_row = pat.vp_segments_offsets[vp] + pat.vp_pos_segment[s0 + pos] * n_trips
    lo = i64(rules.stop_rules_offsets[stop])
    n_stop_rules = i64(rules.stop_rules_offsets[stop + 1]) - lo
    for i in range(_n_rules_at(rules, stop, route)):
        rule = _rule_at(rules, lo, n_stop_rules, i)
        trip = i64(rules.rule_from_trip[rule])
        if trip < 0 or not rule_matches_from(rules, rule, trip, route):
            continue
        for x in range(rules.trip_instances_offsets[trip], rules.trip_instances_offsets[trip + 1]):
            if rules.trip_instance_vp[x] != vp:
                continue
            q = rules.trip_instance_pos[x]
            if q <= current or pat.segment_trip[seg_row + q] != trip:
                continue
            t = i64(pat.arrivals[pat.vp_times_offsets[vp] + q * n_pos + pos])  # trip by trip
            if t < bound:
                add_event(
                    view.links,
                    state.labels,
                    state.work,
                    state.events,
                    k,
                    stop,
                    t,
                    i64(t0 + q),
                    pos,
                    board_pos,
                    board_source,
                    trip,
                    route,
                )


@inner
def _earliest_boardable(
    pat: PatternArrays, rules: RuleArrays, events: Events, e: int, vp: int, pos: int, ordinary: int
) -> int:
    """The earliest trip position of ``vp`` at ``pos`` that event ``e`` may board."""
    t = i64(events.event_time[e])
    stop = i64(events.event_stop[e])
    trip = i64(events.event_orig_trip[e])
    route = i64(events.event_route[e])
    s0 = pat.vp_stops_offsets[vp]
    stop2 = i64(pat.vp_stops[s0 + pos])
    route2 = i64(pat.vp_pos_route[s0 + pos])
    n_trips = i64(pat.vp_trips_offsets[vp + 1] - pat.vp_trips_offsets[vp])
    row = i64(pat.vp_times_offsets[vp] + pos * n_trips)
    seg_row = pat.vp_segments_offsets[vp] + pat.vp_pos_segment[s0 + pos] * n_trips
    if transfer_seconds(rules, stop, trip, route, stop2, i64(-2), route2, ordinary) >= 0:
        q = _first_at_or_after(pat.departures, row, n_trips, t)
        while q < n_trips:
            trip2 = i64(pat.segment_trip[seg_row + q])
            tau = transfer_seconds(rules, stop, trip, route, stop2, trip2, route2, ordinary)
            if tau >= 0 and pat.departures[row + q] >= t + tau:
                return q
            q += 1
        return -1
    # the route is closed to this alighting: only trips a rule names may be boarded
    best = i64(-1)
    lo = i64(rules.stop_rules_offsets[stop])
    n_stop_rules = i64(rules.stop_rules_offsets[stop + 1]) - lo
    for i in range(_n_rules_at(rules, stop, route)):
        rule = _rule_at(rules, lo, n_stop_rules, i)
        trip2 = i64(rules.rule_to_trip[rule])
        if trip2 < 0:
            continue
        for x in range(
            rules.trip_instances_offsets[trip2], rules.trip_instances_offsets[trip2 + 1]
        ):
            q = i64(rules.trip_instance_pos[x])
            if rules.trip_instance_vp[x] != vp or pat.segment_trip[seg_row + q] != trip2:
                continue
            tau = transfer_seconds(rules, stop, trip, route, stop2, trip2, route2, ordinary)
            if tau >= 0 and pat.departures[row + q] >= t + tau and (best < 0 or q < best):
                best = q
    return best


@inner
def _offers_at(
    view: ViewArrays, state: RaptorState, e: int, stop2: int, ordinary: int, n_vps: int
) -> int:
    pat = view.pat
    links = view.links
    work = state.work
    events = state.events
    for x in range(links.stop_vps_offsets[stop2], links.stop_vps_offsets[stop2 + 1]):
        vp = i64(links.stop_vps[x])
        pos = i64(links.stop_vps_pos[x])
        if pat.vp_pickup[pat.vp_stops_offsets[vp] + pos] == 1:
            continue
        q = _earliest_boardable(pat, view.rules, events, e, vp, pos, ordinary)
        if q < 0:
            continue
        o = work.counters[COUNTER_OFFERS]
        if o >= events.offer_vp.shape[0]:
            work.counters[COUNTER_OVERFLOW] = 1
            return n_vps
        events.offer_vp[o] = vp
        events.offer_pos[o] = pos
        events.offer_trip_pos[o] = q
        events.offer_event[o] = e
        work.counters[COUNTER_OFFERS] = o + 1
        work.vp_has_offer[vp] = True
        n_vps = _mark_vp(work, vp, pos, n_vps)
    return n_vps


@inner
def _is_footpath(links: StopLinks, stop: int, stop2: int) -> bool:
    for f in range(links.footpaths_offsets[stop], links.footpaths_offsets[stop + 1]):
        if links.footpath_to_stop[f] == stop2:
            return True
    return False


@inner
def make_offers(view: ViewArrays, state: RaptorState, e: int, n_vps: int) -> int:
    links = view.links
    rules = view.rules
    events = state.events
    stop = i64(events.event_stop[e])
    trip = i64(events.event_orig_trip[e])
    route = i64(events.event_route[e])
    n_vps = _offers_at(view, state, e, stop, i64(links.min_transfer_seconds[stop]), n_vps)
    for f in range(links.footpaths_offsets[stop], links.footpaths_offsets[stop + 1]):
        u = i64(links.footpath_to_stop[f])
        if u != stop:
            n_vps = _offers_at(view, state, e, u, i64(links.footpath_seconds[f]), n_vps)
    # stops linked only by a rule (a timed or minimum-time transfer naming both stops)
    lo = i64(rules.stop_rules_offsets[stop])
    n_stop_rules = i64(rules.stop_rules_offsets[stop + 1]) - lo
    for i in range(_n_rules_at(rules, stop, route)):
        rule = _rule_at(rules, lo, n_stop_rules, i)
        stop2 = i64(rules.rule_to_stop[rule])
        if (
            stop2 < 0
            or stop2 == stop
            or rules.rule_type[rule] == 3
            or rules.rule_from_stop[rule] < 0
            or not rule_matches_from(rules, rule, trip, route)
            or _is_footpath(links, stop, stop2)
        ):
            continue
        seen = False
        for i2 in range(i):
            if rules.rule_to_stop[_rule_at(rules, lo, n_stop_rules, i2)] == stop2:
                seen = True
                break
        if not seen:
            n_vps = _offers_at(view, state, e, stop2, i64(-1), n_vps)
    return n_vps
