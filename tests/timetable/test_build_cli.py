"""`jjj build` and `jjj info` from the command line: output, exit status, nothing partial."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import FIXTURES
from tests.feedtext import line_stops, write_feed


def jjj(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from jjj.cli import main; main()", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_build_prints_the_summary_and_info_reads_it_back(tmp_path: Path) -> None:
    out = tmp_path / "cairns.jjjnet"
    built = jjj(
        "build", f"{FIXTURES / 'feeds' / 'cairns_gtfs.zip'}=cairns", "--out", str(out), "--json"
    )
    assert built.returncode == 0, built.stderr
    summary = json.loads(built.stdout)
    assert summary["stop_times"] == 37_790
    assert summary["feeds"] == ["cairns"]
    info = jjj("info", str(out), "--date", "2014-06-02", "--json")
    assert info.returncode == 0, info.stderr
    assert json.loads(info.stdout)["trips_on_2014-06-02"] > 0


def test_bad_feed_fails_with_its_report_and_writes_nothing(tmp_path: Path) -> None:
    stop_times = """
        trip_id,arrival_time,departure_time,stop_id,stop_sequence
        T1,08:00:00,08:00:00,A,1
        T1,25:61:00,25:61:00,B,2
    """
    folder = write_feed(
        tmp_path / "bad",
        {
            "stops.txt": line_stops("A", "B"),
            "stop_times.txt": stop_times,
            "trips.txt": "route_id,service_id,trip_id\nR1,ALL,T1",
        },
    )
    out = tmp_path / "net.jjjnet"
    result = jjj("build", str(folder), "--out", str(out))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "stop_times.txt:3" in result.stderr and "arrival_time" in result.stderr
    assert not out.exists()
    assert list(tmp_path.glob("*.jjjnet*")) == []


def test_feed_name_may_not_contain_a_colon(tmp_path: Path) -> None:
    result = jjj(
        "build",
        f"{FIXTURES / 'feeds' / 'cairns_gtfs.zip'}=a:b",
        "--out",
        str(tmp_path / "x.jjjnet"),
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "':'" in result.stderr


def test_info_on_a_file_that_is_not_a_network(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.jjjnet"
    bogus.write_bytes(b"not a network")
    result = jjj("info", str(bogus))
    assert result.returncode == 2
    assert "not a jjj network file" in result.stderr
    assert "Traceback" not in result.stderr
