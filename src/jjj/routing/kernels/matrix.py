"""Travel-time matrices inside the kernels: one RAPTOR search per origin, then the
walk to each destination from the stops within its reach where a ride ends — what a
point-to-point search between the two answers (:func:`jjj.routing.kernels.one_to_one`),
for every pair at the cost of one search per origin. The searches keep only ride and
ready labels (no arrivals on foot at every stop, no traces).

The kernels release the GIL, so callers split the origins between threads, each with
its own state. On views without transfer rules :func:`matrix_rows_in_lanes` gives the
same answers searching many origins at once (:mod:`jjj.routing.kernels.lanes`).
"""

from __future__ import annotations

import numba as nb
import numpy as np
import numpy.typing as npt

from jjj.ids import UNREACHED
from jjj.routing.kernels.arrays import COUNTER_TRACE, KEEP_RIDES, RaptorState, ViewArrays, i64
from jjj.routing.kernels.lanes import LANES, LaneState, earliest_egress, lane_batch, run_lanes
from jjj.routing.kernels.raptor import reset_state, run_departure

__all__ = ["matrix_rows", "matrix_rows_in_lanes"]

I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]


@nb.njit(cache=True, nogil=True)
def matrix_rows(
    view: ViewArrays,
    state: RaptorState,
    access_stops: I32,
    access_seconds: I32,
    access_offsets: I64,
    egress_stops: I32,
    egress_seconds: I32,
    egress_offsets: I64,
    departure: int,
    max_rounds: int,
    max_duration: int,
    out: I32,
) -> None:
    """``out[r, c]``: the earliest arrival at destination ``c`` leaving origin ``r`` at
    ``departure`` with one to ``max_rounds`` rides, or UNREACHED.

    Origin ``r`` walks ``access_seconds[i]`` to ``access_stops[i]`` for ``i`` in
    ``access_offsets[r]:access_offsets[r + 1]``; destination ``c`` is reached from
    ``egress_stops[i]`` in ``egress_seconds[i]`` for ``i`` in its ``egress_offsets`` range.
    """
    departure = i64(departure)
    ride = state.labels.ride_time[state.labels.ride_time.shape[0] - 1]
    state.labels.egress_seconds.fill(-1)
    for r in range(access_offsets.shape[0] - 1):
        lo = access_offsets[r]
        hi = access_offsets[r + 1]
        reset_state(state)
        state.work.counters[COUNTER_TRACE] = KEEP_RIDES
        run_departure(
            view, state, access_stops[lo:hi], access_seconds[lo:hi], departure,
            i64(max_rounds), departure + i64(max_duration) + 1, i64(0),
        )  # fmt: skip
        for c in range(egress_offsets.shape[0] - 1):
            best = i64(UNREACHED)
            for i in range(egress_offsets[c], egress_offsets[c + 1]):
                t = i64(ride[egress_stops[i]])
                if t < UNREACHED:
                    t += i64(egress_seconds[i])
                    if t < best:
                        best = t
            out[r, c] = best


@nb.njit(cache=True, nogil=True)
def matrix_rows_in_lanes(
    view: ViewArrays,
    state: LaneState,
    access_stops: I32,
    access_seconds: I32,
    access_offsets: I64,
    egress_stops: I32,
    egress_seconds: I32,
    egress_offsets: I64,
    departure: int,
    max_rounds: int,
    max_duration: int,
    order: I64,
    out: I32,
) -> None:
    """:func:`matrix_rows` searching :data:`~jjj.routing.kernels.lanes.LANES` origins
    at once (:func:`~jjj.routing.kernels.lanes.run_lanes`), taken in ``order`` (a
    permutation of the rows; consecutive origins should be close, see
    :func:`~jjj.routing.kernels.lanes.spatial_order`). The same answers as
    :func:`matrix_rows` on views without transfer rules
    (:func:`~jjj.routing.kernels.lanes.lanes_apply`); faster from
    :data:`~jjj.routing.kernels.lanes.MIN_LANE_ORIGINS` origins on."""
    departure = i64(departure)
    horizon = departure + i64(max_duration) + 1
    n_rows = order.shape[0]
    best = np.empty(LANES, dtype=np.int64)
    for batch in range((n_rows + LANES - 1) // LANES):
        first, end = lane_batch(n_rows, batch)
        origins = order[first:end]
        run_lanes(
            view, state, access_stops, access_seconds, access_offsets, origins, departure,
            i64(max_rounds), horizon,
        )  # fmt: skip
        for c in range(egress_offsets.shape[0] - 1):
            earliest_egress(
                state.ride_time, egress_stops, egress_seconds, egress_offsets[c],
                egress_offsets[c + 1], best,
            )  # fmt: skip
            for lane in range(end - first):
                out[origins[lane], c] = best[lane]
