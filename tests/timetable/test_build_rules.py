"""Each GTFS rule the compiler honours, on tiny feeds written in the test."""

from __future__ import annotations

import datetime as dt
import mmap
from pathlib import Path

import numpy as np
import pytest

from jjj.errors import FeedError
from jjj.gtfs.read import read_feed
from jjj.streets.geo import haversine_m
from jjj.timetable import Network, load_network, save_network
from jjj.timetable.build import build_network
from jjj.timetable.footpaths import WalkingModel
from tests.feedtext import line_stops, write_feed


def build(tmp_path: Path, files: dict[str, str | None], name: str = "f", **kw: object) -> Network:
    folder = write_feed(tmp_path / name, files)
    return build_network([read_feed(folder, name)], **kw)  # type: ignore[arg-type]


def times_of(net: Network, trip_id: str) -> tuple[list[str], list[int], list[int]]:
    stops, arrivals, departures = net.trip_times(net.trip_ids.index_of(trip_id))
    return [net.stop_ids[int(s)] for s in stops], arrivals.tolist(), departures.tolist()


def hms(text: str) -> int:
    h, m, s = (int(x) for x in text.split(":"))
    return h * 3600 + m * 60 + s


def test_untimed_stops_are_interpolated_by_distance_and_rounded_down(tmp_path: Path) -> None:
    # B is 1 step from A, C is 3 steps from A (D at 4): times proportional to distance.
    stops = """
        stop_id,stop_name,stop_lat,stop_lon
        A,A,39.9,116.30
        B,B,39.9,116.31
        C,C,39.9,116.33
        D,D,39.9,116.34
    """
    stop_times = """
        trip_id,arrival_time,departure_time,stop_id,stop_sequence,timepoint
        T1,08:00:00,08:00:00,A,1,1
        T1,,,B,2,0
        T1,,,C,3,0
        T1,08:07:00,08:07:00,D,4,1
    """
    trips = "route_id,service_id,trip_id\nR1,ALL,T1"
    net = build(tmp_path, {"stops.txt": stops, "stop_times.txt": stop_times, "trips.txt": trips})
    _, arrivals, _ = times_of(net, "f:T1")
    lat = np.full(4, 39.9)
    lon = np.array([116.30, 116.31, 116.33, 116.34])
    legs = haversine_m(lat[:-1], lon[:-1], lat[1:], lon[1:])
    cumulative = np.concatenate([[0], np.cumsum(legs)])
    expected = [hms("08:00:00") + int(np.floor(420 * d / cumulative[-1])) for d in cumulative]
    assert arrivals == expected
    assert arrivals[1] == hms("08:01:45")  # 420 s × 1/4, exactly


def test_shape_dist_traveled_drives_interpolation_when_given(tmp_path: Path) -> None:
    stop_times = """
        trip_id,arrival_time,departure_time,stop_id,stop_sequence,shape_dist_traveled
        T1,08:00:00,08:00:00,A,1,0
        T1,,,B,2,9
        T1,08:10:00,08:10:00,C,3,10
    """
    net = build(
        tmp_path,
        {
            "stops.txt": line_stops("A", "B", "C"),
            "stop_times.txt": stop_times,
            "trips.txt": "route_id,service_id,trip_id\nR1,ALL,T1",
        },
    )
    assert times_of(net, "f:T1")[1] == [hms("08:00:00"), hms("08:09:00"), hms("08:10:00")]


def test_calendar_dates_add_and_remove_days(tmp_path: Path) -> None:
    calendar = """
        service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date
        WK,1,1,1,1,1,0,0,20260601,20260630
    """
    exceptions = """
        service_id,date,exception_type
        WK,20260603,2
        WK,20260606,1
        HOL,20260701,1
    """
    stop_times = """
        trip_id,arrival_time,departure_time,stop_id,stop_sequence
        T1,08:00:00,08:00:00,A,1
        T1,08:05:00,08:05:00,B,2
        T2,09:00:00,09:00:00,A,1
        T2,09:05:00,09:05:00,B,2
    """
    trips = "route_id,service_id,trip_id\nR1,WK,T1\nR1,HOL,T2"
    net = build(
        tmp_path,
        {
            "calendar.txt": calendar,
            "calendar_dates.txt": exceptions,
            "stops.txt": line_stops("A", "B"),
            "stop_times.txt": stop_times,
            "trips.txt": trips,
        },
    )

    def running(day: str) -> list[str]:
        return [net.trip_ids[int(t)] for t in net.trips_active_on(dt.date.fromisoformat(day))]

    assert running("2026-06-02") == ["f:T1"]  # Tuesday
    assert running("2026-06-03") == []  # removed
    assert running("2026-06-06") == ["f:T1"]  # Saturday, added
    assert running("2026-06-07") == []  # Sunday
    assert running("2026-07-01") == ["f:T2"]  # only in calendar_dates.txt
    assert running("2026-05-31") == []
    assert running("2030-01-01") == []  # out of range is simply empty
    assert net.first_date == dt.date(2026, 6, 1)
    assert net.last_date == dt.date(2026, 7, 1)


@pytest.mark.parametrize("exact_times", ["0", "1", ""])
def test_frequencies_expand_to_trips(tmp_path: Path, exact_times: str) -> None:
    stop_times = """
        trip_id,arrival_time,departure_time,stop_id,stop_sequence
        T1,10:00:00,10:00:00,A,1
        T1,10:04:00,10:05:00,B,2
        T1,10:09:00,10:09:00,C,3
    """
    frequencies = f"""
        trip_id,start_time,end_time,headway_secs,exact_times
        T1,06:00:00,07:00:00,1200,{exact_times}
        T1,23:30:00,24:30:00,1800,{exact_times}
    """
    net = build(
        tmp_path,
        {
            "stops.txt": line_stops("A", "B", "C"),
            "stop_times.txt": stop_times,
            "trips.txt": "route_id,service_id,trip_id\nR1,ALL,T1",
            "frequencies.txt": frequencies,
        },
    )
    ids = sorted(net.trip_ids)
    assert ids == [
        "f:T1@06:00:00",
        "f:T1@06:20:00",
        "f:T1@06:40:00",
        "f:T1@23:30:00",
        "f:T1@24:00:00",
    ]
    _, arrivals, departures = times_of(net, "f:T1@24:00:00")
    assert arrivals == [hms("24:00:00"), hms("24:04:00"), hms("24:09:00")]
    assert departures == [hms("24:00:00"), hms("24:05:00"), hms("24:09:00")]


def test_trips_past_midnight_keep_their_service_day(tmp_path: Path) -> None:
    calendar = """
        service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date
        FRI,0,0,0,0,1,0,0,20260101,20261231
    """
    stop_times = """
        trip_id,arrival_time,departure_time,stop_id,stop_sequence
        LATE,23:50:00,23:50:00,A,1
        LATE,25:10:00,25:10:00,B,2
    """
    net = build(
        tmp_path,
        {
            "calendar.txt": calendar,
            "stops.txt": line_stops("A", "B"),
            "stop_times.txt": stop_times,
            "trips.txt": "route_id,service_id,trip_id\nR1,FRI,LATE",
        },
    )
    friday, saturday = dt.date(2026, 9, 18), dt.date(2026, 9, 19)
    assert len(net.trips_active_on(friday)) == 1
    assert len(net.trips_active_on(saturday)) == 0
    assert times_of(net, "f:LATE")[1] == [hms("23:50:00"), hms("25:10:00")]


def test_patterns_split_so_no_trip_overtakes(tmp_path: Path) -> None:
    # EXPRESS leaves after SLOW but arrives before it: they cannot share a pattern.
    stop_times = """
        trip_id,arrival_time,departure_time,stop_id,stop_sequence
        SLOW,08:00:00,08:00:00,A,1
        SLOW,08:30:00,08:30:00,B,2
        EXPRESS,08:05:00,08:05:00,A,1
        EXPRESS,08:20:00,08:20:00,B,2
        LATER,08:10:00,08:10:00,A,1
        LATER,08:40:00,08:40:00,B,2
    """
    trips = "route_id,service_id,trip_id\nR1,ALL,SLOW\nR1,ALL,EXPRESS\nR1,ALL,LATER"
    net = build(
        tmp_path,
        {"stops.txt": line_stops("A", "B"), "stop_times.txt": stop_times, "trips.txt": trips},
    )
    assert net.n_patterns == 2
    for p in range(net.n_patterns):
        lo, hi = net.pattern_trip_span(p)
        n_trips = hi - lo
        s_lo, s_hi = net.pattern_stop_span(p)
        base = int(net.pattern_times_offsets[p])
        for s in range(s_hi - s_lo):
            span = net.departures[base + s * n_trips : base + (s + 1) * n_trips]
            assert np.all(np.diff(span) >= 0)
    assert (
        net.trip_pattern_idx[net.trip_ids.index_of("f:SLOW")]
        == net.trip_pattern_idx[net.trip_ids.index_of("f:LATER")]
    )
    assert (
        net.trip_pattern_idx[net.trip_ids.index_of("f:SLOW")]
        != net.trip_pattern_idx[net.trip_ids.index_of("f:EXPRESS")]
    )


def test_different_pickup_types_make_different_patterns(tmp_path: Path) -> None:
    stop_times = """
        trip_id,arrival_time,departure_time,stop_id,stop_sequence,pickup_type,drop_off_type
        T1,08:00:00,08:00:00,A,1,0,1
        T1,08:10:00,08:10:00,B,2,1,0
        T2,09:00:00,09:00:00,A,1,0,0
        T2,09:10:00,09:10:00,B,2,0,0
    """
    trips = "route_id,service_id,trip_id\nR1,ALL,T1\nR1,ALL,T2"
    net = build(
        tmp_path,
        {"stops.txt": line_stops("A", "B"), "stop_times.txt": stop_times, "trips.txt": trips},
    )
    assert net.n_patterns == 2
    p = int(net.trip_pattern_idx[net.trip_ids.index_of("f:T1")])
    lo, hi = net.pattern_stop_span(p)
    assert net.pattern_stop_pickup[lo:hi].tolist() == [0, 1]
    assert net.pattern_stop_dropoff[lo:hi].tolist() == [1, 0]


def test_merged_feeds_namespace_ids_and_link_nearby_stops(tmp_path: Path) -> None:
    stop_times = """
        trip_id,arrival_time,departure_time,stop_id,stop_sequence
        T1,08:00:00,08:00:00,A,1
        T1,08:05:00,08:05:00,B,2
    """
    trips = "route_id,service_id,trip_id\nR1,ALL,T1"
    one = write_feed(
        tmp_path / "one",
        {"stops.txt": line_stops("A", "B"), "stop_times.txt": stop_times, "trips.txt": trips},
    )
    # the second operator reuses every id; its A sits 0.001° (≈ 85 m) east of the first's A
    two = write_feed(
        tmp_path / "two",
        {
            "stops.txt": line_stops("A", "B", lon0=116.301),
            "stop_times.txt": stop_times,
            "trips.txt": trips,
        },
    )
    feeds = [read_feed(one, "bus"), read_feed(two, "metro")]
    net = build_network(feeds)
    assert sorted(net.stop_ids) == ["bus:A", "bus:B", "metro:A", "metro:B"]
    assert sorted(net.trip_ids) == ["bus:T1", "metro:T1"]
    assert sorted(net.route_ids) == ["bus:R1", "metro:R1"]
    a_bus, a_metro = net.stop_ids.index_of("bus:A"), net.stop_ids.index_of("metro:A")
    lo, hi = int(net.footpaths_offsets[a_bus]), int(net.footpaths_offsets[a_bus + 1])
    targets = net.footpath_to_stop[lo:hi].tolist()
    assert a_metro in targets
    distance = haversine_m(39.9, 116.3, 39.9, 116.301)
    seconds = int(net.footpath_seconds[lo + targets.index(a_metro)])
    assert seconds == int(np.ceil(float(distance) * 1.3 / 1.2))
    # A and B are ≈ 850 m apart: beyond the 400 m radius, no link
    b_bus = net.stop_ids.index_of("bus:B")
    assert b_bus not in targets
    # a larger radius links them; --no-footpaths links nothing
    wide = build_network(feeds, walking=WalkingModel(radius_m=1000))
    lo, hi = int(wide.footpaths_offsets[a_bus]), int(wide.footpaths_offsets[a_bus + 1])
    assert b_bus in wide.footpath_to_stop[lo:hi].tolist()
    assert build_network(feeds, footpaths=False).n_footpaths == 0


def test_transfers_txt_stop_rules(tmp_path: Path) -> None:
    stops = """
        stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station
        S,Station,39.9,116.3,1,
        S1,Platform 1,39.9,116.3,0,S
        S2,Platform 2,39.9,116.3001,0,S
        X,Far stop,39.9,116.32,0,
        Y,Near stop,39.9,116.3003,0,
    """
    stop_times = """
        trip_id,arrival_time,departure_time,stop_id,stop_sequence
        T1,08:00:00,08:00:00,S1,1
        T1,08:05:00,08:05:00,X,2
        T2,08:00:00,08:00:00,S2,1
        T2,08:05:00,08:05:00,Y,2
    """
    transfers = """
        from_stop_id,to_stop_id,transfer_type,min_transfer_time
        S,S,2,180
        X,S1,2,600
        S2,Y,3,
    """
    trips = "route_id,service_id,trip_id\nR1,ALL,T1\nR1,ALL,T2"
    net = build(
        tmp_path,
        {
            "stops.txt": stops,
            "stop_times.txt": stop_times,
            "trips.txt": trips,
            "transfers.txt": transfers,
        },
    )
    idx = net.stop_ids.index_of

    def footpath(a: str, b: str) -> int | None:
        lo, hi = int(net.footpaths_offsets[idx(a)]), int(net.footpaths_offsets[idx(a) + 1])
        targets = net.footpath_to_stop[lo:hi].tolist()
        return int(net.footpath_seconds[lo + targets.index(idx(b))]) if idx(b) in targets else None

    assert net.stop_min_transfer_seconds[idx("f:S1")] == 180  # station rule covers platforms
    assert net.stop_min_transfer_seconds[idx("f:S2")] == 180
    assert footpath("f:S1", "f:S2") == 180  # between platforms of the station
    assert footpath("f:X", "f:S1") == 600  # beyond the radius, but transfers.txt links them
    assert footpath("f:S1", "f:X") is None  # rules are directed
    assert footpath("f:S2", "f:Y") is None  # type 3 removes the generated link
    assert footpath("f:Y", "f:S2") is not None


def test_transfers_txt_route_and_trip_rules_are_kept(tmp_path: Path) -> None:
    routes = """
        route_id,agency_id,route_short_name,route_long_name,route_type
        R1,A,1,One,3
        R2,A,2,Two,3
    """
    stop_times = """
        trip_id,arrival_time,departure_time,stop_id,stop_sequence
        T1,08:00:00,08:00:00,A,1
        T1,08:05:00,08:05:00,B,2
        T2,08:10:00,08:10:00,B,1
        T2,08:15:00,08:15:00,C,2
    """
    transfers = """
        from_stop_id,to_stop_id,from_route_id,to_route_id,from_trip_id,to_trip_id,transfer_type,min_transfer_time
        B,B,R1,R2,,,1,
        B,B,,,T1,T2,4,
        B,B,R2,R1,,,3,
    """
    trips = "route_id,service_id,trip_id\nR1,ALL,T1\nR2,ALL,T2"
    net = build(
        tmp_path,
        {
            "routes.txt": routes,
            "stops.txt": line_stops("A", "B", "C"),
            "stop_times.txt": stop_times,
            "trips.txt": trips,
            "transfers.txt": transfers,
        },
    )
    rules = sorted(
        zip(
            net.transfer_type.tolist(),
            net.transfer_from_route_idx.tolist(),
            net.transfer_to_route_idx.tolist(),
            net.transfer_from_trip_idx.tolist(),
            net.transfer_to_trip_idx.tolist(),
            strict=True,
        )
    )
    r1, r2 = net.route_ids.index_of("f:R1"), net.route_ids.index_of("f:R2")
    t1, t2 = net.trip_ids.index_of("f:T1"), net.trip_ids.index_of("f:T2")
    assert rules == [(1, r1, r2, -1, -1), (3, r2, r1, -1, -1), (4, -1, -1, t1, t2)]
    b = net.stop_ids.index_of("f:B")
    assert set(net.transfer_from_stop_idx.tolist()) == {b}


def test_block_id_continuations_stay_seated(tmp_path: Path) -> None:
    stop_times = """
        trip_id,arrival_time,departure_time,stop_id,stop_sequence
        IN,08:00:00,08:00:00,A,1
        IN,08:10:00,08:10:00,B,2
        OUT,08:15:00,08:15:00,B,1
        OUT,08:25:00,08:25:00,C,2
        ELSEWHERE,09:00:00,09:00:00,A,1
        ELSEWHERE,09:10:00,09:10:00,C,2
    """
    trips = """
        route_id,service_id,trip_id,block_id
        R1,ALL,IN,BLK
        R1,ALL,OUT,BLK
        R1,ALL,ELSEWHERE,BLK
    """
    net = build(
        tmp_path,
        {"stops.txt": line_stops("A", "B", "C"), "stop_times.txt": stop_times, "trips.txt": trips},
    )
    nxt = {
        net.trip_ids[i]: (net.trip_ids[int(j)] if j >= 0 else None)
        for i, j in enumerate(net.trip_block_next_idx.tolist())
    }
    # OUT ends at C but ELSEWHERE starts at A: the vehicle did not continue there
    assert nxt == {"f:IN": "f:OUT", "f:OUT": None, "f:ELSEWHERE": None}


def test_agency_timezone_is_recorded(tmp_path: Path) -> None:
    agency = """
        agency_id,agency_name,agency_url,agency_timezone
        A,Far away,https://example.org,America/New_York
    """
    stop_times = """
        trip_id,arrival_time,departure_time,stop_id,stop_sequence
        T1,08:00:00,08:00:00,A,1
        T1,08:05:00,08:05:00,B,2
    """
    net = build(
        tmp_path,
        {
            "agency.txt": agency,
            "stops.txt": line_stops("A", "B"),
            "stop_times.txt": stop_times,
            "trips.txt": "route_id,service_id,trip_id\nR1,ALL,T1",
        },
    )
    assert net.timezone == "America/New_York"
    assert net.agency_timezones.to_list() == ["America/New_York"]


def test_save_and_load_round_trip_with_memory_mapping(tmp_path: Path) -> None:
    stop_times = """
        trip_id,arrival_time,departure_time,stop_id,stop_sequence
        T1,08:00:00,08:00:00,A,1
        T1,08:05:00,08:05:00,B,2
    """
    net = build(
        tmp_path,
        {
            "stops.txt": line_stops("A", "B"),
            "stop_times.txt": stop_times,
            "trips.txt": "route_id,service_id,trip_id\nR1,ALL,T1",
        },
    )
    path = save_network(net, tmp_path / "net.jjjnet")
    loaded = load_network(path)
    assert _memory_mapped(loaded.departures)
    for name in Network.array_fields():
        assert np.array_equal(getattr(net, name), getattr(loaded, name)), name
    for name in Network.string_fields():
        assert getattr(net, name).to_list() == getattr(loaded, name).to_list(), name
    assert loaded.summary() == net.summary()


def test_feed_with_errors_builds_nothing(tmp_path: Path) -> None:
    # stop_times names a trip that does not exist
    stop_times = """
        trip_id,arrival_time,departure_time,stop_id,stop_sequence
        T1,08:00:00,08:00:00,A,1
        T1,08:05:00,08:05:00,B,2
        GHOST,08:00:00,08:00:00,A,1
    """
    folder = write_feed(
        tmp_path / "bad",
        {
            "stops.txt": line_stops("A", "B"),
            "stop_times.txt": stop_times,
            "trips.txt": "route_id,service_id,trip_id\nR1,ALL,T1",
        },
    )
    with pytest.raises(FeedError) as raised:
        build_network([read_feed(folder)])
    assert raised.value.problems, "the error carries the validation report"


def _memory_mapped(array: np.ndarray) -> bool:
    """Whether ``array``'s memory belongs to a file mapping (through its chain of bases)."""
    owner: object = array
    while isinstance(owner, np.ndarray):
        if isinstance(owner, np.memmap):
            return True
        owner = owner.base
    return isinstance(owner, mmap.mmap)
