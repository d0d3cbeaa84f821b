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
from jjj.routing.dayview import DayView, build_day_view
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

__all__ = [
    "DEFAULT_MAX_ROUNDS",
    "MinuteSearches",
    "OneToAll",
    "Window",
    "check_service_date",
    "parse_clock",
]

#: a search per minute, started from the access stops with a new vehicle, without
#: numba's per-call type dispatch
_RUN_DEPARTURE_FROM = KernelCall(run_departure_from)

I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]

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


def check_service_date(network: Network, date: dt.date) -> None:
    """Raise :class:`AccessError` when ``date`` is outside the network's service."""
    if not 0 <= network.day_index(date) < network.n_days:
        raise AccessError(
            f"date {date.isoformat()} is outside the network's service "
            f"({network.first_date.isoformat()} to {network.last_date.isoformat()})"
        )


class MinuteSearches:
    """Range-RAPTOR searches on one day view, one per departure minute, latest first
    (labels reused), each giving per stop the earliest alighting (a ride label or a
    rule event); the round state is kept for the next caller and grows when the
    transfer rules need more room for events."""

    def __init__(self, view: DayView, n_stops: int, *, max_rounds: int, max_seconds: int) -> None:
        self.view = view
        self.n_stops = n_stops
        self.max_rounds = max_rounds
        self.max_seconds = max_seconds
        self._capacity = (4096, 16384)
        self.state = allocate_state(n_stops, view.n_vps, max_rounds)

    def rows(self, stops: I32, seconds: I32, latest_first: I32, out: I32, row_of: I64) -> None:
        """Fill ``out[row_of[i]]`` with the alightings of a departure at
        ``latest_first[i]`` (descending) from ``stops``, walked to in ``seconds``."""
        new = new_departures(self.view.arrays, stops, seconds, latest_first)
        searched = minutes_to_search(new)
        for _attempt in range(6):
            state = self.state
            reset_state(state)
            state.labels.egress_seconds.fill(-1)
            ride = state.labels.ride_time[self.max_rounds]
            counters = state.work.counters
            for i in range(len(latest_first)):
                row = out[row_of[i]]
                if not searched[i]:
                    # no vehicle boardable now that was not a minute later: same rides
                    row[:] = out[row_of[i - 1]]
                    continue
                departure = int(latest_first[i])
                _RUN_DEPARTURE_FROM(
                    self.view.arrays,
                    state,
                    stops,
                    seconds,
                    new[i],
                    departure,
                    self.max_rounds,
                    departure + self.max_seconds + 1,
                    0,
                )
                row[:] = ride
                n_events = int(counters[COUNTER_EVENTS])
                if n_events:
                    np.minimum.at(
                        row, state.events.event_stop[:n_events], state.events.event_time[:n_events]
                    )
            if not counters[COUNTER_OVERFLOW]:
                return
            events, offers = self._capacity
            self._capacity = (events * 4, offers * 4)
            self.state = allocate_state(
                self.n_stops,
                self.view.n_vps,
                self.max_rounds,
                events=self._capacity[0],
                offers=self._capacity[1],
            )
        raise AccessError("the transfer rules produce too many special transfers to search")


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
        check_service_date(network, window.date)
        latest = window.start_seconds + 60 * (window.minutes - 1) + max_seconds
        self.network = network
        self.window = window
        self.max_seconds = int(max_seconds)
        self.max_rounds = int(max_rounds)
        self.view = build_day_view(network, window.date, next_day=latest >= DAY_SECONDS)
        self.searches = MinuteSearches(
            self.view, network.n_stops, max_rounds=self.max_rounds, max_seconds=self.max_seconds
        )
        self.departures = window.departures()

    def arrivals(self, access_stops: I32, access_seconds: I32) -> I32:
        """``(minutes, n_stops)`` earliest alightings, row ``m`` for ``departures[m]``
        (UNREACHED where none)."""
        stops = np.ascontiguousarray(access_stops, dtype=np.int32)
        seconds = np.ascontiguousarray(access_seconds, dtype=np.int32)
        out = np.empty((self.window.minutes, self.network.n_stops), dtype=np.int32)
        latest_first = np.ascontiguousarray(self.departures[::-1])
        row_of = np.arange(self.window.minutes - 1, -1, -1, dtype=np.int64)
        self.searches.rows(stops, seconds, latest_first, out, row_of)
        return out
