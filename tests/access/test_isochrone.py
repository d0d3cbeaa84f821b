"""Isochrones: polygon areas equal the counted cells; outlines equal the union of the cells."""

from __future__ import annotations

import json

import numpy as np
import pytest
import shapely

from jjj.access.grid import Grid, laea_crs
from jjj.access.isochrone import cells_to_polygons, isochrones, to_feature
from jjj.access.links import Walk
from jjj.access.router import Window
from jjj.access.surface import GridTargets, SurfaceComputer, network_grid
from jjj.access.traveltime import TravelTimeSpec
from jjj.timetable import Network
from tests.access.conftest import REGION_DAY

GRID = Grid(crs=laea_crs(39.9, 116.4), cell_m=250.0, x0=-10_000.0, y0=5_000.0, nx=120, ny=90)


def _boxes(grid: Grid, cells: np.ndarray) -> shapely.Geometry:
    rows, cols = np.divmod(cells, grid.nx)
    x = grid.x0 + cols * grid.cell_m
    y = grid.y0 + rows * grid.cell_m
    return shapely.union_all(shapely.box(x, y, x + grid.cell_m, y + grid.cell_m))


@pytest.mark.parametrize("density", [0.05, 0.3, 0.5, 0.7, 0.95])
def test_outline_is_exactly_the_union_of_the_cells(density: float) -> None:
    rng = np.random.default_rng(int(density * 100))
    cells = np.flatnonzero(rng.random(GRID.n_cells) < density)
    outline = cells_to_polygons(GRID, cells)
    assert shapely.is_valid(outline)
    assert shapely.area(outline) == pytest.approx(len(cells) * GRID.cell_area_m2, rel=1e-12)
    difference = shapely.symmetric_difference(outline, _boxes(GRID, cells))
    assert shapely.area(difference) == pytest.approx(0.0, abs=1e-6)


def test_hand_drawn_shapes_keep_holes_and_diagonal_touches() -> None:
    grid = Grid(crs=GRID.crs, cell_m=100.0, x0=0.0, y0=0.0, nx=6, ny=6)
    mask = np.zeros((6, 6), dtype=np.bool_)
    mask[1:4, 1:4] = True  # a 3×3 ring ...
    mask[2, 2] = False  # ... with a hole
    mask[4, 4] = True  # a cell touching the ring at one corner
    outline = cells_to_polygons(grid, np.flatnonzero(mask.ravel()))
    assert shapely.area(outline) == pytest.approx(9 * 100**2)
    holes = sum(shapely.get_num_interior_rings(p) for p in shapely.get_parts(outline))
    assert holes == 1
    assert not shapely.contains(outline, shapely.Point(250, 250))  # the hole's centre
    assert shapely.contains(outline, shapely.Point(450, 450))  # the corner cell


def test_diagonal_touches_give_valid_polygons() -> None:
    grid = Grid(crs=GRID.crs, cell_m=100.0, x0=0.0, y0=0.0, nx=8, ny=8)
    block = np.zeros((8, 8), dtype=np.bool_)
    block[1:6, 1:6] = True
    block[2, 2] = block[3, 3] = False  # two holes touching at a corner
    board = (np.add.outer(np.arange(8), np.arange(8)) % 2).astype(np.bool_)
    for mask, n_polygons, n_holes in ((block, 1, 2), (board, 32, 0)):
        cells = np.flatnonzero(mask.ravel())
        outline = cells_to_polygons(grid, cells)
        assert shapely.is_valid(outline), shapely.is_valid_reason(outline)
        parts = shapely.get_parts(outline)
        assert len(parts) == n_polygons
        assert sum(shapely.get_num_interior_rings(parts)) == n_holes
        assert shapely.area(outline) == pytest.approx(len(cells) * 100**2)
        assert shapely.area(shapely.symmetric_difference(outline, _boxes(grid, cells))) < 1e-6


def test_empty_set_of_cells() -> None:
    assert shapely.is_empty(cells_to_polygons(GRID, np.zeros(0, dtype=np.int64)))


def test_isochrones_on_the_region_equal_their_counted_cells(region: Network) -> None:
    spec = TravelTimeSpec(
        window=Window(REGION_DAY, 8 * 3600, 20), percentiles=(50.0,), max_minutes=90, walk=Walk()
    )
    grid = network_grid(region, spec.walk, cell_m=250.0)
    surface = SurfaceComputer(region, spec, GridTargets.build(region, grid, spec.walk)).surface(
        39.906334,
        116.394917,  # Tian'anmen East
    )
    cutoffs = [15.0, 30.0, 45.0, 60.0]
    shapes = isochrones(surface, cutoffs, percentile=50.0)
    counted = [int((surface.times[0] <= c * 60).sum()) for c in cutoffs]
    assert [iso.n_cells for iso in shapes] == counted
    assert counted == sorted(counted) and counted[0] > 0
    for iso in shapes:
        assert iso.area_m2 == pytest.approx(iso.n_cells * grid.cell_area_m2, rel=1e-12)
        feature = to_feature(grid, iso, origin="Tian'anmen East")
        assert feature["properties"]["cells"] == iso.n_cells
        back = shapely.from_geojson(json.dumps(feature["geometry"]))
        lon_lat_area = shapely.area(
            shapely.transform(back, lambda xy: np.column_stack(grid.to_xy(xy[:, 0], xy[:, 1])))
        )
        assert lon_lat_area == pytest.approx(iso.area_m2, rel=1e-3)  # 1e-6° rounding


def test_surface_at_one_departure_equals_the_per_minute_path(region: Network) -> None:
    spec = TravelTimeSpec(
        window=Window(REGION_DAY, 8 * 3600, 1), percentiles=(50.0,), max_minutes=90, walk=Walk()
    )
    grid = network_grid(region, spec.walk, cell_m=250.0)
    computer = SurfaceComputer(region, spec, GridTargets.build(region, grid, spec.walk))
    assert computer.one_departure is not None
    per_minute = SurfaceComputer(region, spec, GridTargets.build(region, grid, spec.walk))
    per_minute.one_departure = None  # force the window path
    # Tian'anmen East, Beijing South station, and a point in Tianjin beyond any stop
    for lat, lon, linked in (
        (39.906334, 116.394917, True),
        (39.8652, 116.3786, True),
        (39.0851, 117.1994, False),
    ):
        fast, slow = computer.surface(lat, lon), per_minute.surface(lat, lon)
        assert fast.linked == slow.linked == linked
        assert np.array_equal(fast.cells, slow.cells)
        assert np.array_equal(fast.times, slow.times)
        assert len(fast.cells) > (1000 if linked else 10)
