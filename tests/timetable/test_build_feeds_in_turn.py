"""Several feeds in one build: the next feed is read ahead and the network assembled
beside the last feed's checks, yet a bad feed in any position stops the build with
its own report, the feeds' tables are freed, and their reading mode is restored.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from jjj.errors import FeedError
from jjj.gtfs.read import Feed, read_feed
from jjj.timetable.build import build_network
from tests.feedtext import line_stops, write_feed

GOOD = {
    "stops.txt": line_stops("A", "B"),
    "trips.txt": "route_id,service_id,trip_id\nR1,ALL,T1",
    "stop_times.txt": """
        trip_id,arrival_time,departure_time,stop_id,stop_sequence
        T1,08:00:00,08:00:00,A,1
        T1,08:05:00,08:05:00,B,2
    """,
}
#: stop_times.txt naming a trip that does not exist: a foreign_key_violation error.
BAD = {
    **GOOD,
    "stop_times.txt": """
        trip_id,arrival_time,departure_time,stop_id,stop_sequence
        T1,08:00:00,08:00:00,A,1
        T1,08:05:00,08:05:00,B,2
        GHOST,08:00:00,08:00:00,A,1
    """,
}


def feeds(tmp_path: Path, *kinds: str) -> list[Feed]:
    files = {"good": GOOD, "bad": BAD}
    return [
        read_feed(write_feed(tmp_path / f"{kind}{i}", files[kind]), f"{kind}{i}")
        for i, kind in enumerate(kinds)
    ]


@pytest.mark.parametrize(
    ("kinds", "failing"),
    [
        (("bad", "good", "good"), "bad0"),  # fails while the next feed is read ahead
        (("good", "bad", "good"), "bad1"),  # a feed that was read ahead fails
        (("good", "good", "bad"), "bad2"),  # the last feed fails while assembling beside
        (("bad", "bad"), "bad0"),  # the first failing feed is the one reported
    ],
)
def test_a_bad_feed_anywhere_stops_the_build_with_its_report(
    tmp_path: Path, kinds: tuple[str, ...], failing: str
) -> None:
    given = feeds(tmp_path, *kinds)
    with pytest.raises(FeedError) as raised:
        build_network(given)
    assert str(raised.value).startswith(f"{failing}: 1 errors")
    assert [p.code for p in raised.value.problems] == ["foreign_key_violation"]  # type: ignore[attr-defined]
    for feed in given:
        assert feed._cache == {}, "tables are freed, read ahead or not"
        assert feed.compact is False, "the reading mode is the caller's again"


def test_good_feeds_build_whatever_their_number(tmp_path: Path) -> None:
    for count in (1, 2, 3):
        network = build_network(feeds(tmp_path / str(count), *["good"] * count))
        assert network.trip_ids.to_list() == [f"good{i}:T1" for i in range(count)]
        assert network.n_stop_times == 2 * count
