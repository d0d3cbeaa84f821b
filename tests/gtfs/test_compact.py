"""A compact feed (integer columns of stop_times.txt read as integers) validates exactly
as a plain one: the same notices, lines, fields and message text, on broken tiny
feeds and on real ones; and its tables hold integers only where every value is one.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from jjj.gtfs.read import read_feed
from jjj.gtfs.validate import validate_report
from tests.conftest import FIXTURES, shared
from tests.gtfs.minifeed import write

HEAD = "trip_id,arrival_time,departure_time,stop_id,stop_sequence,pickup_type,timepoint"
GOOD = (
    "T1,08:00:00,08:00:00,S1,1,0,1",
    "T1,08:05:00,08:05:00,S2,2,0,0",
    "T1,08:10:00,08:10:00,S3,3,0,1",
    "T2,09:00:00,09:00:00,S1,1,,",
    "T2,09:10:00,09:10:00,S3,2,,",
)

#: stop_times.txt rows replacing GOOD[1], each odd in a way a compact read must survive.
VARIANTS = {
    "negative_sequence_with_zero": "T1,08:05:00,08:05:00,S2,-01,0,0",
    "enum_out_of_range_written_oddly": "T1,08:05:00,08:05:00,S2,2,07,+1",
    "enum_too_large_for_a_byte": "T1,08:05:00,08:05:00,S2,2,300,0",
    "malformed_integer": "T1,08:05:00,08:05:00,S2,two,0,0",
    "spaces_around_integer": 'T1,08:05:00,08:05:00,S2," 2 ",0,0',
    "integer_past_int32": "T1,08:05:00,08:05:00,S2,3000000000,0,0",
    "duplicate_sequence_written_two_ways": "T1,08:05:00,08:05:00,S2,01,0,0",
    "quoted_integers": 'T1,08:05:00,08:05:00,S2,"2","0","0"',
    "blank_line": ",,,,,,",
    "long_row": "T1,08:05:00,08:05:00,S2,2,0,0,extra",
}
#: The variants that are written oddly but valid.
VALID = {"quoted_integers", "spaces_around_integer"}


def _report(folder: Path, *, compact: bool) -> list[tuple[object, ...]]:
    report = validate_report(read_feed(folder, compact=compact), max_per_check=None)
    listed = [(n.code, n.severity, n.file, n.line, n.field, n.message) for n in report.notices]
    return [*listed, *sorted(report.counts.items())]


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_broken_stop_times_give_the_same_notices(tmp_path: Path, variant: str) -> None:
    rows = [GOOD[0], VARIANTS[variant], *GOOD[2:]]
    if variant == "duplicate_sequence_written_two_ways":
        rows = [GOOD[0], VARIANTS[variant], *GOOD[1:]]
    folder = write(tmp_path / "feed", {"stop_times.txt": "\n".join([HEAD, *rows])})
    plain = _report(folder, compact=False)
    assert (plain == []) == (variant in VALID), "the variant is (or is not) a problem"
    assert _report(folder, compact=True) == plain


def test_out_of_range_values_are_quoted_as_written(tmp_path: Path) -> None:
    rows = [GOOD[0], VARIANTS["negative_sequence_with_zero"], *GOOD[2:]]
    folder = write(tmp_path / "feed", {"stop_times.txt": "\n".join([HEAD, *rows])})
    feed = read_feed(folder, compact=True)
    table = feed.table("stop_times.txt")
    assert table is not None and table.schema["stop_sequence"] == pl.Int32
    messages = [n.message for n in validate_report(feed).notices if n.code == "number_out_of_range"]
    assert messages == ["-01 must be 0 or more"]
    assert feed.text("stop_times.txt", "stop_sequence").to_list()[1] == "-01"


def test_a_column_with_a_non_integer_stays_text(tmp_path: Path) -> None:
    rows = [GOOD[0], VARIANTS["malformed_integer"], *GOOD[2:]]
    folder = write(tmp_path / "feed", {"stop_times.txt": "\n".join([HEAD, *rows])})
    table = read_feed(folder, compact=True).table("stop_times.txt")
    assert table is not None
    assert table.schema["stop_sequence"] == pl.String
    assert table.get_column("stop_sequence").to_list()[1] == "two"


@pytest.mark.parametrize(
    "path",
    [FIXTURES / "feeds" / "cairns_gtfs.zip", "feeds/nyc_mta/nyc_subway.zip"],
    ids=["cairns", "nyc_subway"],
)
def test_real_feeds_give_the_same_notices(path: Path | str) -> None:
    feed_path = path if isinstance(path, Path) else shared(path)
    compact = read_feed(feed_path, compact=True)
    table = compact.table("stop_times.txt")
    assert table is not None and table.schema["stop_sequence"] == pl.Int32
    assert _report(feed_path, compact=True) == _report(feed_path, compact=False)
