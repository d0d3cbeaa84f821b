"""Isochrones: the cells reached within each cutoff, as polygons.

The outline of the reached cells is traced along the cell edges
(:mod:`jjj.access.outline`), so each polygon is the exact union of its cells — no
convex hull, no interpolation between unrelated cells, holes kept — and an
isochrone's area equals its counted cells. Areas are measured in the grid's
equal-area projection; GeoJSON output is WGS84.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely

from jjj.access.grid import Grid
from jjj.access.outline import trace_outline
from jjj.access.surface import Surface

__all__ = ["Isochrone", "cells_to_polygons", "isochrones", "to_feature", "write_geojson"]

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


def cells_to_polygons(grid: Grid, cells: I64) -> shapely.Geometry:
    """The exact outline of a set of flat cells (a MultiPolygon in grid metres)."""
    if len(cells) == 0:
        return shapely.MultiPolygon()
    rows, cols = np.divmod(np.asarray(cells, dtype=np.int64), grid.nx)
    r0, c0 = int(rows.min()), int(cols.min())
    window = np.zeros((int(rows.max()) - r0 + 1, int(cols.max()) - c0 + 1), dtype=np.bool_)
    window[rows - r0, cols - c0] = True
    corners, corner_ring, ring_polygon = trace_outline(window)
    xy = np.empty(corners.shape, dtype=np.float64)
    xy[:, 0] = grid.x0 + (corners[:, 0] + c0) * grid.cell_m
    xy[:, 1] = grid.y0 + (corners[:, 1] + r0) * grid.cell_m
    rings = shapely.linearrings(xy, indices=corner_ring)
    polygons = shapely.polygons(rings, indices=ring_polygon)
    return shapely.multipolygons(polygons)


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
