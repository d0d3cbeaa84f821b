"""Stops within reach of many coordinates in one call equal the single-point links
the planner uses, point by point, on the bundled Cairns feed."""

from __future__ import annotations

import math

import numpy as np

from jjj.errors import RoutingError
from jjj.routing.kernels.walking import by_latitude, stops_within
from jjj.routing.locations import Location, access_links, coordinate_links
from jjj.streets.geo import EARTH_RADIUS_M, haversine_m
from jjj.timetable.footpaths import WalkingModel
from tests.routing.view_feeds import view_network


def test_coordinate_links_equal_access_links_point_by_point() -> None:
    net = view_network("cairns")
    rng = np.random.default_rng(31)
    # stops' own coordinates, points between stops, and points far from any stop
    picks = rng.choice(net.n_stops, 40, replace=False)
    lat = np.concatenate([net.stop_lat[picks], net.stop_lat[picks] + 0.004, [-16.0, 0.0]])
    lon = np.concatenate([net.stop_lon[picks], net.stop_lon[picks] - 0.003, [146.5, 0.0]])
    model = WalkingModel()
    offsets, stops, seconds = coordinate_links(net, lat, lon, model=model, radius_m=800.0)
    assert offsets.shape == (len(lat) + 1,) and offsets[-1] == len(stops) == len(seconds)
    empty = 0
    for p in range(len(lat)):
        place = Location(text="", label="", lat=float(lat[p]), lon=float(lon[p]))
        mine = dict(
            zip(
                stops[offsets[p] : offsets[p + 1]].tolist(),
                seconds[offsets[p] : offsets[p + 1]].tolist(),
                strict=True,
            )
        )
        try:
            near, walk = access_links(net, place, model=model, radius_m=800.0, leaving=True)
        except RoutingError:
            assert not mine
            empty += 1
            continue
        assert mine == dict(zip(near.tolist(), walk.tolist(), strict=True))
    assert empty >= 2  # the far points reach nothing
    assert (offsets[1:41] > offsets[:40]).all()  # every stop's own point reaches stops


def _brute_force(
    lat: np.ndarray, lon: np.ndarray, usable: np.ndarray, lat0: float, lon0: float, radius_m: float
) -> dict[int, int]:
    """Every usable stop within the radius by the haversine formula, one stop at a time."""
    found: dict[int, int] = {}
    for i in np.flatnonzero(usable).tolist():
        distance = haversine_m(lat0, lon0, float(lat[i]), float(lon[i]))
        if distance <= radius_m:
            found[i] = math.ceil(distance * 1.25)
    return found


def test_stops_within_equal_a_scan_of_every_stop() -> None:
    """The latitude band and longitude reach skip no stop in reach: on Cairns's stops,
    and on points near a pole and on both sides of the antimeridian."""
    net = view_network("cairns")
    rng = np.random.default_rng(5)
    kinds = np.asarray(net.stop_location_type)
    usable = (kinds == 0) | (kinds == 4)
    lat = np.asarray(net.stop_lat, dtype=np.float64)
    lon = np.asarray(net.stop_lon, dtype=np.float64)
    picks = rng.choice(net.n_stops, 30, replace=False)
    cases = [(lat, lon, usable, float(lat[p]) + 0.002, float(lon[p]), r)
             for p in picks for r in (150.0, 1000.0, 5000.0)]  # fmt: skip
    # points scattered around awkward places: 89.99° N, and 179.999° E / -179.999°
    for lat0, lon0 in ((89.99, 10.0), (-16.9, 179.999), (-16.9, -179.999)):
        far_lat = np.clip(lat0 + rng.normal(0, 0.02, 400), -90, 90)
        far_lon = (lon0 + rng.normal(0, 0.05, 400) + 180) % 360 - 180
        for r in (500.0, 3000.0):
            cases.append((far_lat, far_lon, np.ones(400, dtype=bool), lat0, lon0, r))
    for stop_lat, stop_lon, ok, lat0, lon0, radius in cases:
        order, sorted_lat, sorted_lon = by_latitude(stop_lat, stop_lon, ok)
        near, seconds = stops_within(
            order, sorted_lat, sorted_lon, lat0, lon0, radius, EARTH_RADIUS_M, 1.25
        )
        assert near.tolist() == sorted(near.tolist())
        assert dict(zip(near.tolist(), seconds.tolist(), strict=True)) == _brute_force(
            stop_lat, stop_lon, ok, lat0, lon0, radius
        )
