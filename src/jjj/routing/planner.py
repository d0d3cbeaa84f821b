"""The journey planner: requests in, Pareto-optimal journeys out.

>>> planner = Planner(load_network("region.jjjnet"))             # doctest: +SKIP
>>> plan = planner.plan("39.9042,116.4074", "bj:TJ", "2026-09-15T08:00")  # doctest: +SKIP
>>> [j.transfers for j in plan.journeys]                          # doctest: +SKIP

For each number of rides up to ``max_transfers + 1`` the search finds the earliest
arrival (or, arriving by a time, the latest departure); the journeys returned are
those no other journey beats on both time and transfers. With a window, every
minute of it is searched (range RAPTOR, latest first, labels reused), and journeys
are also compared on their departure (a later departure is better).

Day views (one per date and horizon) and round state are cached and reused.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from jjj.errors import RoutingError
from jjj.ids import DAY_SECONDS, UNREACHED
from jjj.routing.bound_table import with_area_bounds
from jjj.routing.clock import parse_when
from jjj.routing.dayview import DayView, build_day_view, reverse_view
from jjj.routing.itinerary import Journey, NetworkNames, build_journey, walking_journey
from jjj.routing.kernels import allocate_state
from jjj.routing.kernels.arrays import COUNTER_OVERFLOW, RaptorState
from jjj.routing.kernels.entry import KernelCall
from jjj.routing.kernels.ranges import ACCESS, RIDE, TRANSFER, range_one_to_one
from jjj.routing.locations import (
    DEFAULT_ACCESS_RADIUS_M,
    Location,
    PlaceResolver,
    access_links,
    parse_location,
    walk_seconds,
)
from jjj.routing.paths import Access, Egress, Ride, Step, Transfer, to_forward
from jjj.timetable.footpaths import WalkingModel
from jjj.timetable.network import Network

__all__ = [
    "DEFAULT_MAX_DURATION_S",
    "DEFAULT_MAX_TRANSFERS",
    "Plan",
    "Planner",
    "plan",
]

#: range_one_to_one without numba's per-call type dispatch
_RANGE_ONE_TO_ONE = KernelCall(range_one_to_one)

I32 = npt.NDArray[np.int32]

DEFAULT_MAX_TRANSFERS = 5
MAX_TRANSFERS_LIMIT = 15
#: Day views kept per planner (a date needs one to four: with the next day, mirrored).
MAX_CACHED_VIEWS = 8
ViewKey = tuple[dt.date, bool, bool, bool]
#: Journeys longer than this are not searched for (R5's default is 2 h; the region's
#: longest public-transport trips take several hours).
DEFAULT_MAX_DURATION_S = 6 * 3600


@dataclass(frozen=True)
class Plan:
    """The answer to one request.

    Attributes
    ----------
    journeys:
        Pareto-optimal journeys, sorted by transfers, then departure.
    best_by_transfers:
        For ``k = 0..max_transfers``: the earliest arrival with at most ``k`` transfers
        (arrive-by: the latest departure) for the first departure of the window, in
        seconds of ``date``'s service day; ``None`` where there is none.
    """

    origin: Location
    destination: Location
    date: dt.date
    timezone: str
    arrive_by: bool
    journeys: list[Journey] = field(default_factory=list)
    best_by_transfers: list[int | None] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        """``{"journeys": [...]}`` as the CLI prints it with ``--json``."""
        return {"journeys": [journey.to_dict() for journey in self.journeys]}


class Planner:
    """Plans journeys on one network, reusing day views and round state.

    Not thread-safe: the round state is shared between calls; use one planner per thread.

    Parameters
    ----------
    network:
        The compiled network.
    walking:
        The walking model for access and egress (the footpaths' model by default).
    access_radius_m:
        How far one walks to the first stop and from the last one, from coordinates.
    resolver:
        Turns place names into coordinates (optional).
    max_duration_s:
        Longest journey searched for.
    area_bounds:
        Give each day view a table of lower bounds between areas
        (:mod:`jjj.routing.bound_table`): a fraction of a second per date, then
        every search prunes from its first round. Worth it for many queries.
    """

    def __init__(
        self,
        network: Network,
        *,
        walking: WalkingModel | None = None,
        access_radius_m: float = DEFAULT_ACCESS_RADIUS_M,
        resolver: PlaceResolver | None = None,
        max_duration_s: int = DEFAULT_MAX_DURATION_S,
        area_bounds: bool = False,
    ) -> None:
        self.network = network
        self.area_bounds = area_bounds
        built = network.meta.get("walking", {})
        self.walking = walking or WalkingModel(
            radius_m=float(built.get("radius_m", 400.0)),
            detour_factor=float(built.get("detour_factor", 1.3)),
            speed_mps=float(built.get("speed_mps", 1.2)),
        )
        self.access_radius_m = float(access_radius_m)
        self.resolver = resolver
        self.max_duration_s = int(max_duration_s)
        self._views: OrderedDict[ViewKey, DayView] = OrderedDict()
        self._states: dict[tuple[ViewKey, int], RaptorState] = {}
        self._capacity = (4096, 16384)
        self.names = NetworkNames(network)

    # ------------------------------------------------------------------ views
    def day_view(
        self, date: dt.date, *, whole_previous_day: bool, next_day: bool, reverse: bool = False
    ) -> DayView:
        """The (cached) view of ``date``; ``reverse`` for the mirrored one."""
        key = (date, whole_previous_day, next_day, reverse)
        if key in self._views:
            self._views.move_to_end(key)
            return self._views[key]
        if reverse:
            forward = self.day_view(date, whole_previous_day=whole_previous_day, next_day=next_day)
            view = reverse_view(forward)
        else:
            view = build_day_view(
                self.network, date, whole_previous_day=whole_previous_day, next_day=next_day
            )
            if self.area_bounds:
                view = with_area_bounds(view, self.network)
        self._views[key] = view
        while len(self._views) > MAX_CACHED_VIEWS:
            evicted, _ = self._views.popitem(last=False)
            for state_key in [k for k in self._states if k[0] == evicted]:
                del self._states[state_key]
        return view

    def _state(self, view: DayView, max_rounds: int) -> RaptorState:
        view_key = next((k for k, v in self._views.items() if v is view), None)
        if view_key is None:  # not cached (evicted meanwhile): a state of its own
            events, offers = self._capacity
            return allocate_state(
                view.n_stops, view.n_vps, max_rounds, events=events, offers=offers
            )
        key = (view_key, max_rounds)
        state = self._states.get(key)
        if state is None:
            events, offers = self._capacity
            state = allocate_state(
                view.n_stops, view.n_vps, max_rounds, events=events, offers=offers
            )
            self._states[key] = state
        return state

    # -------------------------------------------------------------- requests
    def location(self, text: str | Location, *, option: str = "--from") -> Location:
        """Parse an origin or destination."""
        if isinstance(text, Location):
            return text
        return parse_location(self.network, text, resolver=self.resolver, option=option)

    def links(self, location: Location, *, leaving: bool, option: str) -> dict[int, int]:
        """Walking seconds from (``leaving``) or to ``location`` for each stop in reach."""
        stops, seconds = access_links(
            self.network,
            location,
            model=self.walking,
            radius_m=self.access_radius_m,
            leaving=leaving,
            option=option,
        )
        return dict(zip(stops.tolist(), seconds.tolist(), strict=True))

    def check_date(self, date: dt.date) -> None:
        """Raise :class:`RoutingError` unless ``date`` is in the network's service period."""
        first, last = self.network.first_date, self.network.last_date
        if not first <= date <= last:
            raise RoutingError(
                f"date {date.isoformat()} is outside the service period of the network "
                f"({first.isoformat()} to {last.isoformat()})"
            )

    def plan(
        self,
        origin: str | Location,
        destination: str | Location,
        when: str | tuple[dt.date, int],
        *,
        arrive_by: bool = False,
        window_minutes: int = 0,
        max_transfers: int = DEFAULT_MAX_TRANSFERS,
    ) -> Plan:
        """Plan journeys from ``origin`` to ``destination``.

        Parameters
        ----------
        origin, destination:
            ``lat,lon``, ``FEED:stop_id`` or (with a resolver) a place name.
        when:
            ``YYYY-MM-DDTHH:MM`` in the network's timezone (or with an offset), or
            ``(date, seconds of its service day)``: the departure time, or with
            ``arrive_by`` the latest arrival.
        window_minutes:
            Also search every later departure (earlier arrival with ``arrive_by``)
            minute within this many minutes.
        max_transfers:
            Most changes of vehicle (staying seated is not a change).

        Raises
        ------
        RoutingError
            For an unknown stop or place, coordinates with no stop in reach, a date
            outside the service period, a malformed time or bad limits.
        """
        if not 0 <= max_transfers <= MAX_TRANSFERS_LIMIT:
            raise RoutingError(
                f"--max-transfers {max_transfers}: must be from 0 to {MAX_TRANSFERS_LIMIT}"
            )
        if not 0 <= window_minutes <= 24 * 60:
            raise RoutingError(f"--window {window_minutes}: must be from 0 to 1440 minutes")
        option = "--arrive-by" if arrive_by else "--depart"
        if isinstance(when, str):
            date, seconds = parse_when(when, self.network.timezone, option=option)
        else:
            date, seconds = when
        self.check_date(date)
        source = self.location(origin, option="--from")
        target = self.location(destination, option="--to")
        if _same_place(source, target):
            here = walking_journey(
                date, self.network.timezone, source, target, departure=seconds, seconds=0
            )
            return Plan(
                origin=source,
                destination=target,
                date=date,
                timezone=self.network.timezone,
                arrive_by=arrive_by,
                journeys=[here],
                best_by_transfers=[None] * (max_transfers + 1),
            )
        access = self.links(source, leaving=True, option="--from")
        egress = self.links(target, leaving=False, option="--to")
        max_rounds = max_transfers + 1
        span = 60 * window_minutes + self.max_duration_s
        if arrive_by:
            view = self.day_view(
                date, whole_previous_day=seconds - span < 0, next_day=seconds >= DAY_SECONDS,
                reverse=True,
            )  # fmt: skip
            starts, ends = egress, access
            first_departure = -seconds
        else:
            view = self.day_view(
                date, whole_previous_day=seconds < 0, next_day=seconds + span >= DAY_SECONDS
            )
            starts, ends = access, egress
            first_departure = seconds
        forward = (
            self.day_view(
                date, whole_previous_day=seconds - span < 0, next_day=seconds >= DAY_SECONDS
            )
            if arrive_by
            else view
        )
        departures = [first_departure + 60 * m for m in range(max(window_minutes, 1))]
        found: list[Journey] = []
        best = self._search(view, starts, ends, departures, max_rounds, forward, source, target,
                            access, egress, found)  # fmt: skip
        journeys = _pareto(found, arrive_by)
        direct = self._walk_only(source, target, date, seconds, arrive_by)
        if direct is not None:
            # walking can start at any time: a ride taking as long is no better
            walk = direct.arrival - direct.departure
            journeys = [j for j in journeys if j.arrival - j.departure < walk]
            beaten = any(
                j.transfers == 0
                and (j.departure >= direct.departure if arrive_by else j.arrival <= direct.arrival)
                for j in journeys
            )
            if not beaten:
                journeys.insert(0, direct)
        sign = -1 if arrive_by else 1
        best_by_transfers = [None if t is None else sign * t for t in best]
        return Plan(
            origin=source,
            destination=target,
            date=date,
            timezone=self.network.timezone,
            arrive_by=arrive_by,
            journeys=journeys,
            best_by_transfers=best_by_transfers,
        )

    def _search(
        self,
        view: DayView,
        starts: dict[int, int],
        ends: dict[int, int],
        departures: list[int],
        max_rounds: int,
        forward: DayView,
        source: Location,
        target: Location,
        access: dict[int, int],
        egress: dict[int, int],
        found: list[Journey],
    ) -> list[int | None]:
        start_stops = np.array(list(starts), dtype=np.int32)
        start_seconds = np.array(list(starts.values()), dtype=np.int32)
        end_stops = np.array(list(ends), dtype=np.int32)
        end_seconds = np.array(list(ends.values()), dtype=np.int32)
        latest_first = np.array(departures[::-1], dtype=np.int32)
        n_journeys = len(departures) * max_rounds
        journeys = np.empty((n_journeys, 5), dtype=np.int32)
        steps = np.empty((n_journeys * (4 * max_rounds + 8), 4), dtype=np.int32)
        for _attempt in range(6):
            state = self._state(view, max_rounds)
            count = _RANGE_ONE_TO_ONE(
                view.arrays, state, start_stops, start_seconds, end_stops, end_seconds,
                latest_first, max_rounds, self.max_duration_s, steps, journeys,
            )  # fmt: skip
            if count >= 0 and not state.work.counters[COUNTER_OVERFLOW]:
                break
            events, offers = self._capacity
            self._capacity = (events * 4, offers * 4)
            self._states.clear()
        else:
            raise RoutingError("the transfer rules produce too many special transfers to search")
        candidates: list[tuple[tuple[int, int, int], list[Step]]] = []
        for row in journeys[:count].tolist():
            first, n_steps = row[0], row[1]
            raw = _decode(steps[first : first + n_steps].tolist())
            forward_steps = to_forward(view, raw)
            candidates.append((_key(forward, forward_steps, access, egress), forward_steps))
        for _key_value, forward_steps in _pareto_steps(candidates):
            found.append(
                build_journey(
                    self.network, forward, forward_steps, origin=source, destination=target,
                    access=access, egress=egress, names=self.names,
                )
            )  # fmt: skip
        horizon = departures[0] + self.max_duration_s + 1
        targets = state.labels.target_time.tolist()
        return [t if t < min(horizon, UNREACHED) else None for t in targets[1:]]

    def _walk_only(
        self, source: Location, target: Location, date: dt.date, seconds: int, arrive_by: bool
    ) -> Journey | None:
        walk = walk_seconds(self.walking, source.lat, source.lon, target.lat, target.lon)
        reach = max(self.access_radius_m, self.walking.radius_m)
        longest = math.ceil(reach * self.walking.detour_factor / self.walking.speed_mps)
        if walk > longest:
            return None
        departure = seconds - walk if arrive_by else seconds
        return walking_journey(
            date, self.network.timezone, source, target, departure=departure, seconds=walk
        )


def _same_place(a: Location, b: Location) -> bool:
    """Whether two locations are the same stop (or station), or the same point."""
    if a.is_stop or b.is_stop:
        return bool(set(a.stop_idx) & set(b.stop_idx))
    return (a.lat, a.lon) == (b.lat, b.lon)


def _decode(rows: list[list[int]]) -> list[Step]:
    """Kernel step rows (destination first) as steps, origin first."""
    out: list[Step] = []
    for kind, a, b, c in reversed(rows):
        if kind == ACCESS:
            out.append(Access(a))
        elif kind == RIDE:
            out.append(Ride(a, b, c))
        elif kind == TRANSFER:
            out.append(Transfer(a, b))
        else:
            out.append(Egress(a))
    return out


def _key(
    view: DayView, steps: list[Step], access: dict[int, int], egress: dict[int, int]
) -> tuple[int, int, int]:
    """``(-departure, arrival, transfers)`` of forward steps, without building legs."""
    rides = [step for step in steps if isinstance(step, Ride)]
    first_stop = next(step.stop for step in steps if isinstance(step, Access))
    last_stop = next(step.stop for step in steps if isinstance(step, Egress))
    departure = view.departure(rides[0].vtrip, rides[0].board_pos) - access[first_stop]
    arrival = view.arrival(rides[-1].vtrip, rides[-1].alight_pos) + egress[last_stop]
    return (-departure, arrival, len(rides) - 1)


def _pareto_steps(
    candidates: list[tuple[tuple[int, int, int], list[Step]]],
) -> list[tuple[tuple[int, int, int], list[Step]]]:
    """Candidates no other beats on departure (later), arrival and transfers."""
    unique: dict[tuple[int, int, int], list[Step]] = {}
    for key, steps in candidates:
        unique.setdefault(key, steps)
    kept = _undominated(list(unique))
    return [(key, unique[key]) for key in unique if key in kept]


def _undominated(keys: list[tuple[int, int, int]]) -> set[tuple[int, int, int]]:
    """The distinct keys no other key is at most in every component. A key's dominators
    sort before it, and a dominated dominator's own dominator also dominates, so one
    sorted pass comparing with the keys kept so far suffices."""
    kept: list[tuple[int, int, int]] = []
    for a, b, c in sorted(set(keys)):
        if not any(x <= a and y <= b and z <= c for x, y, z in kept):
            kept.append((a, b, c))
    return set(kept)


def _pareto(journeys: list[Journey], arrive_by: bool) -> list[Journey]:
    """Journeys no other beats on departure (later), arrival (earlier) and transfers."""

    def key(j: Journey) -> tuple[int, int, int]:
        return (-j.departure, j.arrival, j.transfers)

    unique: dict[tuple[int, int, int], Journey] = {}
    for journey in journeys:
        unique.setdefault(key(journey), journey)
    front = _undominated(list(unique))
    kept = [journey for k, journey in unique.items() if k in front]
    kept.sort(
        key=lambda j: (j.transfers, j.arrival if not arrive_by else -j.departure, -j.departure)
    )
    return kept


def plan(
    network: Network,
    origin: str,
    destination: str,
    when: str,
    *,
    arrive_by: bool = False,
    window_minutes: int = 0,
    max_transfers: int = DEFAULT_MAX_TRANSFERS,
    resolver: PlaceResolver | None = None,
) -> Plan:
    """Plan once (see :meth:`Planner.plan`); keep a :class:`Planner` to plan many."""
    return Planner(network, resolver=resolver).plan(
        origin,
        destination,
        when,
        arrive_by=arrive_by,
        window_minutes=window_minutes,
        max_transfers=max_transfers,
    )
