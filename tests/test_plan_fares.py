"""``jjj plan`` prices its journeys: the fare adapter on the bundled region.

Expected fares come from the feed files read here with the csv module (distances from
``stop_times.txt``'s ``shape_dist_traveled``, bands from ``fare_leg_distance_rules.txt``
and ``fare_products.txt``), never from the code under test.
"""

from __future__ import annotations

import csv
import io
import json
import math
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from jjj.app import open_network
from jjj.app.fare_sources import clear_fare_cache
from jjj.cli import main
from jjj.data import feed_paths
from jjj.timetable import save_network
from tests.routing.texttable import timetable

DEPART = "2026-09-15T10:00"  # a Tuesday: weekday timetables


def _rows(feed: str, member: str) -> list[dict[str, str]]:
    with zipfile.ZipFile(feed_paths()[feed]) as archive:
        text = archive.read(member).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The bundled region compiled into a temporary cache (once for the module)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JJJ_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        open_network(None)
        clear_fare_cache()
        yield


@pytest.fixture(scope="module")
def subway_times() -> dict[str, list[tuple[int, str, float]]]:
    """Beijing Subway trips: (stop_sequence, stop_id, shape_dist_traveled) in order."""
    trips: dict[str, list[tuple[int, str, float]]] = {}
    for row in _rows("beijing_subway", "stop_times.txt"):
        trips.setdefault(row["trip_id"], []).append(
            (int(row["stop_sequence"]), row["stop_id"], float(row["shape_dist_traveled"]))
        )
    return {trip: sorted(rows) for trip, rows in trips.items()}


def subway_price(distance_m: float) -> int:
    """Beijing Subway fare in fen for a distance, from the feed's distance rules."""
    amount = {
        r["fare_product_id"]: int(Decimal(r["amount"]) * 100)
        for r in _rows("beijing_subway", "fare_products.txt")
    }
    for rule in _rows("beijing_subway", "fare_leg_distance_rules.txt"):
        if rule["network_id"] != "bj_subway":
            continue
        low = float(rule["min_distance_m"] or 0)
        high = float(rule["max_distance_m"]) if rule["max_distance_m"] else math.inf
        inside = (distance_m > low or (not rule["min_distance_m"] and distance_m >= 0)) and (
            distance_m <= high
        )
        if inside:
            price = amount[rule["fare_product_id"]]
            if rule["step_distance_m"]:
                steps = math.ceil((distance_m - low) / float(rule["step_distance_m"]))
                price += steps * amount[rule["step_fare_product_id"]]
            return price
    raise AssertionError(f"no band for {distance_m} m")


def ridden_m(times: dict[str, list[tuple[int, str, float]]], leg: dict[str, Any]) -> float:
    """Metres along the trip between the leg's stops, from stop_times.txt."""
    rows = times[leg["trip_id"].split(":", 1)[1]]
    stops = [stop for _, stop, _ in rows]
    board = stops.index(leg["from"]["stop_id"].split(":", 1)[1])
    alight = stops.index(leg["to"]["stop_id"].split(":", 1)[1], board + 1)
    return rows[alight][2] - rows[board][2]


def plan_json(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, Any]]:
    code = 0
    try:
        main(["plan", *args, "--depart", DEPART, "--json"])
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    assert code == 0, err
    journeys: list[dict[str, Any]] = json.loads(out)["journeys"]
    assert journeys
    return journeys


def run(args: list[str]) -> None:
    try:
        main(args)
    except SystemExit as exc:
        assert not exc.code


def plan_text(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    run(["plan", *args, "--depart", DEPART])
    return capsys.readouterr().out


def test_subway_ride_pays_the_band_of_its_distance_along_the_line(
    region: None,
    subway_times: dict[str, list[tuple[int, str, float]]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Line 4 southbound, Xingong → Huangcun Railway Station (7 stations). Along the line
    # (shape_dist_traveled) it is 12,537 m: ¥5; in straight hops between the stations it
    # is under 12 km, which would be ¥4.
    origin, destination = "beijing_subway:xingong_04_d", "beijing_subway:huangcunhuochezhan_04_d"
    journeys = plan_json(capsys, "--from", origin, "--to", destination)
    direct = next(j for j in journeys if j["transfers"] == 0)
    rides = [leg for leg in direct["legs"] if leg["mode"] == "transit"]
    assert len(rides) == 1
    distance = ridden_m(subway_times, rides[0])
    assert 12_000 < distance <= 22_000
    stops = {r["stop_id"]: r for r in _rows("beijing_subway", "stops.txt")}
    chain = [s for _, s, _ in subway_times[rides[0]["trip_id"].split(":", 1)[1]]]
    first = chain.index("xingong_04_d")
    last = chain.index("huangcunhuochezhan_04_d")
    straight = sum(_haversine_m(stops[chain[i]], stops[chain[i + 1]]) for i in range(first, last))
    assert subway_price(straight) != subway_price(distance)  # the test tells them apart

    fare = direct["fare"]
    assert fare["unknown"] == []
    assert fare["total"] == {"amount_minor": 500, "currency": "CNY", "text": "5.00 CNY"}
    assert subway_price(distance) == 500
    (part,) = fare["parts"]
    assert part["name"] == "Beijing Subway" and part["feed"] == "beijing_subway"
    assert part["rides"][0]["distance_source"] == "shape_dist_traveled"
    assert part["rides"][0]["distance_m"] == pytest.approx(distance)
    assert part["rides"][0]["station_count"] == last - first

    text = plan_text(capsys, "--from", origin, "--to", destination)
    assert "  Fare: ¥5.00 (Beijing Subway ¥5.00)" in text.splitlines()


def _haversine_m(a: dict[str, str], b: dict[str, str]) -> float:
    lat1, lon1 = math.radians(float(a["stop_lat"])), math.radians(float(a["stop_lon"]))
    lat2, lon2 = math.radians(float(b["stop_lat"])), math.radians(float(b["stop_lon"]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6_371_008.8 * math.asin(math.sqrt(h))


def test_beijing_south_to_tianjin_costs_the_second_class_fare(
    region: None, capsys: pytest.CaptureFixture[str]
) -> None:
    # intercity_rail fare_products.txt: jingjin_second 54.50 CNY, jingjin_first 65.50;
    # fare_leg_rules.txt offers both for area_beijing_south → area_tianjin: cheapest wins.
    journeys = plan_json(
        capsys, "--from", "intercity_rail:beijing_south", "--to", "intercity_rail:tianjin"
    )
    direct = next(j for j in journeys if j["transfers"] == 0)
    assert direct["fare"]["total"]["amount_minor"] == 5450
    assert direct["fare"]["parts"][0]["name"] == "Beijing–Tianjin intercity"
    text = plan_text(
        capsys, "--from", "intercity_rail:beijing_south", "--to", "intercity_rail:tianjin"
    )
    assert "  Fare: ¥54.50 (Beijing–Tianjin intercity ¥54.50)" in text.splitlines()


def test_subway_then_intercity_pays_both_operators(
    region: None,
    subway_times: dict[str, list[tuple[int, str, float]]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Xizhimen (Line 4) → Tianjin: Line 4 to Beijing South, then the intercity.
    journeys = plan_json(
        capsys, "--from", "beijing_subway:xizhimen_04_d", "--to", "intercity_rail:tianjin"
    )
    both = [
        j
        for j in journeys
        if {leg["trip_id"].split(":")[0] for leg in j["legs"] if leg["mode"] == "transit"}
        == {"beijing_subway", "intercity_rail"}
    ]
    assert both
    journey = both[0]
    subway_legs = [
        leg
        for leg in journey["legs"]
        if leg["mode"] == "transit" and leg["trip_id"].startswith("beijing_subway:")
    ]
    # one fare inside the paid area (fare_leg_join_rules.txt bj_subway,bj_subway)
    subway = subway_price(sum(ridden_m(subway_times, leg) for leg in subway_legs))
    fare = journey["fare"]
    assert fare["unknown"] == []
    assert [p["feed"] for p in fare["parts"]] == ["beijing_subway", "intercity_rail"]
    assert [p["price"]["amount_minor"] for p in fare["parts"]] == [subway, 5450]
    assert fare["total"]["amount_minor"] == subway + 5450


def test_feed_without_fare_files_prints_fare_unknown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    network = timetable(tmp_path, "R1: A B C\n  T1 08:00 08:10 08:30\n")
    path = save_network(network, tmp_path / "tiny.jjjnet")
    args = ["plan", str(path), "--from", "f:A", "--to", "f:C", "--depart", "2026-09-15T07:55"]
    run(args)
    out = capsys.readouterr().out
    assert "  Fare: unknown (f: fare rules not available: the feed has no GTFS-Fares v2 files)" in (
        out.splitlines()
    )
    run([*args, "--json"])
    fare = json.loads(capsys.readouterr().out)["journeys"][0]["fare"]
    assert fare["total"] is None and fare["parts"] == []
    assert fare["unknown"] == [
        {
            "feed": "f",
            "name": "f",
            "legs": [0],
            "reason": "fare rules not available: the feed has no GTFS-Fares v2 files",
        }
    ]


def test_feed_whose_file_is_gone_prints_fare_unknown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    network = timetable(tmp_path, "R1: A B C\n  T1 08:00 08:10 08:30\n")
    path = save_network(network, tmp_path / "tiny.jjjnet")
    for file in (tmp_path / "f").iterdir():
        file.unlink()
    (tmp_path / "f").rmdir()
    run(["plan", str(path), "--from", "f:A", "--to", "f:C", "--depart", "2026-09-15T07:55"])
    fare_line = capsys.readouterr().out.splitlines()[-1]
    assert fare_line.startswith("  Fare: unknown (f: fare rules not available: ")
    assert "no longer exists" in fare_line


TINY_FARES: dict[str, str | None] = {
    "networks.txt": "network_id,network_name\nn,Tiny Network\n",
    "route_networks.txt": "network_id,route_id\nn,R1\nn,R2\n",
    "fare_products.txt": "fare_product_id,amount,currency\nshort,2.00,CNY\nlong,3.00,CNY\n",
    "fare_leg_rules.txt": "network_id,fare_product_id\n",
    "fare_leg_distance_rules.txt": "network_id,min_distance_m,max_distance_m,fare_product_id\n"
    "n,,5000,short\nn,5000,,long\n",
}


def test_ride_continued_seated_is_one_fare_leg_on_great_circle_distance(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A, B, C, D at 39.9 N, 0.02° of longitude apart; T1 continues as T2 at C.
    text = "R1: A B C\n  T1 08:00 08:10 08:30 | block=K\nR2: C D\n  T2 08:35 08:45 | block=K\n"
    network = timetable(tmp_path, text, files=TINY_FARES)
    path = save_network(network, tmp_path / "tiny.jjjnet")
    hop = _haversine_m(
        {"stop_lat": "39.9", "stop_lon": "116.30"}, {"stop_lat": "39.9", "stop_lon": "116.32"}
    )
    assert 2 * hop <= 5000 < 3 * hop  # A → C alone would be "short", A → D is "long"
    run(["plan", str(path), "--from", "f:A", "--to", "f:D", "--depart", "2026-09-15T07:55"])
    out = capsys.readouterr().out
    assert "  Fare: ¥3.00 (Tiny Network ¥3.00)" in out.splitlines()
    run(["plan", str(path), "--from", "f:A", "--to", "f:D", "--depart", "2026-09-15T07:55",
         "--json"])  # fmt: skip
    (journey,) = json.loads(capsys.readouterr().out)["journeys"]
    assert [leg["stay_seated"] for leg in journey["legs"]] == [False, True]
    (part,) = journey["fare"]["parts"]
    (ride,) = part["rides"]
    assert ride["legs"] == [0, 1] and ride["station_count"] == 3
    assert ride["distance_source"] == "great_circle"
    assert ride["distance_m"] == pytest.approx(3 * hop, rel=1e-4)


def test_walk_has_no_fare(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    network = timetable(tmp_path, "R1: A B\n  T1 08:00 08:10\n")
    path = save_network(network, tmp_path / "tiny.jjjnet")
    run(["plan", str(path), "--from", "39.9,116.3", "--to", "39.9005,116.3", "--depart",
         "2026-09-15T07:55", "--json"])  # fmt: skip
    (journey,) = json.loads(capsys.readouterr().out)["journeys"]
    assert [leg["mode"] for leg in journey["legs"]] == ["walk"]
    assert journey["fare"] == {"total": None, "totals": [], "parts": [], "unknown": []}
