"""Travel times to one place (mirrored search) equal forward ``plan`` queries to the minute."""

from __future__ import annotations

import numpy as np

from jjj.access.kernels import nearest_rank_indices
from jjj.access.links import Walk, point_links
from jjj.access.reverse import ToPlace, reduce_to_place
from jjj.access.router import Window
from jjj.access.surface import GridTargets, SurfaceComputer, network_grid
from jjj.access.traveltime import TravelTimeSpec
from jjj.ids import UNREACHED
from jjj.routing.planner import Planner
from jjj.streets.geo import haversine_m
from jjj.timetable import Network
from tests.access.conftest import REGION_DAY

PLACE = (39.906334, 116.394917)  # Tian'anmen East


def test_each_minute_equals_a_forward_plan_rounded_up_to_the_minute(region: Network) -> None:
    rng = np.random.default_rng(21)
    served = np.unique(region.pattern_stops)
    pick = rng.choice(served, 40)
    lat = region.stop_lat[pick] + rng.normal(0, 0.004, 40)
    lon = region.stop_lon[pick] + rng.normal(0, 0.004, 40)
    far = haversine_m(PLACE[0], PLACE[1], lat, lon) > 3000  # no walk-only journeys
    lat, lon = lat[far][:12], lon[far][:12]
    walk = Walk(max_walk_seconds=12 * 60)
    window = Window(REGION_DAY, 7 * 3600 + 30 * 60, 8)
    max_seconds = 100 * 60
    to_place = ToPlace(region, window, max_seconds=max_seconds, max_rounds=5)
    egress = point_links(region, np.array([PLACE[0]]), np.array([PLACE[1]]), walk)
    latest = to_place.latest_departures(egress.stops, egress.seconds)
    links = point_links(region, lat, lon, walk)
    ranks = np.arange(window.minutes, dtype=np.int64)  # every minute, sorted
    times = np.zeros((len(lat), window.minutes), dtype=np.int32)
    reached = np.zeros(len(lat), dtype=np.int16)
    reduce_to_place(latest, to_place.arrivals_grid, window.departures(), links.offsets,
                    links.stops, links.seconds, max_seconds, ranks, times, reached)  # fmt: skip
    planner = Planner(region, walking=walk.model, access_radius_m=walk.radius_m,
                      max_duration_s=max_seconds)  # fmt: skip
    grid = to_place.arrivals_grid.astype(np.int64)
    checked = 0
    for i in range(len(lat)):
        expected = []
        for departure in window.departures().tolist():
            try:
                plan = planner.plan(f"{lat[i]},{lon[i]}", f"{PLACE[0]},{PLACE[1]}",
                                    (REGION_DAY, departure), max_transfers=4)  # fmt: skip
                arrival = min((j.arrival for j in plan.journeys), default=None)
            except Exception as error:
                assert "no stop within" in str(error)
                arrival = None
            if arrival is None or arrival - departure > max_seconds:
                expected.append(UNREACHED)
                continue
            first = int(np.searchsorted(grid, arrival))  # the first arrival minute ≥ it
            rounded = int(grid[first]) - departure if first < len(grid) else UNREACHED
            expected.append(rounded if rounded <= max_seconds else UNREACHED)
        assert times[i].tolist() == sorted(expected), i
        checked += sum(e < UNREACHED for e in expected)
    assert checked >= 40


def test_surface_to_a_place_is_no_faster_than_the_way_out_is_to_the_minute(region: Network) -> None:
    """Not a law (timetables are not symmetric), but both directions must reach the
    same neighbourhood: the cells reached within 30 minutes mostly coincide."""
    spec = TravelTimeSpec(window=Window(REGION_DAY, 8 * 3600, 15), percentiles=(50.0,),
                          max_minutes=60)  # fmt: skip
    grid = network_grid(region, spec.walk, cell_m=500.0)
    targets = GridTargets.build(region, grid, spec.walk)
    out = SurfaceComputer(region, spec, targets).surface(*PLACE)
    back = SurfaceComputer(region, spec, targets, direction="to").surface(*PLACE)
    a, b = set(out.within(50.0, 1800).tolist()), set(back.within(50.0, 1800).tolist())
    assert len(a & b) >= 0.8 * max(len(a), len(b))
    assert back.linked and nearest_rank_indices([50.0], 15).tolist() == [7]
