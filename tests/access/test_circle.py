"""The commuting-circle report on the bundled region: population reached checked against
shapely intersections of the reached cells with the census polygons; the CLI's files."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib.image
import numpy as np
import pytest
import shapely

from jjj.access.circle import CircleReport, Place, circle_report
from jjj.access.grid import Grid
from jjj.access.population import apportion, project_geometry
from jjj.access.router import Window
from jjj.access.traveltime import TravelTimeSpec
from jjj.access.zones import read_zones
from jjj.cli import main
from jjj.data import places_path
from jjj.timetable import Network
from tests.access.conftest import REGION_DAY

CORES = [
    Place("Beijing (central)", 39.906334, 116.394917),
    Place("Tianjin", 39.134720, 117.203060),
    Place("Shijiazhuang", 38.009722, 114.478500),
]


@pytest.fixture(scope="module")
def report(region: Network, census: Path) -> CircleReport:
    zones = read_zones(census)
    grid = Grid.covering(*zones.bounds(), cell_m=500.0)
    spec = TravelTimeSpec(
        window=Window(REGION_DAY, 7 * 3600, 20), percentiles=(50.0, 95.0), max_minutes=90
    )
    places = [Place("Tongzhou", 39.9021, 116.7021), Place("Chengde", 40.953, 117.963)]
    return circle_report(
        region, apportion(zones, grid), CORES, spec, cutoff_minutes=45.0, places=places
    )


def test_population_reached_equals_shapely_intersections(report: CircleReport) -> None:
    grid = report.population.grid
    zones = report.population.zones
    projected = project_geometry(zones.geometry, grid)
    density = zones.population / shapely.area(projected)
    tree = shapely.STRtree(projected)
    for key, mask in (
        ("median", report.reached_mask(50.0)),
        ("pessimistic", report.reached_mask(95.0)),
    ):
        cells = np.flatnonzero(mask)
        rows, cols = np.divmod(cells, grid.nx)
        boxes = shapely.box(
            grid.x0 + cols * grid.cell_m,
            grid.y0 + rows * grid.cell_m,
            grid.x0 + (cols + 1) * grid.cell_m,
            grid.y0 + (rows + 1) * grid.cell_m,
        )
        box_idx, zone_idx = tree.query(boxes, predicate="intersects")
        overlap = shapely.area(shapely.intersection(boxes[box_idx], projected[zone_idx]))
        people = float((overlap * density[zone_idx]).sum())
        percentile = 50.0 if key == "median" else 95.0
        assert report.union[percentile]["population"] == pytest.approx(people, abs=1.0)
        by_zone = np.bincount(zone_idx, weights=overlap * density[zone_idx], minlength=len(zones))
        inside = {zones.names[z] for z in np.flatnonzero(by_zone / zones.population >= 0.5)}
        assert {z["name"] for z in report.union[percentile]["zones_inside"]} == inside
    assert report.union[50.0]["population"] > 1_000_000
    assert report.union[95.0]["population"] <= report.union[50.0]["population"]


def test_summary_lists_cores_and_places(report: CircleReport) -> None:
    summary = report.summary()
    assert [c["name"] for c in summary["cores"]] == [p.name for p in CORES]
    assert summary["population"]["census_total"] == 110_369_339
    assert summary["population"]["on_grid"] == 110_369_339
    beijing = summary["cores"][0]["median_p50"]
    assert {"Xicheng", "Dongcheng"} <= {z["name"] for z in beijing["zones_inside"]}
    # Tongzhou is the subway's Line 6 terminus area; Chengde is 180 km away
    surface = report.cores[0].surface
    tongzhou = int(surface.at(50.0, [39.9021], [116.7021])[0])
    assert ("Tongzhou" in beijing["places_inside"]) == (tongzhou <= 45 * 60)
    assert "Chengde" not in summary["circle"]["median_p50"]["places_inside"]
    json.dumps(summary)  # JSON-ready


def test_cli_circle_with_a_scenario(region_file: Path, tmp_path: Path) -> None:
    scenario = tmp_path / "express.yaml"
    scenario.write_text(
        """
name: Xiong'an express
modifications:
  - type: add_line
    name: XA Express
    stations: ["Beijing West", "Xiong'an"]
    run_minutes: [30]
    headway_minutes: 10
    span: ["06:00", "22:00"]
""",
        encoding="utf-8",
    )
    out = tmp_path / "circle"
    main(
        [
            "circle",
            str(region_file),
            "--depart",
            "2026-09-15T07:00",
            "--window",
            "10",
            "--cell",
            "1000",
            "--out",
            str(out),
            "--scenario",
            str(scenario),
        ]
    )
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "circle.geojson",
        "circle.json",
        "circle.png",
        "comparison.json",
        "difference.png",
        "scenario.geojson",
        "scenario.json",
        "scenario.png",
    ]
    summary = json.loads((out / "circle.json").read_text(encoding="utf-8"))
    assert [c["name"] for c in summary["cores"]] == [
        "Beijing (central)",
        "Tianjin",
        "Shijiazhuang",
        "Xiong'an",
    ]
    assert places_path().exists()
    comparison = json.loads((out / "comparison.json").read_text(encoding="utf-8"))
    median = comparison["median_p50"]["circle"]
    assert median["population_after"] - median["population_before"] == pytest.approx(
        median["population_gained"] - median["population_lost"], abs=2
    )
    assert comparison["median_p50"]["cores"]["Xiong'an"]["population_gained"] > 0
    image = matplotlib.image.imread(out / "circle.png")
    assert image.shape[0] > 600 and image.shape[1] > 600
    features = json.loads((out / "circle.geojson").read_text(encoding="utf-8"))["features"]
    assert len(features) == 8  # four cores × two percentiles
