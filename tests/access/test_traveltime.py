"""Travel times: sampled matrix cells equal single ``plan`` queries, and percentiles equal a
direct computation over the per-minute results."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from jjj.access.links import Walk, point_links
from jjj.access.matrix import MatrixJob, compute_batch
from jjj.access.points import Points
from jjj.access.router import Window
from jjj.access.traveltime import TravelTimeComputer, TravelTimeSpec
from jjj.ids import UNREACHED
from jjj.routing.planner import Planner
from jjj.streets.geo import haversine_m
from jjj.timetable import Network
from tests.access.conftest import REGION_DAY, SUBWAY_DAY


def _points(network: Network, n: int, seed: int, jitter: float = 0.004) -> Points:
    """Points scattered around served stops (some beyond walking reach of any)."""
    rng = np.random.default_rng(seed)
    served = np.unique(network.pattern_stops)
    pick = rng.choice(served, n)
    lat = network.stop_lat[pick] + rng.normal(0, jitter, n)
    lon = network.stop_lon[pick] + rng.normal(0, jitter, n)
    return Points.from_lists([f"p{i}" for i in range(n)], lat, lon)


def _planned(
    planner: Planner,
    o: tuple[float, float],
    d: tuple[float, float],
    date: dt.date,
    departure: int,
    max_transfers: int,
) -> int:
    """Travel time by the planner (UNREACHED when it finds nothing)."""
    try:
        plan = planner.plan(
            f"{o[0]},{o[1]}", f"{d[0]},{d[1]}", (date, departure), max_transfers=max_transfers
        )
    except Exception as error:  # no stop within reach of one end
        assert "no stop within" in str(error)
        return UNREACHED
    arrivals = [j.arrival for j in plan.journeys]
    return min(arrivals) - departure if arrivals else UNREACHED


@pytest.mark.parametrize(
    ("which", "day", "start"),
    [("region", REGION_DAY, 7 * 3600 + 50 * 60), ("subway", SUBWAY_DAY, 8 * 3600)],
)
def test_sampled_cells_equal_single_plan_queries(
    which: str, day: dt.date, start: int, request: pytest.FixtureRequest
) -> None:
    network: Network = request.getfixturevalue(which)
    points = _points(network, 24, seed=11)
    walk = Walk(max_walk_seconds=12 * 60)
    spec = TravelTimeSpec(
        window=Window(day, start, 6), percentiles=(50.0,), max_minutes=90, walk=walk, max_rounds=5
    )
    computer = TravelTimeComputer(
        network, spec, point_links(network, points.lat, points.lon, walk), points.lat, points.lon
    )
    access = computer.origin_links(points.lat, points.lon)
    planner = Planner(
        network, walking=walk.model, access_radius_m=walk.radius_m, max_duration_s=spec.max_seconds
    )
    rng = np.random.default_rng(3)
    checked = reached = 0
    for o in rng.choice(len(points), 6, replace=False).tolist():
        lo, hi = int(access.offsets[o]), int(access.offsets[o + 1])
        minutes = computer.minutes_from_origin(
            float(points.lat[o]), float(points.lon[o]), access.stops[lo:hi], access.seconds[lo:hi]
        )
        for d in rng.choice(len(points), 6, replace=False).tolist():
            apart = haversine_m(points.lat[o], points.lon[o], points.lat[d], points.lon[d])
            if apart < 2.2 * walk.radius_m:
                continue  # the planner offers no walk-only journey between coordinates
            for m, departure in enumerate(spec.window.departures().tolist()):
                expected = _planned(
                    planner,
                    (points.lat[o], points.lon[o]),
                    (points.lat[d], points.lon[d]),
                    day,
                    departure,
                    spec.max_rounds - 1,
                )
                if expected > spec.max_seconds:
                    expected = UNREACHED
                assert int(minutes[d, m]) == expected, (o, d, m)
                checked += 1
                reached += expected < UNREACHED
    assert checked >= 60 and reached >= 20


def test_percentiles_equal_a_direct_computation(region: Network) -> None:
    points = _points(region, 40, seed=5)
    spec = TravelTimeSpec(
        window=Window(REGION_DAY, 7 * 3600, 45),
        percentiles=(5.0, 25.0, 50.0, 75.0, 95.0, 100.0),
        max_minutes=100,
    )
    computer = TravelTimeComputer(
        region, spec, point_links(region, points.lat, points.lon, spec.walk), points.lat, points.lon
    )
    access = computer.origin_links(points.lat, points.lon)
    for o in range(0, 40, 5):
        lo, hi = int(access.offsets[o]), int(access.offsets[o + 1])
        args = (
            float(points.lat[o]),
            float(points.lon[o]),
            access.stops[lo:hi],
            access.seconds[lo:hi],
        )
        result = computer.from_origin(*args)
        minutes = computer.minutes_from_origin(*args)
        expected = np.percentile(minutes, spec.percentiles, axis=1, method="inverted_cdf").T
        np.testing.assert_array_equal(result.times, expected.astype(np.int64))
        np.testing.assert_array_equal(result.reached, (minutes < UNREACHED).sum(axis=1))


def test_batches_equal_origin_by_origin(region: Network) -> None:
    points = _points(region, 12, seed=9)
    spec = TravelTimeSpec(window=Window(REGION_DAY, 7 * 3600, 10), percentiles=(50.0, 95.0))
    job = MatrixJob(region, points, points, spec)
    whole = compute_batch(job, 0, 12)
    parts = [compute_batch(job, a, b) for a, b in ((0, 5), (5, 6), (6, 12))]
    np.testing.assert_array_equal(whole.times, np.concatenate([p.times for p in parts]))
    np.testing.assert_array_equal(whole.reached, np.concatenate([p.reached for p in parts]))
    # a point and itself: zero minutes every minute (walking nowhere)
    diagonal = whole.times[np.arange(12), np.arange(12)]
    assert (diagonal == 0).all()
