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

from jjj.access.router import DEFAULT_MAX_ROUNDS, MinuteSearches, Window, check_service_date
from jjj.ids import DAY_SECONDS, UNREACHED
from jjj.routing.dayview import build_day_view, reverse_view
from jjj.timetable.network import Network

__all__ = ["NO_DEPARTURE", "ToPlace", "reduce_to_place"]

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
        check_service_date(network, window.date)
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
        self.searches = MinuteSearches(
            self.view, network.n_stops, max_rounds=self.max_rounds, max_seconds=self.max_seconds
        )

    def latest_departures(self, egress_stops: I32, egress_seconds: I32) -> I32:
        """``(arrival minutes, n_stops)``: the latest departure from each stop reaching the
        place by each arrival minute (:data:`NO_DEPARTURE` where none)."""
        stops = np.ascontiguousarray(egress_stops, dtype=np.int32)
        seconds = np.ascontiguousarray(egress_seconds, dtype=np.int32)
        grid = self.arrivals_grid
        out = np.empty((len(grid), self.network.n_stops), dtype=np.int32)
        # the earliest arrival first is the latest mirrored departure first
        mirrored_departures = np.ascontiguousarray(-grid)
        self.searches.rows(stops, seconds, mirrored_departures, out, np.arange(len(grid)))
        result: I32 = np.where(out < UNREACHED, -out, NO_DEPARTURE).astype(np.int32)
        return result


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
