"""The commuting-circle report: who lives within a cutoff of each core, and where.

For each core (a named place) the report computes a travel-time surface over the
departure window (by default of the journeys *to* the core, leaving every minute of
the window from anywhere; optionally of the journeys *from* it) and, at the median
and at a pessimistic percentile, the cells reached within the cutoff: population
reached (apportioned from the zones by area) and its share of the region, the zones
(counties) whose population is mostly reached, and the named places (cities)
inside. The union over all cores is the circle itself.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from jjj.access.isochrone import Isochrone, cells_to_polygons, to_feature
from jjj.access.population import PopulationGrid
from jjj.access.surface import GridTargets, Surface, SurfaceComputer
from jjj.access.traveltime import TravelTimeSpec
from jjj.errors import AccessError
from jjj.ids import UNREACHED
from jjj.timetable.network import Network

__all__ = [
    "CircleReport",
    "CoreResult",
    "Place",
    "circle_features",
    "circle_report",
    "reach_summary",
]

B1 = npt.NDArray[np.bool_]
F64 = npt.NDArray[np.float64]

#: A zone counts as inside the circle when at least this share of its people is.
ZONE_SHARE = 0.5


@dataclass(frozen=True)
class Place:
    """A named point (a core, or a city to list when inside the circle)."""

    name: str
    lat: float
    lon: float


@dataclass(frozen=True)
class CoreResult:
    """One core's surface and what its circle holds at each percentile."""

    core: Place
    surface: Surface
    reach: dict[float, dict[str, Any]]


@dataclass
class CircleReport:
    """The whole report (``summary()`` is the JSON written beside the map)."""

    cutoff_minutes: float
    percentiles: tuple[float, float]
    spec: TravelTimeSpec
    population: PopulationGrid
    cores: list[CoreResult]
    union: dict[float, dict[str, Any]]
    places: list[Place]
    timings: dict[str, float] = field(default_factory=dict)
    scenario: str | None = None
    direction: str = "to"

    def reached_mask(self, percentile: float, *, core: int | None = None) -> B1:
        """Cells within the cutoff of one core (or of any) at ``percentile``."""
        seconds = round(self.cutoff_minutes * 60)
        chosen = self.cores if core is None else [self.cores[core]]
        mask = np.zeros(self.population.grid.n_cells, dtype=np.bool_)
        for result in chosen:
            mask[result.surface.within(percentile, seconds)] = True
        return mask

    def best_times(self, percentile: float) -> npt.NDArray[np.int32]:
        """``(ny, nx)`` seconds to the nearest core at ``percentile``."""
        best = np.full(self.population.grid.n_cells, UNREACHED, dtype=np.int32)
        for result in self.cores:
            row = result.surface.times[result.surface.percentile_index(percentile)]
            cells = result.surface.cells
            best[cells] = np.minimum(best[cells], row)
        return best.reshape(self.population.grid.shape)

    def summary(self) -> dict[str, Any]:
        """JSON-ready: settings, per-core and union reach, timings."""
        grid = self.population.grid
        zones = self.population.zones
        return {
            "cutoff_minutes": self.cutoff_minutes,
            "direction": f"{self.direction} the cores",
            "percentiles": {"median": self.percentiles[0], "pessimistic": self.percentiles[1]},
            "travel_times": self.spec.to_dict(),
            "scenario": self.scenario,
            "grid": {**grid.to_dict(), "cells": grid.n_cells},
            "population": {
                "source": zones.source,
                "zones": len(zones),
                "census_total": round(zones.total_population),
                "on_grid": round(self.population.total),
                "outside_grid": round(float(self.population.outside.sum())),
            },
            "zone_rule": f"a zone is inside when at least {ZONE_SHARE:.0%} of its people are",
            "cores": [
                {
                    "name": r.core.name,
                    "lat": r.core.lat,
                    "lon": r.core.lon,
                    "reaches_a_stop": r.surface.linked,
                    **{_key(self.percentiles, p): v for p, v in r.reach.items()},
                }
                for r in self.cores
            ],
            "circle": {_key(self.percentiles, p): v for p, v in self.union.items()},
            "seconds": {k: round(v, 3) for k, v in self.timings.items()},
        }


def _key(percentiles: tuple[float, float], p: float) -> str:
    return f"{'median' if p == percentiles[0] else 'pessimistic'}_p{p:g}"


def reach_summary(
    population: PopulationGrid, reached: B1, places: Sequence[Place], place_cells: Any
) -> dict[str, Any]:
    """Population, zones and places inside a set of reached cells."""
    zones = population.zones
    total = zones.total_population
    people = population.reached_total(reached)
    by_zone = population.reached_by_zone(reached)
    share = np.divide(
        by_zone, zones.population, out=np.zeros(len(zones)), where=zones.population > 0
    )
    inside = np.flatnonzero(share >= ZONE_SHARE)
    inside = inside[np.argsort(-by_zone[inside], kind="stable")]
    places_inside = [
        place.name
        for place, cell in zip(places, place_cells, strict=True)
        if int(cell) >= 0 and reached[int(cell)]
    ]
    grid = population.grid
    return {
        "population": round(people),
        "share_of_region": round(people / total, 6) if total > 0 else 0.0,
        "area_km2": round(int(reached.sum()) * grid.cell_area_m2 / 1e6, 3),
        "zones_inside": [
            {
                "name": zones.names[z],
                "local_name": zones.local_names[z],
                "group": zones.groups[z],
                "population": round(float(zones.population[z])),
                "share_reached": round(float(share[z]), 4),
            }
            for z in inside.tolist()
        ],
        "places_inside": places_inside,
    }


def circle_report(
    network: Network,
    population: PopulationGrid,
    cores: Sequence[Place],
    spec: TravelTimeSpec,
    *,
    cutoff_minutes: float = 60.0,
    places: Sequence[Place] = (),
    targets: GridTargets | None = None,
    progress: Callable[[str], None] | None = None,
    scenario: str | None = None,
    direction: str = "to",
) -> CircleReport:
    """Compute the circle of every core (see the module docstring).

    ``spec.percentiles`` must hold the median and the pessimistic percentile, in that
    order; ``targets`` may be shared between runs on the same network and grid.
    ``direction``: ``"to"`` the cores (people leaving anywhere in the window to reach
    a core) or ``"from"`` them (leaving a core in the window).
    """
    if len(spec.percentiles) != 2:
        raise AccessError("the circle needs two percentiles: the median and a pessimistic one")
    if not cores:
        raise AccessError("the circle needs at least one core")
    if cutoff_minutes * 60 > spec.max_seconds:
        raise AccessError(
            f"cutoff {cutoff_minutes:g} min is above the limit {spec.max_minutes} min"
        )
    report = progress or (lambda _label: None)
    timings: dict[str, float] = {}
    start = time.perf_counter()
    grid = population.grid
    if targets is None:
        report("linking grid cells to stops")
        targets = GridTargets.build(network, grid, spec.walk)
    timings["link_cells"] = time.perf_counter() - start
    start = time.perf_counter()
    computer = SurfaceComputer(network, spec, targets, direction=direction)
    timings["day_view"] = time.perf_counter() - start
    percentiles = (float(spec.percentiles[0]), float(spec.percentiles[1]))
    seconds = round(cutoff_minutes * 60)
    place_cells = grid.cell_of_lonlat([p.lon for p in places], [p.lat for p in places])
    results: list[CoreResult] = []
    start = time.perf_counter()
    for core in cores:
        report(f"travel times from {core.name}")
        surface = computer.surface(core.lat, core.lon)
        reach = {
            p: reach_summary(population, surface.reached_mask(p, seconds), places, place_cells)
            for p in percentiles
        }
        results.append(CoreResult(core=core, surface=surface, reach=reach))
    timings["surfaces"] = time.perf_counter() - start
    circle = CircleReport(
        cutoff_minutes=cutoff_minutes,
        percentiles=percentiles,
        spec=spec,
        population=population,
        cores=results,
        union={},
        places=list(places),
        timings=timings,
        scenario=scenario,
        direction=direction,
    )
    for p in percentiles:
        circle.union[p] = reach_summary(population, circle.reached_mask(p), places, place_cells)
    return circle


def circle_features(report: CircleReport) -> list[dict[str, Any]]:
    """GeoJSON features: each core's area within the cutoff at both percentiles."""
    features = []
    grid = report.population.grid
    seconds = round(report.cutoff_minutes * 60)
    for result in report.cores:
        for p in report.percentiles:
            cells = result.surface.within(p, seconds)
            geometry = cells_to_polygons(grid, cells)
            iso = Isochrone(
                cutoff_minutes=report.cutoff_minutes,
                percentile=p,
                n_cells=len(cells),
                area_m2=len(cells) * grid.cell_area_m2,
                geometry=geometry,
                properties={},
            )
            features.append(
                to_feature(
                    grid,
                    iso,
                    core=result.core.name,
                    population=result.reach[p]["population"],
                )
            )
    return features
