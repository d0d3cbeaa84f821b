"""Population on the grid: each zone's head count spread over its cells by area.

A cell receives ``population(zone) × area(cell ∩ zone) / area(zone)`` from every zone
it overlaps (areas in the grid's equal-area projection, computed exactly by
:func:`jjj.access.raster.polygon_coverage`), so the grid total equals the zones'
total whenever the grid covers them; population of zone parts outside the grid is
counted in ``outside`` and reported, never dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import shapely

from jjj.access.grid import Grid
from jjj.access.raster import polygon_coverage
from jjj.access.zones import Zones

__all__ = ["PopulationGrid", "apportion", "project_geometry"]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
I32 = npt.NDArray[np.int32]
B1 = npt.NDArray[np.bool_]


def project_geometry(geometry: npt.NDArray[np.object_], grid: Grid) -> npt.NDArray[np.object_]:
    """WGS84 geometries in the grid's projected metres."""

    def forward(xy: F64) -> F64:
        x, y = grid.to_xy(xy[:, 0], xy[:, 1])
        return np.column_stack((x, y))

    projected: npt.NDArray[np.object_] = shapely.transform(geometry, forward)
    return projected


@dataclass(frozen=True)
class PopulationGrid:
    """Population per cell and, per zone, the cells it contributes to.

    ``zone_cells_offsets``/``zone_cells``/``zone_cell_population`` form a CSR list:
    zone ``z`` puts ``zone_cell_population[i]`` people in flat cell ``zone_cells[i]``
    for ``i`` in its span.
    """

    grid: Grid
    zones: Zones
    population: F64
    zone_cells_offsets: I64
    zone_cells: I32
    zone_cell_population: F64
    outside: F64

    @property
    def total(self) -> float:
        """People on the grid."""
        return float(self.population.sum())

    def zone_of_entry(self) -> I64:
        """The zone of each CSR entry."""
        return np.repeat(np.arange(len(self.zones)), np.diff(self.zone_cells_offsets))

    def reached_by_zone(self, reached: B1) -> F64:
        """People of each zone living in the cells flagged in ``reached`` (flat, n_cells)."""
        weights = self.zone_cell_population * reached[self.zone_cells]
        result: F64 = np.bincount(
            self.zone_of_entry(), weights=weights, minlength=len(self.zones)
        ).astype(np.float64)
        return result

    def reached_total(self, reached: B1) -> float:
        """People living in the cells flagged in ``reached`` (flat, n_cells)."""
        return float(self.population.ravel()[reached].sum())


def apportion(zones: Zones, grid: Grid) -> PopulationGrid:
    """Spread each zone's population over the grid cells by area (see the module doc)."""
    projected = project_geometry(zones.geometry, grid)
    cell = grid.cell_m
    cells_parts: list[I32] = []
    pop_parts: list[F64] = []
    counts = np.zeros(len(zones), dtype=np.int64)
    outside = np.zeros(len(zones), dtype=np.float64)
    for z, polygon in enumerate(projected.tolist()):
        head_count = float(zones.population[z])
        total_area = float(shapely.area(polygon))
        bx0, by0, bx1, by1 = shapely.bounds(polygon).tolist()
        c0 = max(0, int(np.floor((bx0 - grid.x0) / cell)))
        r0 = max(0, int(np.floor((by0 - grid.y0) / cell)))
        c1 = min(grid.nx, int(np.ceil((bx1 - grid.x0) / cell)))
        r1 = min(grid.ny, int(np.ceil((by1 - grid.y0) / cell)))
        if total_area <= 0 or c1 <= c0 or r1 <= r0:
            point = shapely.point_on_surface(polygon)
            where = int(grid.cell_of_xy(shapely.get_x(point), shapely.get_y(point)))
            if total_area <= 0 and where >= 0:
                cells_parts.append(np.array([where], dtype=np.int32))
                pop_parts.append(np.array([head_count]))
                counts[z] = 1
            else:
                outside[z] = head_count
            continue
        coverage = polygon_coverage(
            polygon,
            x0=grid.x0 + c0 * cell,
            y0=grid.y0 + r0 * cell,
            cell=cell,
            nx=c1 - c0,
            ny=r1 - r0,
        )
        rows, cols = np.nonzero(coverage > 0)
        people = coverage[rows, cols] * (grid.cell_area_m2 * head_count / total_area)
        flat = ((rows + r0) * grid.nx + (cols + c0)).astype(np.int32)
        cells_parts.append(flat)
        pop_parts.append(people)
        counts[z] = len(flat)
        missing = head_count - float(people.sum())
        outside[z] = missing if missing > 1e-6 * max(head_count, 1.0) else 0.0
    offsets = np.zeros(len(zones) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    zone_cells = np.concatenate(cells_parts) if cells_parts else np.zeros(0, np.int32)
    zone_people = np.concatenate(pop_parts) if pop_parts else np.zeros(0)
    population = np.bincount(zone_cells, weights=zone_people, minlength=grid.n_cells).astype(
        np.float64
    )
    return PopulationGrid(
        grid=grid,
        zones=zones,
        population=population.reshape(grid.shape),
        zone_cells_offsets=offsets,
        zone_cells=zone_cells,
        zone_cell_population=zone_people,
        outside=outside,
    )
