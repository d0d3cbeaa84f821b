"""Implausible speeds between stops, with limits by route type as gtfs-validator sets them.

``fast_travel_between_consecutive_stops``: straight-line distance over scheduled
time between two consecutive stop times. ``fast_travel_between_far_stops``: the
same over any span longer than 10 km along the trip (distance summed stop to
stop), at most one notice per trip. Times on whole minutes get one extra minute
of slack (schedules rounded to the minute); a zero or negative time counts as
one minute. A stop without coordinates takes its parent station's.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import polars as pl
from numpy.typing import NDArray

from jjj.gtfs.checks_context import ROW, CheckContext, fmt
from jjj.gtfs.notices import Severity

__all__ = ["FAR_STOPS_KM", "check_travel_speed", "max_speed_kmh"]

_FILE = "stop_times.txt"
_EARTH_RADIUS_KM = 6371.0
#: Spans shorter than this may exceed the speed limit (GPS and rounding noise).
FAR_STOPS_KM = 10.0


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


def _coordinates(ctx: CheckContext) -> pl.DataFrame | None:
    stops = ctx.table("stops.txt")
    if stops is None or not ctx.has("stops.txt", "stop_id", "stop_lat", "stop_lon"):
        return None
    lat = ctx.values("stops.txt", "stop_lat")
    lon = ctx.values("stops.txt", "stop_lon")
    frame = stops.select(
        pl.col("stop_id"),
        # Out-of-range coordinates are reported as such, not as fast travel.
        pl.when(lat.is_between(-90.0, 90.0)).then(lat).alias("lat"),
        pl.when(lon.is_between(-180.0, 180.0)).then(lon).alias("lon"),
        (
            ctx.values("stops.txt", "parent_station")
            if "parent_station" in stops.columns
            else pl.repeat(None, stops.height, eager=True, dtype=pl.String)
        ).alias("parent"),
    ).unique("stop_id", keep="first")
    parents = frame.select(
        pl.col("stop_id").alias("parent"),
        pl.col("lat").alias("parent_lat"),
        pl.col("lon").alias("parent_lon"),
    )
    frame = frame.join(parents, on="parent", how="left")
    use_parent = pl.col("lat").is_null() | pl.col("lon").is_null()
    return frame.select(
        pl.col("stop_id"),
        pl.when(use_parent).then(pl.col("parent_lat")).otherwise(pl.col("lat")).alias("lat"),
        pl.when(use_parent).then(pl.col("parent_lon")).otherwise(pl.col("lon")).alias("lon"),
    )


def _trip_limits(ctx: CheckContext) -> pl.DataFrame | None:
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


def _haversine_km(lat1: pl.Expr, lon1: pl.Expr, lat2: pl.Expr, lon2: pl.Expr) -> pl.Expr:
    p1, p2 = lat1.radians(), lat2.radians()
    dlat = p2 - p1
    dlon = (lon2 - lon1).radians()
    a = (dlat / 2).sin() ** 2 + p1.cos() * p2.cos() * (dlon / 2).sin() ** 2
    return 2 * _EARTH_RADIUS_KM * a.sqrt().arcsin()


def _travel_seconds(arrival: pl.Expr, departure: pl.Expr) -> pl.Expr:
    seconds = arrival - departure
    on_minutes = (arrival % 60 == 0) & (departure % 60 == 0)
    return (
        pl.when(seconds <= 0)
        .then(60)
        .when(on_minutes)
        .then(seconds + 60)
        .otherwise(seconds)
        .cast(pl.Float64)
    )


def check_travel_speed(ctx: CheckContext, ordered: pl.DataFrame) -> None:
    """Warn where a vehicle would have to go faster than its route type allows."""
    coordinates = _coordinates(ctx)
    limits = _trip_limits(ctx)
    if coordinates is None or limits is None or ordered.height == 0:
        return
    frame = (
        ordered.select(ROW, "trip_row", "stop_sequence", "stop_id", "arrival", "departure", "first")
        .join(coordinates, on="stop_id", how="left", maintain_order="left")
        .join(
            limits.select("trip_row", "route_type", "limit"),
            on="trip_row",
            how="left",
            maintain_order="left",
        )
    )
    frame = frame.with_columns(
        pl.when(~pl.col("first"))
        .then(
            _haversine_km(
                pl.col("lat").shift(1), pl.col("lon").shift(1), pl.col("lat"), pl.col("lon")
            )
        )
        .otherwise(0.0)
        .alias("hop_km"),
    )
    _consecutive(ctx, frame)
    _far(ctx, frame)


def _consecutive(ctx: CheckContext, frame: pl.DataFrame) -> None:
    previous = frame.select(
        pl.col("stop_id").shift(1).alias("previous_stop"),
        pl.col("departure").shift(1).alias("previous_departure"),
        pl.col(ROW).shift(1).alias("previous_row"),
    )
    pairs = pl.concat([frame, previous], how="horizontal").filter(
        ~pl.col("first")
        & pl.col("arrival").is_not_null()
        & pl.col("previous_departure").is_not_null()
    )
    seconds = _travel_seconds(pl.col("arrival"), pl.col("previous_departure"))
    pairs = pairs.with_columns((pl.col("hop_km") * 3600.0 / seconds).alias("speed"))
    fast = pairs.filter(pl.col("speed") > pl.col("limit"))
    ctx.sink.add_rows(
        "fast_travel_between_consecutive_stops",
        Severity.WARNING,
        _FILE,
        "arrival_time",
        fast,
        fmt(
            "{} km/h from stop `{}` (line {}) to `{}`, {} km; route_type {} allows {} km/h",
            pl.col("speed").round(0).cast(pl.Int64),
            "previous_stop",
            pl.col("previous_row") + 2,
            "stop_id",
            pl.col("hop_km").round(2),
            "route_type",
            pl.col("limit").cast(pl.Int64),
        ),
    )


def _far(ctx: CheckContext, frame: pl.DataFrame) -> None:
    # Unknown coordinates count as no distance (conservative: fewer warnings).
    cumulative = frame.select(pl.col("hop_km").fill_null(0.0).cum_sum()).to_series().to_numpy()
    first = frame.get_column("first").to_numpy()
    starts = np.flatnonzero(first).astype(np.int64)
    ends = np.append(starts[1:], len(first)).astype(np.int64)
    arrival = frame.get_column("arrival").fill_null(-1).to_numpy().astype(np.int64)
    departure = frame.get_column("departure").fill_null(-1).to_numpy().astype(np.int64)
    limit = frame.get_column("limit").fill_null(np.inf).to_numpy().astype(np.float64)
    kernel = _far_kernel()
    start_idx, end_idx, speed, distance = kernel(
        starts, ends, cumulative.astype(np.float64), arrival, departure, limit
    )
    found = start_idx >= 0
    if not found.any():
        return
    ends_i = end_idx[found]
    starts_i = start_idx[found]
    rows = (
        frame[ends_i]
        .select(ROW, "stop_id", "route_type", "limit")
        .with_columns(
            pl.Series("start_stop", frame.get_column("stop_id").to_numpy()[starts_i]),
            pl.Series("start_row", frame.get_column(ROW).to_numpy()[starts_i].astype(np.int64)),
            pl.Series("speed", speed[found]),
            pl.Series("distance", distance[found]),
        )
    )
    ctx.sink.add_rows(
        "fast_travel_between_far_stops",
        Severity.WARNING,
        _FILE,
        "arrival_time",
        rows,
        fmt(
            "{} km/h over {} km from stop `{}` (line {}) to `{}`; route_type {} allows {} km/h",
            pl.col("speed").round(0).cast(pl.Int64),
            pl.col("distance").round(1),
            "start_stop",
            pl.col("start_row") + 2,
            "stop_id",
            "route_type",
            pl.col("limit").cast(pl.Int64),
        ),
    )


_FarScan = Callable[
    [
        NDArray[np.int64],
        NDArray[np.int64],
        NDArray[np.float64],
        NDArray[np.int64],
        NDArray[np.int64],
        NDArray[np.float64],
    ],
    tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64], NDArray[np.float64]],
]
_COMPILED: dict[str, _FarScan] = {}


def _far_kernel() -> _FarScan:
    """The compiled far-stops scan (numba, cached on disk after the first compile)."""
    if "far" not in _COMPILED:
        from numba import njit  # Imported here: only this check needs it.

        _COMPILED["far"] = njit(cache=True, nogil=True)(_far_scan)
    return _COMPILED["far"]


def _far_scan(
    starts: NDArray[np.int64],
    ends: NDArray[np.int64],
    cumulative: NDArray[np.float64],
    arrival: NDArray[np.int64],
    departure: NDArray[np.int64],
    limit: NDArray[np.float64],
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64], NDArray[np.float64]]:
    """For each trip, the first (start, end) row pair > 10 km apart covered too fast, or -1."""
    n_trips = starts.shape[0]
    start_idx = np.full(n_trips, -1, np.int64)
    end_idx = np.full(n_trips, -1, np.int64)
    speed_out = np.zeros(n_trips, np.float64)
    distance_out = np.zeros(n_trips, np.float64)
    for trip in range(n_trips):
        first = starts[trip]
        last = ends[trip]
        found = False
        for j in range(first, last):
            if arrival[j] < 0:
                continue
            for i in range(j - 1, first - 1, -1):
                if departure[i] < 0:
                    continue
                distance = cumulative[j] - cumulative[i]
                if not distance > FAR_STOPS_KM:
                    continue
                seconds = arrival[j] - departure[i]
                if seconds <= 0:
                    seconds = 60
                elif arrival[j] % 60 == 0 and departure[i] % 60 == 0:
                    seconds += 60
                speed = distance * 3600.0 / seconds
                if speed > limit[j]:
                    start_idx[trip] = i
                    end_idx[trip] = j
                    speed_out[trip] = speed
                    distance_out[trip] = distance
                    found = True
                    break
            if found:
                break
    return start_idx, end_idx, speed_out, distance_out
