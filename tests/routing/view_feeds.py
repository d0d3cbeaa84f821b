"""The two feeds the day-view tests build: Cairns (bundled with the tests) and the NYC
subway (shared data; tests on it skip when it is absent)."""

from __future__ import annotations

import datetime as dt
from functools import cache

import numpy as np

from jjj.gtfs.read import read_feed
from jjj.timetable import Network
from jjj.timetable.build import build_network
from tests.conftest import FIXTURES, shared

FEEDS = {
    "cairns": (FIXTURES / "feeds" / "cairns_gtfs.zip", "cns", "2014-06-17"),
    "nyc_subway": (None, "nyc", "2026-09-15"),
}


@cache
def view_network(name: str, footpaths: bool = True) -> Network:
    """The feed compiled alone (validation skipped)."""
    path, feed_name, _ = FEEDS[name]
    source = path if path is not None else shared("feeds/nyc_mta/nyc_subway.zip")
    return build_network([read_feed(source, feed_name)], footpaths=footpaths, validate=False)


def view_date(name: str) -> dt.date:
    """A date the feed serves."""
    return dt.date.fromisoformat(FEEDS[name][2])


def stop_and_neighbours(net: Network, stop: int) -> tuple[np.ndarray, np.ndarray]:
    """The stop and its footpath neighbours, walking their footpath time (int32 arrays,
    as the kernels take access and egress)."""
    lo, hi = int(net.footpaths_offsets[stop]), int(net.footpaths_offsets[stop + 1])
    stops = np.concatenate([[stop], net.footpath_to_stop[lo:hi]]).astype(np.int32)
    seconds = np.concatenate([[0], net.footpath_seconds[lo:hi]]).astype(np.int32)
    return stops, seconds
