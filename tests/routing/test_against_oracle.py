"""The planner against the oracle on real feeds: random origins, destinations and times.

For every number of transfers the earliest arrival must equal the oracle's (a plain
connection scan, :mod:`tests.routing.oracle`); arrive-by answers must be the latest
departures the oracle confirms; every journey returned must be one the timetable
allows (times of its trips, footpaths, minimum transfer times).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache

import numpy as np
import pytest

from jjj.gtfs.read import read_feed
from jjj.routing.itinerary import Journey
from jjj.routing.planner import Planner
from jjj.streets import read_walk_graph
from jjj.timetable import Network
from jjj.timetable.build import build_network
from tests.conftest import shared
from tests.routing.oracle import UNREACHED, Connections, Rules, connections_for, earliest_arrivals

MAX_TRANSFERS = 3
MAX_DURATION = 3 * 3600

FEEDS: dict[str, tuple[list[tuple[str, str]], str, bool, int]] = {
    # name: ([(path, feed name)], date, footpaths, queries)
    "nyc_subway": ([("feeds/nyc_mta/nyc_subway.zip", "nyc")], "2026-09-15", True, 10),
    "cairns": ([("feeds/gtfs_kit_samples/cairns_gtfs.zip", "cns")], "2014-06-17", True, 20),
    "santa_barbara": ([("feeds/santa_barbara_mtd/gtfs.zip", "sb")], "2019-09-17", True, 20),
    "sao_paulo": ([("feeds/sao_paulo_r5py/spo_gtfs.zip", "spo")], "2019-09-17", True, 16),
    "sao_paulo_streets": ([("feeds/sao_paulo_r5py/spo_gtfs.zip", "spo")], "2019-09-17", True, 16),
    "vvs_merged": (
        [
            ("feeds/otp_test_feeds/vvs-bus-751-only.gtfs.zip", "v751"),
            ("feeds/otp_test_feeds/vvs-bus-764-only.gtfs.zip", "v764"),
        ],
        "2020-03-03",
        True,
        20,
    ),
    "vvs_merged_no_footpaths": (
        [
            ("feeds/otp_test_feeds/vvs-bus-751-only.gtfs.zip", "v751"),
            ("feeds/otp_test_feeds/vvs-bus-764-only.gtfs.zip", "v764"),
        ],
        "2020-03-03",
        False,
        20,
    ),
}


#: feeds whose footpaths walk an OpenStreetMap extract's streets
STREETS = {"sao_paulo_streets": "feeds/sao_paulo_r5py/spo_osm.pbf"}


@cache
def _network(name: str) -> Network:
    sources, _, footpaths, _ = FEEDS[name]
    feeds = [read_feed(shared(path), feed_name) for path, feed_name in sources]
    streets = read_walk_graph(shared(STREETS[name])) if name in STREETS else None
    return build_network(feeds, footpaths=footpaths, streets=streets, validate=False)


@cache
def _oracle(name: str) -> tuple[Connections, Rules]:
    net = _network(name)
    return connections_for(net, dt.date.fromisoformat(FEEDS[name][1])), Rules(net)


@cache
def _planner(name: str, area_bounds: bool = False) -> Planner:
    return Planner(_network(name), max_duration_s=MAX_DURATION, area_bounds=area_bounds)


def _served_stops(net: Network) -> np.ndarray:
    served = np.zeros(net.n_stops, dtype=bool)
    served[net.pattern_stops] = True
    return np.flatnonzero(served)


def _oracle_best(
    name: str,
    access: dict[int, int],
    egress: dict[int, int],
    departure: int,
    max_transfers: int = MAX_TRANSFERS,
) -> list[int | None]:
    net = _network(name)
    connections, rules = _oracle(name)
    best = earliest_arrivals(
        net, connections, rules, access, egress, departure, max_transfers + 1,
        departure + MAX_DURATION + 1,
    )  # fmt: skip
    return [None if t >= UNREACHED else t for t in best[1:]]


def assert_feasible(net: Network, journey: Journey) -> None:
    """Each ride matches its trip's timetable; changes respect walks and transfer times."""
    previous = None
    for leg in journey.legs:
        assert leg.departure <= leg.arrival
        if previous is not None:
            assert previous.arrival <= leg.departure
        if leg.mode == "transit":
            assert leg.trip_id is not None
            trip = net.trip_ids.index_of(leg.trip_id)
            stops, _, _ = net.trip_times(trip)
            ids = [net.stop_ids[int(s)] for s in stops]
            assert leg.origin.stop_id in ids and leg.destination.stop_id in ids
            if previous is not None and previous.mode == "transit" and not leg.stay_seated:
                assert previous.destination.stop_id == leg.origin.stop_id
                stop = net.stop_ids.index_of(leg.origin.stop_id)
                slack = int(net.stop_min_transfer_seconds[stop])
                assert leg.departure - previous.arrival >= slack
        previous = leg


def _random_requests(name: str, n: int, seed: int) -> list[tuple[str, str, int]]:
    net = _network(name)
    rng = np.random.default_rng(seed)
    stops = _served_stops(net)
    requests = []
    for i in range(n):
        a, b = (int(x) for x in rng.choice(stops, 2, replace=False))
        when = int(rng.integers(5 * 3600, 22 * 3600))
        if i % 4 == 3:  # from and to coordinates a few hundred metres off a stop
            lat_a, lon_a = net.stop_lat[a] + 0.002, net.stop_lon[a] - 0.002
            lat_b, lon_b = net.stop_lat[b] - 0.002, net.stop_lon[b] + 0.001
            requests.append((f"{lat_a:.6f},{lon_a:.6f}", f"{lat_b:.6f},{lon_b:.6f}", when))
        else:
            requests.append((net.stop_ids[a], net.stop_ids[b], when))
    return requests


@pytest.mark.slow
@pytest.mark.parametrize("area_bounds", [False, True], ids=["exact-bounds", "area-table"])
@pytest.mark.parametrize("name", list(FEEDS))
def test_earliest_arrival_per_transfer_count_matches_the_oracle(
    name: str, area_bounds: bool
) -> None:
    planner = _planner(name, area_bounds)
    net = _network(name)
    date = dt.date.fromisoformat(FEEDS[name][1])
    reached = 0
    for origin, destination, when in _random_requests(name, FEEDS[name][3], seed=7):
        result = planner.plan(origin, destination, (date, when), max_transfers=MAX_TRANSFERS)
        access = planner.links(result.origin, leaving=True, option="--from")
        egress = planner.links(result.destination, leaving=False, option="--to")
        expected = _oracle_best(name, access, egress, when)
        assert result.best_by_transfers == expected, (origin, destination, when)
        reached += expected[-1] is not None
        for journey in result.journeys:
            assert_feasible(net, journey)
            if journey.rides:
                assert journey.arrival == expected[journey.transfers]
    assert reached > 0, "no request reached its destination: the test would prove little"


@pytest.mark.slow
@pytest.mark.parametrize("max_transfers", [0, 1, 2])
@pytest.mark.parametrize("name", ["cairns", "santa_barbara", "vvs_merged", "nyc_subway"])
def test_few_transfers_match_the_oracle(name: str, max_transfers: int) -> None:
    """The last ride of a search only scans view-patterns towards the destination,
    and the transfers before it only reach stops where such a ride boards: with few
    transfers allowed, those rounds decide every answer."""
    planner = _planner(name, True)
    date = dt.date.fromisoformat(FEEDS[name][1])
    reached = 0
    for origin, destination, when in _random_requests(name, 24, seed=19):
        result = planner.plan(origin, destination, (date, when), max_transfers=max_transfers)
        access = planner.links(result.origin, leaving=True, option="--from")
        egress = planner.links(result.destination, leaving=False, option="--to")
        expected = _oracle_best(name, access, egress, when, max_transfers)
        assert result.best_by_transfers == expected, (origin, destination, when)
        reached += expected[-1] is not None
    assert reached > 0, "no request reached its destination: the test would prove little"


ArriveCheck = Callable[[int, int], None]


@pytest.mark.slow
@pytest.mark.parametrize("area_bounds", [False, True], ids=["exact-bounds", "area-table"])
@pytest.mark.parametrize("name", ["nyc_subway", "santa_barbara", "sao_paulo"])
def test_arrive_by_gives_the_latest_departure_the_oracle_confirms(
    name: str, area_bounds: bool
) -> None:
    planner = _planner(name, area_bounds)
    date = dt.date.fromisoformat(FEEDS[name][1])
    checked = 0
    for origin, destination, when in _random_requests(name, 12, seed=11):
        forward = planner.plan(origin, destination, (date, when), max_transfers=MAX_TRANSFERS)
        if forward.best_by_transfers[-1] is None:
            continue
        deadline = int(forward.best_by_transfers[-1]) + 300
        result = planner.plan(
            origin, destination, (date, deadline), arrive_by=True, max_transfers=MAX_TRANSFERS
        )
        access = planner.links(result.origin, leaving=True, option="--from")
        egress = planner.links(result.destination, leaving=False, option="--to")
        k = MAX_TRANSFERS
        latest = result.best_by_transfers[k]
        assert latest is not None and latest >= when
        on_time = _oracle_best(name, access, egress, latest)[k]
        assert on_time is not None and on_time <= deadline
        too_late = _oracle_best(name, access, egress, latest + 1)[k]
        assert too_late is None or too_late > deadline
        checked += 1
        if checked == 3:
            break
    assert checked > 0


@pytest.mark.slow
@pytest.mark.parametrize("area_bounds", [False, True], ids=["exact-bounds", "area-table"])
@pytest.mark.parametrize("name", ["santa_barbara", "vvs_merged"])
def test_window_search_keeps_the_first_departure_exact(name: str, area_bounds: bool) -> None:
    planner = _planner(name, area_bounds)
    date = dt.date.fromisoformat(FEEDS[name][1])
    for origin, destination, when in _random_requests(name, 4, seed=3):
        result = planner.plan(
            origin, destination, (date, when), window_minutes=20, max_transfers=MAX_TRANSFERS
        )
        access = planner.links(result.origin, leaving=True, option="--from")
        egress = planner.links(result.destination, leaving=False, option="--to")
        assert result.best_by_transfers == _oracle_best(name, access, egress, when)
        for journey in result.journeys:
            assert_feasible(_network(name), journey)
            if journey.rides:
                # leaving when it leaves, nothing with as few transfers arrives earlier
                assert journey.departure >= when
                best = _oracle_best(name, access, egress, journey.departure)
                assert best[journey.transfers] == journey.arrival


@pytest.mark.slow
@pytest.mark.parametrize("name", ["santa_barbara", "nyc_subway"])
def test_range_labels_reused_equal_fresh_searches(name: str) -> None:
    """Range RAPTOR (labels kept from later departures) gives, for every minute, what a
    fresh search from that minute gives; and the first minute is the oracle's."""
    from jjj.routing.kernels import allocate_state, range_one_to_all

    net = _network(name)
    date = dt.date.fromisoformat(FEEDS[name][1])
    view = _planner(name).day_view(date, whole_previous_day=False, next_day=False)
    state = allocate_state(view.n_stops, view.n_vps, 3)
    fresh_state = allocate_state(view.n_stops, view.n_vps, 3)
    rng = np.random.default_rng(5)
    departures = (7 * 3600 + 60 * np.arange(30))[::-1].astype(np.int32)
    for origin in rng.choice(_served_stops(net), 3, replace=False):
        stops = np.array([origin], dtype=np.int32)
        seconds = np.zeros(1, dtype=np.int32)
        reused = np.empty((len(departures), net.n_stops), dtype=np.int32)
        range_one_to_all(view.arrays, state, stops, seconds, departures, 3, MAX_DURATION, reused)
        for m in range(0, len(departures), 7):
            fresh = np.empty((1, net.n_stops), dtype=np.int32)
            range_one_to_all(
                view.arrays, fresh_state, stops, seconds, departures[m : m + 1], 3,
                MAX_DURATION, fresh,
            )  # fmt: skip
            cap = int(departures[m]) + MAX_DURATION  # later departures may arrive later
            got = np.where(reused[m] <= cap, reused[m], UNREACHED)
            want = np.where(fresh[0] <= cap, fresh[0], UNREACHED)
            assert np.array_equal(got, want), (origin, int(departures[m]))
