"""Stops within reach of many coordinates in one call equal the single-point links
the planner uses, point by point, on the bundled Cairns feed."""

from __future__ import annotations

import numpy as np

from jjj.errors import RoutingError
from jjj.routing.locations import Location, access_links, coordinate_links
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
