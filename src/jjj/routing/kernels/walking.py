"""Stops within walking reach of a point (compiled: a query's access and egress)."""

from __future__ import annotations

import math

import numba as nb
import numpy as np
import numpy.typing as npt

from jjj.routing.kernels.arrays import inner

__all__ = ["by_latitude", "stops_within", "stops_within_many"]

F64 = npt.NDArray[np.float64]
I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]
B1 = npt.NDArray[np.bool_]


def by_latitude(lat: F64, lon: F64, usable: B1) -> tuple[I32, F64, F64]:
    """``(order, lat, lon)`` of the usable stops sorted by latitude, as
    :func:`stops_within` takes them (``order``: their stop indices)."""
    kept = np.flatnonzero(usable)
    order: I32 = kept[np.argsort(lat[kept], kind="stable")].astype(np.int32)
    return (
        order,
        np.ascontiguousarray(lat[order], dtype=np.float64),
        np.ascontiguousarray(lon[order], dtype=np.float64),
    )


@inner
def _band(lat: F64, lat0: float, radius_m: float) -> tuple[int, int]:
    """Rows of the latitude-sorted ``lat`` that may be within ``radius_m`` of latitude
    ``lat0`` (110.5 km a degree: less than any degree of latitude, so none is missed)."""
    box = radius_m / 110_500.0
    first = int(np.searchsorted(lat, lat0 - box, side="left"))
    return first, int(np.searchsorted(lat, lat0 + box, side="right"))


@inner
def _longitude_reach(p1: float, angle: float) -> float:
    """Degrees of longitude beyond which no point is within ``angle`` radians of arc
    of latitude ``p1`` (radians): from the haversine formula, with the smallest
    cosine of latitude the arc allows; 360 near a pole (no longitude excluded)."""
    cos_min = math.cos(min(abs(p1) + angle, math.pi / 2))
    product = math.cos(p1) * cos_min
    if product < 1e-12:
        return 360.0
    ratio = math.sin(angle / 2) / math.sqrt(product)
    if ratio >= 1.0:
        return 360.0
    return math.degrees(2 * math.asin(ratio)) * (1 + 1e-9) + 1e-9


@inner
def _within(
    order: I32,
    lat: F64,
    lon: F64,
    first: int,
    stop: int,
    lat0: float,
    lon0: float,
    radius_m: float,
    earth_radius_m: float,
    seconds_per_m: float,
    found: I32,
    seconds: I32,
) -> int:
    """Write the stops within reach of one point to ``found``/``seconds`` (from index
    0, by stop index); returns how many. ``lat`` is sorted, ``order`` maps its rows to
    stop indices: only the band of rows ``first:stop`` (:func:`_band`) is looked at."""
    count = 0
    p1 = math.radians(lat0)
    cos_p1 = math.cos(p1)
    lon_box = _longitude_reach(p1, radius_m / earth_radius_m)
    for i in range(first, stop):
        dlon = abs(lon[i] - lon0)
        if min(dlon, 360.0 - dlon) > lon_box:
            continue
        p2 = math.radians(lat[i])
        a = (
            math.sin((p2 - p1) / 2) ** 2
            + cos_p1 * math.cos(p2) * math.sin(math.radians(lon[i] - lon0) / 2) ** 2
        )
        distance = 2 * earth_radius_m * math.asin(math.sqrt(min(max(a, 0.0), 1.0)))
        if distance <= radius_m:
            found[count] = order[i]
            seconds[count] = math.ceil(distance * seconds_per_m)
            count += 1
    # by stop index, as a scan of every stop would list them (insertion sort: a point
    # reaches tens of stops)
    for i in range(1, count):
        f = found[i]
        w = seconds[i]
        j = i - 1
        while j >= 0 and found[j] > f:
            found[j + 1] = found[j]
            seconds[j + 1] = seconds[j]
            j -= 1
        found[j + 1] = f
        seconds[j + 1] = w
    return count


@nb.njit(cache=True)
def stops_within(
    order: I32,
    lat: F64,
    lon: F64,
    lat0: float,
    lon0: float,
    radius_m: float,
    earth_radius_m: float,
    seconds_per_m: float,
) -> tuple[I32, I32]:
    """``(stop_idx, walk seconds)`` of the stops within ``radius_m`` great-circle metres
    (haversine) of ``(lat0, lon0)``, by stop index; seconds are ``ceil(metres ×
    seconds_per_m)``. The stops are ``order[i]`` at ``lat[i], lon[i]``, latitudes
    sorted (:func:`by_latitude`)."""
    first, stop = _band(lat, lat0, radius_m)
    found = np.empty(stop - first, dtype=np.int32)
    seconds = np.empty(stop - first, dtype=np.int32)
    count = _within(
        order, lat, lon, first, stop, lat0, lon0, radius_m, earth_radius_m, seconds_per_m,
        found, seconds,
    )  # fmt: skip
    return found[:count].copy(), seconds[:count].copy()


@nb.njit(cache=True)
def stops_within_many(
    order: I32,
    lat: F64,
    lon: F64,
    lats0: F64,
    lons0: F64,
    radius_m: float,
    earth_radius_m: float,
    seconds_per_m: float,
) -> tuple[I64, I32, I32]:
    """:func:`stops_within` for many points in one call: ``(offsets, stop_idx,
    seconds)``, point ``p``'s stops at ``offsets[p]:offsets[p + 1]``."""
    n = lat.shape[0]
    found = np.empty(n, dtype=np.int32)
    near = np.empty(n, dtype=np.int32)
    offsets = np.zeros(lats0.shape[0] + 1, dtype=np.int64)
    stops = np.empty(max(n, 16), dtype=np.int32)
    seconds = np.empty(max(n, 16), dtype=np.int32)
    used = 0
    for p in range(lats0.shape[0]):
        first, stop = _band(lat, lats0[p], radius_m)
        count = _within(
            order, lat, lon, first, stop, lats0[p], lons0[p], radius_m, earth_radius_m,
            seconds_per_m, found, near,
        )  # fmt: skip
        if used + count > stops.shape[0]:
            size = max(2 * stops.shape[0], used + count)
            grown_stops = np.empty(size, dtype=np.int32)
            grown_seconds = np.empty(size, dtype=np.int32)
            grown_stops[:used] = stops[:used]
            grown_seconds[:used] = seconds[:used]
            stops = grown_stops
            seconds = grown_seconds
        stops[used : used + count] = found[:count]
        seconds[used : used + count] = near[:count]
        used += count
        offsets[p + 1] = used
    return offsets, stops[:used].copy(), seconds[:used].copy()
