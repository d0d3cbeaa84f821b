"""Many origins in one RAPTOR search: matrices and accessibility at one departure.

A matrix runs one search per origin, and most of each search is the same work: the
same view-patterns are marked, the same stop sequences and times are read, the same
footpaths are followed. Here up to :data:`LANES` origins leaving at the same time are
searched together: every label is a row of ``LANES`` times (one per origin), a
view-pattern is scanned once for all the origins that reach it, each origin keeping
the trip it rides, and one footpath is relaxed for all of them in one short loop.
Origins close to each other share the most work, so callers group them in
:func:`spatial_order`.

The labels keep the best arrival over rounds (one row, not one per round): in a single
departure searched round by round every label in place at round ``k`` took at most
``k`` rides, so a label that beats them is all RAPTOR needs — the earliest arrival
with at most ``max_rounds`` rides, which is what a matrix reports. The per-round
labels of :mod:`jjj.routing.kernels.raptor` are kept for the planner's answers per
number of transfers and for range searches, whose labels from later departures may
have taken more rides. Transfer rules are not applied here: :func:`lanes_apply` says
whether a view has none (otherwise callers search origin by origin).
"""

from __future__ import annotations

from typing import NamedTuple

import numba as nb
import numpy as np
import numpy.typing as npt

from jjj.ids import UNREACHED
from jjj.routing.kernels.arrays import NO_DROPOFF, NO_PICKUP, ViewArrays, i64, inner

__all__ = [
    "LANES",
    "MIN_LANE_ORIGINS",
    "LaneState",
    "allocate_lane_state",
    "earliest_egress",
    "lane_batch",
    "lanes_apply",
    "run_lanes",
    "spatial_order",
]

I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]
B1 = npt.NDArray[np.bool_]
F64 = npt.NDArray[np.float64]

#: origins searched together: 16 int32 labels are one 64-byte cache line per stop.
#: On the NYC subway and Brooklyn's buses a 200-origin matrix ran 2.0-2.2x faster
#: than origin by origin with 16 lanes, 1.6-2.0x with 8 and no faster with 32.
LANES = 16

#: below this many origins, searching them one by one is faster than in lanes (on the
#: NYC subway and Brooklyn's buses the two are level at 4-6 origins; one origin alone
#: takes 1.7 times as long in lanes on the buses)
MIN_LANE_ORIGINS = 6

_NO_POS = np.iinfo(np.int32).max


class LaneState(NamedTuple):
    """Labels of up to :data:`LANES` origins (rows: stops, columns: origins) and the
    marks of one round; allocated once per thread and reused."""

    ride_time: I32
    ready_time: I32
    stop_marked: B1
    marked_stops: I32
    ride_improved: B1
    improved_stops: I32
    vp_marked: B1
    vp_first_pos: I32
    vp_last_pos: I32
    marked_vps: I32


def allocate_lane_state(n_stops: int, n_vps: int) -> LaneState:
    """A :class:`LaneState` for a view of ``n_stops`` stops and ``n_vps`` view-patterns."""
    return LaneState(
        ride_time=np.full((n_stops, LANES), UNREACHED, dtype=np.int32),
        ready_time=np.full((n_stops, LANES), UNREACHED, dtype=np.int32),
        stop_marked=np.zeros(n_stops, dtype=np.bool_),
        marked_stops=np.zeros(n_stops, dtype=np.int32),
        ride_improved=np.zeros(n_stops, dtype=np.bool_),
        improved_stops=np.zeros(n_stops, dtype=np.int32),
        vp_marked=np.zeros(n_vps, dtype=np.bool_),
        vp_first_pos=np.full(n_vps, _NO_POS, dtype=np.int32),
        vp_last_pos=np.full(n_vps, -1, dtype=np.int32),
        marked_vps=np.zeros(n_vps, dtype=np.int32),
    )


@nb.njit(cache=True, nogil=True)
def lane_batch(n_origins: int, batch: int) -> tuple[int, int]:
    """Origins ``[first, end)`` of search ``batch`` when ``n_origins`` are shared out as
    evenly as possible between ``ceil(n_origins / LANES)`` searches (17 origins: 9 and
    8, not 16 and 1)."""
    n_batches = (n_origins + LANES - 1) // LANES
    return batch * n_origins // n_batches, (batch + 1) * n_origins // n_batches


def lanes_apply(view: ViewArrays) -> bool:
    """Whether :func:`run_lanes` answers exactly on ``view``: it has no transfer rules
    (transfers.txt rules naming routes or trips, which the per-origin search turns
    into events)."""
    return int(view.rules.rule_type.shape[0]) == 0


def spatial_order(lat: F64, lon: F64) -> I64:
    """Indices of the points along a Z-order (Morton) curve over their extent, so that
    consecutive points are mostly close: the order in which to fill lanes."""
    lat = np.asarray(lat, dtype=np.float64)
    lon = np.asarray(lon, dtype=np.float64)
    if lat.shape[0] == 0:
        return np.zeros(0, dtype=np.int64)
    cells = (1 << 16) - 1

    def scaled(values: F64) -> npt.NDArray[np.uint64]:
        known = np.isfinite(values)
        # points without coordinates go with the lowest ones (any place would do)
        finite = np.where(known, values, values[known].min() if known.any() else 0.0)
        span = float(finite.max() - finite.min())
        unit = (finite - finite.min()) / span if span > 0 else np.zeros_like(finite)
        return np.round(unit * cells).astype(np.uint64)

    x = scaled(lon)
    y = scaled(lat)
    code = np.zeros(lat.shape[0], dtype=np.uint64)
    for bit in range(16):
        code |= ((x >> np.uint64(bit)) & np.uint64(1)) << np.uint64(2 * bit)
        code |= ((y >> np.uint64(bit)) & np.uint64(1)) << np.uint64(2 * bit + 1)
    return np.argsort(code, kind="stable").astype(np.int64)


@nb.njit(cache=True, nogil=True)
def run_lanes(
    view: ViewArrays,
    state: LaneState,
    access_stops: I32,
    access_seconds: I32,
    access_offsets: I64,
    origins: I64,
    departure: int,
    max_rounds: int,
    horizon: int,
) -> None:
    """Search from ``n = len(origins) <= LANES`` origins leaving at ``departure``: the
    origin in lane ``l``, ``r = origins[l]``, walks ``access_seconds[i]`` to
    ``access_stops[i]`` for ``i`` in ``access_offsets[r]:access_offsets[r + 1]``.

    Afterwards ``state.ride_time[s, l]`` is the earliest arrival at stop ``s`` alighting
    a vehicle, with 1 to ``max_rounds`` rides and before ``horizon``, for lane ``l``
    (UNREACHED otherwise, and in lanes ``n`` and above).
    """
    pat = view.pat
    links = view.links
    ride = state.ride_time
    ready = state.ready_time
    stop_marked = state.stop_marked
    marked_stops = state.marked_stops
    ride_improved = state.ride_improved
    improved_stops = state.improved_stops
    vp_marked = state.vp_marked
    vp_first_pos = state.vp_first_pos
    vp_last_pos = state.vp_last_pos
    marked_vps = state.marked_vps
    vp_stops_offsets = pat.vp_stops_offsets
    vp_trips_offsets = pat.vp_trips_offsets
    vp_times_offsets = pat.vp_times_offsets
    vp_stops = pat.vp_stops
    vp_pos_flags = pat.vp_pos_flags
    arrivals = pat.arrivals
    departures = pat.departures
    stop_vps_offsets = links.stop_vps_offsets
    stop_vps = links.stop_vps
    stop_vps_pos = links.stop_vps_pos
    footpaths_offsets = links.footpaths_offsets
    footpath_to_stop = links.footpath_to_stop
    footpath_seconds = links.footpath_seconds
    min_transfer_seconds = links.min_transfer_seconds
    departure = i64(departure)
    horizon = i64(horizon)
    n_lanes = origins.shape[0]
    if n_lanes > LANES:
        raise ValueError("run_lanes: more origins than LANES")
    ride.fill(UNREACHED)
    ready.fill(UNREACHED)
    n_marked = i64(0)
    for lane in range(n_lanes):
        r = origins[lane]
        for i in range(access_offsets[r], access_offsets[r + 1]):
            s = i64(access_stops[i])
            t = departure + i64(access_seconds[i])
            if t < ready[s, lane] and t < horizon:
                ready[s, lane] = t
                if not stop_marked[s]:
                    stop_marked[s] = True
                    marked_stops[n_marked] = s
                    n_marked += 1
    # the trip each lane rides in the pattern being scanned (-1: none), and the first
    # trip it may no longer board (its arrivals reach the horizon)
    current = np.empty(LANES, dtype=np.int64)
    cap = np.empty(LANES, dtype=np.int64)
    for k in range(1, max_rounds + 1):
        if n_marked == 0:
            break
        n_vps = i64(0)
        for i in range(n_marked):
            s = i64(marked_stops[i])
            for x in range(stop_vps_offsets[s], stop_vps_offsets[s + 1]):
                vp = stop_vps[x]
                pos = stop_vps_pos[x]
                if pos < vp_first_pos[vp]:
                    vp_first_pos[vp] = pos
                if pos > vp_last_pos[vp]:
                    vp_last_pos[vp] = pos
                if not vp_marked[vp]:
                    vp_marked[vp] = True
                    marked_vps[n_vps] = vp
                    n_vps += 1
        n_improved = i64(0)
        for i in range(n_vps):
            vp = i64(marked_vps[i])
            s0 = vp_stops_offsets[vp]
            n_pos = vp_stops_offsets[vp + 1] - s0
            n_trips = vp_trips_offsets[vp + 1] - vp_trips_offsets[vp]
            base = vp_times_offsets[vp]
            last = i64(vp_last_pos[vp])
            riding = i64(0)  # lanes with a trip
            for lane in range(LANES):
                current[lane] = -1
                cap[lane] = n_trips
            for j in range(vp_first_pos[vp], n_pos):
                if riding == 0 and j > last:
                    break
                row = base + j * n_trips
                s = i64(vp_stops[s0 + j])
                flags = vp_pos_flags[s0 + j]
                if riding > 0 and flags & NO_DROPOFF == 0:
                    improved = False
                    for lane in range(n_lanes):
                        c = current[lane]
                        if c >= 0:
                            t = i64(arrivals[base + c * n_pos + j])  # trip by trip
                            if t >= horizon:
                                # later stops and later trips arrive later still
                                cap[lane] = c
                                current[lane] = -1
                                riding -= 1
                            elif t < ride[s, lane]:
                                ride[s, lane] = t
                                improved = True
                    if improved and not ride_improved[s]:
                        ride_improved[s] = True
                        improved_stops[n_improved] = s
                        n_improved += 1
                # a lane whose label here did not improve last round boards what it
                # boarded then: harmless, and cheaper than a mark per lane
                if flags & NO_PICKUP == 0 and stop_marked[s]:
                    for lane in range(n_lanes):
                        ready_at = i64(ready[s, lane])
                        if ready_at >= horizon:
                            continue
                        c = current[lane]
                        limit = c if c >= 0 else cap[lane]
                        if limit > 0 and departures[row + limit - 1] >= ready_at:
                            lo = i64(0)
                            hi = limit
                            while lo < hi:
                                mid = (lo + hi) // 2
                                if departures[row + mid] >= ready_at:
                                    hi = mid
                                else:
                                    lo = mid + 1
                            if c < 0:
                                riding += 1
                            current[lane] = lo
            vp_marked[vp] = False
            vp_first_pos[vp] = _NO_POS
            vp_last_pos[vp] = -1
        for i in range(n_marked):
            stop_marked[marked_stops[i]] = False
        n_marked = 0
        last_round = k == max_rounds
        for i in range(n_improved):
            # unsigned stop indices: no wrap-around check per access (see raptor._relax)
            here = np.uint64(improved_stops[i])
            ride_improved[here] = False
            if last_round:
                continue  # no round left to board from a walk
            # the stop itself after its minimum transfer time (f = lo - 1), then each
            # footpath; lanes whose ride did not improve relax to no change
            lo = footpaths_offsets[here]
            for f in range(lo - 1, footpaths_offsets[here + np.uint64(1)]):
                if f < lo:
                    there = here
                    w = i64(min_transfer_seconds[here])
                else:
                    there = np.uint64(footpath_to_stop[f])
                    w = i64(footpath_seconds[f])
                changed = False
                for lane in range(LANES):  # a constant count: a loop numba unrolls
                    t = i64(ride[here, lane]) + w
                    if (t < ready[there, lane]) & (t < horizon):
                        ready[there, lane] = t
                        changed = True
                if changed and not stop_marked[there]:
                    stop_marked[there] = True
                    marked_stops[n_marked] = there
                    n_marked += 1
    for i in range(n_marked):
        stop_marked[marked_stops[i]] = False


@inner
def earliest_egress(
    ride_time: I32, egress_stops: I32, egress_seconds: I32, lo: int, hi: int, best: I64
) -> None:
    """``best[l]``: the earliest arrival, in lane ``l``, at a place reached on foot in
    ``egress_seconds[i]`` from ``egress_stops[i]`` for ``i`` in ``lo:hi`` (a ride label
    of :func:`run_lanes` plus that walk; UNREACHED if none)."""
    best.fill(UNREACHED)
    for i in range(lo, hi):
        s = egress_stops[i]
        w = i64(egress_seconds[i])
        for lane in range(LANES):
            t = i64(ride_time[s, lane])
            if t < UNREACHED and t + w < best[lane]:
                best[lane] = t + w
