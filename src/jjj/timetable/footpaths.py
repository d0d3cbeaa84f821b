"""Walking links between nearby stops of all feeds, and the walking model they use.

Without a street network a walk is the straight line × a detour factor; with one
(:mod:`jjj.streets`) it follows the streets, up to the same walked distance."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from jjj.streets import StreetGraph, snap_to_nodes, walks_between
from jjj.streets.geo import haversine_m
from jjj.streets.graph import unit_sphere_m

__all__ = ["WalkingModel", "footpaths_on_streets", "footpaths_within_radius", "to_csr"]

I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]


@dataclass(frozen=True)
class WalkingModel:
    """Straight-line distance × ``detour_factor`` walked at ``speed_mps``.

    Defaults: 400 m radius, detour 1.3, 1.2 m/s (R5 uses 1.3 m/s on streets; the
    detour factor stands in for the street network until one is used).
    """

    radius_m: float = 400.0
    detour_factor: float = 1.3
    speed_mps: float = 1.2

    def seconds(self, distance_m: npt.ArrayLike) -> npt.NDArray[np.int32]:
        """Walking time in whole seconds (rounded up) for straight-line distances."""
        return self.seconds_walked(np.asarray(distance_m, dtype=np.float64) * self.detour_factor)

    @property
    def longest_walk_m(self) -> float:
        """The longest footpath walked: the radius × the detour factor (on streets, the
        walk itself is bounded by it)."""
        return self.radius_m * self.detour_factor

    def seconds_walked(self, walked_m: npt.ArrayLike) -> npt.NDArray[np.int32]:
        """Walking time in whole seconds (rounded up) for distances already walked."""
        walked = np.asarray(walked_m, dtype=np.float64) / self.speed_mps
        result: npt.NDArray[np.int32] = np.ceil(walked).astype(np.int32)
        return result


def footpaths_within_radius(
    lat: F64, lon: F64, eligible: npt.NDArray[np.bool_], model: WalkingModel
) -> tuple[I32, I32, I32]:
    """Directed links between distinct eligible stops within ``model.radius_m``.

    Returns ``(from_stop_idx, to_stop_idx, seconds)``; both directions are listed.
    """
    candidates = np.flatnonzero(eligible & np.isfinite(lat) & np.isfinite(lon))
    empty = np.zeros(0, dtype=np.int32)
    if len(candidates) < 2:
        return empty, empty, empty
    from scipy.spatial import cKDTree  # loaded only when footpaths are built

    tree = cKDTree(unit_sphere_m(lat[candidates], lon[candidates]))
    pairs = tree.query_pairs(r=model.radius_m, output_type="ndarray")
    if len(pairs) == 0:
        return empty, empty, empty
    a = candidates[pairs[:, 0]]
    b = candidates[pairs[:, 1]]
    distance = haversine_m(lat[a], lon[a], lat[b], lon[b])
    keep = distance <= model.radius_m
    a, b, distance = a[keep], b[keep], distance[keep]
    seconds = model.seconds(distance)
    return (
        np.concatenate([a, b]).astype(np.int32),
        np.concatenate([b, a]).astype(np.int32),
        np.concatenate([seconds, seconds]).astype(np.int32),
    )


def footpaths_on_streets(
    lat: F64,
    lon: F64,
    eligible: npt.NDArray[np.bool_],
    model: WalkingModel,
    streets: StreetGraph,
) -> tuple[I32, I32, I32, int]:
    """Directed links between distinct eligible stops walking at most
    ``model.longest_walk_m`` along ``streets`` (each stop walks straight to its nearest
    street node first). A stop farther than ``model.radius_m`` from every node is off
    the streets: its links are the straight-line ones of :func:`footpaths_within_radius`.

    Returns ``(from_stop_idx, to_stop_idx, seconds, stops_off_streets)``.
    """
    candidates = np.flatnonzero(eligible & np.isfinite(lat) & np.isfinite(lon))
    node, snap = snap_to_nodes(streets, lat[candidates], lon[candidates])
    on_streets = (node >= 0) & (snap <= model.radius_m)
    a, b, metres = walks_between(
        streets, np.where(on_streets, node, -1).astype(np.int32), snap, model.longest_walk_m
    )
    from_idx, to_idx, seconds = candidates[a], candidates[b], model.seconds_walked(metres)
    off = np.zeros(len(lat), dtype=np.bool_)
    off[candidates[~on_streets]] = True
    if off.any():
        line_from, line_to, line_seconds = footpaths_within_radius(lat, lon, eligible, model)
        by_line = off[line_from] | off[line_to]
        from_idx = np.concatenate([from_idx, line_from[by_line]])
        to_idx = np.concatenate([to_idx, line_to[by_line]])
        seconds = np.concatenate([seconds, line_seconds[by_line]])
    return (
        from_idx.astype(np.int32),
        to_idx.astype(np.int32),
        seconds.astype(np.int32),
        int(off.sum()),
    )


def to_csr(n_stops: int, from_idx: I32, to_idx: I32, seconds: I32) -> tuple[I64, I32, I32]:
    """Sort links by (from, to) into ``(offsets, to_stop, seconds)``; duplicates keep the
    last given time for the pair."""
    if len(from_idx) == 0:
        return np.zeros(n_stops + 1, dtype=np.int64), from_idx, seconds
    order = np.lexsort((np.arange(len(from_idx)), to_idx, from_idx))
    f, t, s = from_idx[order], to_idx[order], seconds[order]
    last_of_pair = np.ones(len(f), dtype=np.bool_)
    last_of_pair[:-1] = (f[1:] != f[:-1]) | (t[1:] != t[:-1])
    f, t, s = f[last_of_pair], t[last_of_pair], s[last_of_pair]
    offsets = np.zeros(n_stops + 1, dtype=np.int64)
    np.cumsum(np.bincount(f, minlength=n_stops), out=offsets[1:])
    return offsets, t.astype(np.int32), s.astype(np.int32)
