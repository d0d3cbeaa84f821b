"""``jjj plan NETWORK --from A --to B --depart ...``: output and bad input."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from jjj.cli import main
from jjj.errors import RoutingError
from jjj.routing.locations import NamedPlace
from jjj.routing.planner import Planner
from jjj.streets.geo import haversine_m
from jjj.timetable import save_network
from tests.routing.texttable import timetable

TEXT = """
    R1: A B C
      T1 08:00 08:10 08:30
    R2: B D C
      T2 08:12 08:14 08:20
"""
# A at 116.30, B 116.32, C 116.34, D 116.36 (0.02° apart, the texttable default)


@pytest.fixture
def network_file(tmp_path: Path) -> Path:
    return save_network(timetable(tmp_path, TEXT), tmp_path / "tiny.jjjnet")


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = 0
    try:
        main(args)
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_plan_prints_pareto_journeys_as_json(
    network_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        [
            "plan",
            str(network_file),
            "--from",
            "f:A",
            "--to",
            "f:C",
            "--depart",
            "2026-09-15T07:55",
            "--json",
        ],
        capsys,
    )
    assert code == 0, err
    journeys = json.loads(out)["journeys"]
    # direct at 08:30, or change at B for 08:20: both are Pareto-optimal
    assert [(j["transfers"], j["departure"], j["arrival"]) for j in journeys] == [
        (0, "2026-09-15T08:00:00+08:00", "2026-09-15T08:30:00+08:00"),
        (1, "2026-09-15T08:00:00+08:00", "2026-09-15T08:20:00+08:00"),
    ]
    changing = journeys[1]["legs"]
    assert [
        (leg["mode"], leg["route"], leg["from"]["stop_id"], leg["to"]["stop_id"])
        for leg in changing
    ] == [
        ("transit", "R1", "f:A", "f:B"),
        ("transit", "R2", "f:B", "f:C"),
    ]
    assert changing[0]["trip_id"] == "f:T1" and changing[0]["agency"] == "Test Agency"


def test_plan_from_coordinates_walks_to_the_stop(
    network_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 0.003° of longitude west of A at 39.9° N: 256 m, × 1.3 / 1.2 m/s = 278 s
    code, out, _ = run(
        ["plan", str(network_file), "--from", "39.9,116.297", "--to", "f:B",
         "--depart", "2026-09-15T07:50", "--json"],
        capsys,
    )  # fmt: skip
    assert code == 0
    (journey,) = json.loads(out)["journeys"]
    walk, ride = journey["legs"]
    assert walk["mode"] == "walk" and walk["to"]["stop_id"] == "f:A"
    assert walk["duration_s"] == 278
    assert journey["departure"] == "2026-09-15T07:55:22+08:00"
    assert ride["arrival"] == journey["arrival"] == "2026-09-15T08:10:00+08:00"


def test_plan_prints_a_readable_summary(
    network_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        ["plan", str(network_file), "--from", "f:A", "--to", "f:C", "--depart", "2026-09-15T07:55",
         "--max-transfers", "0"],
        capsys,
    )  # fmt: skip
    assert code == 0
    assert out.splitlines()[0] == "Journey 1: 08:00 → 08:30 (30 min, 0 transfers)"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "f:NOPE", "--to", "f:C"], "--from 'f:NOPE': unknown stop id"),
        (["--from", "f:A", "--to", "45.0,10.0"], "--to '45.0,10.0': no stop within 1000 m"),
        (["--from", "f:A", "--to", "95,10"], "latitude must be within ±90"),
        (
            ["--from", "f:A", "--to", "f:C", "--depart", "2031-01-01T08:00"],
            "outside the service period",
        ),
        (["--from", "f:A", "--to", "f:C", "--depart", "tomorrow 8am"], "not a date and time"),
        (["--from", "f:A", "--to", "f:C", "--depart", "2026-09-15T25:00"], "not a date and time"),
        (["--from", "f:A", "--to", "f:C", "--max-transfers", "-1"], "must be from 0 to 15"),
        (["--from", "f:A", "--to", "f:C", "--window", "2000"], "must be from 0 to 1440"),
    ],
)
def test_bad_input_is_one_line_and_exit_status_2(
    network_file: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    if "--depart" not in args:
        args = [*args, "--depart", "2026-09-15T08:00"]
    code, out, err = run(["plan", str(network_file), *args], capsys)
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("jjj: error: ") and message in lines[0]


def test_missing_network_file_is_exit_status_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        ["plan", str(tmp_path / "none.jjjnet"), "--from", "f:A", "--to", "f:C", "--depart",
         "2026-09-15T08:00"],
        capsys,
    )  # fmt: skip
    assert code == 2 and "no such network file" in err


def test_place_names_go_through_an_injected_resolver(tmp_path: Path) -> None:
    net = timetable(tmp_path, TEXT)
    places = {
        "Home": NamedPlace("Home", 39.9, 116.2995),
        "Bee station": NamedPlace("Bee station", 39.9, 116.32, ("f:B", "other:B")),
    }
    planner = Planner(net, resolver=places.get)
    result = planner.plan("Home", "f:B", "2026-09-15T07:50")
    assert result.origin.label == "Home"
    assert [leg.mode for leg in result.journeys[0].legs] == ["walk", "transit"]
    # a place standing for stops: they are its platforms, no walk needed
    arriving = planner.plan("f:A", "Bee station", "2026-09-15T07:50")
    assert [leg.mode for leg in arriving.journeys[0].legs] == ["transit"]
    assert arriving.journeys[0].legs[-1].destination.stop_id == "f:B"
    with pytest.raises(RoutingError, match="unknown stop id or place"):
        planner.plan("Nowhere", "f:B", "2026-09-15T07:50")


def test_walking_is_offered_when_it_is_close_enough(tmp_path: Path) -> None:
    net = timetable(tmp_path, TEXT)
    planner = Planner(net)
    # 0.002° of longitude at 39.9° N apart: walking beats waiting for any vehicle
    result = planner.plan("39.9,116.3", "39.9,116.302", "2026-09-15T07:30")
    (journey,) = result.journeys
    metres = float(haversine_m(39.9, 116.3, 39.9, 116.302))
    assert [leg.mode for leg in journey.legs] == ["walk"]
    assert journey.arrival - journey.departure == math.ceil(metres * 1.3 / 1.2)
    assert result.best_by_transfers[0] is None  # no ride before 08:00 reaches it sooner
    # the same stop as origin and destination: already there
    here = planner.plan("f:B", "f:B", "2026-09-15T07:30")
    assert [(j.departure, j.arrival, j.rides) for j in here.journeys] == [(27000, 27000, 0)]
