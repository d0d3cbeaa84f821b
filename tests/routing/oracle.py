"""An independent oracle for journey planning: a plain-Python connection scan.

It reads the compiled :class:`~jjj.timetable.Network` directly (not the router's day
view) and implements the documented semantics simply, one layer per ride:

* a trip runs on date ``D + o`` (o = -1, 0, 1) when its service does; its times are
  shifted by ``o`` days and by the difference between the network's and its
  agency's UTC offsets on that day;
* layer ``k`` boards any trip at a stop whose "ready" time from layer ``k - 1`` is at
  or before the departure (pickup allowed), rides it, alights where drop-off is
  allowed; a vehicle's next trip (block, type 4, minus type 5) is ridden on seated;
* after layer ``k``: ready = alighting + the stop's minimum transfer time at the same
  stop, + footpath seconds at each footpath neighbour (one footpath, not transitive);
* transfers.txt rules (types 1, 2, 3) override that time for the trips, routes and
  stops they name, the most specific rule winning; alightings that some rule names
  are kept as "events" and checked against every later boarding.

It is slow and simple on purpose; tests compare the router with it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import numpy as np

from jjj.timetable import Network

UNREACHED = 2**31 - 1


def _utc_offset(zone: str, day: dt.date) -> int:
    offset = dt.datetime.combine(day, dt.time(12), tzinfo=ZoneInfo(zone)).utcoffset()
    return int(offset.total_seconds()) if offset else 0


@dataclass
class Connections:
    """Every elementary connection of the trips running around one date, by departure."""

    dep: list[int]
    arr: list[int]
    from_stop: list[int]
    to_stop: list[int]
    instance: list[int]
    pickup: list[bool]
    dropoff: list[bool]
    last: list[bool]
    instance_trip: list[int]
    instance_next: list[int]
    dep_array: np.ndarray


def connections_for(network: Network, date: dt.date) -> Connections:
    """Connections of the trips of ``date - 1``, ``date`` and ``date + 1``, by departure."""
    zones = network.agency_timezones.to_list()
    trip_agency = network.route_agency_idx[network.trip_route_idx]
    columns: list[list[np.ndarray]] = [[] for _ in range(8)]
    instance_trip: list[int] = []
    instance_day: list[int] = []
    instance_bounds: list[tuple[int, int]] = []
    for offset in (-1, 0, 1):
        day = date + dt.timedelta(days=offset)
        base = _utc_offset(network.timezone, day)
        shift_of_agency = [
            offset * 86_400 + (base - _utc_offset(z, day) if z else 0) for z in zones
        ]
        running = np.zeros(network.n_trips, dtype=bool)
        running[network.trips_active_on(day)] = True
        for pattern in range(network.n_patterns):
            lo, hi = network.pattern_stop_span(pattern)
            t_lo, t_hi = network.pattern_trip_span(pattern)
            trips = network.pattern_trips[t_lo:t_hi]
            n_stops, n_trips = hi - lo, t_hi - t_lo
            base_t = int(network.pattern_times_offsets[pattern])
            arr = network.arrivals[base_t : base_t + n_stops * n_trips].reshape(n_stops, n_trips)
            dep = network.departures[base_t : base_t + n_stops * n_trips].reshape(n_stops, n_trips)
            stops = network.pattern_stops[lo:hi]
            pickup = network.pattern_stop_pickup[lo:hi] != 1
            dropoff = network.pattern_stop_dropoff[lo:hi] != 1
            for column in np.flatnonzero(running[trips]).tolist():
                trip = int(trips[column])
                shift = shift_of_agency[int(trip_agency[trip])]
                inst = len(instance_trip)
                instance_trip.append(trip)
                instance_day.append(offset)
                instance_bounds.append(
                    (int(dep[0, column]) + shift, int(arr[n_stops - 1, column]) + shift)
                )
                m = n_stops - 1
                columns[0].append(dep[:-1, column].astype(np.int64) + shift)
                columns[1].append(arr[1:, column].astype(np.int64) + shift)
                columns[2].append(np.full(m, inst))
                columns[3].append(np.arange(m))
                columns[4].append(stops[:-1])
                columns[5].append(stops[1:])
                columns[6].append(pickup[:-1] + 2 * dropoff[1:])
                columns[7].append(np.arange(m) == m - 1)
    dep_all, arr_all, inst_all, pos_all, from_all, to_all, flags, last = (
        np.concatenate(c) if c else np.zeros(0, dtype=np.int64) for c in columns
    )
    order = np.lexsort((pos_all, inst_all, arr_all, dep_all))
    following = [int(x) for x in network.trip_block_next_idx]
    for rule in range(len(network.transfer_type)):
        kind = int(network.transfer_type[rule])
        a, b = int(network.transfer_from_trip_idx[rule]), int(network.transfer_to_trip_idx[rule])
        if a < 0 or b < 0:
            continue
        if kind == 5 and following[a] == b:
            following[a] = -1
        elif kind == 4 and following[a] < 0:
            following[a] = b
    where = {(t, d): i for i, (t, d) in enumerate(zip(instance_trip, instance_day, strict=True))}
    instance_next = []
    for i, (t, d) in enumerate(zip(instance_trip, instance_day, strict=True)):
        j = where.get((following[t], d), -1) if following[t] >= 0 else -1
        if j >= 0 and instance_bounds[j][0] < instance_bounds[i][1]:
            j = -1
        instance_next.append(j)
    flags = flags[order]
    return Connections(
        dep=dep_all[order].tolist(),
        arr=arr_all[order].tolist(),
        instance=inst_all[order].tolist(),
        from_stop=from_all[order].tolist(),
        to_stop=to_all[order].tolist(),
        pickup=(flags & 1 == 1).tolist(),
        dropoff=(flags & 2 == 2).tolist(),
        last=last[order].tolist(),
        instance_trip=instance_trip,
        instance_next=instance_next,
        dep_array=dep_all[order],
    )


class Rules:
    """transfers.txt rules of types 1-3 and the ordinary transfer times, read simply."""

    def __init__(self, network: Network) -> None:
        self.rows = [
            (
                int(network.transfer_from_stop_idx[i]),
                int(network.transfer_to_stop_idx[i]),
                int(network.transfer_from_route_idx[i]),
                int(network.transfer_to_route_idx[i]),
                int(network.transfer_from_trip_idx[i]),
                int(network.transfer_to_trip_idx[i]),
                int(network.transfer_type[i]),
                int(network.transfer_min_seconds[i]),
            )
            for i in range(len(network.transfer_type))
            if int(network.transfer_type[i]) in (1, 2, 3)
        ]
        self.trip_route = network.trip_route_idx
        self.min_transfer = [int(x) for x in network.stop_min_transfer_seconds]
        self.walk: dict[int, dict[int, int]] = {}
        for s in range(network.n_stops):
            lo, hi = int(network.footpaths_offsets[s]), int(network.footpaths_offsets[s + 1])
            links = {
                int(u): int(w)
                for u, w in zip(
                    network.footpath_to_stop[lo:hi], network.footpath_seconds[lo:hi], strict=True
                )
                if int(u) != s
            }
            if links:
                self.walk[s] = links

    def special(self, stop: int, trip: int) -> bool:
        route = int(self.trip_route[trip])
        return any(
            fs in (-1, stop) and fr in (-1, route) and ft in (-1, trip)
            for fs, _, fr, _, ft, _, _, _ in self.rows
        )

    def ordinary(self, stop: int, stop2: int) -> int:
        if stop == stop2:
            return self.min_transfer[stop]
        return self.walk.get(stop, {}).get(stop2, -1)

    def seconds(self, stop: int, trip: int, stop2: int, trip2: int) -> int:
        """Transfer time from ``trip`` at ``stop`` to ``trip2`` at ``stop2``; -1 forbidden."""
        ordinary = self.ordinary(stop, stop2)
        route, route2 = int(self.trip_route[trip]), int(self.trip_route[trip2])
        best: tuple[int, int] | None = None  # (rank, index)
        for index, (fs, ts, fr, tr, ft, tt, _, _) in enumerate(self.rows):
            if fs not in (-1, stop) or ts not in (-1, stop2):
                continue
            if (fs == -1 or ts == -1) and ordinary < 0:
                continue
            if fr not in (-1, route) or tr not in (-1, route2):
                continue
            if ft not in (-1, trip) or tt not in (-1, trip2):
                continue
            score = (3 if ft >= 0 else 1 if fr >= 0 else 0) + (
                3 if tt >= 0 else 1 if tr >= 0 else 0
            )
            rank = 10 * score + 2 * (fs >= 0) + (ts >= 0)
            if best is None or rank > best[0]:
                best = (rank, index)
        if best is None:
            return ordinary
        kind, seconds = self.rows[best[1]][6], self.rows[best[1]][7]
        return 0 if kind == 1 else seconds if kind == 2 else -1


def earliest_arrivals(
    network: Network,
    connections: Connections,
    rules: Rules,
    access: dict[int, int],
    egress: dict[int, int],
    departure: int,
    max_rides: int,
    horizon: int,
) -> list[int]:
    """Earliest arrival at the destination with at most ``k`` rides, for k = 0..max_rides
    (walking alone does not count: index 0 is always unreached). Arrivals at or after
    ``horizon`` count as unreached."""
    n = network.n_stops
    ready = [UNREACHED] * n
    for stop, seconds in access.items():
        ready[stop] = min(ready[stop], departure + seconds)
    start = int(np.searchsorted(connections.dep_array, departure, side="left"))
    end = int(np.searchsorted(connections.dep_array, horizon, side="left"))
    events: list[tuple[int, int, int]] = []  # (stop, time, trip) of earlier layers
    best = [UNREACHED] * (max_rides + 1)
    c = connections
    for k in range(1, max_rides + 1):
        reached: set[int] = set()
        ride = [UNREACHED] * n
        new_events: list[tuple[int, int, int]] = []
        for i in range(start, end):
            inst = c.instance[i]
            trip = c.instance_trip[inst]
            if inst not in reached and c.pickup[i]:
                s = c.from_stop[i]
                if ready[s] <= c.dep[i] or any(
                    (tau := rules.seconds(es, etrip, s, trip)) >= 0 and et + tau <= c.dep[i]
                    for es, et, etrip in events
                ):
                    reached.add(inst)
            if inst not in reached:
                continue
            if c.dropoff[i]:
                s2, t = c.to_stop[i], c.arr[i]
                if rules.rows and rules.special(s2, trip):
                    new_events.append((s2, t, trip))
                    best[k] = min(best[k], t + egress[s2]) if s2 in egress else best[k]
                elif t < ride[s2]:
                    ride[s2] = t
            if c.last[i] and c.instance_next[inst] >= 0:
                reached.add(c.instance_next[inst])
        for s, t in enumerate(ride):
            if t == UNREACHED:
                continue
            if s in egress:
                best[k] = min(best[k], t + egress[s])
            ready[s] = min(ready[s], t + rules.min_transfer[s])
            for u, w in rules.walk.get(s, {}).items():
                ready[u] = min(ready[u], t + w)
        events.extend(new_events)
        best[k] = min(best[k], best[k - 1])
    return [t if t < horizon else UNREACHED for t in best]
