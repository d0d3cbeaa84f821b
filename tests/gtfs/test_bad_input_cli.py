"""Broken copies of a real feed through ``jjj validate``: one clear error naming the place.

Each test starts from the Cairns feed shipped in tests/fixtures (MIT, gtfs_kit),
breaks one thing, and checks the exit code, that the output names the file, line
and field, that exactly one error is reported, and that no traceback escapes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jjj.cli import main
from tests.conftest import FIXTURES
from tests.gtfs.minifeed import replace_line, unpack

CAIRNS = FIXTURES / "feeds" / "cairns_gtfs.zip"


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code: int | str | None = 0
    try:
        main(argv)
    except SystemExit as stopped:
        code = stopped.code
    out, err = capsys.readouterr()
    return (code if isinstance(code, int) else 1), out, err


def report(folder: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, object]]:
    code, out, err = run(["validate", str(folder), "--json"], capsys)
    assert "Traceback" not in out + err
    return code, json.loads(out)


def errors_of(document: dict[str, object]) -> list[tuple[str, str, int | None, str | None]]:
    notices = document["notices"]
    assert isinstance(notices, list)
    return [
        (n["code"], n["file"], n["line"], n["field"]) for n in notices if n["severity"] == "ERROR"
    ]


@pytest.fixture
def cairns(tmp_path: Path) -> Path:
    return unpack(CAIRNS, tmp_path / "cairns")


def test_the_untouched_copy_is_usable(cairns: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, document = report(cairns, capsys)
    assert code == 0
    assert document["usable"] is True
    assert document["errors"] == 0


def test_truncated_zip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = CAIRNS.read_bytes()
    broken = tmp_path / "cairns_truncated.zip"
    broken.write_bytes(data[: len(data) // 2])
    code, out, err = run(["validate", str(broken)], capsys)
    assert code == 1
    assert "Traceback" not in out + err
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines == [lines[0]] and "cairns_truncated.zip" in lines[0]
    assert "not a readable zip" in lines[0]


def test_missing_required_column(cairns: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = cairns / "stop_times.txt"
    header = path.read_bytes().split(b"\n", 1)[0].rstrip(b"\r")
    assert header.split(b",")[4] == b"stop_sequence"
    # Rename the column: the header no longer has stop_sequence (and gains an unknown one).
    replace_line(path, 1, header.replace(b"stop_sequence", b"stop_order"))
    code, document = report(cairns, capsys)
    assert code == 1
    assert errors_of(document) == [
        ("missing_required_column", "stop_times.txt", 1, "stop_sequence")
    ]
    code, out, _ = run(["validate", str(cairns)], capsys)
    assert "cairns/stop_times.txt:1 stop_sequence: ERROR missing_required_column" in out


def test_time_25_61_00(cairns: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = cairns / "stop_times.txt"
    old = replace_line(path, 101, b"")  # read line 101, then write it back changed
    fields = old.split(b",")
    assert fields[1] and fields[1] == fields[2]  # a timed stop: arrival_time = departure_time
    fields[1] = b"25:61:00"
    replace_line(path, 101, b",".join(fields))
    code, document = report(cairns, capsys)
    assert code == 1
    assert errors_of(document) == [("invalid_time", "stop_times.txt", 101, "arrival_time")]
    code, out, _ = run(["validate", str(cairns)], capsys)
    assert "cairns/stop_times.txt:101 arrival_time: ERROR invalid_time: `25:61:00`" in out


def test_stop_time_naming_no_trip(cairns: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = cairns / "stop_times.txt"
    old = replace_line(path, 2000, b"")
    replace_line(path, 2000, b"NO_SUCH_TRIP" + old[old.index(b",") :])
    code, document = report(cairns, capsys)
    assert code == 1
    assert errors_of(document) == [("foreign_key_violation", "stop_times.txt", 2000, "trip_id")]


@pytest.mark.parametrize(
    "content", [b"", b"trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"]
)
def test_empty_stop_times(cairns: Path, content: bytes, capsys: pytest.CaptureFixture[str]) -> None:
    (cairns / "stop_times.txt").write_bytes(content)
    code, document = report(cairns, capsys)
    assert code == 1
    assert errors_of(document) == [("empty_file", "stop_times.txt", None, None)]


def test_not_utf8(cairns: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = cairns / "stops.txt"
    old = replace_line(path, 10, b"")
    fields = old.split(b",")
    fields[2] = "Café Élysée".encode("latin-1")
    replace_line(path, 10, b",".join(fields))
    code, document = report(cairns, capsys)
    assert code == 1
    assert errors_of(document) == [("invalid_encoding", "stops.txt", 10, "stop_name")]
    code, out, _ = run(["validate", str(cairns)], capsys)
    assert "cairns/stops.txt:10 stop_name: ERROR invalid_encoding: not UTF-8 (byte 0xe9" in out
