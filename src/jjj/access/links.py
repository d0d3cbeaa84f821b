"""Walking links between places (points, grid cells) and the stops of a network.

A walk is the straight-line distance × the detour factor at the walking speed of a
:class:`jjj.timetable.footpaths.WalkingModel` (the same model the network's
footpaths use), up to ``max_walk_seconds``. Only stops that some pattern serves are
linked: walking to any other stop never helps. Links are CSR lists per place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.spatial import cKDTree

from jjj.access.grid import Grid
from jjj.streets.geo import EARTH_RADIUS_M, haversine_m
from jjj.timetable.footpaths import WalkingModel
from jjj.timetable.network import Network

__all__ = [
    "DirectWalks",
    "Walk",
    "WalkLinks",
    "cell_links",
    "direct_walk_seconds",
    "point_links",
    "served_stops",
]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
I32 = npt.NDArray[np.int32]


@dataclass(frozen=True)
class Walk:
    """How far people walk to, from and instead of transit."""

    model: WalkingModel = field(default_factory=WalkingModel)
    max_walk_seconds: int = 15 * 60

    @property
    def radius_m(self) -> float:
        """The straight-line distance walked in ``max_walk_seconds``."""
        return self.max_walk_seconds * self.model.speed_mps / self.model.detour_factor

    def seconds(self, distance_m: npt.ArrayLike) -> I32:
        """Walking seconds for straight-line distances (rounded up)."""
        return self.model.seconds(distance_m)


@dataclass(frozen=True)
class WalkLinks:
    """For place ``i``: stops ``stops[offsets[i]:offsets[i+1]]`` at ``seconds`` walking."""

    offsets: I64
    stops: I32
    seconds: I32

    def __len__(self) -> int:
        return int(self.offsets.shape[0]) - 1

    def counts(self) -> I64:
        """Links per place."""
        return np.diff(self.offsets)

    def take(self, places: npt.ArrayLike) -> WalkLinks:
        """The links of a subset of places, in the given order."""
        chosen = np.asarray(places, dtype=np.int64)
        counts = np.diff(self.offsets)[chosen]
        offsets = np.zeros(len(chosen) + 1, dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
        starts = np.repeat(self.offsets[chosen], counts)
        within = np.arange(int(offsets[-1]), dtype=np.int64) - np.repeat(offsets[:-1], counts)
        rows = starts + within
        return WalkLinks(offsets, self.stops[rows], self.seconds[rows])


def served_stops(network: Network) -> I32:
    """stop_idx of the stops some pattern visits."""
    return np.unique(np.asarray(network.pattern_stops, dtype=np.int32))


def _unit_xyz(lat: F64, lon: F64) -> F64:
    phi = np.radians(lat)
    lam = np.radians(lon)
    xyz: F64 = (
        np.column_stack((np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)))
        * EARTH_RADIUS_M
    )
    return xyz


def _to_csr(n_places: int, place: I64, stop: I32, seconds: I32) -> WalkLinks:
    order = np.lexsort((seconds, place))
    offsets = np.zeros(n_places + 1, dtype=np.int64)
    np.cumsum(np.bincount(place, minlength=n_places), out=offsets[1:])
    return WalkLinks(offsets, stop[order].astype(np.int32), seconds[order].astype(np.int32))


def _served_stop_tree(network: Network) -> tuple[I32, Any]:
    """The located served stops and a k-d tree of their positions (cached per network:
    one isochrone or plan asks for one point's links, and building these took longer
    than the rest of it)."""
    cached = network._extra.get("access.served_stop_tree")
    if cached is None:
        stops = served_stops(network)
        finite = np.isfinite(network.stop_lat[stops]) & np.isfinite(network.stop_lon[stops])
        stops = stops[finite]
        tree = (
            cKDTree(_unit_xyz(network.stop_lat[stops], network.stop_lon[stops]))
            if len(stops)
            else None
        )
        cached = (stops, tree)
        network._extra["access.served_stop_tree"] = cached
    return cached


def point_links(network: Network, lat: F64, lon: F64, walk: Walk) -> WalkLinks:
    """Links from each WGS84 point to the served stops within walking reach."""
    stops, tree = _served_stop_tree(network)
    n_places = int(lat.shape[0])
    if tree is None or n_places == 0:
        return _to_csr(
            n_places, np.zeros(0, np.int64), np.zeros(0, np.int32), np.zeros(0, np.int32)
        )
    # chords are shorter than arcs: query a little wider, then filter on the arc
    found = tree.query_ball_point(_unit_xyz(lat, lon), r=walk.radius_m * 1.0001 + 1.0)
    counts = np.fromiter((len(f) for f in found), dtype=np.int64, count=n_places)
    place = np.repeat(np.arange(n_places, dtype=np.int64), counts)
    local = (
        np.fromiter((i for f in found for i in f), dtype=np.int64, count=int(counts.sum()))
        if counts.sum()
        else np.zeros(0, np.int64)
    )
    stop = stops[local]
    distance = haversine_m(lat[place], lon[place], network.stop_lat[stop], network.stop_lon[stop])
    seconds = walk.seconds(distance)
    keep = seconds <= walk.max_walk_seconds
    return _to_csr(n_places, place[keep], stop[keep], seconds[keep])


def direct_walk_seconds(lat: float, lon: float, to_lat: F64, to_lon: F64, walk: Walk) -> I32:
    """Walking seconds from one point to each of many (-1 beyond the walking limit)."""
    seconds = walk.seconds(haversine_m(lat, lon, to_lat, to_lon))
    result: I32 = np.where(seconds <= walk.max_walk_seconds, seconds, -1).astype(np.int32)
    return result


class DirectWalks:
    """Walks straight from any point to fixed destinations, looked up in a k-d tree so
    that each query costs the destinations within reach, not all of them."""

    def __init__(self, lat: F64, lon: F64, walk: Walk) -> None:
        self.lat = lat
        self.lon = lon
        self.walk = walk
        self.tree = cKDTree(_unit_xyz(lat, lon)) if len(lat) else None
        self._none = np.full(len(lat), -1, dtype=np.int32)

    def seconds(self, lat: float, lon: float) -> I32:
        """Walking seconds to each destination (-1 beyond the walking limit)."""
        out = self._none.copy()
        if self.tree is None:
            return out
        near = np.asarray(
            self.tree.query_ball_point(
                _unit_xyz(np.array([lat]), np.array([lon]))[0], r=self.walk.radius_m * 1.0001 + 1.0
            ),
            dtype=np.int64,
        )
        if len(near):
            out[near] = direct_walk_seconds(lat, lon, self.lat[near], self.lon[near], self.walk)
        return out

    def links(self, lat: F64, lon: F64) -> WalkLinks:
        """For many points at once: the destinations within walking reach of each (as
        ``stops``, destination positions) and the walk straight there, the values
        :meth:`seconds` gives."""
        n_places = int(lat.shape[0])
        if self.tree is None or n_places == 0:
            return _to_csr(
                n_places, np.zeros(0, np.int64), np.zeros(0, np.int32), np.zeros(0, np.int32)
            )
        found = self.tree.query_ball_point(_unit_xyz(lat, lon), r=self.walk.radius_m * 1.0001 + 1.0)
        counts = np.fromiter((len(f) for f in found), dtype=np.int64, count=n_places)
        place = np.repeat(np.arange(n_places, dtype=np.int64), counts)
        near = np.fromiter((i for f in found for i in f), dtype=np.int64, count=int(counts.sum()))
        seconds = self.walk.seconds(
            haversine_m(lat[place], lon[place], self.lat[near], self.lon[near])
        )
        keep = seconds <= self.walk.max_walk_seconds
        return _to_csr(n_places, place[keep], near[keep].astype(np.int32), seconds[keep])


def cell_links(network: Network, grid: Grid, walk: Walk) -> tuple[I64, WalkLinks]:
    """The grid cells within walking reach of a served stop, and their links.

    Returns ``(cells, links)``: flat indices of the linked cells (sorted) and, for each,
    its stops. Distances are measured in the grid's projection, centre to stop.
    """
    stops = served_stops(network)
    stops = stops[np.isfinite(network.stop_lat[stops]) & np.isfinite(network.stop_lon[stops])]
    x, y = grid.to_xy(network.stop_lon[stops], network.stop_lat[stops])
    reach = int(np.ceil(walk.radius_m / grid.cell_m)) + 1
    offsets = np.arange(-reach, reach + 1)
    dcol = np.tile(offsets, len(offsets))
    drow = np.repeat(offsets, len(offsets))
    col = np.floor((x - grid.x0) / grid.cell_m).astype(np.int64)
    row = np.floor((y - grid.y0) / grid.cell_m).astype(np.int64)
    cc = col[:, None] + dcol[None, :]
    rr = row[:, None] + drow[None, :]
    cx = grid.x0 + (cc + 0.5) * grid.cell_m
    cy = grid.y0 + (rr + 0.5) * grid.cell_m
    distance = np.hypot(cx - x[:, None], cy - y[:, None])
    seconds = walk.seconds(distance)
    keep = (
        (seconds <= walk.max_walk_seconds) & (cc >= 0) & (cc < grid.nx) & (rr >= 0) & (rr < grid.ny)
    )
    flat = (rr * grid.nx + cc)[keep]
    stop = np.broadcast_to(stops[:, None], keep.shape)[keep]
    cells, place = np.unique(flat, return_inverse=True)
    return cells.astype(np.int64), _to_csr(len(cells), place.astype(np.int64), stop, seconds[keep])
