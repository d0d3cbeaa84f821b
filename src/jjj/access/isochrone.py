"""Isochrones: the cells reached within each cutoff, as polygons by filled contours.

For each cutoff the indicator "reached within the cutoff" is sampled twice per cell
and axis (at a quarter and three quarters of the cell) and contoured at 0.5 with
contourpy: between two samples of neighbouring cells the line crosses exactly on
their shared edge. Rounding the vertices to cell corners (the chamfers contouring
cuts at corners are a quarter cell long) turns the polygons into the exact union of
the reached cells, so an isochrone's area equals its counted cells — no convex hull,
no interpolation between unrelated cells, holes kept. Areas are measured in the
grid's equal-area projection; GeoJSON output is WGS84.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import contourpy
import numpy as np
import numpy.typing as npt
import shapely

from jjj.access.grid import Grid
from jjj.access.surface import Surface

__all__ = ["Isochrone", "cells_to_polygons", "isochrones", "to_feature", "write_geojson"]

B1 = npt.NDArray[np.bool_]
I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Isochrone:
    """Cells reached within ``cutoff_minutes`` and their outline (grid metres)."""

    cutoff_minutes: float
    percentile: float
    n_cells: int
    area_m2: float
    geometry: shapely.Geometry
    properties: dict[str, Any]


def _polygons_on_corners(points_list: list[F64], offsets_list: list[I64]) -> F64 | None:
    """Build polygons from contour rings with vertices rounded to cell corners.

    Repeated vertices and vertices inside straight runs are dropped (all edges are
    axis-parallel once rounded); rings left with fewer than three corners vanish.
    """
    if not points_list:
        return None
    points = np.round(np.concatenate(points_list).astype(np.float64))
    ring_sizes = np.concatenate([np.diff(o) for o in offsets_list])
    ring_polygon = np.repeat(np.arange(len(offsets_list)), [len(o) - 1 for o in offsets_list])
    ring = np.repeat(np.arange(len(ring_sizes)), ring_sizes)
    # drop the closing vertex and repeats (cyclically, within each ring)
    for _ in range(2):
        starts = np.zeros(len(ring), dtype=np.bool_)
        starts[0] = True
        starts[1:] = ring[1:] != ring[:-1]
        first = np.flatnonzero(starts)
        last = np.append(first[1:], len(ring)) - 1
        previous = np.arange(len(ring)) - 1
        previous[first] = last
        keep = np.any(points != points[previous], axis=1)
        points, ring = points[keep], ring[keep]
        if len(ring) == 0:
            return None
        starts = np.zeros(len(ring), dtype=np.bool_)
        starts[0] = True
        starts[1:] = ring[1:] != ring[:-1]
        first = np.flatnonzero(starts)
        last = np.append(first[1:], len(ring)) - 1
        previous = np.arange(len(ring)) - 1
        previous[first] = last
        following = np.arange(len(ring)) + 1
        following[last] = first
        before = points - points[previous]
        after = points[following] - points
        cross = before[:, 0] * after[:, 1] - before[:, 1] * after[:, 0]
        keep = cross != 0
        points, ring = points[keep], ring[keep]
    counts = np.bincount(ring, minlength=len(ring_sizes))
    good_ring = counts >= 3
    # a polygon whose shell vanished vanishes with its holes
    shell = np.zeros(len(ring_sizes), dtype=np.bool_)
    shell[np.concatenate([[0], np.cumsum([len(o) - 1 for o in offsets_list])[:-1]])] = True
    good_polygon = np.zeros(len(offsets_list), dtype=np.bool_)
    good_polygon[ring_polygon[shell & good_ring]] = True
    good_ring &= good_polygon[ring_polygon]
    if not good_ring.any():
        return None
    keep = good_ring[ring]
    points, ring = points[keep], ring[keep]
    ring_new = np.cumsum(good_ring) - 1
    rings = shapely.linearrings(points, indices=ring_new[ring])
    kept_polygon = ring_polygon[good_ring]
    polygon_new = np.cumsum(good_polygon) - 1
    polygons: F64 = shapely.polygons(rings, indices=polygon_new[kept_polygon])
    return polygons


def cells_to_polygons(grid: Grid, cells: I64) -> shapely.Geometry:
    """The exact outline of a set of flat cells (a MultiPolygon in grid metres)."""
    if len(cells) == 0:
        return shapely.MultiPolygon()
    rows, cols = np.divmod(np.asarray(cells, dtype=np.int64), grid.nx)
    r0, r1 = int(rows.min()) - 1, int(rows.max()) + 2
    c0, c1 = int(cols.min()) - 1, int(cols.max()) + 2
    window = np.zeros((r1 - r0, c1 - c0), dtype=np.float64)
    window[rows - r0, cols - c0] = 1.0
    z = np.repeat(np.repeat(window, 2, axis=0), 2, axis=1)
    # sample positions in cell units from the window's south-west corner
    x = (np.arange(z.shape[1]) * 0.5 + 0.25).astype(np.float64)
    y = (np.arange(z.shape[0]) * 0.5 + 0.25).astype(np.float64)
    generator = contourpy.contour_generator(
        x, y, z, name="serial", fill_type=contourpy.FillType.OuterOffset, corner_mask=False
    )
    filled: Any = generator.filled(0.5, 1.5)
    polygons = _polygons_on_corners(list(filled[0]), list(filled[1]))
    if polygons is None:
        return shapely.MultiPolygon()
    # a ring touching itself at a cell corner makes an invalid polygon: only those are
    # rebuilt (buffer(0) on integer corners keeps them exact, and is the cheapest)
    valid = shapely.is_valid(polygons)
    if not valid.all():
        polygons = polygons.copy()
        polygons[~valid] = shapely.buffer(polygons[~valid], 0)
    parts = shapely.get_parts(polygons)
    parts = parts[shapely.get_type_id(parts) == 3]
    merged = shapely.MultiPolygon(list(parts))

    def to_metres(xy: F64) -> F64:
        return np.column_stack(
            (grid.x0 + (xy[:, 0] + c0) * grid.cell_m, grid.y0 + (xy[:, 1] + r0) * grid.cell_m)
        )

    result: shapely.Geometry = shapely.transform(merged, to_metres)
    if shapely.get_type_id(result) == 3:
        result = shapely.MultiPolygon([result])
    return result


def isochrones(
    surface: Surface, cutoffs_minutes: list[float], *, percentile: float
) -> list[Isochrone]:
    """One isochrone per cutoff (cumulative: cells within the cutoff)."""
    out = []
    for cutoff in sorted(cutoffs_minutes):
        cells = surface.within(percentile, round(cutoff * 60))
        geometry = cells_to_polygons(surface.grid, cells)
        out.append(
            Isochrone(
                cutoff_minutes=cutoff,
                percentile=percentile,
                n_cells=len(cells),
                area_m2=float(shapely.area(geometry)),
                geometry=geometry,
                properties={},
            )
        )
    return out


def to_lonlat_geometry(grid: Grid, geometry: shapely.Geometry) -> shapely.Geometry:
    """A grid-metre geometry in WGS84 degrees."""

    def inverse(xy: F64) -> F64:
        lon, lat = grid.to_lonlat(xy[:, 0], xy[:, 1])
        return np.column_stack((lon, lat))

    result: shapely.Geometry = shapely.transform(geometry, inverse)
    return result


def to_feature(grid: Grid, isochrone: Isochrone, **properties: Any) -> dict[str, Any]:
    """A GeoJSON Feature (WGS84, coordinates to 1e-6°)."""
    geometry = shapely.set_precision(to_lonlat_geometry(grid, isochrone.geometry), 1e-6)
    props: dict[str, Any] = {
        "cutoff_minutes": isochrone.cutoff_minutes,
        "percentile": isochrone.percentile,
        "cells": isochrone.n_cells,
        "cell_m": grid.cell_m,
        "area_km2": round(isochrone.area_m2 / 1e6, 6),
    }
    props.update(isochrone.properties)
    props.update(properties)
    return {
        "type": "Feature",
        "properties": props,
        "geometry": json.loads(shapely.to_geojson(geometry)),
    }


def write_geojson(path: str | Path, features: list[dict[str, Any]], **meta: Any) -> Path:
    """Write a FeatureCollection (with ``meta`` as foreign members)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    document: dict[str, Any] = {"type": "FeatureCollection", **meta, "features": features}
    target.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return target
