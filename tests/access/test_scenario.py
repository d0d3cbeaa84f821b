"""Scenarios on tiny timetables (expected times read off the text by hand) and on the region."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from jjj.access.router import OneToAll, Window
from jjj.access.scenario import parse_scenario, read_scenario
from jjj.access.scenario_apply import apply_scenario
from jjj.errors import AccessError
from jjj.ids import UNREACHED
from jjj.timetable import Network
from jjj.timetable.store import load_network, save_network
from tests.access.conftest import REGION_DAY
from tests.routing.texttable import timetable

DAY = dt.date(2026, 9, 15)


def hm(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 3600 + int(minutes) * 60


@pytest.fixture
def line(tmp_path: Path) -> Network:
    return timetable(
        tmp_path,
        """
        R1: A B C
          T1 08:00 08:05 08:10
          T2 08:20 08:25 08:30
          T3 08:40 08:45 08:50
        """,
    )


def alight(network: Network, stop_id: str, target_id: str, depart: str, minutes: int = 1) -> int:
    """Earliest alighting at ``target_id`` leaving ``stop_id`` at ``depart``."""
    router = OneToAll(network, Window(DAY, hm(depart), minutes), max_seconds=4 * 3600)
    source = network.stop_ids.index_of(f"f:{stop_id}") if ":" not in stop_id else None
    source = network.stop_ids.index_of(stop_id) if source is None else source
    arrivals = router.arrivals(np.array([source], np.int32), np.array([0], np.int32))
    return int(arrivals[0, network.stop_ids.index_of(target_id)])


def test_add_line_from_an_existing_station_to_a_new_one(line: Network) -> None:
    scenario = parse_scenario(
        {
            "name": "spur",
            "modifications": [
                {
                    "type": "add_line",
                    "name": "Spur",
                    "stations": ["B", {"name": "X", "lat": 39.95, "lon": 116.40}],
                    "run_minutes": [10],
                    "headway_minutes": 15,
                    "span": ["08:00", "09:00"],
                }
            ],
        }
    )
    changed, report = apply_scenario(line, scenario)
    assert changed.n_stops == line.n_stops + 1
    assert changed.stop_ids[line.n_stops] == "scenario_spur:X"
    assert changed.n_trips == line.n_trips + 10  # 08:00 … 09:00 every 15 min, both ways
    assert report.lines == ["add line Spur: 2 stations, 5 trips per direction, every 15 min"]
    # leave B at 08:05: the 08:15 departure arrives at X at 08:25
    assert alight(changed, "B", "scenario_spur:X", "08:05") == hm("08:25")
    # back from X at 08:26: the 08:30 departure reaches B at 08:40, then R1 (08:45) to C
    assert alight(changed, "scenario_spur:X", "f:C", "08:26") == hm("08:50")
    # the original network is untouched
    assert line.n_stops == 3 and line.n_trips == 3


def test_change_frequency_replaces_trips_with_the_median_running_times(line: Network) -> None:
    doc = {"modifications": [{"type": "change_frequency", "route": "R1", "headway_minutes": 10}]}
    changed, report = apply_scenario(line, parse_scenario(doc))
    assert report.lines == ["change frequency of f:R1: 3 trips replaced by 5 (every 10 min)"]
    # before: leave A at 08:01, wait for 08:20, reach C at 08:30; after: the 08:10 trip, 08:20
    assert alight(line, "A", "f:C", "08:01") == hm("08:30")
    assert alight(changed, "A", "f:C", "08:01") == hm("08:20")
    assert alight(changed, "A", "f:C", "08:41") == UNREACHED  # the span ends with 08:40


def test_change_frequency_within_a_span_keeps_the_other_trips(line: Network) -> None:
    doc = {
        "modifications": [
            {
                "type": "change_frequency",
                "route": "f:R1",
                "headway_minutes": 30,
                "span": ["08:15", "08:45"],
            }
        ]
    }
    changed, _ = apply_scenario(line, parse_scenario(doc))
    assert alight(changed, "A", "f:C", "07:50") == hm("08:10")  # T1 kept
    assert alight(changed, "A", "f:C", "08:01") == hm("08:25")  # new 08:15 trip
    assert alight(changed, "A", "f:C", "08:16") == hm("08:55")  # new 08:45 trip


def test_remove_route(line: Network) -> None:
    changed, report = apply_scenario(
        line, parse_scenario({"modifications": [{"type": "remove_route", "route": "R1"}]})
    )
    assert report.lines == ["remove route f:R1 (3 trips)"]
    assert alight(changed, "A", "f:C", "07:50") == UNREACHED
    assert changed.n_trips == line.n_trips  # kept, on a service that never runs
    assert not changed.services_active_on(DAY)[changed.trip_service_idx].any()


def test_edited_network_saves_and_loads(line: Network, tmp_path: Path) -> None:
    doc = {
        "modifications": [
            {
                "type": "add_line",
                "name": "Spur",
                "stations": ["A", "C"],
                "speed_kmh": 60,
                "headway_minutes": 20,
                "span": ["08:00", "08:40"],
            }
        ]
    }
    changed, _ = apply_scenario(line, parse_scenario(doc))
    loaded = load_network(save_network(changed, tmp_path / "changed.jjj"))
    for name in Network.array_fields():
        np.testing.assert_array_equal(getattr(loaded, name), getattr(changed, name), name)
    # A and C are 0.04° of longitude apart (≈ 3.41 km): at 60 km/h the run takes 205 s
    assert alight(loaded, "A", "f:C", "08:00") == hm("08:00") + 205


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"modifications": []}, "field modifications: a non-empty list"),
        ({"modifications": [{"type": "close_line"}]}, r"modifications\[0\]: field type"),
        ({"modifications": [{"type": "remove_route", "route": "R9"}]}, "no route 'R9'"),
        (
            {
                "modifications": [
                    {
                        "type": "add_line",
                        "name": "N",
                        "stations": ["A", "Nowhere"],
                        "run_minutes": [5],
                        "headway_minutes": 5,
                        "span": ["08:00", "09:00"],
                    }
                ]
            },
            r"stations\[1\]: no served stop named 'Nowhere'",
        ),
        (
            {
                "modifications": [
                    {
                        "type": "add_line",
                        "name": "N",
                        "stations": ["A", "B"],
                        "run_minutes": [5, 6],
                        "headway_minutes": 5,
                        "span": ["08:00", "09:00"],
                    }
                ]
            },
            "field run_minutes: one value per pair",
        ),
        (
            {"modifications": [{"type": "change_frequency", "route": "R1", "headway_minutes": 0}]},
            "field headway_minutes: must be positive",
        ),
        (
            {
                "modifications": [
                    {
                        "type": "change_frequency",
                        "route": "R1",
                        "headway_minutes": 5,
                        "span": ["23:00", "23:30"],
                    }
                ]
            },
            "has no trips in the span",
        ),
    ],
)
def test_bad_scenarios_name_the_modification_and_field(
    line: Network, document: dict[str, object], message: str
) -> None:
    with pytest.raises(AccessError, match=message):
        apply_scenario(line, parse_scenario(document, source="s.yaml"))


def test_yaml_errors_give_the_line(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("name: x\nmodifications:\n  - type: [unclosed\n", encoding="utf-8")
    with pytest.raises(AccessError, match=r"s\.yaml:\d+: not YAML"):
        read_scenario(path)


def test_removing_a_line_never_makes_the_region_faster(region: Network) -> None:
    doc = {"modifications": [{"type": "remove_route", "route": "jingjin"}]}
    changed, _ = apply_scenario(region, parse_scenario(doc))
    window = Window(REGION_DAY, 7 * 3600, 10)
    before = OneToAll(region, window, max_seconds=3 * 3600)
    after = OneToAll(changed, window, max_seconds=3 * 3600)
    beijing_south = region.stop_ids.index_of("intercity_rail:beijing_south")
    tianjin = region.stop_ids.index_of("intercity_rail:tianjin")
    source = (np.array([beijing_south], np.int32), np.array([0], np.int32))
    old, new = before.arrivals(*source), after.arrivals(*source)
    assert (new >= old).all()
    # the Jing-Jin intercity was the fastest way at 07:00-07:02, then a Jing-Hu train
    assert (new[:, tianjin] > old[:, tianjin]).any()
