"""A day view's table of lower bounds between areas (target pruning from round one).

A search towards a destination drops labels that cannot beat the best arrival found
so far, given a lower bound on each stop's remaining time. Computing exact bounds
takes a Dijkstra per destination, which costs about as much as it saves in one
point-to-point search. A table computed once per view answers every destination:
the stops are grouped into areas (square cells of a grid over their coordinates, sized
for about :data:`STOPS_PER_AREA` served stops each, at most :data:`MAX_AREAS`), and
``area_bounds[c, o]`` is the least bound from any stop of area ``o`` to any stop of
area ``c`` (one Dijkstra per area over the view's graph of quickest rides and walks,
:mod:`jjj.routing.kernels.bounds`). A search folds the rows of its egress areas.
Building it takes 0.03 s for the NYC subway and 0.18 s for Brooklyn's buses (512
areas, two threads).

The table is worth building when one view answers many searches (a server, a batch,
a benchmark); :class:`jjj.routing.planner.Planner` builds it with ``area_bounds=True``.
"""

from __future__ import annotations

import dataclasses
import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import numpy.typing as npt

from jjj.routing.dayview import DayView
from jjj.routing.kernels.arrays import allocate_state
from jjj.routing.kernels.bounds import area_bound_rows
from jjj.timetable.network import Network

__all__ = ["MAX_AREAS", "STOPS_PER_AREA", "stop_areas", "with_area_bounds"]

I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]

#: About how many served stops share an area (a coarser grid builds faster and folds
#: faster, but bounds less: on the NYC subway 2 gave searches 12 % faster than 8).
STOPS_PER_AREA = 2
#: At most this many areas (the table has their square: 512 KiB at 512; on Brooklyn's
#: buses 1,024 areas bounded no better and took longer to fold than 570).
MAX_AREAS = 512
_EARTH_RADIUS_M = 6_371_000.0


def _cells(x: F64, y: F64, size: float) -> tuple[I64, int]:
    """Each point's grid cell of side ``size`` (numbered densely) and their count."""
    column = np.floor((x - x.min()) / size).astype(np.int64)
    row = np.floor((y - y.min()) / size).astype(np.int64)
    _, cell = np.unique(column * (int(row.max()) + 1) + row, return_inverse=True)
    return cell.astype(np.int64), int(cell.max()) + 1


def stop_areas(lat: F64, lon: F64, max_areas: int) -> I32:
    """The area of each stop: the cells of the finest square grid (side found by
    bisection) with at most ``max_areas`` non-empty cells. Stops without finite
    coordinates share one area of their own."""
    lat = np.asarray(lat, dtype=np.float64)
    lon = np.asarray(lon, dtype=np.float64)
    known = np.isfinite(lat) & np.isfinite(lon)
    areas = np.full(lat.shape[0], -1, dtype=np.int32)
    if not known.any():
        areas[:] = 0
        return areas
    budget = max(1, max_areas - int((~known).any()))
    y = np.radians(lat[known]) * _EARTH_RADIUS_M
    x = np.radians(lon[known]) * _EARTH_RADIUS_M * np.cos(np.radians(float(lat[known].mean())))
    span = max(float(np.ptp(x)), float(np.ptp(y)), 1.0)
    small, large = 1.0, 2.0 * span  # one cell at ``large``; ``small`` may give too many
    cell, count = _cells(x, y, large)
    for _ in range(40):
        if large - small < 1.0:
            break
        middle = (small + large) / 2
        trial, n = _cells(x, y, middle)
        if n <= budget:
            large, cell, count = middle, trial, n
        else:
            small = middle
    areas[known] = cell
    areas[~known] = count
    return areas


def with_area_bounds(
    view: DayView, network: Network, *, max_areas: int | None = None, threads: int | None = None
) -> DayView:
    """``view`` with its area table (see the module doc); a reversed view gets the
    forward table transposed (a bound from ``a`` to ``b`` forwards is one from ``b``
    to ``a`` backwards)."""
    if view.reversed:
        raise ValueError("build the table on the forward view; reverse_view carries it over")
    n_stops = view.n_stops
    served = np.unique(view.arrays.pat.vp_stops).shape[0]
    if max_areas is None:
        max_areas = min(MAX_AREAS, max(1, served // STOPS_PER_AREA))
    areas = stop_areas(network.stop_lat[:n_stops], network.stop_lon[:n_stops], max_areas)
    n_areas = int(areas.max()) + 1
    order = np.argsort(areas, kind="stable").astype(np.int32)
    offsets = np.zeros(n_areas + 1, dtype=np.int64)
    np.cumsum(np.bincount(areas, minlength=n_areas), out=offsets[1:])
    table = np.empty((n_areas, n_areas), dtype=np.uint16)
    links = view.arrays.links
    n_threads = max(1, min(threads or os.cpu_count() or 1, n_areas))
    bounds = np.linspace(0, n_areas, n_threads + 1).astype(np.int64)

    def rows(part: int) -> None:
        scratch = allocate_state(n_stops, 1, 1, events=1, offers=1)
        area_bound_rows(
            links, scratch.labels, scratch.work, offsets, order, areas,
            int(bounds[part]), int(bounds[part + 1]), table,
        )  # fmt: skip

    if n_threads == 1:
        rows(0)
    else:
        with ThreadPoolExecutor(n_threads) as pool:
            list(pool.map(rows, range(n_threads)))
    return dataclasses.replace(
        view,
        arrays=view.arrays._replace(links=links._replace(stop_area=areas, area_bounds=table)),
    )
