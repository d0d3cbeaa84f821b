"""Travel-time surfaces: percentiles of travel time from one origin to every grid cell.

Only cells within walking reach of a served stop (or of the origin) can be reached;
a surface stores those cells (sorted flat indices) and their times, and makes dense
arrays (whole grid or a window around the reached cells) on demand.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from jjj.access.grid import DEFAULT_CELL_M, Grid, laea_crs
from jjj.access.links import Walk, WalkLinks, cell_links, served_stops
from jjj.access.one_departure import OneDeparture
from jjj.access.reverse import ToPlace, reduce_to_place
from jjj.access.traveltime import TravelTimeComputer, TravelTimeSpec
from jjj.errors import AccessError
from jjj.ids import UNREACHED
from jjj.timetable.network import Network

__all__ = ["GridTargets", "Surface", "SurfaceComputer", "network_grid", "walk_cells"]

I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]
B1 = npt.NDArray[np.bool_]


def network_grid(
    network: Network,
    walk: Walk,
    *,
    cell_m: float = DEFAULT_CELL_M,
    points: list[tuple[float, float]] | None = None,
) -> Grid:
    """A grid over the served stops (and ``points``, ``(lat, lon)``) plus the walking
    reach around them, in an equal-area projection centred on them."""
    stops = served_stops(network)
    lat = np.asarray(network.stop_lat[stops], dtype=np.float64)
    lon = np.asarray(network.stop_lon[stops], dtype=np.float64)
    if points:
        lat = np.concatenate([lat, [p[0] for p in points]])
        lon = np.concatenate([lon, [p[1] for p in points]])
    keep = np.isfinite(lat) & np.isfinite(lon)
    if not keep.any():
        raise AccessError("the network has no located stops to put a grid around")
    lat, lon = lat[keep], lon[keep]
    crs = laea_crs(float((lat.min() + lat.max()) / 2), float((lon.min() + lon.max()) / 2))
    probe = Grid(crs=crs, cell_m=cell_m, x0=0.0, y0=0.0, nx=1, ny=1)
    x, y = probe.to_xy(lon, lat)
    margin = walk.radius_m + cell_m
    return Grid.covering_xy(
        float(x.min() - margin),
        float(y.min() - margin),
        float(x.max() + margin),
        float(y.max() + margin),
        cell_m=cell_m,
        crs=crs,
    )


@dataclass(frozen=True)
class GridTargets:
    """The cells within walking reach of a served stop and their links."""

    grid: Grid
    cells: I64
    links: WalkLinks

    @classmethod
    def build(cls, network: Network, grid: Grid, walk: Walk) -> GridTargets:
        cells, links = cell_links(network, grid, walk)
        return cls(grid=grid, cells=cells, links=links)


def walk_cells(grid: Grid, lat: float, lon: float, walk: Walk) -> tuple[I64, I32]:
    """Cells whose centre is within walking reach of a point, and the walking seconds."""
    x, y = grid.to_xy(np.array([lon]), np.array([lat]))
    reach = int(np.ceil(walk.radius_m / grid.cell_m)) + 1
    col0 = int(np.floor((x[0] - grid.x0) / grid.cell_m))
    row0 = int(np.floor((y[0] - grid.y0) / grid.cell_m))
    offsets = np.arange(-reach, reach + 1)
    cols = (col0 + offsets)[None, :].repeat(len(offsets), 0).ravel()
    rows = (row0 + offsets)[:, None].repeat(len(offsets), 1).ravel()
    inside = (cols >= 0) & (cols < grid.nx) & (rows >= 0) & (rows < grid.ny)
    cols, rows = cols[inside], rows[inside]
    cx = grid.x0 + (cols + 0.5) * grid.cell_m
    cy = grid.y0 + (rows + 0.5) * grid.cell_m
    seconds = walk.seconds(np.hypot(cx - x[0], cy - y[0]))
    keep = seconds <= walk.max_walk_seconds
    return (rows[keep] * grid.nx + cols[keep]).astype(np.int64), seconds[keep].astype(np.int32)


@dataclass(frozen=True)
class Surface:
    """Percentile travel times from one origin: ``times[p, i]`` seconds to flat cell
    ``cells[i]`` (UNREACHED when that percentile does not reach it)."""

    grid: Grid
    percentiles: tuple[float, ...]
    cells: I64
    times: I32
    origin_lat: float
    origin_lon: float
    linked: bool

    def percentile_index(self, percentile: float) -> int:
        """Row of ``times`` holding ``percentile``."""
        for i, p in enumerate(self.percentiles):
            if abs(p - percentile) < 1e-9:
                return i
        have = ", ".join(f"{p:g}" for p in self.percentiles)
        raise AccessError(f"percentile {percentile:g} was not computed (have {have})")

    def within(self, percentile: float, seconds: int) -> I64:
        """Flat cells reached within ``seconds`` at ``percentile``."""
        row = self.times[self.percentile_index(percentile)]
        result: I64 = self.cells[row <= seconds]
        return result

    def reached_mask(self, percentile: float, seconds: int) -> B1:
        """Flat boolean mask over all grid cells: reached within ``seconds``."""
        mask = np.zeros(self.grid.n_cells, dtype=np.bool_)
        mask[self.within(percentile, seconds)] = True
        return mask

    def dense(self, percentile: float) -> I32:
        """``(ny, nx)`` seconds over the whole grid (UNREACHED where not reached)."""
        out = np.full(self.grid.n_cells, UNREACHED, dtype=np.int32)
        out[self.cells] = self.times[self.percentile_index(percentile)]
        return out.reshape(self.grid.shape)

    def at(self, percentile: float, lat: npt.ArrayLike, lon: npt.ArrayLike) -> I32:
        """Seconds at the cells holding WGS84 points (UNREACHED outside or not reached)."""
        flat = self.grid.cell_of_lonlat(lon, lat)
        row = self.times[self.percentile_index(percentile)]
        position = np.searchsorted(self.cells, flat)
        position = np.clip(position, 0, max(len(self.cells) - 1, 0))
        found = (flat >= 0) & (len(self.cells) > 0)
        if len(self.cells):
            found &= self.cells[position] == flat
        values = row[position] if len(self.cells) else np.zeros(len(flat), np.int32)
        result: I32 = np.where(found, values, UNREACHED).astype(np.int32)
        return result


class SurfaceComputer:
    """Surfaces of many places over one grid and one window (shares the router).

    ``direction="from"``: travel times from the place to every cell, leaving in the
    window; ``"to"``: from every cell to the place, leaving in the window (mirrored
    search, exact to the minute: see :mod:`jjj.access.reverse`).
    """

    def __init__(
        self,
        network: Network,
        spec: TravelTimeSpec,
        targets: GridTargets,
        *,
        direction: str = "from",
    ) -> None:
        if direction not in ("from", "to"):
            raise AccessError(f"direction {direction!r}: 'from' or 'to'")
        self.spec = spec
        self.targets = targets
        self.direction = direction
        self.computer = TravelTimeComputer(
            network, spec, targets.links, build_router=direction == "from"
        )
        # one departure: one compiled call per surface, no per-minute machinery
        self.one_departure = (
            OneDeparture(self.computer)
            if direction == "from" and spec.window.minutes == 1
            else None
        )
        self.to_place = (
            ToPlace(network, spec.window, max_seconds=spec.max_seconds, max_rounds=spec.max_rounds)
            if direction == "to"
            else None
        )

    def _to(self, stops: I32, seconds: I32) -> tuple[I32, bool]:
        assert self.to_place is not None
        links = self.targets.links
        times = np.full((len(links), len(self.computer.ranks)), UNREACHED, dtype=np.int32)
        reached = np.zeros(len(links), dtype=np.int16)
        if len(stops):
            latest = self.to_place.latest_departures(stops, seconds)
            reduce_to_place(
                latest,
                self.to_place.arrivals_grid,
                self.spec.window.departures(),
                links.offsets,
                links.stops,
                links.seconds,
                self.spec.max_seconds,
                self.computer.ranks,
                times,
                reached,
            )
        return times, len(stops) > 0

    def surface(self, lat: float, lon: float) -> Surface:
        """The surface of one place."""
        grid = self.targets.grid
        access = self.computer.origin_links(np.array([lat]), np.array([lon]))
        if self.direction == "to":
            raw, linked = self._to(access.stops, access.seconds)
        elif self.one_departure is not None:
            rows, _, linked_rows = self.one_departure.rows(
                np.array([lat]), np.array([lon]), len(self.spec.percentiles), access
            )
            raw, linked = rows[0], bool(linked_rows[0])
        else:
            result = self.computer.from_origin(lat, lon, access.stops, access.seconds)
            raw, linked = result.times, result.linked
        times = raw.T  # (P, n_targets)
        cells = self.targets.cells
        walk, walk_seconds = walk_cells(grid, lat, lon, self.spec.walk)
        if len(walk):
            # the cells walked to straight from the origin: the shorter time where a cell
            # is a target already (targets are sorted and unique, so no full re-sort)
            at = np.searchsorted(cells, walk)
            present = at < len(cells)
            present[present] = cells[at[present]] == walk[present]
            times = np.array(times, dtype=np.int32, copy=True)
            hit = at[present]
            times[:, hit] = np.minimum(times[:, hit], walk_seconds[present][None, :])
            missing = ~present
            if missing.any():
                cells = np.insert(cells, at[missing], walk[missing])
                extra = np.repeat(walk_seconds[missing][None, :], times.shape[0], axis=0)
                times = np.insert(times, at[missing], extra, axis=1)
        keep = (times < UNREACHED).any(axis=0)
        return Surface(
            grid=grid,
            percentiles=self.spec.percentiles,
            cells=cells[keep],
            times=np.ascontiguousarray(times[:, keep]),
            origin_lat=lat,
            origin_lon=lon,
            linked=linked,
        )
