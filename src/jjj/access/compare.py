"""Before and after a scenario: who enters or leaves the circle, and which zones.

Both reports must share the grid, the population and the cores. For each percentile
the comparison counts the people living in cells that come within the cutoff
(gained) or fall out of it (lost), per core and for the circle as a whole, and lists
the zones (counties) that enter or leave it (by the report's majority rule).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jjj.access.circle import CircleReport
from jjj.errors import AccessError

__all__ = ["compare_reports"]


def _zone_names(section: dict[str, Any]) -> list[str]:
    return [
        f"{z['name']} ({z['group']})" if z["group"] else z["name"] for z in section["zones_inside"]
    ]


def _change(
    before: CircleReport, after: CircleReport, percentile: float, core: int | None
) -> dict[str, Any]:
    people = before.population.population.ravel()
    was = before.reached_mask(percentile, core=core)
    now = after.reached_mask(percentile, core=core)
    gained = now & ~was
    lost = was & ~now
    old = before.union[percentile] if core is None else before.cores[core].reach[percentile]
    new = after.union[percentile] if core is None else after.cores[core].reach[percentile]
    old_zones, new_zones = _zone_names(old), _zone_names(new)
    grid = before.population.grid
    return {
        "population_before": old["population"],
        "population_after": new["population"],
        "population_gained": round(float(people[gained].sum())),
        "population_lost": round(float(people[lost].sum())),
        "area_gained_km2": round(int(gained.sum()) * grid.cell_area_m2 / 1e6, 3),
        "area_lost_km2": round(int(lost.sum()) * grid.cell_area_m2 / 1e6, 3),
        "zones_entering": [z for z in new_zones if z not in old_zones],
        "zones_leaving": [z for z in old_zones if z not in new_zones],
        "places_entering": [p for p in new["places_inside"] if p not in old["places_inside"]],
        "places_leaving": [p for p in old["places_inside"] if p not in new["places_inside"]],
    }


def compare_reports(
    before: CircleReport, after: CircleReport, *, changes: list[str]
) -> dict[str, Any]:
    """The JSON-ready comparison of two circle reports (see the module docstring)."""
    if before.population.grid != after.population.grid:
        raise AccessError("before and after were computed on different grids")
    if [c.core for c in before.cores] != [c.core for c in after.cores]:
        raise AccessError("before and after have different cores")
    out: dict[str, Any] = {
        "scenario": after.scenario,
        "changes": changes,
        "cutoff_minutes": before.cutoff_minutes,
    }
    for percentile in before.percentiles:
        key = (
            f"{'median' if percentile == before.percentiles[0] else 'pessimistic'}_p{percentile:g}"
        )
        out[key] = {
            "circle": _change(before, after, percentile, None),
            "cores": {
                result.core.name: _change(before, after, percentile, i)
                for i, result in enumerate(before.cores)
            },
        }
    people = before.population.population.ravel()
    median = before.percentiles[0]
    old_times = before.best_times(median).ravel()
    new_times = after.best_times(median).ravel()
    both = (old_times < np.iinfo(np.int32).max) & (new_times < np.iinfo(np.int32).max)
    saved = (old_times[both].astype(np.int64) - new_times[both]) / 60.0
    weights = people[both]
    out["median_minutes_saved_population_weighted"] = (
        round(float((saved * weights).sum() / weights.sum()), 3) if weights.sum() > 0 else 0.0
    )
    return out
