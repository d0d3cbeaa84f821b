"""One feed's stops, routes, trips and stop times as typed arrays, times interpolated.

Rows are joined to dense local indices; ids stay un-namespaced here (the merge adds
``NAME:``). Stop times come out trip-major (rows of a trip contiguous, in
stop_sequence order), with empty times at non-timepoint stops interpolated by
distance along the trip and frequencies.txt expanded into trips.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

from jjj.errors import FeedError
from jjj.gtfs.parse import parse_float, parse_int, parse_time
from jjj.gtfs.read import Feed
from jjj.gtfs.typed import in_stop_time_order, row_links
from jjj.gtfs.typed import values as typed_values
from jjj.streets.geo import haversine_m
from jjj.timetable.kernels import interpolate_times

__all__ = ["FeedArrays", "read_feed_arrays"]

I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]
I8 = npt.NDArray[np.int8]
F64 = npt.NDArray[np.float64]


@dataclass
class FeedArrays:
    """A feed ready to merge: tables of ids/names plus trip-major stop-time arrays."""

    name: str
    timezone: str
    # stops
    stop_ids: list[str]
    stop_names: list[str]
    stop_lat: F64
    stop_lon: F64
    stop_location_type: I8
    stop_parent_local: I32
    # agencies and routes
    agency_ids: list[str]
    agency_names: list[str]
    agency_timezones: list[str]
    route_ids: list[str]
    route_short_names: list[str]
    route_long_names: list[str]
    route_type: npt.NDArray[np.int16]
    route_agency_local: I32
    # trips (after frequency expansion)
    trip_ids: list[str]
    trip_headsigns: list[str]
    trip_route_local: I32
    trip_service_id: list[str]
    trip_direction: I8
    trip_block_id: list[str | None]
    trip_from_frequency: npt.NDArray[np.bool_]
    # stop times, trip-major
    trip_offsets: I64
    st_stop_local: I32
    st_arrival: I32
    st_departure: I32
    st_pickup: I8
    st_dropoff: I8


def _col(table: pl.DataFrame, name: str) -> pl.Series:
    if name in table.columns:
        return table[name]
    return pl.Series(name, [None] * table.height, dtype=pl.String)


def _require(feed: Feed, file: str) -> pl.DataFrame:
    table = feed.table(file)
    if table is None:
        raise FeedError(f"{feed.name}/{file}: required file is missing")
    return table


def _strings(series: pl.Series) -> list[str]:
    return [value or "" for value in series.to_list()]


def _enum(series: pl.Series, default: int) -> I8:
    values, _ = parse_int(series)
    return values.fill_null(default).cast(pl.Int8, strict=False).fill_null(default).to_numpy()


def _enum_values(values: pl.Series, default: int) -> I8:
    """Parsed enum values as int8; ``default`` where empty, malformed or out of range."""
    return values.fill_null(default).cast(pl.Int8, strict=False).fill_null(default).to_numpy()


def read_feed_arrays(feed: Feed) -> FeedArrays:
    """Read ``feed`` into :class:`FeedArrays` (the feed is assumed validated)."""
    agency = _require(feed, "agency.txt")
    stops = _require(feed, "stops.txt")
    routes = _require(feed, "routes.txt")
    trips = _require(feed, "trips.txt")
    stop_times = _require(feed, "stop_times.txt")

    # agencies: GTFS requires one timezone per feed
    agency_ids = _strings(_col(agency, "agency_id"))
    timezones = _strings(_col(agency, "agency_timezone"))
    timezone = next((tz.strip() for tz in timezones if tz.strip()), "UTC")
    agency_index = {agency_id: i for i, agency_id in enumerate(agency_ids)}

    # stops
    stop_ids = _strings(stops["stop_id"])
    stop_index = {stop_id: i for i, stop_id in enumerate(stop_ids)}
    lat = parse_float(_col(stops, "stop_lat"))[0].fill_null(np.nan).to_numpy().astype(np.float64)
    lon = parse_float(_col(stops, "stop_lon"))[0].fill_null(np.nan).to_numpy().astype(np.float64)
    parents = _col(stops, "parent_station").to_list()
    parent_local = np.array([stop_index.get(p, -1) if p else -1 for p in parents], dtype=np.int32)
    # nodes and boarding areas may have no coordinates: use the parent's
    missing = np.flatnonzero(np.isnan(lat) & (parent_local >= 0))
    for _ in range(3):
        lat[missing] = lat[parent_local[missing]]
        lon[missing] = lon[parent_local[missing]]

    # routes
    route_ids = _strings(routes["route_id"])
    route_index = {route_id: i for i, route_id in enumerate(route_ids)}
    route_agency = [agency_index.get(a, 0) if a else 0 for a in _col(routes, "agency_id").to_list()]
    route_type = parse_int(_col(routes, "route_type"))[0].fill_null(3).to_numpy()

    # trips
    trip_ids = _strings(trips["trip_id"])
    trip_route = np.array(
        [route_index.get(r, -1) for r in _col(trips, "route_id").to_list()], dtype=np.int32
    )

    # stop times: trip-major in stop_sequence order (the order the validator checked)
    for column in ("trip_id", "stop_id", "stop_sequence"):
        if column not in stop_times.columns:
            raise FeedError(f"{feed.name}/stop_times.txt: the header has no {column} column")
    if "trip_id" not in trips.columns:
        raise FeedError(f"{feed.name}/trips.txt: the header has no trip_id column")
    stop_links = row_links(feed, "stop_times.txt", "stop_id", "stops.txt", "stop_id")
    stop_row = in_stop_time_order(feed, stop_links)
    trip_row = in_stop_time_order(
        feed, row_links(feed, "stop_times.txt", "trip_id", "trips.txt", "trip_id")
    )
    known = stop_row.is_not_null()
    if not known.all():
        stop_row, trip_row = stop_row.filter(known), trip_row.filter(known)
    trip_local = trip_row.to_numpy().astype(np.int32)
    counts = np.bincount(trip_local, minlength=trips.height)
    trip_offsets = np.zeros(trips.height + 1, dtype=np.int64)
    np.cumsum(counts, out=trip_offsets[1:])
    stop_local = stop_row.to_numpy().astype(np.int32)

    def stop_time_column(column: str) -> pl.Series:
        if column not in stop_times.columns:
            return pl.repeat(None, len(stop_row), eager=True, dtype=pl.Int32)
        values = in_stop_time_order(feed, typed_values(feed, "stop_times.txt", column))
        return values if known.all() else values.filter(known)

    given_arrival = stop_time_column("arrival_time")
    given_departure = stop_time_column("departure_time")
    arrival = given_arrival.fill_null(given_departure).fill_null(-1).to_numpy().astype(np.int32)
    departure = given_departure.fill_null(given_arrival).fill_null(-1).to_numpy().astype(np.int32)
    del given_arrival, given_departure
    if (arrival < 0).any():
        shape_dist = stop_time_column("shape_dist_traveled").cast(pl.Float64)
        distance = _interpolation_distance(
            shape_dist.fill_null(np.nan).to_numpy().astype(np.float64),
            arrival < 0,
            trip_local,
            trip_offsets,
            counts,
            stop_local,
            lat,
            lon,
        )
        untimed = interpolate_times(trip_offsets, arrival, distance)
        interpolate_times(trip_offsets, departure, distance)
        if untimed:
            raise FeedError(
                f"{feed.name}/stop_times.txt: {untimed} trips have no time at their first or "
                "last stop (missing_trip_edge)"
            )

    arrays = FeedArrays(
        name=feed.name,
        timezone=timezone,
        stop_ids=stop_ids,
        stop_names=_strings(_col(stops, "stop_name")),
        stop_lat=lat,
        stop_lon=lon,
        stop_location_type=_enum(_col(stops, "location_type"), 0),
        stop_parent_local=parent_local,
        agency_ids=agency_ids,
        agency_names=_strings(_col(agency, "agency_name")),
        agency_timezones=[tz.strip() or timezone for tz in timezones],
        route_ids=route_ids,
        route_short_names=_strings(_col(routes, "route_short_name")),
        route_long_names=_strings(_col(routes, "route_long_name")),
        route_type=route_type.astype(np.int16),
        route_agency_local=np.array(route_agency, dtype=np.int32),
        trip_ids=trip_ids,
        trip_headsigns=_strings(_col(trips, "trip_headsign")),
        trip_route_local=trip_route,
        trip_service_id=_strings(_col(trips, "service_id")),
        trip_direction=_enum(_col(trips, "direction_id"), -1),
        trip_block_id=[b or None for b in _col(trips, "block_id").to_list()],
        trip_from_frequency=np.zeros(trips.height, dtype=np.bool_),
        trip_offsets=trip_offsets,
        st_stop_local=stop_local,
        st_arrival=arrival,
        st_departure=departure,
        st_pickup=_enum_values(stop_time_column("pickup_type"), 0),
        st_dropoff=_enum_values(stop_time_column("drop_off_type"), 0),
    )
    _drop_unusable_trips(arrays)
    _expand_frequencies(feed, arrays)
    return arrays


def _interpolation_distance(
    shape_dist: F64,
    missing: npt.NDArray[np.bool_],
    trip_local: I32,
    trip_offsets: I64,
    counts: I64,
    stop_local: I32,
    lat: F64,
    lon: F64,
) -> F64:
    """Distance along each trip that has untimed stops (0 elsewhere).

    shape_dist_traveled where every stop of the trip has it, else the cumulative
    great-circle distance between consecutive stops.
    """
    n_trips = len(counts)
    needs = np.bincount(trip_local, weights=missing, minlength=n_trips) > 0
    rows = np.flatnonzero(np.repeat(needs, counts))
    distance = np.zeros(len(stop_local), dtype=np.float64)
    if len(rows) == 0:
        return distance
    previous = np.maximum(rows - 1, 0)
    step = haversine_m(
        lat[stop_local[previous]],
        lon[stop_local[previous]],
        lat[stop_local[rows]],
        lon[stop_local[rows]],
    )
    is_first = np.zeros(len(stop_local), dtype=np.bool_)
    is_first[trip_offsets[:-1][counts > 0]] = True
    step[is_first[rows]] = 0.0
    distance[rows] = np.nan_to_num(step)
    cumulative = np.cumsum(distance)
    starts = np.repeat(cumulative[trip_offsets[:-1][counts > 0]], counts[counts > 0])
    cumulative = cumulative - starts
    missing_shape = np.bincount(trip_local, weights=np.isnan(shape_dist), minlength=n_trips)
    has_shape = np.repeat((missing_shape == 0) & needs, counts)
    result: F64 = np.where(has_shape, shape_dist, cumulative)
    return result


def _select_trips(arrays: FeedArrays, keep: npt.NDArray[np.bool_], extra: list[int]) -> None:
    """Keep trips where ``keep`` (in order), then append copies of trips in ``extra``."""
    order = np.concatenate([np.flatnonzero(keep), np.asarray(extra, dtype=np.int64)])
    counts = np.diff(arrays.trip_offsets)[order]
    starts = arrays.trip_offsets[:-1][order]
    rows = (
        np.repeat(starts - np.concatenate([[0], np.cumsum(counts)[:-1]]), counts)
        + np.arange(counts.sum())
    ).astype(np.int64)
    arrays.trip_offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    for name in (
        "st_stop_local",
        "st_arrival",
        "st_departure",
        "st_pickup",
        "st_dropoff",
    ):
        setattr(arrays, name, getattr(arrays, name)[rows])
    for name in ("trip_ids", "trip_headsigns", "trip_service_id", "trip_block_id"):
        values = getattr(arrays, name)
        setattr(arrays, name, [values[i] for i in order])
    for name in ("trip_route_local", "trip_direction", "trip_from_frequency"):
        setattr(arrays, name, getattr(arrays, name)[order])


def _drop_unusable_trips(arrays: FeedArrays) -> None:
    """Trips with fewer than two stop times or no route cannot be ridden."""
    counts = np.diff(arrays.trip_offsets)
    keep = (counts >= 2) & (arrays.trip_route_local >= 0)
    if not keep.all():
        _select_trips(arrays, keep, [])


def _expand_frequencies(feed: Feed, arrays: FeedArrays) -> None:
    """Replace each trip listed in frequencies.txt by one trip per headway.

    Departures at the first stop run from ``start_time`` every ``headway_secs`` while
    earlier than ``end_time``; both exact_times 0 and 1 are expanded this way (the
    headway-based kind as if scheduled at the period's start). Expanded trips are
    named ``trip_id@HH:MM:SS``.
    """
    table = feed.table("frequencies.txt")
    if table is None or table.height == 0 or "trip_id" not in table.columns:
        return
    starts = parse_time(_col(table, "start_time"))[0].to_list()
    ends = parse_time(_col(table, "end_time"))[0].to_list()
    headways = parse_int(_col(table, "headway_secs"))[0].to_list()
    trip_index = {trip_id: i for i, trip_id in enumerate(arrays.trip_ids)}
    departures_by_trip: dict[int, list[int]] = {}
    for trip_id, start, end, headway in zip(
        table["trip_id"].to_list(), starts, ends, headways, strict=True
    ):
        trip = trip_index.get(trip_id)
        if trip is None or start is None or end is None or not headway or headway <= 0:
            continue
        departures_by_trip.setdefault(trip, []).extend(range(start, end, headway))
    if not departures_by_trip:
        return
    templates = sorted(departures_by_trip)
    keep = np.ones(len(arrays.trip_ids), dtype=np.bool_)
    keep[templates] = False
    n_kept = int(keep.sum())
    extra: list[int] = []
    first_departures: list[int] = []
    for trip in templates:
        for departure in sorted(set(departures_by_trip[trip])):
            extra.append(trip)
            first_departures.append(departure)
    _select_trips(arrays, keep, extra)
    offsets = arrays.trip_offsets
    for k, departure in enumerate(first_departures):
        trip = n_kept + k
        lo, hi = int(offsets[trip]), int(offsets[trip + 1])
        shift = departure - int(arrays.st_departure[lo])
        arrays.st_arrival[lo:hi] += shift
        arrays.st_departure[lo:hi] += shift
        hours, rest = divmod(departure, 3600)
        arrays.trip_ids[trip] = (
            f"{arrays.trip_ids[trip]}@{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"
        )
        arrays.trip_from_frequency[trip] = True
