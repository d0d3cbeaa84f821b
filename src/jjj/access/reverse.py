"""Travel times *to* one place from everywhere, over a departure window (many to one).

Running RAPTOR on the mirrored timetable (:func:`jjj.routing.dayview.reverse_view`)
for an arrival time ``A`` gives, for every stop, the latest departure from it that
still reaches the place by ``A``. Sweeping ``A`` over every minute from the window's
first departure to its last plus the time limit (range RAPTOR: labels reused from
earlier arrival times) gives each stop's latest departure as a function of the
arrival minute. For a place ``c`` linked to stops on foot, the latest departure
``L_c(A)`` is the best over its stops (minus the walk) or the walk straight there;
leaving at ``d`` one arrives by ``A`` exactly when ``L_c(A) ≥ d``, so the earliest
arrival is the first such minute ``A``: travel times are exact to the minute (they may
exceed the true ones by less than a minute, never fall short).
"""

from __future__ import annotations

import numba as nb
import numpy as np
import numpy.typing as npt

from jjj.access.router import DEFAULT_MAX_ROUNDS, Window
from jjj.errors import AccessError
from jjj.ids import DAY_SECONDS, UNREACHED
from jjj.routing.dayview import build_day_view, reverse_view
from jjj.routing.kernels import (
    KernelCall,
    allocate_state,
    minutes_to_search,
    new_departures,
    reset_state,
    run_departure_from,
)
from jjj.routing.kernels.arrays import COUNTER_EVENTS, COUNTER_OVERFLOW
from jjj.timetable.network import Network

__all__ = ["NO_DEPARTURE", "ToPlace", "reduce_to_place"]

#: a search per minute, started from the access stops with a new vehicle, without
#: numba's per-call type dispatch
_RUN_DEPARTURE_FROM = KernelCall(run_departure_from)

I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]

#: A latest departure that does not exist.
NO_DEPARTURE = -UNREACHED


class ToPlace:
    """Latest departures from every stop to reach one place, per arrival minute.

    Parameters
    ----------
    network, window:
        The network and the departure window (of the people travelling to the place).
    max_seconds:
        Longest journey followed.
    """

    def __init__(
        self,
        network: Network,
        window: Window,
        *,
        max_seconds: int,
        max_rounds: int = DEFAULT_MAX_ROUNDS,
    ) -> None:
        day = network.day_index(window.date)
        if not 0 <= day < network.n_days:
            raise AccessError(
                f"date {window.date.isoformat()} is outside the network's service "
                f"({network.first_date.isoformat()} to {network.last_date.isoformat()})"
            )
        self.network = network
        self.window = window
        self.max_seconds = int(max_seconds)
        self.max_rounds = int(max_rounds)
        first = window.start_seconds
        last = first + 60 * (window.minutes - 1) + self.max_seconds
        #: arrival minutes swept, ascending
        self.arrivals_grid = (first + 60 * np.arange((last - first) // 60 + 1)).astype(np.int32)
        forward = build_day_view(
            network,
            window.date,
            whole_previous_day=first - self.max_seconds < 0,
            next_day=last >= DAY_SECONDS,
        )
        self.view = reverse_view(forward)
        self._capacity = (4096, 16384)
        self.state = allocate_state(network.n_stops, self.view.n_vps, self.max_rounds)

    def latest_departures(self, egress_stops: I32, egress_seconds: I32) -> I32:
        """``(arrival minutes, n_stops)``: the latest departure from each stop reaching the
        place by each arrival minute (:data:`NO_DEPARTURE` where none)."""
        stops = np.ascontiguousarray(egress_stops, dtype=np.int32)
        seconds = np.ascontiguousarray(egress_seconds, dtype=np.int32)
        grid = self.arrivals_grid
        out = np.empty((len(grid), self.network.n_stops), dtype=np.int32)
        mirrored_departures = np.ascontiguousarray(-grid)  # latest mirrored departure first
        new = new_departures(self.view.arrays, stops, seconds, mirrored_departures)
        searched = minutes_to_search(new)
        for _attempt in range(6):
            state = self.state
            reset_state(state)
            state.labels.egress_seconds.fill(-1)
            ride = state.labels.ride_time[self.max_rounds]
            counters = state.work.counters
            for k in range(len(grid)):  # earliest arrival first = latest mirrored departure
                if not searched[k]:
                    out[k] = out[k - 1]
                    continue
                mirrored = -int(grid[k])
                _RUN_DEPARTURE_FROM(
                    self.view.arrays,
                    state,
                    stops,
                    seconds,
                    new[k],
                    mirrored,
                    self.max_rounds,
                    mirrored + self.max_seconds + 1,
                    0,
                )
                row = out[k]
                row[:] = ride
                n_events = int(counters[COUNTER_EVENTS])
                if n_events:
                    np.minimum.at(
                        row, state.events.event_stop[:n_events], state.events.event_time[:n_events]
                    )
            if not counters[COUNTER_OVERFLOW]:
                reached = out < UNREACHED
                result: I32 = np.where(reached, -out, NO_DEPARTURE).astype(np.int32)
                return result
            events, offers = self._capacity
            self._capacity = (events * 4, offers * 4)
            self.state = allocate_state(
                self.network.n_stops,
                self.view.n_vps,
                self.max_rounds,
                events=self._capacity[0],
                offers=self._capacity[1],
            )
        raise AccessError("the transfer rules produce too many special transfers to search")


@nb.njit(cache=True)
def reduce_to_place(
    latest: I32,
    arrivals_grid: I32,
    departures: I32,
    links_offsets: I64,
    link_stops: I32,
    link_seconds: I32,
    max_seconds: int,
    ranks: I64,
    out: I32,
    reached: npt.NDArray[np.int16],
) -> None:  # pragma: no cover
    """For each place ``d`` (walking links to stops): the nearest-rank percentiles
    ``ranks`` of its travel times to the target for each departure (ascending)."""
    n_places = links_offsets.shape[0] - 1
    n_grid = arrivals_grid.shape[0]
    n_minutes = departures.shape[0]
    best = np.empty(n_grid, dtype=np.int64)
    buffer = np.empty(n_minutes, dtype=np.int32)
    for d in range(n_places):
        running = np.int64(NO_DEPARTURE)
        for k in range(n_grid):
            value = np.int64(NO_DEPARTURE)
            for i in range(links_offsets[d], links_offsets[d + 1]):
                ld = latest[k, link_stops[i]]
                if ld > NO_DEPARTURE:
                    leave = np.int64(ld) - link_seconds[i]
                    if leave > value:
                        value = leave
            if value > running:
                running = value
            best[k] = running
        k = 0
        count = 0
        for m in range(n_minutes):
            dep = departures[m]
            while k < n_grid and best[k] < dep:
                k += 1
            t = UNREACHED
            if k < n_grid:
                t = arrivals_grid[k] - dep
                if t > max_seconds:
                    t = UNREACHED
            buffer[m] = t
            if t < UNREACHED:
                count += 1
        buffer.sort()
        reached[d] = count
        for p in range(ranks.shape[0]):
            out[d, p] = buffer[ranks[p]]
