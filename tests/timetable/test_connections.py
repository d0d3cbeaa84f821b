"""A connections file links stops of different feeds; a bad row names its line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from jjj.errors import FeedError
from jjj.gtfs.read import read_feed
from jjj.timetable.build import build_network
from jjj.timetable.connections import read_connections
from tests.feedtext import line_stops, write_feed

STOP_TIMES = """
    trip_id,arrival_time,departure_time,stop_id,stop_sequence
    T1,08:00:00,08:00:00,A,1
    T1,08:05:00,08:05:00,B,2
"""
TRIPS = "route_id,service_id,trip_id\nR1,ALL,T1"


def feeds(tmp_path: Path) -> list:  # type: ignore[type-arg]
    rail = write_feed(
        tmp_path / "rail",
        {"stops.txt": line_stops("A", "B"), "stop_times.txt": STOP_TIMES, "trips.txt": TRIPS},
    )
    metro = write_feed(
        tmp_path / "metro",
        {
            "stops.txt": line_stops("A", "B", lon0=116.5),
            "stop_times.txt": STOP_TIMES,
            "trips.txt": TRIPS,
        },
    )
    return [read_feed(rail, "rail"), read_feed(metro, "metro")]


def test_connections_add_directed_links_across_feeds(tmp_path: Path) -> None:
    file = tmp_path / "connections.txt"
    file.write_text("from_stop_id,to_stop_id,seconds,note\nrail:B,metro:A,600,hub\n")
    net = build_network(feeds(tmp_path), connections=read_connections(file))
    b, a = net.stop_ids.index_of("rail:B"), net.stop_ids.index_of("metro:A")
    lo, hi = int(net.footpaths_offsets[b]), int(net.footpaths_offsets[b + 1])
    targets = net.footpath_to_stop[lo:hi].tolist()
    assert a in targets
    assert int(net.footpath_seconds[lo + targets.index(a)]) == 600
    lo, hi = int(net.footpaths_offsets[a]), int(net.footpaths_offsets[a + 1])
    assert b not in net.footpath_to_stop[lo:hi].tolist()  # one direction per row


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("rail:B,metro:A,ten", "connections.txt:2 seconds"),
        ("B,metro:A,60", "connections.txt:2 from_stop_id"),
    ],
)
def test_bad_rows_name_line_and_field(tmp_path: Path, row: str, expected: str) -> None:
    file = tmp_path / "connections.txt"
    file.write_text(f"from_stop_id,to_stop_id,seconds\n{row}\n")
    with pytest.raises(FeedError, match=expected):
        read_connections(file)


def test_unknown_stop_is_named(tmp_path: Path) -> None:
    file = tmp_path / "connections.txt"
    file.write_text("from_stop_id,to_stop_id,seconds\nrail:B,metro:NOPE,60\n")
    with pytest.raises(FeedError, match=r"connections:2 to_stop_id: no stop 'metro:NOPE'"):
        build_network(feeds(tmp_path), connections=read_connections(file))
