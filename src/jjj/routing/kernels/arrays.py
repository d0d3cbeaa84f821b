"""The arrays the RAPTOR kernels read (a day view) and write (the round state).

Both are plain named tuples of numpy arrays so numba compiles against them and
caches the result; nothing here knows about GTFS ids, dates or files.

Day view (:class:`ViewArrays`)
    View-patterns ``vp`` (trips of one stop sequence that never overtake each other,
    one service day each). Position ``j`` of pattern ``p`` has stop
    ``vp_stops[vp_stops_offsets[p] + j]``; trip position ``q`` of ``T`` trips has the
    global view-trip index ``vp_trips_offsets[p] + q``. Of ``P`` positions, its
    departure at ``j`` is ``departures[vp_times_offsets[p] + j * T + q]`` (position
    by position: boarding searches the trips of one position) and its arrival is
    ``arrivals[vp_times_offsets[p] + q * P + j]`` (trip by trip: a ride reads its
    trip's arrivals one after another); both are sorted over ``q`` at every ``j``.
    A view-trip may chain several timetable trips the same vehicle runs (stay-seated
    blocks): position ``j`` belongs to segment ``vp_pos_segment[...]`` and the
    timetable trip of segment ``g`` of trip ``q`` is
    ``segment_trip[vp_segments_offsets[p] + g * T + q]``; ``vp_pos_route`` is the
    route of the position's segment; ``vp_pos_flags`` repeats pickup, drop-off and
    whether rules may apply there as bits (one load in the scan).
Transfer rules ``rule_*``
    transfers.txt rules that change a transfer (types 1, 2 and 3 naming routes or
    trips, or stop-only types 1 and 3); ``-1`` means any stop, route or trip.
    ``stop_rules_offsets``/``stop_rules`` list them by ``from`` stop, ``any_stop_rules``
    those with any ``from`` stop; ``route_has_rules`` flags routes an any-stop rule may
    apply to. ``trip_instances_*`` locate a timetable trip's copies in the view.

Round state (:class:`RaptorState`), for rounds ``k = 0..K`` (``k`` vehicles ridden):
    ``ride_*``: the earliest arrival at each stop alighting a vehicle with at most
    ``k`` rides (time, view-trip, alighting and boarding positions, boarding source:
    -1 for the ready label at the boarding stop, else an event index);
    ``ready_*``: the earliest time one can board at each stop (``from``: -1 access,
    the stop itself after its minimum transfer time, another stop by footpath);
    ``arrival_time``: earliest arrival at each stop by any means with at most the
    rounds searched (one-to-all output; one row, not one per round);
    ``target_*``: the best arrival at the destination per round; ``lower_bound``: no
    journey from a stop to the destination takes less (0 without one). Events are
    alightings to which transfer rules apply; offers are the boardings they allow.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple, TypeVar

import numba as nb
import numpy as np
import numpy.typing as npt

from jjj.ids import UNREACHED

__all__ = [
    "BOUND_RING",
    "COUNTER_ARRIVAL_ONLY",
    "COUNTER_BOUNDS",
    "COUNTER_DESTINATION",
    "COUNTER_EVENTS",
    "COUNTER_OFFERS",
    "COUNTER_ONE_RIDE",
    "COUNTER_OVERFLOW",
    "COUNTER_ROUND_EVENTS",
    "COUNTER_SCANNED",
    "COUNTER_SECOND_RIDE",
    "COUNTER_SEEDS",
    "COUNTER_TRACE",
    "KEEP_ARRIVALS",
    "KEEP_RIDES",
    "KEEP_TRACE",
    "NO_DROPOFF",
    "NO_PICKUP",
    "RULES_APPLY",
    "SECOND_RIDE_MARKED",
    "SECOND_RIDE_SKIPPED",
    "SECOND_RIDE_UNKNOWN",
    "Events",
    "Labels",
    "PatternArrays",
    "RaptorState",
    "RuleArrays",
    "StopLinks",
    "ViewArrays",
    "WorkLists",
    "allocate_state",
    "i64",
    "inner",
    "lower_label",
    "lower_target",
]

F = TypeVar("F", bound=Callable[..., Any])

#: ``np.int64`` as the kernels use it: fixes scalar types so that numba compiles each
#: helper once (no int32/int64/literal variants).
i64: Callable[[Any], int] = np.int64  # type: ignore[assignment]


def inner(function: F) -> F:
    """Compile a kernel helper called only from other kernels (no Python wrapper)."""
    compiled: F = nb.njit(cache=True, no_cpython_wrapper=True)(function)  # type: ignore[call-overload]
    return compiled


I64 = npt.NDArray[np.int64]
I32 = npt.NDArray[np.int32]
I8 = npt.NDArray[np.int8]
B1 = npt.NDArray[np.bool_]
U16 = npt.NDArray[np.uint16]


@inner
def lower_label(rows: I32, k: int, stop: int, t: int) -> None:
    """Lower ``rows[k, stop]`` and every later round's label at ``stop`` to ``t``: a
    label with at most ``k`` rides also counts for more rides. Labels never increase
    with ``k``, so the first round already at or below ``t`` ends the walk."""
    for r in range(k, rows.shape[0]):
        if rows[r, stop] <= t:
            return
        rows[r, stop] = t


@inner
def lower_target(target: I32, k: int, t: int) -> None:
    """:func:`lower_label` for the per-round best arrival at the destination."""
    for r in range(k, target.shape[0]):
        if target[r] <= t:
            return
        target[r] = t


class PatternArrays(NamedTuple):
    """View-patterns, their stops and their trips' times (see the module doc)."""

    vp_stops_offsets: I64
    vp_stops: I32
    vp_pickup: I8
    vp_dropoff: I8
    vp_pos_segment: I32
    vp_pos_route: I32
    vp_pos_flags: I8
    vp_trips_offsets: I64
    vp_times_offsets: I64
    arrivals: I32
    departures: I32
    vp_segments_offsets: I64
    segment_trip: I32


class StopLinks(NamedTuple):
    """Stop → view-patterns, footpaths (from each stop; ``footpaths_in_*`` and
    ``footpath_from_stop``: the same by destination stop), minimum transfer times, the
    reversed graph of quickest rides and walks that lower bounds are computed on
    (``bound_*``), and optionally a table of bounds between areas (``stop_area``,
    ``area_bounds``; both empty until :mod:`jjj.routing.bound_table` fills them). See
    :mod:`jjj.routing.kernels.bounds`."""

    stop_vps_offsets: I64
    stop_vps: I32
    stop_vps_pos: I32
    footpaths_offsets: I64
    footpath_to_stop: I32
    footpath_seconds: I32
    footpaths_in_offsets: I64
    footpath_from_stop: I32
    min_transfer_seconds: I32
    bound_offsets: I64
    bound_tail: I32
    bound_seconds: I32
    stop_area: I32
    area_bounds: U16


class RuleArrays(NamedTuple):
    """transfers.txt rules that change transfers, indexed for the kernels."""

    rule_from_stop: I32
    rule_to_stop: I32
    rule_from_route: I32
    rule_to_route: I32
    rule_from_trip: I32
    rule_to_trip: I32
    rule_type: I8
    rule_seconds: I32
    rule_rank: I32
    stop_rules_offsets: I64
    stop_rules: I32
    any_stop_rules: I32
    route_has_rules: B1
    trip_instances_offsets: I64
    trip_instance_vp: I32
    trip_instance_pos: I32


class ViewArrays(NamedTuple):
    """A timetable restricted to the trips one query can use (see the module doc)."""

    pat: PatternArrays
    links: StopLinks
    rules: RuleArrays


class Labels(NamedTuple):
    """Per-round labels (rows: rounds, columns: stops; ``arrival_time`` one row) and
    the destination."""

    ride_time: I32
    ride_trip: I32
    ride_alight_pos: I32
    ride_board_pos: I32
    ride_board_source: I32
    ready_time: I32
    ready_from: I32
    arrival_time: I32
    target_time: I32
    target_kind: I32
    target_ref: I32
    egress_seconds: I32
    lower_bound: I32


class WorkLists(NamedTuple):
    """Marks and lists of one round; ``counters`` as the ``COUNTER_*`` slots say.
    Towards a destination, ``stop_rides[s]`` is 1 if one ride from ``s`` can reach a
    destination stop, 2 if two rides can (or, until ``COUNTER_SECOND_RIDE`` says they
    are marked, if one cannot), 3 if more are needed; ``vp_target_pos[vp]`` is the
    last position of ``vp`` where one may alight at a destination stop and
    ``vp_second_pos[vp]`` (once marked) the last where one may alight at one or change
    to a ride to one (-1 if none); ``second_seeds`` lists the stops one ride from the destination,
    then the destination stops that are not. The last rounds need nothing else."""

    stop_marked: B1
    marked_stops: I32
    ride_improved: B1
    improved_stops: I32
    vp_marked: B1
    vp_first_pos: I32
    vp_last_pos: I32
    marked_vps: I32
    vp_has_offer: B1
    counters: I64
    bound_buckets: I32
    bound_next: I32
    bound_prev: I32
    vp_target_pos: I32
    vp_second_pos: I32
    stop_rides: I8
    second_seeds: I32


class Events(NamedTuple):
    """Alightings transfer rules apply to, and the boardings they offer next round."""

    event_round: I32
    event_stop: I32
    event_time: I32
    event_trip: I32
    event_alight_pos: I32
    event_board_pos: I32
    event_board_source: I32
    event_orig_trip: I32
    event_route: I32
    offer_vp: I32
    offer_pos: I32
    offer_trip_pos: I32
    offer_event: I32


class RaptorState(NamedTuple):
    """Round labels and work lists, allocated once and reused between queries."""

    labels: Labels
    work: WorkLists
    events: Events


#: ``vp_pos_flags`` bits: no boarding, no alighting, transfer rules may apply at the stop.
NO_PICKUP = 1
NO_DROPOFF = 2
RULES_APPLY = 4

#: ``counters`` slots: events used, offers used, overflow flag, whether lower bounds were
#: computed, pattern positions scanned since the last reset, what the search keeps
#: (``COUNTER_TRACE``: :data:`KEEP_ARRIVALS`, :data:`KEEP_TRACE` or
#: :data:`KEEP_RIDES`), whether only the earliest arrival with the most rides is
#: wanted (``COUNTER_ARRIVAL_ONLY``: 1 prunes every round by it, so the best arrivals
#: with fewer rides are no longer exact), whether the search has a destination
#: (``COUNTER_DESTINATION``: 1 after :func:`jjj.routing.kernels.raptor.set_egress`
#: with stops), how many stops are one ride from it and how many ``second_seeds``
#: there are, whether the ride before the last is marked (``COUNTER_SECOND_RIDE``);
#: the first event of each round starts at slot ``COUNTER_ROUND_EVENTS``.
COUNTER_EVENTS = 0
COUNTER_OFFERS = 1
COUNTER_OVERFLOW = 2
COUNTER_BOUNDS = 3
COUNTER_SCANNED = 4
COUNTER_TRACE = 5
COUNTER_ARRIVAL_ONLY = 6
COUNTER_DESTINATION = 7
COUNTER_ONE_RIDE = 8
COUNTER_SEEDS = 9
COUNTER_SECOND_RIDE = 10
COUNTER_ROUND_EVENTS = 11

#: ``counters[COUNTER_SECOND_RIDE]``: whether ``vp_second_pos`` and the stops two
#: rides from the destination are marked (see :class:`WorkLists`)
SECOND_RIDE_UNKNOWN = 0
SECOND_RIDE_MARKED = 1
SECOND_RIDE_SKIPPED = 2

#: ``counters[COUNTER_TRACE]``: a one-to-all search keeping arrivals by any means
#: (``arrival_time``, walks after the last ride included); a search towards a
#: destination keeping what traces its journeys (``ride_trip``, ``ride_*_pos``,
#: ``ride_board_source``, ``ready_from``); a search keeping only the ride and ready
#: labels (matrices: each destination is reached by a walk from where a ride ends).
KEEP_ARRIVALS = 0
KEEP_TRACE = 1
KEEP_RIDES = 2

#: Buckets of the lower-bound search (:mod:`jjj.routing.kernels.bounds`).
BOUND_RING = 4096


def allocate_state(
    n_stops: int, n_vps: int, max_rounds: int, *, events: int = 4096, offers: int = 16384
) -> RaptorState:
    """Preallocate the labels for ``max_rounds`` rides (rounds ``0..max_rounds``)."""
    rounds = max_rounds + 1

    def labels(fill: int) -> I32:
        return np.full((rounds, n_stops), fill, dtype=np.int32)

    def ints(n: int) -> I32:
        return np.full(n, -1, dtype=np.int32)

    return RaptorState(
        labels=Labels(
            ride_time=labels(UNREACHED),
            ride_trip=labels(-1),
            ride_alight_pos=labels(-1),
            ride_board_pos=labels(-1),
            ride_board_source=labels(-1),
            ready_time=labels(UNREACHED),
            ready_from=labels(-1),
            arrival_time=np.full(n_stops, UNREACHED, dtype=np.int32),
            target_time=np.full(rounds, UNREACHED, dtype=np.int32),
            target_kind=ints(rounds),
            target_ref=ints(rounds),
            egress_seconds=ints(n_stops),
            lower_bound=np.zeros(n_stops, dtype=np.int32),
        ),
        work=WorkLists(
            stop_marked=np.zeros(n_stops, dtype=np.bool_),
            marked_stops=ints(n_stops),
            ride_improved=np.zeros(n_stops, dtype=np.bool_),
            improved_stops=ints(n_stops),
            vp_marked=np.zeros(n_vps, dtype=np.bool_),
            vp_first_pos=np.full(n_vps, np.iinfo(np.int32).max, dtype=np.int32),
            vp_last_pos=np.full(n_vps, -1, dtype=np.int32),
            marked_vps=ints(n_vps),
            vp_has_offer=np.zeros(n_vps, dtype=np.bool_),
            counters=np.zeros(COUNTER_ROUND_EVENTS + rounds + 1, dtype=np.int64),
            bound_buckets=ints(BOUND_RING),
            bound_next=ints(n_stops),
            bound_prev=ints(n_stops),
            vp_target_pos=ints(n_vps),
            vp_second_pos=ints(n_vps),
            stop_rides=np.full(n_stops, 3, dtype=np.int8),
            second_seeds=ints(n_stops),
        ),
        events=Events(
            event_round=ints(events),
            event_stop=ints(events),
            event_time=ints(events),
            event_trip=ints(events),
            event_alight_pos=ints(events),
            event_board_pos=ints(events),
            event_board_source=ints(events),
            event_orig_trip=ints(events),
            event_route=ints(events),
            offer_vp=ints(offers),
            offer_pos=ints(offers),
            offer_trip_pos=ints(offers),
            offer_event=ints(offers),
        ),
    )
