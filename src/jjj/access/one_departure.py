"""Travel-time matrices at one departure time, origins × destinations in compiled code.

A window of one minute needs no range machinery: each origin is one RAPTOR search
(:func:`jjj.routing.kernels.run_departure`) after which the same compiled call walks
to every destination from the stops where one alights (the flattened egress table of
the destinations), takes the walk straight from the origin when it is shorter, and
writes the origin's row of the matrix in place. The kernel releases the GIL, so
threads of one process share the day view and each runs its own round state.

On views without transfer rules the rows are computed 16 origins at a time in one
search (:mod:`jjj.routing.kernels.lanes`), the origins taken in Z-order so that each
search holds neighbours; otherwise origin by origin.

The answers are those of :meth:`jjj.access.traveltime.TravelTimeComputer.from_origin`
for a one-minute window: a destination's time is the earliest alighting at a linked
stop plus the walk from it, minus the departure, unreached beyond the limit; every
percentile is that time, and ``reached`` is 1 or 0. An origin whose search runs out
of room for transfer-rule events is answered by that method instead (it grows the
room and searches again).
"""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass

import numba as nb
import numpy as np
import numpy.typing as npt

from jjj.access.links import WalkLinks
from jjj.access.traveltime import TravelTimeComputer
from jjj.errors import AccessError
from jjj.ids import UNREACHED
from jjj.routing.kernels import (
    LANES,
    MIN_LANE_ORIGINS,
    LaneState,
    RaptorState,
    ViewArrays,
    allocate_lane_state,
    allocate_state,
    earliest_egress,
    lane_batch,
    lanes_apply,
    reset_state,
    run_departure,
    run_lanes,
    spatial_order,
)
from jjj.routing.kernels.arrays import COUNTER_EVENTS, COUNTER_OVERFLOW, i64, inner

__all__ = ["OneDeparture", "one_departure_lane_rows", "one_departure_rows"]

I32 = npt.NDArray[np.int32]
I16 = npt.NDArray[np.int16]
I64 = npt.NDArray[np.int64]
B1 = npt.NDArray[np.bool_]


@inner
def _walk_straight(
    r: int, direct_offsets: I64, direct_dest: I32, direct_seconds: I32, times: I32, reached: I16
) -> None:  # pragma: no cover
    """Row ``r``: the destinations within walking reach get the walk straight there when
    it is quicker than transit (``times[r, c, p]`` alike for every ``p``)."""
    for i in range(direct_offsets[r], direct_offsets[r + 1]):
        c = direct_dest[i]
        w = direct_seconds[i]
        if w < times[r, c, 0]:
            for p in range(times.shape[2]):
                times[r, c, p] = w
        reached[r, c] = 1


@nb.njit(cache=True, nogil=True)
def one_departure_rows(
    view: ViewArrays,
    state: RaptorState,
    access_offsets: I64,
    access_stops: I32,
    access_seconds: I32,
    egress_offsets: I64,
    egress_stops: I32,
    egress_seconds: I32,
    direct_offsets: I64,
    direct_dest: I32,
    direct_seconds: I32,
    departure: int,
    max_rounds: int,
    max_seconds: int,
    alight: I32,
    times: I32,
    reached: I16,
    linked: B1,
    overflow: B1,
) -> None:  # pragma: no cover
    """Rows ``r`` of ``times[r, c, p]`` (every ``p`` alike), ``reached[r, c]``,
    ``linked[r]``, for the origins whose access links ``access_offsets`` lists.

    ``direct_*`` lists, per origin, the destinations within walking reach and the
    walk straight there. ``alight`` is scratch of one value per stop.
    ``overflow[r]`` is set (and row ``r`` left to the caller) when the search ran out
    of room for transfer-rule events.
    """
    n_rows = access_offsets.shape[0] - 1
    n_dest = egress_offsets.shape[0] - 1
    n_p = times.shape[2]
    ride = state.labels.ride_time[max_rounds]
    events = state.events
    counters = state.work.counters
    state.labels.egress_seconds.fill(-1)
    dep = i64(departure)
    for r in range(n_rows):
        lo = access_offsets[r]
        hi = access_offsets[r + 1]
        linked[r] = hi > lo
        if hi > lo:
            reset_state(state)
            run_departure(
                view, state, access_stops[lo:hi], access_seconds[lo:hi], dep,
                i64(max_rounds), dep + i64(max_seconds) + 1, i64(0),
            )  # fmt: skip
            if counters[COUNTER_OVERFLOW]:
                overflow[r] = True
                continue
            alight[:] = ride
            for e in range(counters[COUNTER_EVENTS]):
                s = events.event_stop[e]
                if events.event_time[e] < alight[s]:
                    alight[s] = events.event_time[e]
            for c in range(n_dest):
                best = i64(UNREACHED)
                for i in range(egress_offsets[c], egress_offsets[c + 1]):
                    a = i64(alight[egress_stops[i]])
                    if a < UNREACHED:
                        t = a + i64(egress_seconds[i]) - dep
                        if t < best:
                            best = t
                if best > max_seconds:
                    best = i64(UNREACHED)
                for p in range(n_p):
                    times[r, c, p] = best
                reached[r, c] = 1 if best < UNREACHED else 0
        else:
            times[r, :, :] = UNREACHED
            reached[r, :] = 0
        _walk_straight(r, direct_offsets, direct_dest, direct_seconds, times, reached)


@nb.njit(cache=True, nogil=True)
def one_departure_lane_rows(
    view: ViewArrays,
    state: LaneState,
    order: I64,
    access_offsets: I64,
    access_stops: I32,
    access_seconds: I32,
    egress_offsets: I64,
    egress_stops: I32,
    egress_seconds: I32,
    direct_offsets: I64,
    direct_dest: I32,
    direct_seconds: I32,
    departure: int,
    max_rounds: int,
    max_seconds: int,
    times: I32,
    reached: I16,
    linked: B1,
) -> None:  # pragma: no cover
    """:func:`one_departure_rows` searching ``LANES`` origins at once, taken in
    ``order`` (a permutation of the rows), on a view without transfer rules."""
    n_rows = access_offsets.shape[0] - 1
    n_dest = egress_offsets.shape[0] - 1
    n_p = times.shape[2]
    dep = i64(departure)
    horizon = dep + i64(max_seconds) + 1
    best = np.empty(LANES, dtype=np.int64)
    for batch in range((n_rows + LANES - 1) // LANES):
        first, end = lane_batch(n_rows, batch)
        origins = order[first:end]
        run_lanes(
            view, state, access_stops, access_seconds, access_offsets, origins, dep,
            i64(max_rounds), horizon,
        )  # fmt: skip
        for c in range(n_dest):
            earliest_egress(
                state.ride_time, egress_stops, egress_seconds, egress_offsets[c],
                egress_offsets[c + 1], best,
            )  # fmt: skip
            for lane in range(end - first):
                r = origins[lane]
                t = best[lane] - dep if best[lane] < UNREACHED else i64(UNREACHED)
                if t > max_seconds:
                    t = i64(UNREACHED)
                for p in range(n_p):
                    times[r, c, p] = t
                reached[r, c] = 1 if t < UNREACHED else 0
    for r in range(n_rows):
        linked[r] = access_offsets[r + 1] > access_offsets[r]
        _walk_straight(r, direct_offsets, direct_dest, direct_seconds, times, reached)


@dataclass(frozen=True)
class _Scratch:
    state: RaptorState | LaneState
    alight: I32


class OneDeparture:
    """Matrix rows at one departure time over a :class:`TravelTimeComputer`'s router,
    destinations and limits; safe to call from several threads at once (each call
    borrows a round state of its own). Walks straight from an origin to a destination
    count when the computer knows the destinations' coordinates. With ``lanes`` (the
    default) and a view without transfer rules, calls with at least
    :data:`~jjj.routing.kernels.lanes.MIN_LANE_ORIGINS` origins share each search
    between up to 16 of them."""

    def __init__(self, computer: TravelTimeComputer, *, lanes: bool = True) -> None:
        if computer.spec.window.minutes != 1:
            raise AccessError("one-departure rows need a window of one minute")
        self.computer = computer
        self.lanes = lanes and lanes_apply(computer.router.view.arrays)
        self._free: queue.SimpleQueue[_Scratch] = queue.SimpleQueue()
        self._free_lanes: queue.SimpleQueue[_Scratch] = queue.SimpleQueue()
        self._fallback = threading.Lock()

    def _borrow(self, lanes: bool) -> _Scratch:
        free = self._free_lanes if lanes else self._free
        try:
            return free.get_nowait()
        except queue.Empty:
            router = self.computer.router
            n_stops = router.network.n_stops
            state: RaptorState | LaneState
            if lanes:
                state = allocate_lane_state(n_stops, router.view.n_vps)
            else:
                state = allocate_state(n_stops, router.view.n_vps, router.max_rounds)
            return _Scratch(state, np.empty(n_stops, dtype=np.int32))

    def _give_back(self, scratch: _Scratch) -> None:
        lanes = isinstance(scratch.state, LaneState)
        (self._free_lanes if lanes else self._free).put(scratch)

    def rows(
        self,
        lat: npt.NDArray[np.float64],
        lon: npt.NDArray[np.float64],
        n_percentiles: int,
        access: WalkLinks | None = None,
    ) -> tuple[I32, I16, B1]:
        """``(times[o, d, p], reached[o, d], linked[o])`` for origins at ``lat, lon``
        (whose access links may be given when the caller has them already)."""
        computer = self.computer
        router = computer.router
        if access is None:
            access = computer.origin_links(lat, lon)
        direct = computer.direct_links(lat, lon)
        egress = computer.dest_links
        n = int(lat.shape[0])
        times = np.empty((n, computer.n_destinations, n_percentiles), dtype=np.int32)
        reached = np.empty((n, computer.n_destinations), dtype=np.int16)
        linked = np.zeros(n, dtype=np.bool_)
        overflow = np.zeros(n, dtype=np.bool_)
        # a few origins (an isochrone's one) are searched faster one by one
        scratch = self._borrow(self.lanes and n >= MIN_LANE_ORIGINS)
        try:
            if isinstance(scratch.state, LaneState):
                one_departure_lane_rows(
                    router.view.arrays, scratch.state, spatial_order(lat, lon),
                    access.offsets, access.stops, access.seconds,
                    egress.offsets, egress.stops, egress.seconds,
                    direct.offsets, direct.stops, direct.seconds,
                    int(computer.spec.window.start_seconds), router.max_rounds,
                    router.max_seconds, times, reached, linked,
                )  # fmt: skip
                return times, reached, linked
            one_departure_rows(
                router.view.arrays, scratch.state,
                access.offsets, access.stops, access.seconds,
                egress.offsets, egress.stops, egress.seconds,
                direct.offsets, direct.stops, direct.seconds,
                int(computer.spec.window.start_seconds), router.max_rounds, router.max_seconds,
                scratch.alight, times, reached, linked, overflow,
            )  # fmt: skip
        finally:
            self._give_back(scratch)
        for r in np.flatnonzero(overflow).tolist():
            lo, hi = int(access.offsets[r]), int(access.offsets[r + 1])
            with self._fallback:  # the computer's own router state is not shared
                result = computer.from_origin(
                    float(lat[r]), float(lon[r]), access.stops[lo:hi], access.seconds[lo:hi]
                )
            times[r] = result.times
            reached[r] = result.reached
        return times, reached, linked
