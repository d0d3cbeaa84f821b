"""Population on the grid: totals equal the census, cell areas equal shapely's intersections."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import shapely

from jjj.access.grid import Grid, laea_crs
from jjj.access.population import apportion, project_geometry
from jjj.access.raster import polygon_coverage
from jjj.access.zones import Zones, read_zones
from jjj.errors import AccessError

#: Province totals of the 2020 census as the data's README states them.
CENSUS = {"Beijing": 21_893_095, "Tianjin": 13_866_009, "Hebei": 74_610_235}


@pytest.fixture(scope="module")
def zones(census: Path) -> Zones:
    return read_zones(census)


def test_grid_totals_equal_the_census_file(census: Path, zones: Zones) -> None:
    raw = json.loads(census.read_text(encoding="utf-8"))["features"]
    by_province: dict[str, float] = {}
    for feature in raw:
        prov = feature["properties"]["prov"]
        by_province[prov] = by_province.get(prov, 0.0) + feature["properties"]["POPU"]
    assert by_province == CENSUS
    grid = Grid.covering(*zones.bounds(), cell_m=1000.0)
    population = apportion(zones, grid)
    assert population.total == pytest.approx(sum(CENSUS.values()), abs=1e-3)
    assert population.outside.sum() == 0
    everywhere = np.ones(grid.n_cells, dtype=np.bool_)
    per_zone = population.reached_by_zone(everywhere)
    groups = np.array(zones.groups)
    for province, total in CENSUS.items():
        assert per_zone[groups == province].sum() == pytest.approx(total, abs=1e-3)


def test_cell_areas_equal_shapely_intersections(zones: Zones) -> None:
    grid = Grid.covering(*zones.bounds(), cell_m=250.0)
    projected = project_geometry(zones.geometry, grid)
    rng = np.random.default_rng(7)
    for z in (0, 57, 180):  # a district, a county, a county-level city
        polygon = projected[z]
        bx0, by0, bx1, by1 = shapely.bounds(polygon).tolist()
        c0, r0 = int((bx0 - grid.x0) // 250), int((by0 - grid.y0) // 250)
        nx = int(np.ceil((bx1 - grid.x0) / 250)) - c0
        ny = int(np.ceil((by1 - grid.y0) / 250)) - r0
        x0, y0 = grid.x0 + c0 * 250, grid.y0 + r0 * 250
        coverage = polygon_coverage(polygon, x0=x0, y0=y0, cell=250.0, nx=nx, ny=ny)
        rows = rng.integers(0, ny, 400)
        cols = rng.integers(0, nx, 400)
        boxes = shapely.box(
            x0 + cols * 250, y0 + rows * 250, x0 + (cols + 1) * 250, y0 + (rows + 1) * 250
        )
        expected = shapely.area(shapely.intersection(polygon, boxes)) / 250**2
        np.testing.assert_allclose(coverage[rows, cols], expected, atol=1e-9)
        assert coverage.sum() * 250**2 == pytest.approx(shapely.area(polygon), rel=1e-12)


def test_square_zone_on_cell_edges_spreads_evenly() -> None:
    grid = Grid(crs=laea_crs(39.0, 116.0), cell_m=100.0, x0=0.0, y0=0.0, nx=10, ny=10)
    lon, lat = grid.to_lonlat([200.0, 500.0, 500.0, 200.0], [300.0, 300.0, 700.0, 700.0])
    square = shapely.Polygon(np.column_stack([lon, lat]))
    zones = Zones(["1"], ["Square"], ["Square"], [""], np.array([1200.0]), np.array([square]))
    population = apportion(zones, grid)
    block = population.population[3:7, 2:5]
    # 12 cells of 1,200 people (corners round-trip through WGS84 to within millimetres)
    np.testing.assert_allclose(block, 100.0, rtol=1e-4)
    assert population.population.sum() - block.sum() == pytest.approx(0.0, abs=0.01)
    assert population.total == pytest.approx(1200.0)


def test_people_outside_the_grid_are_reported(zones: Zones) -> None:
    full = Grid.covering(*zones.bounds(), cell_m=1000.0)
    half = Grid(crs=full.crs, cell_m=1000.0, x0=full.x0, y0=full.y0, nx=full.nx // 2, ny=full.ny)
    population = apportion(zones, half)
    projected = project_geometry(zones.geometry, half)
    inside = shapely.area(shapely.clip_by_rect(projected, half.x0, half.y0, half.x1, half.y1))
    expected_outside = zones.population * (1 - inside / shapely.area(projected))
    np.testing.assert_allclose(population.outside, expected_outside, rtol=1e-9, atol=1e-3)
    assert population.total + population.outside.sum() == pytest.approx(
        zones.total_population, rel=1e-9
    )


def test_bad_zone_file_names_feature_and_field(tmp_path: Path) -> None:
    path = tmp_path / "z.geojson"
    feature = {
        "type": "Feature",
        "properties": {"POPU": "many"},
        "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]},
    }
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    with pytest.raises(AccessError, match="feature 0: field population: 'many' is not a number"):
        read_zones(path)
