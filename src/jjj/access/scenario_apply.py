"""Apply a :class:`jjj.access.scenario.Scenario` to a compiled network (no rebuild).

``add_line``
    New stops for stations given by coordinates (linked on foot to stops nearby);
    existing stops for stations given by name (a served stop with that exact name,
    case-insensitive; names found more than 1 km apart are ambiguous) or id. Trips
    leave the first station every headway within the span, run the given minutes
    (or distance ÷ speed) between stations, dwell at intermediate ones, and run back
    the same way when ``both_directions``. A new service runs every day.
``change_frequency``
    For each pattern and service of the route, trips leaving the first stop within
    the span (default: all) are replaced by trips every headway from the first to the
    last of them (or across the span), running the pattern's median running times.
``remove_route``
    The route's trips (and any a previous modification added) no longer run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from jjj.access.network_edit import NetworkEdit, NewPattern, apply_edit
from jjj.access.scenario import AddLine, ChangeFrequency, RemoveRoute, Scenario, StationRef
from jjj.errors import AccessError
from jjj.streets.geo import haversine_m
from jjj.timetable.network import Network

__all__ = ["ScenarioReport", "apply_scenario", "find_route"]

I32 = npt.NDArray[np.int32]


@dataclass(frozen=True)
class ScenarioReport:
    """What a scenario changed (for reports)."""

    name: str
    lines: list[str]


def _slug(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z_.-]+", "_", text).strip("_") or "line"


def find_route(network: Network, reference: str, *, where: str) -> int:
    """route_idx for an id (``feed:id`` or unique ``id``) or a unique short/long name."""
    exact = network.route_ids.get_index(reference)
    if exact is not None:
        return exact
    ids = network.route_ids.to_list()
    candidates = [i for i, rid in enumerate(ids) if rid.split(":", 1)[-1] == reference]
    if not candidates:
        short = network.route_short_names.to_list()
        long = network.route_long_names.to_list()
        wanted = reference.casefold()
        candidates = [
            i
            for i in range(len(ids))
            if short[i].casefold() == wanted or long[i].casefold() == wanted
        ]
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise AccessError(f"{where}: field route: no route {reference!r}")
    shown = ", ".join(ids[i] for i in candidates[:6])
    raise AccessError(f"{where}: field route: {reference!r} is ambiguous ({shown})")


class _Builder:
    def __init__(self, network: Network, label: str) -> None:
        self.network = network
        self.label = label
        self.edit = NetworkEdit()
        self.served = np.zeros(network.n_stops, dtype=np.bool_)
        self.served[np.asarray(network.pattern_stops)] = True
        self._names: dict[str, list[int]] | None = None
        self._service: int | None = None
        self._agency: int | None = None
        self.lines: list[str] = []

    # ------------------------------------------------------------ references
    def _by_name(self) -> dict[str, list[int]]:
        if self._names is None:
            names: dict[str, list[int]] = {}
            for i, name in enumerate(self.network.stop_names.to_list()):
                if self.served[i]:
                    names.setdefault(name.casefold(), []).append(i)
            self._names = names
        return self._names

    def _new_stop(self, ref: StationRef, where: str) -> int:
        name = ref.name or ref.label()
        stop_id = f"{self.label}:{_slug(name)}"
        taken = set(self.edit.stop_ids)
        suffix = 1
        while stop_id in taken or self.network.stop_ids.get_index(stop_id) is not None:
            suffix += 1
            stop_id = f"{self.label}:{_slug(name)}_{suffix}"
        self.edit.stop_ids.append(stop_id)
        self.edit.stop_names.append(name)
        self.edit.stop_lat.append(float(ref.lat))  # type: ignore[arg-type]
        self.edit.stop_lon.append(float(ref.lon))  # type: ignore[arg-type]
        return self.network.n_stops + len(self.edit.stop_ids) - 1

    def station(self, ref: StationRef, where: str) -> tuple[int, float, float]:
        """stop_idx and coordinates of a station."""
        if ref.is_new:
            index = self._new_stop(ref, where)
            return index, float(ref.lat), float(ref.lon)  # type: ignore[arg-type]
        if ref.stop_id is not None:
            found_id = self.network.stop_ids.get_index(ref.stop_id)
            if found_id is None:
                raise AccessError(f"{where}: field stop_id: no stop {ref.stop_id!r}")
            index = found_id
        else:
            assert ref.name is not None
            found = self._by_name().get(ref.name.casefold(), [])
            if not found:
                raise AccessError(
                    f"{where}: no served stop named {ref.name!r}; give stop_id or lat and lon"
                )
            lat = self.network.stop_lat[found]
            lon = self.network.stop_lon[found]
            spread = haversine_m(lat[0], lon[0], lat, lon).max() if len(found) > 1 else 0.0
            if spread > 1000:
                raise AccessError(
                    f"{where}: {ref.name!r} names stops {spread / 1000:.1f} km apart; "
                    f"give stop_id or lat and lon"
                )
            index = found[0]
        return index, float(self.network.stop_lat[index]), float(self.network.stop_lon[index])

    def _service_idx(self) -> int:
        if self._service is None:
            self.edit.service_ids.append(f"{self.label}:every_day")
            self._service = len(self.network.service_ids) + len(self.edit.service_ids) - 1
        return self._service

    def _agency_idx(self) -> int:
        if self._agency is None:
            self.edit.agency_ids.append(f"{self.label}:agency")
            self.edit.agency_names.append(f"Scenario {self.label}")
            self._agency = len(self.network.agency_ids) + len(self.edit.agency_ids) - 1
        return self._agency

    def _new_trips(
        self, route: int, service: int, direction: int, prefix: str, starts: list[int]
    ) -> I32:
        first = self.network.n_trips + len(self.edit.trip_ids)
        for start in starts:
            h, rest = divmod(start, 3600)
            self.edit.trip_ids.append(f"{prefix}@{h:02d}:{rest // 60:02d}:{rest % 60:02d}")
            self.edit.trip_route.append(route)
            self.edit.trip_service.append(service)
            self.edit.trip_direction.append(direction)
        return np.arange(first, first + len(starts), dtype=np.int32)

    # ---------------------------------------------------------- modifications
    def add_line(self, mod: AddLine) -> None:
        stations = [
            self.station(ref, f"{mod.where}: field stations[{i}]")
            for i, ref in enumerate(mod.stations)
        ]
        stops = np.array([s[0] for s in stations], dtype=np.int32)
        if len(set(stops.tolist())) != len(stops):
            raise AccessError(f"{mod.where}: field stations: a station appears twice")
        if mod.run_seconds is not None:
            runs = np.array(mod.run_seconds, dtype=np.int64)
        else:
            lat = np.array([s[1] for s in stations])
            lon = np.array([s[2] for s in stations])
            metres = haversine_m(lat[:-1], lon[:-1], lat[1:], lon[1:])
            runs = np.ceil(metres / (float(mod.speed_kmh or 1.0) / 3.6)).astype(np.int64)
        route = self.network.n_routes + len(self.edit.route_ids)
        route_id = f"{self.label}:{_slug(mod.name)}"
        self.edit.route_ids.append(route_id)
        self.edit.route_names.append(mod.name)
        self.edit.route_types.append(mod.route_type)
        self.edit.route_agency.append(self._agency_idx())
        service = self._service_idx()
        starts = list(range(mod.span[0], mod.span[1] + 1, mod.headway_seconds))
        directions = [(stops, runs, 0)]
        if mod.both_directions:
            directions.append((stops[::-1].copy(), runs[::-1].copy(), 1))
        for seq, run, direction in directions:
            arrive = np.zeros(len(seq), dtype=np.int64)
            depart = np.zeros(len(seq), dtype=np.int64)
            for i in range(1, len(seq)):
                arrive[i] = depart[i - 1] + run[i - 1]
                depart[i] = arrive[i] + (mod.dwell_seconds if i < len(seq) - 1 else 0)
            trips = self._new_trips(route, service, direction, f"{route_id}:{direction}", starts)
            origin = np.asarray(starts, dtype=np.int64)[None, :]
            self.edit.patterns.append(
                NewPattern(
                    route_idx=route,
                    stops=seq,
                    trips=trips,
                    arrivals=(arrive[:, None] + origin).astype(np.int32),
                    departures=(depart[:, None] + origin).astype(np.int32),
                )
            )
        self.lines.append(
            f"add line {mod.name}: {len(stops)} stations, {len(starts)} trips per direction, "
            f"every {mod.headway_seconds / 60:g} min"
        )

    def _patterns_of(self, route: int) -> list[int]:
        return np.flatnonzero(np.asarray(self.network.pattern_route_idx) == route).tolist()

    def remove_route(self, mod: RemoveRoute) -> None:
        route = find_route(self.network, mod.route, where=mod.where)
        trips = np.flatnonzero(np.asarray(self.network.trip_route_idx) == route)
        self.edit.stop_trips.update(trips.tolist())
        self.edit.patterns = [p for p in self.edit.patterns if p.route_idx != route]
        self.lines.append(f"remove route {self.network.route_ids[route]} ({len(trips)} trips)")

    def _route_trips(self, route: int) -> dict[tuple[bytes, int], list[tuple[int, int]]]:
        """The route's running trips grouped by stop sequence (with pickup/drop-off
        types) and service: ``key -> [(pattern, trip position)]``."""
        net = self.network
        groups: dict[tuple[bytes, int], list[tuple[int, int]]] = {}
        stopped = self.edit.stop_trips
        for pattern in self._patterns_of(route):
            lo, hi = net.pattern_stop_span(pattern)
            sequence = (
                np.asarray(net.pattern_stops[lo:hi]).tobytes()
                + np.asarray(net.pattern_stop_pickup[lo:hi]).tobytes()
                + np.asarray(net.pattern_stop_dropoff[lo:hi]).tobytes()
            )
            t_lo, t_hi = net.pattern_trip_span(pattern)
            for position, trip in enumerate(np.asarray(net.pattern_trips[t_lo:t_hi]).tolist()):
                if trip in stopped:
                    continue
                key = (sequence, int(net.trip_service_idx[trip]))
                groups.setdefault(key, []).append((pattern, position))
        return groups

    def _times(self, pattern: int, position: int) -> tuple[I32, I32]:
        net = self.network
        lo, hi = net.pattern_stop_span(pattern)
        t_lo, t_hi = net.pattern_trip_span(pattern)
        index = int(net.pattern_times_offsets[pattern]) + np.arange(hi - lo) * (t_hi - t_lo)
        index = index + position
        return np.asarray(net.arrivals[index]), np.asarray(net.departures[index])

    def change_frequency(self, mod: ChangeFrequency) -> None:
        net = self.network
        route = find_route(net, mod.route, where=mod.where)
        changed = 0
        added = 0
        for (_, service), members in self._route_trips(route).items():
            times = [self._times(p, q) for p, q in members]
            arr = np.column_stack([t[0] for t in times]).astype(np.int64)
            dep = np.column_stack([t[1] for t in times]).astype(np.int64)
            first = dep[0]
            chosen = np.ones(len(members), dtype=np.bool_)
            if mod.span is not None:
                chosen = (first >= mod.span[0]) & (first <= mod.span[1])
            if not chosen.any():
                continue
            pattern = members[0][0]
            trips = [int(net.pattern_trips[net.pattern_trip_span(p)[0] + q]) for p, q in members]
            self.edit.stop_trips.update(np.asarray(trips)[chosen].tolist())
            rel_arr = np.median(arr[:, chosen] - first[chosen], axis=1).round()
            rel_dep = np.maximum(np.median(dep[:, chosen] - first[chosen], axis=1).round(), rel_arr)
            span_lo = int(first[chosen].min()) if mod.span is None else mod.span[0]
            span_hi = int(first[chosen].max()) if mod.span is None else mod.span[1]
            starts = list(range(span_lo, span_hi + 1, mod.headway_seconds))
            direction = int(net.trip_direction[trips[0]])
            prefix = f"{self.label}:{net.route_ids[route]}:{pattern}:{service}"
            new = self._new_trips(route, service, direction, prefix, starts)
            origin = np.asarray(starts, dtype=np.int64)[None, :]
            lo, hi = net.pattern_stop_span(pattern)
            self.edit.patterns.append(
                NewPattern(
                    route_idx=route,
                    stops=np.asarray(net.pattern_stops[lo:hi], dtype=np.int32),
                    trips=new,
                    arrivals=(rel_arr[:, None] + origin).astype(np.int32),
                    departures=(rel_dep[:, None] + origin).astype(np.int32),
                    pickup=np.asarray(net.pattern_stop_pickup[lo:hi]),
                    dropoff=np.asarray(net.pattern_stop_dropoff[lo:hi]),
                )
            )
            changed += int(chosen.sum())
            added += len(starts)
        if changed == 0:
            raise AccessError(f"{mod.where}: route {mod.route!r} has no trips in the span")
        self.lines.append(
            f"change frequency of {net.route_ids[route]}: {changed} trips replaced by {added} "
            f"(every {mod.headway_seconds / 60:g} min)"
        )


def apply_scenario(network: Network, scenario: Scenario) -> tuple[Network, ScenarioReport]:
    """The network with the scenario's modifications applied, and what changed."""
    label = f"scenario_{_slug(scenario.name)}"
    builder = _Builder(network, label)
    for mod in scenario.modifications:
        if isinstance(mod, AddLine):
            builder.add_line(mod)
        elif isinstance(mod, ChangeFrequency):
            builder.change_frequency(mod)
        else:
            builder.remove_route(mod)
    changed = apply_edit(network, builder.edit, label=label)
    return changed, ScenarioReport(name=scenario.name, lines=builder.lines)
