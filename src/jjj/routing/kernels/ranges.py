"""Range queries to one destination inside the kernels, with the journeys traced there.

For each departure (latest first, labels reused) and each number of rides whose best
arrival improved, the labels are followed back to the origin at once (they change
with the next departure) and the steps written to ``steps`` as rows
``(kind, a, b, c)``, destination first: ``EGRESS`` (stop), ``RIDE`` (view-trip,
boarding position, alighting position), ``TRANSFER`` (from stop, to stop), ``ACCESS``
(stop). ``journeys`` rows are ``(first step row, number of steps, departure index,
rides, arrival)``.
"""

from __future__ import annotations

import numba as nb
import numpy as np
import numpy.typing as npt

from jjj.routing.kernels.arrays import (
    COUNTER_BOUNDS,
    Events,
    Labels,
    RaptorState,
    ViewArrays,
    i64,
    inner,
)
from jjj.routing.kernels.minutes import (
    NO_NEW,
    first_new_departures,
    minutes_to_search,
    starts_within_bound,
)
from jjj.routing.kernels.raptor import BOUNDS_COMPUTED, run_departure_from, start_search

__all__ = ["ACCESS", "EGRESS", "RIDE", "TRANSFER", "range_arrivals", "range_one_to_one"]

I32 = npt.NDArray[np.int32]

EGRESS = 0
RIDE = 1
TRANSFER = 2
ACCESS = 3


@inner
def _ride_label(labels: Labels, k: int, stop: int) -> tuple[int, int, int, int, int]:
    """(round, view-trip, alighting pos, boarding pos, boarding source) of a ride label."""
    r = k
    while r > 0 and labels.ride_time[r - 1, stop] == labels.ride_time[r, stop]:
        r -= 1
    return (
        i64(r),
        i64(labels.ride_trip[r, stop]),
        i64(labels.ride_alight_pos[r, stop]),
        i64(labels.ride_board_pos[r, stop]),
        i64(labels.ride_board_source[r, stop]),
    )


@inner
def _event_label(events: Events, e: int) -> tuple[int, int, int, int, int]:
    return (
        i64(events.event_round[e]),
        i64(events.event_trip[e]),
        i64(events.event_alight_pos[e]),
        i64(events.event_board_pos[e]),
        i64(events.event_board_source[e]),
    )


@inner
def _trace(view: ViewArrays, state: RaptorState, k: int, steps: I32, at: int) -> int:
    """Write the steps of the best journey with at most ``k`` rides from row ``at``;
    returns the number written, -1 if ``steps`` is full."""
    labels = state.labels
    pat = view.pat
    r = k
    while r > 0 and labels.target_time[r - 1] == labels.target_time[r]:
        r -= 1
    ref = i64(labels.target_ref[r])
    if labels.target_kind[r] == 0:
        stop = ref
        rnd, vtrip, alight, board, source = _ride_label(labels, r, ref)
    else:
        stop = i64(state.events.event_stop[ref])
        rnd, vtrip, alight, board, source = _event_label(state.events, ref)
    capacity = steps.shape[0]
    n = i64(0)
    if at + n >= capacity:
        return -1
    steps[at + n, 0] = EGRESS
    steps[at + n, 1] = stop
    n += 1
    for _ in range(2 * labels.ride_time.shape[0] + 2):
        if at + n + 2 >= capacity:
            return -1
        steps[at + n, 0] = RIDE
        steps[at + n, 1] = vtrip
        steps[at + n, 2] = board
        steps[at + n, 3] = alight
        n += 1
        vp = i64(np.searchsorted(pat.vp_trips_offsets, vtrip, side="right")) - 1
        board_stop = i64(pat.vp_stops[pat.vp_stops_offsets[vp] + board])
        if source >= 0:
            previous_stop = i64(state.events.event_stop[source])
            rnd, vtrip, alight, board, source = _event_label(state.events, source)
        else:
            rr = rnd - 1
            while (
                rr > 0
                and labels.ready_time[rr - 1, board_stop] == labels.ready_time[rr, board_stop]
            ):
                rr -= 1
            origin = i64(labels.ready_from[rr, board_stop])
            if origin < 0:
                steps[at + n, 0] = ACCESS
                steps[at + n, 1] = board_stop
                return n + 1
            previous_stop = origin
            rnd, vtrip, alight, board, source = _ride_label(labels, rr, origin)
        steps[at + n, 0] = TRANSFER
        steps[at + n, 1] = previous_stop
        steps[at + n, 2] = board_stop
        n += 1
    return -1


@inner
def _worth_searching(
    state: RaptorState,
    first: I32,
    access_stops: I32,
    new: npt.NDArray[np.bool_],
    horizon: int,
    arrival_only: bool,
) -> bool:
    """Whether a later minute of a range search (after the first) may still improve an
    answer: once lower bounds are known, the access stops whose first new vehicle
    cannot reach the destination before the loosest bound in force (the best arrival
    with one ride, or with the most rides when only that is kept) do not start it
    (:func:`jjj.routing.kernels.minutes.starts_within_bound`); with none left, the
    minute is not searched."""
    labels = state.labels
    if state.work.counters[COUNTER_BOUNDS] != BOUNDS_COMPUTED:
        return True
    n_rounds = labels.target_time.shape[0]
    loose = i64(labels.target_time[n_rounds - 1 if arrival_only else min(1, n_rounds - 1)])
    return starts_within_bound(first, access_stops, labels.lower_bound, min(horizon, loose), new)


@nb.njit(cache=True, nogil=True)
def range_one_to_one(
    view: ViewArrays,
    state: RaptorState,
    access_stops: I32,
    access_seconds: I32,
    egress_stops: I32,
    egress_seconds: I32,
    departures: I32,
    max_rounds: int,
    max_duration: int,
    steps: I32,
    journeys: I32,
) -> int:
    """Search each of ``departures`` (latest first) and trace every journey that
    improves the best arrival for its number of rides (see the module docstring).

    Returns the number of ``journeys`` rows written, or -1 if ``steps`` or
    ``journeys`` ran out of room (the caller retries with larger buffers)."""
    labels = state.labels
    n_rounds = max_rounds + 1
    previous = np.full(n_rounds, np.iinfo(np.int32).max, dtype=np.int64)
    min_egress = i64(0)
    if egress_seconds.shape[0] > 0:
        min_egress = i64(egress_seconds.min())
    n_journeys = i64(0)
    used = i64(0)
    first = first_new_departures(view, access_stops, access_seconds, departures)
    new = first != NO_NEW
    searched = minutes_to_search(new)
    for m in range(departures.shape[0]):
        if not searched[m]:
            continue  # no ride label would improve: no journey to trace
        departure = i64(departures[m])
        horizon = departure + max_duration + 1
        if m > 0 and not _worth_searching(state, first[m], access_stops, new[m], horizon, False):
            continue
        if m == 0:
            start_search(
                view, state, access_stops, access_seconds, egress_stops, egress_seconds,
                departure, i64(max_rounds), horizon, departures.shape[0] > 1, True, False,
            )  # fmt: skip
        else:
            run_departure_from(
                view, state, access_stops, access_seconds, new[m], departure,
                i64(max_rounds), horizon, min_egress,
            )  # fmt: skip
        for k in range(1, n_rounds):
            t = i64(labels.target_time[k])
            if t <= departure + max_duration and t < previous[k] and t < labels.target_time[k - 1]:
                if n_journeys >= journeys.shape[0]:
                    return -1
                written = _trace(view, state, k, steps, used)
                if written < 0:
                    return -1
                journeys[n_journeys, 0] = used
                journeys[n_journeys, 1] = written
                journeys[n_journeys, 2] = m
                journeys[n_journeys, 3] = k
                journeys[n_journeys, 4] = t
                n_journeys += 1
                used += written
        for k in range(n_rounds):
            previous[k] = labels.target_time[k]
    return n_journeys


@nb.njit(cache=True, nogil=True)
def range_arrivals(
    view: ViewArrays,
    state: RaptorState,
    access_stops: I32,
    access_seconds: I32,
    egress_stops: I32,
    egress_seconds: I32,
    departures: I32,
    max_rounds: int,
    max_duration: int,
    arrival_only: bool,
) -> None:
    """The searches of :func:`range_one_to_one` without tracing journeys: afterwards
    ``state.labels.target_time[k]`` is the earliest arrival at the destination with at
    most ``k`` rides leaving at ``departures[-1]`` or later (with ``arrival_only``,
    for ``k = max_rounds`` only: every round of every departure is pruned by it)."""
    min_egress = i64(0)
    if egress_seconds.shape[0] > 0:
        min_egress = i64(egress_seconds.min())
    first = first_new_departures(view, access_stops, access_seconds, departures)
    new = first != NO_NEW
    searched = minutes_to_search(new)
    for m in range(departures.shape[0]):
        departure = i64(departures[m])
        horizon = departure + max_duration + 1
        if m == 0:
            start_search(
                view, state, access_stops, access_seconds, egress_stops, egress_seconds,
                departure, i64(max_rounds), horizon, departures.shape[0] > 1, False,
                arrival_only,
            )  # fmt: skip
        elif searched[m] and _worth_searching(
            state, first[m], access_stops, new[m], horizon, arrival_only
        ):
            run_departure_from(
                view, state, access_stops, access_seconds, new[m], departure,
                i64(max_rounds), horizon, min_egress,
            )  # fmt: skip
