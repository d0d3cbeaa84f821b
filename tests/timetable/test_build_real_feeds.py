"""Every real feed in ../shared/data/feeds builds, and its counts match its files.

Expected counts come from reading the files with the csv module (an independent
reader), never from jjj.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from jjj.gtfs.read import read_feed
from jjj.timetable import Network
from jjj.timetable.build import build_network
from tests.conftest import FIXTURES, shared

FEEDS = [
    "feeds/gtfs_kit_samples/cairns_gtfs.zip",
    "feeds/gtfs_kit_samples/nyc_subway_gtfs.zip",
    "feeds/santa_barbara_mtd/gtfs.zip",
    "feeds/sao_paulo_r5py/spo_gtfs.zip",
    "feeds/otp_test_feeds/caltrain_gtfs.zip",
    "feeds/otp_test_feeds/kcm_gtfs.zip",
    "feeds/otp_test_feeds/vvs-bus-751-only.gtfs.zip",
    "feeds/otp_test_feeds/vvs-bus-764-only.gtfs.zip",
    "feeds/nyc_mta/nyc_subway.zip",
]


def rows(path: Path, name: str) -> list[dict[str, str]]:
    with zipfile.ZipFile(path) as archive:
        member = next((m for m in archive.namelist() if m.rsplit("/", 1)[-1] == name), None)
        if member is None:
            return []
        text = archive.read(member).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def seconds(text: str) -> int:
    h, m, s = (int(x) for x in text.strip().split(":"))
    return h * 3600 + m * 60 + s


def expected_counts(path: Path) -> dict[str, int]:
    """Trips and stop times after frequency expansion, by plain reading of the files."""
    stop_times = Counter(row["trip_id"] for row in rows(path, "stop_times.txt"))
    trips = [row["trip_id"] for row in rows(path, "trips.txt") if stop_times[row["trip_id"]] >= 2]
    runs: Counter[str] = Counter()
    for row in rows(path, "frequencies.txt"):
        start, end = seconds(row["start_time"]), seconds(row["end_time"])
        headway = int(row["headway_secs"])
        runs[row["trip_id"]] += len(range(start, end, headway))
    n_trips = sum(runs.get(t, 1) for t in trips)
    n_stop_times = sum(stop_times[t] * (runs.get(t, 1)) for t in trips)
    return {
        "stops": len(rows(path, "stops.txt")),
        "routes": len(rows(path, "routes.txt")),
        "trips": n_trips,
        "stop_times": n_stop_times,
    }


def check_structure(net: Network) -> None:
    """Invariants of the layout every network must satisfy."""
    assert net.pattern_stops_offsets[-1] == len(net.pattern_stops)
    assert net.pattern_trips_offsets[-1] == len(net.pattern_trips) == net.n_trips
    assert net.pattern_times_offsets[-1] == net.n_stop_times
    assert np.all(net.trip_pattern_idx >= 0)
    for p in range(net.n_patterns):
        s_lo, s_hi = net.pattern_stop_span(p)
        t_lo, t_hi = net.pattern_trip_span(p)
        n_stops, n_trips = s_hi - s_lo, t_hi - t_lo
        base = int(net.pattern_times_offsets[p])
        block_dep = net.departures[base : base + n_stops * n_trips].reshape(n_stops, n_trips)
        block_arr = net.arrivals[base : base + n_stops * n_trips].reshape(n_stops, n_trips)
        assert np.all(np.diff(block_dep, axis=1) >= 0), "a trip overtakes another"
        assert np.all(np.diff(block_arr, axis=1) >= 0), "a trip overtakes another"
        assert np.all(block_dep >= block_arr)
        assert np.all(block_arr[1:] >= block_dep[:-1]), "time goes backwards along a trip"
    # stop -> patterns is the exact inverse of pattern -> stops
    pairs_forward = sorted(
        (int(s), p)
        for p in range(net.n_patterns)
        for s in net.pattern_stops[slice(*net.pattern_stop_span(p))]
    )
    pairs_inverse = sorted(
        (s, int(net.stop_patterns[k]))
        for s in range(net.n_stops)
        for k in range(int(net.stop_patterns_offsets[s]), int(net.stop_patterns_offsets[s + 1]))
    )
    assert pairs_forward == pairs_inverse


@pytest.mark.parametrize("relative", FEEDS)
def test_real_feed_builds_with_the_counts_of_its_files(relative: str) -> None:
    path = shared(relative)
    net = build_network([read_feed(path)])
    assert {k: net.summary()[k] for k in ("stops", "routes", "trips", "stop_times")} == (
        expected_counts(path)
    )
    check_structure(net)


def test_shipped_cairns_fixture_builds() -> None:
    net = build_network([read_feed(FIXTURES / "feeds" / "cairns_gtfs.zip")])
    assert net.summary()["stop_times"] == 37_790
    check_structure(net)


def test_sao_paulo_frequencies_expand_to_the_trips_they_imply() -> None:
    path = shared("feeds/sao_paulo_r5py/spo_gtfs.zip")
    net = build_network([read_feed(path, "spo")])
    frequencies = rows(path, "frequencies.txt")
    assert len(frequencies) == 704
    implied = sum(
        len(range(seconds(r["start_time"]), seconds(r["end_time"]), int(r["headway_secs"])))
        for r in frequencies
    )
    assert net.n_trips == implied
    # every expanded trip keeps its template's run times, shifted to its departure
    first = frequencies[0]
    template = [r for r in rows(path, "stop_times.txt") if r["trip_id"] == first["trip_id"]]
    template.sort(key=lambda r: int(r["stop_sequence"]))
    start = seconds(first["start_time"])
    trip_idx = net.trip_ids.index_of(f"spo:{first['trip_id']}@{first['start_time'].strip()}")
    _, arrivals, _ = net.trip_times(trip_idx)
    timed = [(i, seconds(r["arrival_time"])) for i, r in enumerate(template) if r["arrival_time"]]
    offset = start - timed[0][1]
    for i, value in timed:
        assert int(arrivals[i]) == value + offset


def test_nyc_subway_trips_after_midnight_sit_on_the_day_they_start() -> None:
    path = shared("feeds/nyc_mta/nyc_subway.zip")
    net = build_network([read_feed(path, "nyc")])
    by_trip: dict[str, list[dict[str, str]]] = {}
    for row in rows(path, "stop_times.txt"):
        by_trip.setdefault(row["trip_id"], []).append(row)
    crossing = None
    for trip_id, trip_rows in by_trip.items():
        trip_rows.sort(key=lambda r: int(r["stop_sequence"]))
        if (
            seconds(trip_rows[0]["departure_time"])
            < 86_400
            <= seconds(trip_rows[-1]["arrival_time"])
        ):
            crossing = trip_id
            break
    assert crossing is not None, "the feed has trips running past midnight"
    trip_idx = net.trip_ids.index_of(f"nyc:{crossing}")
    _, arrivals, _ = net.trip_times(trip_idx)
    assert int(arrivals[-1]) >= 86_400  # stored past 24:00, not wrapped
    service_id = next(r["service_id"] for r in rows(path, "trips.txt") if r["trip_id"] == crossing)
    calendar = next(r for r in rows(path, "calendar.txt") if r["service_id"] == service_id)
    start = dt.datetime.strptime(calendar["start_date"], "%Y%m%d").date()
    weekday_names = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    removed = {
        r["date"]
        for r in rows(path, "calendar_dates.txt")
        if r["service_id"] == service_id and r["exception_type"] == "2"
    }
    day = start
    while calendar[weekday_names[day.weekday()]] != "1" or day.strftime("%Y%m%d") in removed:
        day += dt.timedelta(days=1)
    assert trip_idx in net.trips_active_on(day).tolist()
    following = day + dt.timedelta(days=1)
    runs_next_day = calendar[weekday_names[following.weekday()]] == "1"
    assert (trip_idx in net.trips_active_on(following).tolist()) == runs_next_day


@pytest.mark.slow
def test_brooklyn_buses_and_subway_merge() -> None:
    bus = shared("feeds/nyc_mta/nyc_bus_bk.zip")
    subway = shared("feeds/nyc_mta/nyc_subway.zip")
    net = build_network([read_feed(subway, "subway"), read_feed(bus, "bus")])
    assert net.n_stop_times == 565_093 + 2_400_187
    assert net.n_trips == 20_621 + 58_357
    # footpaths connect the two operators
    feed_of = net.stop_feed_idx
    from_stop = np.repeat(np.arange(net.n_stops), np.diff(net.footpaths_offsets))
    crossing = feed_of[from_stop] != feed_of[net.footpath_to_stop]
    assert crossing.sum() > 100
