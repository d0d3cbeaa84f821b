"""The subway feed's times against the source's per-station departure tables.

The oracle is the source archive itself (beijing_subway_gtfs_partial/
interim_timetable.tar.gz): for one line, direction and station, every departure it
lists is a departure in the feed, and a ride between two stations takes the time the
two tables give.
"""

from __future__ import annotations

import csv
import io
import tarfile
from pathlib import Path

import polars as pl
import pytest

from jjj.gtfs.read import Feed
from tests.conftest import shared

# Device numbers (0x9000000 + line * 256 + station, see the relations table):
# Line 1 Tian'anmen East 010017, Guomao 010022; Line 4 Anheqiao North 040021.
_EASTBOUND_LINE_1 = "data/interim/timetable/0/1/151019792/"
_SOUTHBOUND_LINE_4 = "data/interim/timetable/0/4/151018793/"


def _source_times(archive: Path, member: str) -> list[int]:
    with tarfile.open(archive, "r:gz") as tar:
        handle = tar.extractfile(member)
        assert handle is not None
        rows = csv.DictReader(io.StringIO(handle.read().decode("utf-8-sig")))
        return sorted(int(row["arriveTime"]) for row in rows)


def _seconds(text: str) -> int:
    h, m, s = (int(x) for x in text.split(":"))
    return h * 3600 + m * 60 + s


def _weekday_times(feed: Feed, stop_id: str) -> pl.DataFrame:
    trips = feed.table("trips.txt")
    stop_times = feed.table("stop_times.txt")
    assert trips is not None and stop_times is not None
    weekday = trips.filter(pl.col("service_id") == "weekday").select("trip_id")
    return stop_times.filter(pl.col("stop_id") == stop_id).join(weekday, on="trip_id")


@pytest.fixture(scope="module")
def archive() -> Path:
    return shared("jjj/beijing_subway_gtfs_partial/interim_timetable.tar.gz")


def test_every_source_departure_is_in_the_feed(subway: Feed, archive: Path) -> None:
    source = _source_times(archive, _EASTBOUND_LINE_1 + "150995217.csv")
    feed = _weekday_times(subway, "tiananmendong_01_u")
    assert sorted(_seconds(t) for t in feed["departure_time"]) == source
    assert set(feed["timepoint"].to_list()) == {"1"}


def test_a_ride_matches_the_source_to_the_minute(subway: Feed, archive: Path) -> None:
    at_tiananmen = _source_times(archive, _EASTBOUND_LINE_1 + "150995217.csv")
    at_guomao = _source_times(archive, _EASTBOUND_LINE_1 + "150995222.csv")
    # No train starts or ends between the two stations (the tables are as long) and
    # trains on one track keep their order, so the 100th train of one table is the
    # 100th of the other.
    assert len(at_tiananmen) == len(at_guomao)
    board, expected = at_tiananmen[100], at_guomao[100]
    here = _weekday_times(subway, "tiananmendong_01_u").filter(
        pl.col("departure_time").map_elements(_seconds, return_dtype=pl.Int64) == board
    )
    trip_id = here["trip_id"].item()
    there = _weekday_times(subway, "guomao_01_u").filter(pl.col("trip_id") == trip_id)
    assert _seconds(there["arrival_time"].item()) // 60 == expected // 60
    assert 5 * 60 <= expected - board <= 15 * 60


def test_first_and_last_trains_of_line_4(subway: Feed, archive: Path) -> None:
    source = _source_times(archive, _SOUTHBOUND_LINE_4 + "150995989.csv")
    feed = sorted(_seconds(t) for t in _weekday_times(subway, "anheqiaobei_04_d")["departure_time"])
    assert feed[0] == source[0]
    assert feed[-1] == source[-1]
