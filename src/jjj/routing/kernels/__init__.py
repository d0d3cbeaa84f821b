"""RAPTOR kernels (numba): arrays and scalars in, arrays out; numpy, numba and ids only."""

from jjj.routing.kernels.arrays import RaptorState, ViewArrays, allocate_state
from jjj.routing.kernels.entry import KernelCall
from jjj.routing.kernels.lanes import (
    LANES,
    MIN_LANE_ORIGINS,
    LaneState,
    allocate_lane_state,
    earliest_egress,
    lane_batch,
    lanes_apply,
    run_lanes,
    spatial_order,
)
from jjj.routing.kernels.matrix import matrix_rows, matrix_rows_in_lanes
from jjj.routing.kernels.minutes import departures_to_search, minutes_to_search, new_departures
from jjj.routing.kernels.ranges import range_arrivals, range_one_to_one
from jjj.routing.kernels.raptor import (
    one_to_one,
    range_one_to_all,
    reset_state,
    run_departure,
    run_departure_from,
    set_egress,
)

__all__ = [
    "LANES",
    "MIN_LANE_ORIGINS",
    "KernelCall",
    "LaneState",
    "RaptorState",
    "ViewArrays",
    "allocate_lane_state",
    "allocate_state",
    "departures_to_search",
    "earliest_egress",
    "lane_batch",
    "lanes_apply",
    "matrix_rows",
    "matrix_rows_in_lanes",
    "minutes_to_search",
    "new_departures",
    "one_to_one",
    "range_arrivals",
    "range_one_to_all",
    "range_one_to_one",
    "reset_state",
    "run_departure",
    "run_departure_from",
    "run_lanes",
    "set_egress",
    "spatial_order",
]
