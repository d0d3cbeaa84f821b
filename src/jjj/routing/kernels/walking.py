"""Stops within walking reach of a point (compiled: a query's access and egress)."""

from __future__ import annotations

import math

import numba as nb
import numpy as np
import numpy.typing as npt

__all__ = ["stops_within"]

F64 = npt.NDArray[np.float64]
I32 = npt.NDArray[np.int32]
B1 = npt.NDArray[np.bool_]


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
    count = 0
    p1 = math.radians(lat0)
    cos_p1 = math.cos(p1)
    box = radius_m / 110_500.0
    for i in range(n):
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
    return found[:count].copy(), seconds[:count].copy()
