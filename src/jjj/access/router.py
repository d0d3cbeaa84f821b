"""The journey planner as the accessibility layer uses it: one origin to every stop,
every minute of a departure window (range RAPTOR, latest minute first, labels reused).

A thin adapter over :mod:`jjj.routing` (the day view and :func:`run_departure`); it
holds the view and the round state so that many origins reuse them. For each minute
it reports, per stop, the earliest time one *alights* there (a ride label, or an
alighting a transfer rule applies to), not arrivals by a footpath: one walks to a
destination from the stop one leaves the vehicle at, as the planner's egress does
(and R5's "non-transfer" times).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from jjj.errors import AccessError
from jjj.ids import DAY_SECONDS
from jjj.routing.dayview import build_day_view
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

__all__ = ["DEFAULT_MAX_ROUNDS", "OneToAll", "Window", "parse_clock"]

#: a search per minute, started from the access stops with a new vehicle, without
#: numba's per-call type dispatch
_RUN_DEPARTURE_FROM = KernelCall(run_departure_from)

I32 = npt.NDArray[np.int32]

#: Rides per journey (7 transfers), as R5's default.
DEFAULT_MAX_ROUNDS = 8


def parse_clock(text: str) -> int:
    """``HH:MM`` or ``HH:MM:SS`` (hours may exceed 23) as seconds of the service day."""
    parts = text.strip().split(":")
    if len(parts) not in (2, 3) or not all(p.isdigit() for p in parts):
        raise AccessError(f"time {text!r}: expected HH:MM or HH:MM:SS")
    hours, minutes = int(parts[0]), int(parts[1])
    seconds = int(parts[2]) if len(parts) == 3 else 0
    if minutes > 59 or seconds > 59:
        raise AccessError(f"time {text!r}: minutes and seconds must be below 60")
    return hours * 3600 + minutes * 60 + seconds


@dataclass(frozen=True)
class Window:
    """Departures every minute from ``start_seconds`` on ``date``: ``minutes`` of them.

    ``minutes == 1`` is a single departure time.
    """

    date: dt.date
    start_seconds: int
    minutes: int = 60

    def __post_init__(self) -> None:
        if self.minutes < 1:
            raise AccessError(f"window: at least one minute, got {self.minutes}")
        if self.start_seconds < 0:
            raise AccessError("window: the first departure must not be before 00:00")

    def departures(self) -> I32:
        """Departure times in chronological order (seconds of the service day)."""
        return (self.start_seconds + 60 * np.arange(self.minutes)).astype(np.int32)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready description."""
        h, rest = divmod(self.start_seconds, 3600)
        return {
            "date": self.date.isoformat(),
            "first_departure": f"{h:02d}:{rest // 60:02d}:{rest % 60:02d}",
            "minutes": self.minutes,
        }


class OneToAll:
    """Earliest arrivals at every stop from one origin, for each minute of a window.

    Parameters
    ----------
    network:
        The compiled network.
    window:
        Date and departure minutes.
    max_seconds:
        Journeys longer than this are not followed (pruned in the search).
    max_rounds:
        Most vehicles ridden.
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
        latest = window.start_seconds + 60 * (window.minutes - 1) + max_seconds
        self.network = network
        self.window = window
        self.max_seconds = int(max_seconds)
        self.max_rounds = int(max_rounds)
        self.view = build_day_view(network, window.date, next_day=latest >= DAY_SECONDS)
        self._capacity = (4096, 16384)
        self.state = allocate_state(network.n_stops, self.view.n_vps, self.max_rounds)
        self.departures = window.departures()

    def arrivals(self, access_stops: I32, access_seconds: I32) -> I32:
        """``(minutes, n_stops)`` earliest alightings, row ``m`` for ``departures[m]``
        (UNREACHED where none)."""
        stops = np.ascontiguousarray(access_stops, dtype=np.int32)
        seconds = np.ascontiguousarray(access_seconds, dtype=np.int32)
        out = np.empty((self.window.minutes, self.network.n_stops), dtype=np.int32)
        latest_first = np.ascontiguousarray(self.departures[::-1])
        new = new_departures(self.view.arrays, stops, seconds, latest_first)
        searched = minutes_to_search(new)
        last = self.window.minutes - 1
        for _attempt in range(6):
            state = self.state
            reset_state(state)
            state.labels.egress_seconds.fill(-1)
            ride = state.labels.ride_time[self.max_rounds]
            counters = state.work.counters
            for m in range(last, -1, -1):
                if not searched[last - m]:
                    # no vehicle boardable now that was not a minute later: same rides
                    out[m] = out[m + 1]
                    continue
                departure = int(self.departures[m])
                _RUN_DEPARTURE_FROM(
                    self.view.arrays,
                    state,
                    stops,
                    seconds,
                    new[last - m],
                    departure,
                    self.max_rounds,
                    departure + self.max_seconds + 1,
                    0,
                )
                row = out[m]
                row[:] = ride
                n_events = int(counters[COUNTER_EVENTS])
                if n_events:
                    np.minimum.at(
                        row, state.events.event_stop[:n_events], state.events.event_time[:n_events]
                    )
            if not counters[COUNTER_OVERFLOW]:
                return out
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
