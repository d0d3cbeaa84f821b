"""Known journeys, sizes against published figures, connections and place names."""

from __future__ import annotations

import csv

import polars as pl

from jjj.data import connections_path, population_path
from jjj.data.places import find_place, search_places
from jjj.gtfs.read import Feed
from tests.conftest import shared


def _seconds(text: str) -> int:
    h, m, s = (int(x) for x in text.split(":"))
    return h * 3600 + m * 60 + s


def _ride_minutes(feed: Feed, origin: str, destination: str) -> list[float]:
    stop_times = feed.table("stop_times.txt")
    assert stop_times is not None
    board = stop_times.filter(pl.col("stop_id") == origin).select(
        "trip_id", pl.col("stop_sequence").cast(pl.Int64).alias("s0"), "departure_time"
    )
    alight = stop_times.filter(pl.col("stop_id") == destination).select(
        "trip_id", pl.col("stop_sequence").cast(pl.Int64).alias("s1"), "arrival_time"
    )
    rides = board.join(alight, on="trip_id").filter(pl.col("s0") < pl.col("s1"))
    return [
        (_seconds(a) - _seconds(d)) / 60
        for d, a in zip(rides["departure_time"], rides["arrival_time"], strict=True)
    ]


def test_beijing_south_to_tianjin_takes_about_30_minutes(rail: Feed) -> None:
    minutes = _ride_minutes(rail, "beijing_south", "tianjin")
    # rail_lines.csv: fastest 30 min, Beijing South–Tianjin.
    assert min(minutes) == 30
    assert max(minutes) <= 45


def test_required_lines_are_present(rail: Feed) -> None:
    pairs = {
        ("beijing_south", "binhai"),
        ("beijing_west", "xiongan"),
        ("daxing_airport", "xiongan"),
        ("beijing_north", "zhangjiakou"),
        ("qinghe", "yanqing"),
        ("beijing_north", "taizicheng"),
        ("beijing_west", "shijiazhuang"),
        ("beijing_sub_center", "tangshan"),
        ("beijing_chaoyang", "chengde_south"),
        ("tianjin_west", "qinhuangdao"),
        ("beijing_west", "baoding_east"),
    }
    for origin, destination in sorted(pairs):
        assert _ride_minutes(rail, origin, destination), (origin, destination)


def test_subway_size_against_published_2024_figures(subway: Feed) -> None:
    rows = list(csv.DictReader(shared("jjj/urban_rail.csv").open(encoding="utf-8")))
    published = next(r for r in rows if r["system"].startswith("Beijing Subway"))
    routes = subway.table("routes.txt")
    stops = subway.table("stops.txt")
    stop_times = subway.table("stop_times.txt")
    trips = subway.table("trips.txt")
    assert routes is not None and stops is not None
    assert stop_times is not None and trips is not None
    # 27 routes: Batong and Daxing run as Lines 1 and 4 (counted apart in 2024), the
    # Yizhuang T1 tram is left out, and lines opened since 2024 are in: within 3 lines.
    assert abs(routes.height + 2 - int(published["lines"])) <= 3
    # Stations: the published count (523) counts an interchange once per line (540
    # line-stations in the 2026 Tools data); here: distinct (route, station) pairs
    # served, within 8 %.
    platforms = stops.filter(pl.col("location_type") == "0")
    line_stations = platforms.select(
        pl.col("parent_station"), pl.col("stop_id").str.extract(r"_([^_]+)_[ud]$")
    ).unique()
    assert abs(line_stations.height - int(published["stations"])) <= 0.08 * int(
        published["stations"]
    )
    # Route length: the longest trip of each route (loops: a lap) summed: ±8 % of 879 km.
    longest = (
        stop_times.with_columns(pl.col("shape_dist_traveled").cast(pl.Int64))
        .join(trips.select("trip_id", "route_id"), on="trip_id")
        .group_by("route_id")
        .agg(pl.col("shape_dist_traveled").max())
    )
    km = float(longest["shape_dist_traveled"].sum()) / 1000
    assert abs(km - float(published["km"])) <= 0.08 * float(published["km"])


def test_connections_name_existing_stops(subway: Feed, rail: Feed) -> None:
    ids = {
        "beijing_subway": set(subway.table("stops.txt")["stop_id"].to_list()),  # type: ignore[index]
        "intercity_rail": set(rail.table("stops.txt")["stop_id"].to_list()),  # type: ignore[index]
    }
    with connections_path().open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    for row in rows:
        for column in ("from_stop_id", "to_stop_id"):
            feed, _, stop_id = row[column].partition(":")
            assert stop_id in ids[feed], row
        assert 0 < int(row["seconds"]) <= 1800
    hubs = {row["from_stop_id"] for row in rows}
    for station in (
        "beijing_south",
        "beijing_west",
        "beijing_north",
        "qinghe",
        "beijing_chaoyang",
        "daxing_airport",
        "beijing_sub_center",
    ):
        assert f"intercity_rail:{station}" in hubs


def test_population_has_222_counties() -> None:
    text = population_path().read_text(encoding="utf-8")
    assert text.count('"Feature"') == 222


def test_places_in_english_and_chinese() -> None:
    beijing_south = find_place("Beijing South")
    assert beijing_south is not None
    assert "intercity_rail:beijing_south" in beijing_south.stop_ids
    assert find_place("北京南") == beijing_south
    # cities.csv: Tianjin / 天津, a municipality whose coordinate is Tianjin station.
    tianjin = find_place("Tianjin")
    assert tianjin is not None and tianjin.type == "city" and tianjin.name_zh == "天津"
    assert "intercity_rail:tianjin" in tianjin.stop_ids
    assert find_place("天津") == tianjin
    xiongan = find_place("xiong'an")
    assert xiongan is not None and xiongan.name_zh == "雄安"
    assert find_place("Xiongan") == xiongan
    east = find_place("Tiananmen East")
    assert east is not None and east.name_zh == "天安门东"
    assert find_place("天安门东") == east
    assert find_place("TIAN’ANMEN  east") == east
    assert east.stop_ids == ("beijing_subway:tiananmendong",)
    assert find_place("no such place anywhere") is None
    assert [p.name_zh for p in search_places("Tian'anmen", limit=2)] == ["天安门东", "天安门西"]
