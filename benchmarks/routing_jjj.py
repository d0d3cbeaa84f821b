"""jjj's side of the routing benchmark: the same queries the peers answer, timed.

Point-to-point and range queries go through :class:`jjj.routing.planner.Planner`
(coordinates parsed, walking access and egress, RAPTOR, itineraries built), as a
user calls it. One-to-all runs the range kernel with one departure from the stops
within walking reach of the origin's coordinates. The matrix runs the matrix kernel
from the same stops and adds the walk from the stops within reach of each
destination: 16 origins at once in lanes (:mod:`jjj.routing.kernels.lanes`), taken
in Z-order so that lanes hold neighbours, when the view has no transfer rules.
"""

from __future__ import annotations

import datetime as dt
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from jjj.ids import DAY_SECONDS, UNREACHED
from jjj.routing.kernels import (
    KernelCall,
    LaneState,
    allocate_lane_state,
    allocate_state,
    lanes_apply,
    matrix_rows,
    matrix_rows_in_lanes,
    one_to_one,
    range_arrivals,
    range_one_to_all,
    spatial_order,
)
from jjj.routing.locations import Location, access_links, coordinate_links
from jjj.routing.planner import Planner
from jjj.timetable.network import Network

__all__ = ["JjjResults", "JjjRunner", "MatrixLinks", "array_bytes"]

I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]

# the kernels called as the planner calls them: without numba's per-call type dispatch
ONE_TO_ONE = KernelCall(one_to_one)
RANGE_ARRIVALS = KernelCall(range_arrivals)
RANGE_ONE_TO_ALL = KernelCall(range_one_to_all)


def array_bytes(value: Any) -> int:
    """Bytes of every numpy array in ``value`` (named tuples and dataclasses walked)."""
    if isinstance(value, np.ndarray):
        return int(value.nbytes)
    if isinstance(value, tuple):
        return sum(array_bytes(item) for item in value)
    if hasattr(value, "__dataclass_fields__"):
        return sum(array_bytes(getattr(value, name)) for name in value.__dataclass_fields__)
    return 0


@dataclass(frozen=True)
class MatrixLinks:
    """A matrix's points as the kernels take them: each origin's access stops and
    each destination's egress stops, flattened with offsets, and the points'
    Z-order (:func:`jjj.routing.kernels.spatial_order`)."""

    access_stops: I32
    access_seconds: I32
    access_offsets: I64
    egress_stops: I32
    egress_seconds: I32
    egress_offsets: I64
    order: I64


@dataclass
class JjjResults:
    """Timings (seconds) and answers (travel seconds, ``None`` = unreached)."""

    view_seconds: float = 0.0
    p2p_seconds: list[float] = field(default_factory=list)
    p2p_travel: list[int | None] = field(default_factory=list)
    p2p_best: list[list[int | None]] = field(default_factory=list)
    p2p_other_stop: list[bool] = field(default_factory=list)
    p2p_changes: list[int] = field(default_factory=list)
    p2p_times_seconds: list[float] = field(default_factory=list)
    p2p_prepared_seconds: list[float] = field(default_factory=list)
    p2p_times_travel: list[int | None] = field(default_factory=list)
    range_seconds: list[float] = field(default_factory=list)
    range_first: list[int | None] = field(default_factory=list)
    range_times_seconds: list[float] = field(default_factory=list)
    range_times_first: list[int | None] = field(default_factory=list)
    p2p_peer_access_seconds: list[float] = field(default_factory=list)
    p2p_peer_access_travel: list[int | None] = field(default_factory=list)
    range_peer_access_seconds: list[float] = field(default_factory=list)
    one_to_all_seconds: list[float] = field(default_factory=list)
    one_to_all_arrival: list[I32] = field(default_factory=list)
    matrix_seconds: list[float] = field(default_factory=list)
    matrix_prepared_seconds: list[float] = field(default_factory=list)
    matrix_one_by_one_seconds: list[float] = field(default_factory=list)
    matrix_travel: I64 | None = None
    view_bytes: int = 0
    state_bytes: int = 0


def _where(network: Network, stop: int) -> str:
    return f"{float(network.stop_lat[stop]):.6f},{float(network.stop_lon[stop]):.6f}"


class JjjRunner:
    """Answers the benchmark's queries on one network and date."""

    def __init__(
        self,
        network: Network,
        date: dt.date,
        departure: int,
        *,
        max_transfers: int,
        access_radius_m: float,
        max_duration_s: int,
        area_bounds: bool = True,
    ) -> None:
        self.network = network
        self.date = date
        self.departure = departure
        self.max_transfers = max_transfers
        self.max_rounds = max_transfers + 1
        self.max_duration_s = max_duration_s
        self.planner = Planner(
            network,
            access_radius_m=access_radius_m,
            max_duration_s=max_duration_s,
            area_bounds=area_bounds,
        )
        started = time.perf_counter()
        self.view = self.planner.day_view(
            date,
            whole_previous_day=departure < 0,
            next_day=departure + max_duration_s >= DAY_SECONDS,
        )
        self.view_seconds = time.perf_counter() - started
        self.state = allocate_state(self.view.n_stops, self.view.n_vps, self.max_rounds)
        self.states = [self.state]
        self.lane_states: list[LaneState] = []
        self.out = np.empty((1, network.n_stops), dtype=np.int32)
        self.departures = np.array([departure], dtype=np.int32)

    # ------------------------------------------------------------------ pieces
    def location(self, stop: int) -> Location:
        """The stop's coordinates as a location (not the stop itself)."""
        lat, lon = float(self.network.stop_lat[stop]), float(self.network.stop_lon[stop])
        return Location(text=f"{lat},{lon}", label=f"{lat},{lon}", lat=lat, lon=lon)

    def links(self, location: Location, *, leaving: bool) -> tuple[I32, I32]:
        return access_links(
            self.network,
            location,
            model=self.planner.walking,
            radius_m=self.planner.access_radius_m,
            leaving=leaving,
        )

    def same_place(self, stop: int, lat: float, lon: float) -> bool:
        """Whether ``lat, lon`` are the stop's coordinates (platforms of a station share them)."""
        return (
            abs(float(self.network.stop_lat[stop]) - lat) < 1e-6
            and abs(float(self.network.stop_lon[stop]) - lon) < 1e-6
        )

    def link_dict(self, stop: int, *, leaving: bool) -> dict[int, int]:
        """Walking seconds between the stop's coordinates and each stop in reach."""
        stops, seconds = self.links(self.location(stop), leaving=leaving)
        return dict(zip(stops.tolist(), seconds.tolist(), strict=True))

    def plan_travel(self, origin: int, destination: int, window_minutes: int = 0) -> Any:
        """The planner's answer from the origin stop's coordinates to the destination's."""
        return self.planner.plan(
            _where(self.network, origin),
            _where(self.network, destination),
            (self.date, self.departure),
            window_minutes=window_minutes,
            max_transfers=self.max_transfers,
        )

    def earliest(self, origin: int, destination: int, window_minutes: int = 0) -> int | None:
        """Earliest arrival only (no itinerary): the kernel alone, from and to the stops'
        coordinates, every minute of the window latest first; the first departure's
        arrival with at most ``max_transfers`` transfers (walking alone not counted)."""
        start, walk = self.links(self.location(origin), leaving=True)
        end, egress = self.links(self.location(destination), leaving=False)
        return self.earliest_between(start, walk, end, egress, window_minutes)

    def earliest_between(
        self, start: I32, walk: I32, end: I32, egress: I32, window_minutes: int = 0
    ) -> int | None:
        """:meth:`earliest` from stops in reach found beforehand (``start`` walking
        ``walk`` seconds, ``end`` walking ``egress`` seconds to the destination). Over a
        window the kernel prunes by that one answer (``arrival_only``), as ferrobus
        answers only it; the planner's rows keep the best arrival for every number of
        transfers."""
        state = self.state
        if window_minutes <= 1:
            ONE_TO_ONE(
                self.view.arrays, state, start, walk, end, egress, self.departure,
                self.max_rounds, self.departure + self.max_duration_s + 1,
            )  # fmt: skip
        else:
            latest_first = self.departure + 60 * np.arange(
                window_minutes - 1, -1, -1, dtype=np.int32
            )
            RANGE_ARRIVALS(
                self.view.arrays, state, start, walk, end, egress, latest_first,
                self.max_rounds, self.max_duration_s, True,
            )  # fmt: skip
        best = int(state.labels.target_time[self.max_rounds])
        return None if best > self.departure + self.max_duration_s else best

    def one_to_all(self, origin: int) -> I32:
        """Earliest arrival at every stop from the origin stop's coordinates."""
        stops, seconds = self.links(self.location(origin), leaving=True)
        return self.one_to_all_from(stops, seconds)

    def one_to_all_from(self, stops: I32, seconds: I32) -> I32:
        """Earliest arrival at every stop walking ``seconds`` to each of ``stops``."""
        RANGE_ONE_TO_ALL(
            self.view.arrays,
            self.state,
            stops,
            seconds,
            self.departures,
            self.max_rounds,
            self.max_duration_s,
            self.out,
        )
        first: I32 = self.out[0]
        return first

    # ----------------------------------------------------------------- queries
    def warm_up(self, origin: int, destination: int) -> None:
        """Compile (or load from numba's cache) every kernel the queries use."""
        self.plan_travel(origin, destination)
        self.plan_travel(origin, destination, window_minutes=2)
        self.earliest(origin, destination, window_minutes=2)
        self.one_to_all(origin)
        # the first matrix call of a process also loads the matrix kernels and starts
        # its threads (about 40 ms)
        self.matrix([origin, destination])
        self.matrix_from(self.matrix_links([origin, destination]), lanes=False)

    def run(
        self,
        pairs: list[tuple[int, int]],
        range_pairs: list[int],
        origins: list[int],
        matrix: list[int],
        *,
        window_minutes: int,
        repeats: int,
    ) -> JjjResults:
        """Time every query; answers are kept for the agreement checks."""
        results = JjjResults(view_seconds=self.view_seconds)
        self.warm_up(*pairs[0])
        for origin, destination in pairs:
            started = time.perf_counter()
            plan = self.plan_travel(origin, destination)
            results.p2p_seconds.append(time.perf_counter() - started)
            arrivals = [j.arrival for j in plan.journeys]
            results.p2p_travel.append(min(arrivals) - self.departure if arrivals else None)
            results.p2p_best.append(list(plan.best_by_transfers))
            fastest = min(plan.journeys, key=lambda j: j.arrival, default=None)
            rides = [leg for leg in fastest.legs if leg.mode == "transit"] if fastest else []
            results.p2p_changes.append(fastest.transfers if fastest else 0)
            results.p2p_other_stop.append(
                bool(rides)
                and (
                    not self.same_place(origin, rides[0].origin.lat, rides[0].origin.lon)
                    or not self.same_place(
                        destination, rides[-1].destination.lat, rides[-1].destination.lon
                    )
                )
            )
        for origin, destination in pairs:
            started = time.perf_counter()
            best = self.earliest(origin, destination)
            results.p2p_times_seconds.append(time.perf_counter() - started)
            results.p2p_times_travel.append(None if best is None else best - self.departure)
        # the same searches with the stops in reach found before timing, as ferrobus's
        # transit points are made before its timings
        prepared = [
            (
                *self.links(self.location(origin), leaving=True),
                *self.links(self.location(destination), leaving=False),
            )
            for origin, destination in pairs
        ]
        for access in prepared:
            started = time.perf_counter()
            self.earliest_between(*access)
            results.p2p_prepared_seconds.append(time.perf_counter() - started)
        # ferrobus's question: from the nearest stop at each end and the stops one
        # footpath from it
        peer_access = [self.as_ferrobus_access(*access) for access in prepared]
        for access in peer_access:
            started = time.perf_counter()
            best = self.earliest_between(*access)
            results.p2p_peer_access_seconds.append(time.perf_counter() - started)
            results.p2p_peer_access_travel.append(None if best is None else best - self.departure)
        for index in range_pairs:
            origin, destination = pairs[index]
            started = time.perf_counter()
            plan = self.plan_travel(origin, destination, window_minutes=window_minutes)
            results.range_seconds.append(time.perf_counter() - started)
            arrivals = [j.arrival for j in plan.journeys]
            results.range_first.append(min(arrivals) if arrivals else None)
            started = time.perf_counter()
            best = self.earliest(origin, destination, window_minutes)
            results.range_times_seconds.append(time.perf_counter() - started)
            results.range_times_first.append(best)
            started = time.perf_counter()
            self.earliest_between(*peer_access[index], window_minutes=window_minutes)
            results.range_peer_access_seconds.append(time.perf_counter() - started)
        for origin in origins:
            started = time.perf_counter()
            arrival = self.one_to_all(origin)
            results.one_to_all_seconds.append(time.perf_counter() - started)
            results.one_to_all_arrival.append(arrival.copy())
        for _ in range(repeats):
            started = time.perf_counter()
            results.matrix_travel = self.matrix(matrix)
            results.matrix_seconds.append(time.perf_counter() - started)
        # the same with the stops in reach found before timing (as ferrobus's points
        # are made before its timing), in lanes and origin by origin
        links = self.matrix_links(matrix)
        for _ in range(repeats):
            started = time.perf_counter()
            self.matrix_from(links)
            results.matrix_prepared_seconds.append(time.perf_counter() - started)
            started = time.perf_counter()
            self.matrix_from(links, lanes=False)
            results.matrix_one_by_one_seconds.append(time.perf_counter() - started)
        results.view_bytes = array_bytes(self.view.arrays)
        results.state_bytes = array_bytes(self.state)
        return results

    def as_ferrobus_access(
        self, start: I32, walk: I32, end: I32, egress: I32
    ) -> tuple[I32, I32, I32, I32]:
        """ferrobus's access at each end: the stop with the shortest walk (it routes
        from one stop, ``MAX_CANDIDATE_STOPS = 1``) and the stops one footpath from it
        (its round 0 and its last footpath step), walking that far more."""
        return (*self._with_footpaths(start, walk), *self._with_footpaths(end, egress))

    def _with_footpaths(self, stops: I32, seconds: I32) -> tuple[I32, I32]:
        if stops.size == 0:
            return stops, seconds
        i = int(np.argmin(seconds))
        stop, walk = int(stops[i]), int(seconds[i])
        links = self.view.arrays.links
        lo, hi = int(links.footpaths_offsets[stop]), int(links.footpaths_offsets[stop + 1])
        # footpaths are symmetric (straight lines or undirected streets), so they also
        # lead to the stop
        near = np.concatenate(([stop], links.footpath_to_stop[lo:hi])).astype(np.int32)
        more = np.concatenate(([0], links.footpath_seconds[lo:hi])).astype(np.int32)
        return near, (more + walk).astype(np.int32)

    def matrix(self, points: list[int], threads: int = 2, lanes: bool = True) -> I64:
        """Travel seconds between the points (stop coordinates); UNREACHED if none:
        :meth:`matrix_from` with the stops in reach found in the call."""
        return self.matrix_from(self.matrix_links(points), threads, lanes)

    def matrix_links(self, points: list[int]) -> MatrixLinks:
        """The stops within reach of each point (the same for leaving and arriving at
        coordinates), found in one compiled call, and the Z-order of the points."""
        index = np.asarray(points)
        lat = self.network.stop_lat[index].astype(np.float64)
        lon = self.network.stop_lon[index].astype(np.float64)
        offsets, stops, seconds = coordinate_links(
            self.network,
            lat,
            lon,
            model=self.planner.walking,
            radius_m=self.planner.access_radius_m,
        )
        return MatrixLinks(
            access_stops=stops,
            access_seconds=seconds,
            access_offsets=offsets,
            egress_stops=stops,
            egress_seconds=seconds,
            egress_offsets=offsets,
            order=spatial_order(lat, lon),
        )

    def matrix_from(self, links: MatrixLinks, threads: int = 2, lanes: bool = True) -> I64:
        """Travel seconds between the points of ``links``; UNREACHED if none.

        The origins are split between ``threads`` threads (the kernels release the GIL),
        each with its own state; with ``lanes`` (and a view without transfer rules)
        each thread searches 16 neighbouring origins at once."""
        n = links.order.shape[0]
        arrival = np.empty((n, n), dtype=np.int32)
        bounds = np.linspace(0, n, threads + 1).astype(int)
        if lanes and lanes_apply(self.view.arrays):
            while len(self.lane_states) < threads:
                self.lane_states.append(allocate_lane_state(self.view.n_stops, self.view.n_vps))

            def rows(part: int) -> None:
                lo, hi = int(bounds[part]), int(bounds[part + 1])
                matrix_rows_in_lanes(
                    self.view.arrays, self.lane_states[part], links.access_stops,
                    links.access_seconds, links.access_offsets, links.egress_stops,
                    links.egress_seconds, links.egress_offsets, self.departure,
                    self.max_rounds, self.max_duration_s, links.order[lo:hi], arrival,
                )  # fmt: skip

        else:
            while len(self.states) < threads:
                self.states.append(
                    allocate_state(self.view.n_stops, self.view.n_vps, self.max_rounds)
                )

            def rows(part: int) -> None:
                lo, hi = int(bounds[part]), int(bounds[part + 1])
                matrix_rows(
                    self.view.arrays, self.states[part], links.access_stops,
                    links.access_seconds, links.access_offsets[lo : hi + 1],
                    links.egress_stops, links.egress_seconds, links.egress_offsets,
                    self.departure, self.max_rounds, self.max_duration_s, arrival[lo:hi],
                )  # fmt: skip

        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(rows, range(threads)))
        travel = arrival.astype(np.int64)
        return np.where(travel >= UNREACHED, UNREACHED, travel - self.departure)
