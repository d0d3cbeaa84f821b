"""The routing benchmark's own pieces: what it gives the peers, how it counts agreement,
and one small end-to-end run without peers (no timing is asserted anywhere)."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import importlib
import io
import re
import sys
import zipfile
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from jjj.timetable.footpaths import WalkingModel
from tests.conftest import REPO, shared

DATE = dt.date(2026, 9, 15)  # a Tuesday inside both NYC feeds' service periods


def _module(name: str) -> ModuleType:
    folder = str(REPO / "benchmarks")
    if folder not in sys.path:
        sys.path.insert(0, folder)
    return importlib.import_module(name)


def _active_services(archive: zipfile.ZipFile, date: dt.date) -> set[str]:
    """Services running on ``date`` read straight from calendar.txt and calendar_dates.txt."""
    ymd = date.strftime("%Y%m%d")
    day = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"][
        date.weekday()
    ]
    with archive.open("calendar.txt") as handle:
        rows = list(csv.DictReader(io.TextIOWrapper(handle, "utf-8-sig")))
    active = {
        r["service_id"]
        for r in rows
        if r[day].strip() == "1" and r["start_date"] <= ymd <= r["end_date"]
    }
    with archive.open("calendar_dates.txt") as handle:
        for r in csv.DictReader(io.TextIOWrapper(handle, "utf-8-sig")):
            if r["date"].strip() == ymd:
                if r["exception_type"].strip() == "1":
                    active.add(r["service_id"])
                else:
                    active.discard(r["service_id"])
    return active


def test_agreement_counts_each_kind_of_answer() -> None:
    agreement = _module("routing_agreement")
    result = agreement.compare([100, 100, 200, None, 50, None], [100, 130, 100, 70, None, None])
    assert (result.equal, result.ours_earlier, result.theirs_earlier) == (1, 1, 1)
    assert (result.only_ours, result.only_theirs, result.neither) == (1, 1, 1)
    assert result.close == 1  # the 30 s gap is within a minute, the 100 s one is not
    assert sorted(result.gaps) == [30, 100]


def test_values_padded_with_blanks_are_stripped_for_ferrobus() -> None:
    inputs = _module("routing_inputs")
    text = b"stop_id,stop_name,stop_lat,stop_lon\n300000,ORIENTAL BLVD,  40.578350, -73.940029\n"
    rows = list(csv.reader(io.StringIO(inputs._stripped_csv(text).decode("utf-8"))))
    assert rows[1] == ["300000", "ORIENTAL BLVD", "40.578350", "-73.940029"]


@pytest.fixture(scope="module")
def subway(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path]:
    inputs = _module("routing_inputs")
    case = inputs.FeedCase("NYC subway", "nyc_subway", shared("feeds/nyc_mta/nyc_subway.zip"))
    folder = tmp_path_factory.mktemp("bench_routing")
    network, _, _ = inputs.network_for(case, folder, walking=WalkingModel(speed_mps=1.4))
    return network, folder


def test_ferrobus_gets_the_services_of_the_date_only(subway: tuple[Any, Path]) -> None:
    inputs = _module("routing_inputs")
    network, folder = subway
    path = shared("feeds/nyc_mta/nyc_subway.zip")
    case = inputs.FeedCase("NYC subway", "nyc_subway", path)
    out = inputs.write_ferrobus_gtfs(case, network, DATE, folder / "gtfs")
    with (out / "calendar.txt").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with zipfile.ZipFile(path) as archive:
        expected = _active_services(archive, DATE)
    assert {r["service_id"] for r in rows} == expected
    assert all(r["tuesday"] == "1" and r["monday"] == "0" for r in rows)
    assert (out / "calendar_dates.txt").read_text(encoding="utf-8").count("\n") == 1
    assert (out / "stop_times.txt").exists() and (out / "feed_info.txt").exists()


def test_served_stops_are_those_the_dates_trips_call_at(subway: tuple[Any, Path]) -> None:
    inputs = _module("routing_inputs")
    network, _ = subway
    path = shared("feeds/nyc_mta/nyc_subway.zip")
    with zipfile.ZipFile(path) as archive:
        active = _active_services(archive, DATE)
        with archive.open("trips.txt") as handle:
            trips = {
                r["trip_id"]
                for r in csv.DictReader(io.TextIOWrapper(handle, "utf-8-sig"))
                if r["service_id"] in active
            }
        with archive.open("stop_times.txt") as handle:
            stops = {
                r["stop_id"]
                for r in csv.DictReader(io.TextIOWrapper(handle, "utf-8-sig"))
                if r["trip_id"] in trips
            }
    served = inputs.served_stops(network, DATE)
    assert {network.stop_ids[int(s)] for s in served} == {f"nyc_subway:{s}" for s in stops}


@pytest.mark.slow
def test_a_small_run_without_peers_reports_them_missing_and_matches_the_oracle(
    subway: tuple[Any, Path],
) -> None:
    bench = _module("bench_routing")
    _, folder = subway
    shared("feeds/nyc_mta/nyc_subway.zip")
    printed = io.StringIO()
    arguments = [
        "--feeds", "subway", "--pairs", "6", "--one-to-all", "2", "--range-queries", "2",
        "--matrix", "5", "--repeats", "1", "--oracle-pairs", "4", "--workdir", str(folder),
        "--ferrobus-python", str(folder / "none"), "--pyraptor-python", str(folder / "none"),
    ]  # fmt: skip
    with contextlib.redirect_stdout(printed):
        assert bench.main(arguments) == 0
    report = printed.getvalue()
    assert "ferrobus not installed" in report and "pyraptor not installed" in report
    assert "| point-to-point, planner with itineraries (median of 6) |" in report
    assert "4/4 queries equal for every transfer count" in report
    kernel = next(line for line in report.splitlines() if "kernel alone" in line)
    assert re.search(r"equal (\d+)/\1 \(100 %\)", kernel), kernel  # same as the planner
