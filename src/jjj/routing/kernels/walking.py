"""Stops within walking reach of a point (compiled: a query's access and egress)."""

from __future__ import annotations

import math

import numba as nb
import numpy as np
import numpy.typing as npt

from jjj.routing.kernels.arrays import inner

__all__ = ["stops_within", "stops_within_many"]

F64 = npt.NDArray[np.float64]
I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]
B1 = npt.NDArray[np.bool_]


@inner
def _within(
    lat: F64,
    lon: F64,
    usable: B1,
    lat0: float,
    lon0: float,
    radius_m: float,
    earth_radius_m: float,
    seconds_per_m: float,
    found: I32,
    seconds: I32,
) -> int:
    """Write the usable stops within reach of one point to ``found``/``seconds`` (from
    index 0); returns how many."""
    count = 0
    p1 = math.radians(lat0)
    cos_p1 = math.cos(p1)
    box = radius_m / 110_500.0
    for i in range(lat.shape[0]):
        if not usable[i] or abs(lat[i] - lat0) > box:
            continue
        p2 = math.radians(lat[i])
        a = (
            math.sin((p2 - p1) / 2) ** 2
            + cos_p1 * math.cos(p2) * math.sin(math.radians(lon[i] - lon0) / 2) ** 2
        )
        distance = 2 * earth_radius_m * math.asin(math.sqrt(min(max(a, 0.0), 1.0)))
        if distance <= radius_m:
            found[count] = i
            seconds[count] = math.ceil(distance * seconds_per_m)
            count += 1
    return count


@nb.njit(cache=True)
def stops_within(
    lat: F64,
    lon: F64,
    usable: B1,
    lat0: float,
    lon0: float,
    radius_m: float,
    earth_radius_m: float,
    seconds_per_m: float,
) -> tuple[I32, I32]:
    """``(stop_idx, walk seconds)`` of the usable stops within ``radius_m`` great-circle
    metres (haversine) of ``(lat0, lon0)``; seconds are ``ceil(metres × seconds_per_m)``."""
    n = lat.shape[0]
    found = np.empty(n, dtype=np.int32)
    seconds = np.empty(n, dtype=np.int32)
    count = _within(
        lat, lon, usable, lat0, lon0, radius_m, earth_radius_m, seconds_per_m, found, seconds
    )
    return found[:count].copy(), seconds[:count].copy()


@nb.njit(cache=True)
def stops_within_many(
    lat: F64,
    lon: F64,
    usable: B1,
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
        count = _within(
            lat, lon, usable, lats0[p], lons0[p], radius_m, earth_radius_m, seconds_per_m,
            found, near,
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
