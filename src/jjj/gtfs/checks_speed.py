"""Implausible speeds between stops, with limits by route type as gtfs-validator sets them.

``fast_travel_between_consecutive_stops``: straight-line distance over scheduled
time between two consecutive stop times. ``fast_travel_between_far_stops``: the
same over any span longer than 10 km along the trip (distance summed stop to
stop), at most one notice per trip. Times on whole minutes get one extra minute
of slack (schedules rounded to the minute); a zero or negative time counts as
one minute. A stop without coordinates takes its parent station's.
"""

from __future__ import annotations

import numpy as np
import polars as pl
from numba import njit
from numpy.typing import NDArray

from jjj.gtfs.checks_context import ROW, CheckContext, fmt
from jjj.gtfs.notices import Severity

__all__ = ["FAR_STOPS_KM", "check_travel_speed", "max_speed_kmh", "warm_up"]

_FILE = "stop_times.txt"
_EARTH_RADIUS_KM = 6371.0
#: Spans shorter than this may exceed the speed limit (GPS and rounding noise).
FAR_STOPS_KM = 10.0

_I64 = NDArray[np.int64]
_I32 = NDArray[np.int32]
_F64 = NDArray[np.float64]


def max_speed_kmh(route_type: int | None) -> float:
    """The fastest plausible speed for a route type, in km/h (gtfs-validator's limits).

    Extended (HVT) route types map to their family: 1xx rail, 2xx coach, 4xx urban
    rail, 7xx bus, 800 trolleybus, 9xx tram, 1000/1200 water, 13xx aerial, 1400 funicular.
    """
    basic = {0: 100.0, 1: 150.0, 2: 500.0, 3: 150.0, 4: 80.0, 5: 30.0, 6: 50.0, 7: 50.0}
    basic |= {11: 150.0, 12: 150.0}
    if route_type is None:
        return 200.0
    if route_type in basic:
        return basic[route_type]
    family = {1: 500.0, 2: 150.0, 4: 150.0, 7: 150.0, 8: 150.0, 9: 100.0, 10: 80.0, 12: 80.0}
    family |= {13: 50.0, 14: 50.0}
    return family.get(route_type // 100, 200.0)


def _coordinates(ctx: CheckContext) -> tuple[_F64, _F64] | None:
    """Latitude and longitude by row of stops.txt (NaN where unknown), parents' if empty."""
    stops = ctx.table("stops.txt")
    if stops is None or not ctx.has("stops.txt", "stop_id", "stop_lat", "stop_lon"):
        return None
    raw = ctx.feed.table("stops.txt")  # read: usable tables come from it
    assert raw is not None
    lat = ctx.values("stops.txt", "stop_lat")
    lon = ctx.values("stops.txt", "stop_lon")
    frame = stops.select(
        pl.col(ROW),
        pl.col("stop_id"),
        # Out-of-range coordinates are reported as such, not as fast travel.
        pl.when(lat.is_between(-90.0, 90.0)).then(lat).alias("lat"),
        pl.when(lon.is_between(-180.0, 180.0)).then(lon).alias("lon"),
        (
            ctx.values("stops.txt", "parent_station")
            if "parent_station" in stops.columns
            else pl.repeat(None, stops.height, eager=True, dtype=pl.String)
        ).alias("parent"),
    )
    parents = frame.unique("stop_id", keep="first").select(
        pl.col("stop_id").alias("parent"),
        pl.col("lat").alias("parent_lat"),
        pl.col("lon").alias("parent_lon"),
    )
    frame = frame.join(parents, on="parent", how="left", maintain_order="left")
    use_parent = pl.col("lat").is_null() | pl.col("lon").is_null()
    frame = frame.select(
        pl.col(ROW),
        pl.when(use_parent).then(pl.col("parent_lat")).otherwise(pl.col("lat")).alias("lat"),
        pl.when(use_parent).then(pl.col("parent_lon")).otherwise(pl.col("lon")).alias("lon"),
    )
    rows = frame.get_column(ROW).to_numpy()
    by_row_lat = np.full(raw.height, np.nan)
    by_row_lon = np.full(raw.height, np.nan)
    by_row_lat[rows] = frame.get_column("lat").fill_null(np.nan).to_numpy()
    by_row_lon[rows] = frame.get_column("lon").fill_null(np.nan).to_numpy()
    return by_row_lat, by_row_lon


def _trip_limits(ctx: CheckContext) -> pl.DataFrame | None:
    """``trip_row``, ``route_type`` and speed ``limit`` of trips whose route is known."""
    trips = ctx.table("trips.txt")
    routes = ctx.table("routes.txt")
    if trips is None or routes is None:
        return None
    if not ctx.has("trips.txt", "route_id") or not ctx.has("routes.txt", "route_id", "route_type"):
        return None
    types = routes.select(
        pl.col("route_id"), ctx.values("routes.txt", "route_type").alias("route_type")
    ).unique("route_id", keep="first")
    limits = pl.Series(
        "limit",
        [max_speed_kmh(t) for t in types.get_column("route_type").to_list()],
        dtype=pl.Float64,
    )
    types = types.with_columns(limits)
    return trips.select(pl.col(ROW).alias("trip_row"), pl.col("route_id")).join(
        types, on="route_id", how="inner"
    )


def _by_row(values: pl.Series, rows: pl.Series, n: int, default: float) -> _F64:
    """``values`` (given for ``rows``) spread over ``n`` rows, ``default`` elsewhere."""
    out = np.full(n + 1, default)  # the extra slot takes null indices
    out[rows.to_numpy()] = values.fill_null(default).to_numpy()
    return out


def check_travel_speed(ctx: CheckContext, ordered: pl.DataFrame) -> None:
    """Warn where a vehicle would have to go faster than its route type allows."""
    coordinates = _coordinates(ctx)
    limits = _trip_limits(ctx)
    if coordinates is None or limits is None or ordered.height == 0:
        return
    trips = ctx.feed.table("trips.txt")  # read: ``limits`` come from it
    assert trips is not None
    # Arrays per stop and per trip, indexed from the stop times: the scan needs
    # nothing per stop time beyond the times and these two indices.
    stop_lat = np.append(coordinates[0], np.nan)  # the extra slot: stops not found
    stop_lon = np.append(coordinates[1], np.nan)
    stop_row = ordered.get_column("stop_row").fill_null(len(stop_lat) - 1).to_numpy()
    first = ordered.get_column("first").to_numpy()
    starts = np.flatnonzero(first).astype(np.int64)
    ends = np.append(starts[1:], len(first)).astype(np.int64)
    limit = _by_row(limits.get_column("limit"), limits.get_column("trip_row"), trips.height, np.inf)
    trip_limit = limit[ordered.get_column("trip_row").gather(starts).to_numpy()]
    fast_rows, fast_speed, fast_km, far_start, far_end, far_speed, far_km = _scan_speeds(
        starts,
        ends,
        stop_row,
        stop_lat,
        stop_lon,
        ordered.get_column("arrival").fill_null(-1).cast(pl.Int32).to_numpy(),
        ordered.get_column("departure").fill_null(-1).cast(pl.Int32).to_numpy(),
        trip_limit,
    )
    _report(
        ctx,
        "fast_travel_between_consecutive_stops",
        ordered,
        limits,
        fast_rows - 1,
        fast_rows,
        fast_speed,
        fast_km,
        "{} km/h from stop `{}` (line {}) to `{}`, {} km; route_type {} allows {} km/h",
    )
    _report(
        ctx,
        "fast_travel_between_far_stops",
        ordered,
        limits,
        far_start,
        far_end,
        far_speed,
        far_km,
        "{} km/h from stop `{}` (line {}) to `{}` over {} km; route_type {} allows {} km/h",
    )


def _report(
    ctx: CheckContext,
    code: str,
    ordered: pl.DataFrame,
    limits: pl.DataFrame,
    start: NDArray[np.int64],
    end: NDArray[np.int64],
    speed: NDArray[np.float64],
    km: NDArray[np.float64],
    template: str,
) -> None:
    if len(end) == 0:
        return
    stops = ctx.feed.table("stops.txt")
    assert stops is not None  # coordinates came from it
    stop_ids = stops.get_column("stop_id")

    def stop_id(rows: NDArray[np.int64]) -> pl.Series:
        return stop_ids.gather(ordered.get_column("stop_row").gather(rows))

    rows = (
        ordered[end]
        .select(ROW, "trip_row")
        .with_columns(
            stop_id(end).alias("stop_id"),
            stop_id(start).alias("start_stop"),
            ordered.get_column(ROW).gather(start).alias("start_row"),
            pl.Series("speed", speed),
            pl.Series("km", km),
        )
    )
    rows = rows.join(
        limits.select("trip_row", "route_type", "limit"),
        on="trip_row",
        how="left",
        maintain_order="left",
    )
    ctx.sink.add_rows(
        code,
        Severity.WARNING,
        _FILE,
        "arrival_time",
        rows,
        fmt(
            template,
            pl.col("speed").round(0).cast(pl.Int64),
            "start_stop",
            pl.col("start_row") + 2,
            "stop_id",
            pl.col("km").round(2),
            "route_type",
            pl.col("limit").cast(pl.Int64),
        ),
    )


@njit(cache=True, nogil=True)
def _seconds_between(departure: int, arrival: int) -> int:
    seconds = arrival - departure
    if seconds <= 0:
        return 60
    if arrival % 60 == 0 and departure % 60 == 0:
        return seconds + 60
    return seconds


@njit(cache=True, nogil=True)
def _hop_km(phi: _F64, lam: _F64, cos_phi: _F64, a: int, b: int) -> float:
    """Great-circle km between stops ``a`` and ``b`` (0 when either has no coordinates)."""
    if np.isnan(phi[a]) or np.isnan(phi[b]):
        return 0.0
    value = (
        np.sin((phi[b] - phi[a]) / 2.0) ** 2
        + cos_phi[a] * cos_phi[b] * np.sin((lam[b] - lam[a]) / 2.0) ** 2
    )
    return float(2.0 * _EARTH_RADIUS_KM * np.arcsin(np.sqrt(min(1.0, value))))


@njit(cache=True, nogil=True)
def _scan_speeds(
    starts: _I64,
    ends: _I64,
    stop_row: _I32,
    lat: _F64,
    lon: _F64,
    arrival: _I32,
    departure: _I32,
    limit: _F64,
) -> tuple[_I64, _F64, _F64, _I64, _I64, _F64, _F64]:
    """Both speed checks over stop times sorted by trip (rows ``starts[t]:ends[t]``).

    Stop time ``j`` is at stop ``stop_row[j]`` (coordinates ``lat``/``lon``, NaN where
    unknown: no distance counted); trip ``t`` may go at most ``limit[t]`` km/h.
    Returns the rows reached too fast from the previous row (with speed and km), and
    for each trip the first (start, end) pair over 10 km apart covered too fast.
    Times are -1 where absent. Memory: one distance per stop of the longest trip.
    """
    phi = np.radians(lat)
    lam = np.radians(lon)
    cos_phi = np.cos(phi)
    n_trips = starts.shape[0]
    longest = 0
    for trip in range(n_trips):
        longest = max(longest, ends[trip] - starts[trip])
    cumulative = np.zeros(longest, np.float64)
    # Found rows are few: these stay untouched (not resident) beyond them.
    fast_rows = np.empty(arrival.shape[0], np.int64)
    fast_speed = np.empty(arrival.shape[0], np.float64)
    fast_km = np.empty(arrival.shape[0], np.float64)
    n_fast = 0
    far_start = np.empty(n_trips, np.int64)
    far_end = np.empty(n_trips, np.int64)
    far_speed = np.empty(n_trips, np.float64)
    far_km = np.empty(n_trips, np.float64)
    n_far = 0
    for trip in range(n_trips):
        first = starts[trip]
        last = ends[trip]
        cumulative[0] = 0.0
        for j in range(first + 1, last):
            hop = _hop_km(phi, lam, cos_phi, stop_row[j - 1], stop_row[j])
            cumulative[j - first] = cumulative[j - first - 1] + hop
            if departure[j - 1] >= 0 and arrival[j] >= 0:
                speed = hop * 3600.0 / _seconds_between(departure[j - 1], arrival[j])
                if speed > limit[trip]:
                    fast_rows[n_fast] = j
                    fast_speed[n_fast] = speed
                    fast_km[n_fast] = hop
                    n_fast += 1
        found = False
        # far: the last row more than FAR_STOPS_KM before row j (moves forward with j).
        far = first - 1
        # The latest departure among rows first..far: no span ending at j can be
        # faster than the trip's distance so far over the time since then.
        latest = -1
        for j in range(first, last):
            while (
                far + 1 < j and cumulative[j - first] - cumulative[far + 1 - first] > FAR_STOPS_KM
            ):
                far += 1
                latest = max(latest, departure[far])
            if arrival[j] < 0 or latest < 0:
                continue
            if arrival[j] > latest:
                bound = cumulative[j - first] * 3600.0 / (arrival[j] - latest)
                if not bound > limit[trip]:
                    continue
            for i in range(far, first - 1, -1):
                if departure[i] < 0:
                    continue
                distance = cumulative[j - first] - cumulative[i - first]
                speed = distance * 3600.0 / _seconds_between(departure[i], arrival[j])
                if speed > limit[trip]:
                    far_start[n_far] = i
                    far_end[n_far] = j
                    far_speed[n_far] = speed
                    far_km[n_far] = distance
                    n_far += 1
                    found = True
                    break
            if found:
                break
    return (
        fast_rows[:n_fast],
        fast_speed[:n_fast],
        fast_km[:n_fast],
        far_start[:n_far],
        far_end[:n_far],
        far_speed[:n_far],
        far_km[:n_far],
    )


def warm_up() -> None:
    """Load the compiled scan now (from numba's cache; compiled on a first run)."""
    none = np.zeros(0, np.int64)
    _scan_speeds(
        none,
        none,
        np.zeros(0, np.int32),
        np.zeros(1),
        np.zeros(1),
        np.zeros(0, np.int32),
        np.zeros(0, np.int32),
        np.zeros(0),
    )
