"""Edit a compiled network in memory: stop trips from running, append stops, routes,
services, trips and patterns, and return a new :class:`Network` (the original is
untouched).

Every existing index keeps its meaning (new items are appended), so transfer rules,
blocks and patterns stay valid. A trip taken out of service is moved to an added
service that runs on no day; it stays in its pattern, and the day's timetable the
router reads simply leaves it out. New patterns follow the existing ones; the stop →
pattern index and the footpaths are rebuilt.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from jjj.streets.geo import haversine_m
from jjj.timetable.footpaths import WalkingModel, footpaths_within_radius, to_csr
from jjj.timetable.network import Network
from jjj.timetable.strings import StringTable

__all__ = ["NetworkEdit", "NewPattern", "apply_edit"]

I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]
I8 = npt.NDArray[np.int8]
B1 = npt.NDArray[np.bool_]


@dataclass
class NewPattern:
    """A pattern to append: ``arrivals``/``departures`` are (stops × trips), trips in
    departure order and not overtaking; ``trips`` are trip_idx (new or existing)."""

    route_idx: int
    stops: I32
    trips: I32
    arrivals: I32
    departures: I32
    pickup: I8 | None = None
    dropoff: I8 | None = None


@dataclass
class NetworkEdit:
    """Everything to add or drop; indices of new items continue the network's."""

    stop_trips: set[int] = field(default_factory=set)
    stop_ids: list[str] = field(default_factory=list)
    stop_names: list[str] = field(default_factory=list)
    stop_lat: list[float] = field(default_factory=list)
    stop_lon: list[float] = field(default_factory=list)
    agency_ids: list[str] = field(default_factory=list)
    agency_names: list[str] = field(default_factory=list)
    route_ids: list[str] = field(default_factory=list)
    route_names: list[str] = field(default_factory=list)
    route_types: list[int] = field(default_factory=list)
    route_agency: list[int] = field(default_factory=list)
    service_ids: list[str] = field(default_factory=list)
    trip_ids: list[str] = field(default_factory=list)
    trip_route: list[int] = field(default_factory=list)
    trip_service: list[int] = field(default_factory=list)
    trip_direction: list[int] = field(default_factory=list)
    patterns: list[NewPattern] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not (self.stop_trips or self.stop_ids or self.trip_ids or self.patterns)


def _strings(table: StringTable, extra: list[str]) -> StringTable:
    return StringTable.from_strings([*table.to_list(), *extra]) if extra else table


def _append_offsets(offsets: I64, counts: list[int]) -> I64:
    tail = np.cumsum(np.asarray(counts, dtype=np.int64)) + offsets[-1]
    return np.concatenate([offsets, tail]).astype(np.int64)


def _stop_patterns(n_stops: int, pattern_stops: I32, stops_offsets: I64) -> tuple[I64, I32, I32]:
    n_patterns = len(stops_offsets) - 1
    counts = np.diff(stops_offsets)
    pattern_of = np.repeat(np.arange(n_patterns, dtype=np.int32), counts)
    position = (np.arange(len(pattern_stops)) - np.repeat(stops_offsets[:-1], counts)).astype(
        np.int32
    )
    order = np.lexsort((position, pattern_of, pattern_stops))
    offsets = np.zeros(n_stops + 1, dtype=np.int64)
    np.cumsum(np.bincount(pattern_stops, minlength=n_stops), out=offsets[1:])
    return offsets, pattern_of[order], position[order]


def _distances(stops: I32, lat: npt.NDArray[np.float64], lon: npt.NDArray[np.float64]) -> Any:
    step = np.zeros(len(stops), dtype=np.float64)
    if len(stops) > 1:
        step[1:] = haversine_m(lat[stops[:-1]], lon[stops[:-1]], lat[stops[1:]], lon[stops[1:]])
    return np.cumsum(np.nan_to_num(step)).astype(np.float32)


def _walking(network: Network) -> WalkingModel:
    walking = network.meta.get("walking") or {}
    return WalkingModel(
        radius_m=float(walking.get("radius_m", 400.0)),
        detour_factor=float(walking.get("detour_factor", 1.3)),
        speed_mps=float(walking.get("speed_mps", 1.2)),
    )


def _footpaths(
    network: Network, lat: npt.NDArray[np.float64], lon: npt.NDArray[np.float64], first_new: int
) -> tuple[I64, I32, I32]:
    """The network's footpaths plus links between new stops and every stop nearby."""
    n_stops = len(lat)
    offsets = np.asarray(network.footpaths_offsets, dtype=np.int64)
    old_from = np.repeat(np.arange(network.n_stops, dtype=np.int32), np.diff(offsets))
    old_to = np.asarray(network.footpath_to_stop, dtype=np.int32)
    old_seconds = np.asarray(network.footpath_seconds, dtype=np.int32)
    if n_stops == network.n_stops or not network.meta.get("walking", {}).get("footpaths", True):
        full = np.concatenate([offsets, np.full(n_stops - network.n_stops, offsets[-1])])
        return full.astype(np.int64), old_to, old_seconds
    eligible = np.ones(n_stops, dtype=np.bool_)
    eligible[:first_new] = np.isin(network.stop_location_type, (0, 4))
    a, b, seconds = footpaths_within_radius(lat, lon, eligible, _walking(network))
    new = (a >= first_new) | (b >= first_new)
    return to_csr(
        n_stops,
        np.concatenate([old_from, a[new]]).astype(np.int32),
        np.concatenate([old_to, b[new]]).astype(np.int32),
        np.concatenate([old_seconds, seconds[new]]).astype(np.int32),
    )


def apply_edit(network: Network, edit: NetworkEdit, *, label: str = "scenario") -> Network:
    """A new network with ``edit`` applied (see the module docstring)."""
    n_new_stops = len(edit.stop_ids)
    lat = np.concatenate([network.stop_lat, np.asarray(edit.stop_lat, dtype=np.float64)])
    lon = np.concatenate([network.stop_lon, np.asarray(edit.stop_lon, dtype=np.float64)])
    n_stops = network.n_stops + n_new_stops
    meta = dict(network.meta)
    feeds = list(meta.get("feeds", []))
    feed_idx = len(feeds)
    if edit.stop_ids or edit.agency_ids:
        feeds.append({"name": label, "path": "", "timezone": network.timezone})
    meta["feeds"] = feeds
    meta["scenario"] = label

    trip_pattern = np.concatenate(
        [np.asarray(network.trip_pattern_idx), np.full(len(edit.trip_ids), -1)]
    ).astype(np.int32)
    pattern_route = [np.asarray(network.pattern_route_idx)]
    pattern_stops = [np.asarray(network.pattern_stops)]
    pickup = [np.asarray(network.pattern_stop_pickup)]
    dropoff = [np.asarray(network.pattern_stop_dropoff)]
    distance = [np.asarray(network.pattern_stop_distance_m)]
    pattern_trips = [np.asarray(network.pattern_trips)]
    arrivals = [np.asarray(network.arrivals)]
    departures = [np.asarray(network.departures)]
    base = network.n_patterns
    for k, pattern in enumerate(edit.patterns):
        n_pos = len(pattern.stops)
        pattern_route.append(np.array([pattern.route_idx], dtype=np.int32))
        pattern_stops.append(np.asarray(pattern.stops, dtype=np.int32))
        pickup.append(pattern.pickup if pattern.pickup is not None else np.zeros(n_pos, np.int8))
        dropoff.append(pattern.dropoff if pattern.dropoff is not None else np.zeros(n_pos, np.int8))
        distance.append(_distances(np.asarray(pattern.stops, dtype=np.int32), lat, lon))
        pattern_trips.append(np.asarray(pattern.trips, dtype=np.int32))
        arrivals.append(np.asarray(pattern.arrivals, dtype=np.int32).ravel())
        departures.append(np.asarray(pattern.departures, dtype=np.int32).ravel())
        trip_pattern[np.asarray(pattern.trips)] = base + k
    stops_offsets = _append_offsets(
        np.asarray(network.pattern_stops_offsets), [len(p.stops) for p in edit.patterns]
    )
    trips_offsets = _append_offsets(
        np.asarray(network.pattern_trips_offsets), [len(p.trips) for p in edit.patterns]
    )
    times_offsets = _append_offsets(
        np.asarray(network.pattern_times_offsets),
        [len(p.stops) * len(p.trips) for p in edit.patterns],
    )
    all_stops = np.concatenate(pattern_stops).astype(np.int32)
    sp_offsets, sp_patterns, sp_pos = _stop_patterns(n_stops, all_stops, stops_offsets)
    fp_offsets, fp_to, fp_seconds = _footpaths(network, lat, lon, network.n_stops)

    def grow(values: npt.NDArray[Any], extra: list[Any], dtype: Any) -> npt.NDArray[Any]:
        return np.concatenate([np.asarray(values), np.asarray(extra, dtype=dtype)]).astype(dtype)

    days = np.asarray(network.service_days)
    service_ids = list(edit.service_ids)
    trip_service = grow(network.trip_service_idx, edit.trip_service, np.int32)
    if service_ids:
        days = np.vstack([days, np.full((len(service_ids), days.shape[1]), 0xFF, np.uint8)])
    if edit.stop_trips:
        service_ids.append(f"{label}:no_day")
        days = np.vstack([days, np.zeros((1, days.shape[1]), dtype=np.uint8)])
        trip_service[sorted(edit.stop_trips)] = len(network.service_ids) + len(service_ids) - 1
    return dataclasses.replace(
        network,
        meta=meta,
        stop_ids=_strings(network.stop_ids, edit.stop_ids),
        stop_names=_strings(network.stop_names, edit.stop_names),
        stop_lat=lat,
        stop_lon=lon,
        stop_parent_idx=grow(network.stop_parent_idx, [-1] * n_new_stops, np.int32),
        stop_location_type=grow(network.stop_location_type, [0] * n_new_stops, np.int8),
        stop_feed_idx=grow(network.stop_feed_idx, [feed_idx] * n_new_stops, np.int16),
        stop_min_transfer_seconds=grow(
            network.stop_min_transfer_seconds, [0] * n_new_stops, np.int32
        ),
        agency_ids=_strings(network.agency_ids, edit.agency_ids),
        agency_names=_strings(network.agency_names, edit.agency_names),
        agency_timezones=_strings(
            network.agency_timezones, [network.timezone] * len(edit.agency_ids)
        ),
        agency_feed_idx=grow(network.agency_feed_idx, [feed_idx] * len(edit.agency_ids), np.int16),
        route_ids=_strings(network.route_ids, edit.route_ids),
        route_short_names=_strings(network.route_short_names, edit.route_names),
        route_long_names=_strings(network.route_long_names, edit.route_names),
        route_type=grow(network.route_type, edit.route_types, np.int16),
        route_agency_idx=grow(network.route_agency_idx, edit.route_agency, np.int32),
        service_ids=_strings(network.service_ids, service_ids),
        service_days=days,
        trip_ids=_strings(network.trip_ids, edit.trip_ids),
        trip_headsigns=_strings(network.trip_headsigns, [""] * len(edit.trip_ids)),
        trip_route_idx=grow(network.trip_route_idx, edit.trip_route, np.int32),
        trip_service_idx=trip_service,
        trip_pattern_idx=trip_pattern,
        trip_block_next_idx=grow(network.trip_block_next_idx, [-1] * len(edit.trip_ids), np.int32),
        trip_direction=grow(network.trip_direction, edit.trip_direction, np.int8),
        pattern_route_idx=np.concatenate(pattern_route).astype(np.int32),
        pattern_stops_offsets=stops_offsets,
        pattern_stops=all_stops,
        pattern_stop_pickup=np.concatenate(pickup).astype(np.int8),
        pattern_stop_dropoff=np.concatenate(dropoff).astype(np.int8),
        pattern_stop_distance_m=np.concatenate(distance).astype(np.float32),
        pattern_trips_offsets=trips_offsets,
        pattern_trips=np.concatenate(pattern_trips).astype(np.int32),
        pattern_times_offsets=times_offsets,
        arrivals=np.concatenate(arrivals).astype(np.int32),
        departures=np.concatenate(departures).astype(np.int32),
        stop_patterns_offsets=sp_offsets,
        stop_patterns=sp_patterns,
        stop_patterns_pos=sp_pos,
        footpaths_offsets=fp_offsets,
        footpath_to_stop=fp_to,
        footpath_seconds=fp_seconds,
        _extra={},
    )
