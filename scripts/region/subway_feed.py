"""Write the ``beijing_subway`` GTFS feed."""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from region.common import fmt_coord, gtfs_time, write_csv
from region.subway_devices import resolve_devices
from region.subway_source import SubwaySource, ToolsLine
from region.subway_stations import Complex, LineStop, Platform, build_stations
from region.subway_trips import (
    AIRPORT_EXPRESS,
    Train,
    TripStats,
    airport_express_gap_m,
    assemble_trains,
)

__all__ = ["CALENDAR_END", "CALENDAR_START", "SubwayFeed", "write_subway_feed"]

CALENDAR_START = "20260101"
CALENDAR_END = "20271231"
_SERVICES = {"0": "weekday", "1": "weekend"}
_SERVICE_TAGS = {"weekday": "wd", "weekend": "we"}


@dataclass
class SubwayFeed:
    """What the other builders need from the subway feed."""

    complexes: list[Complex]
    platforms: dict[tuple[str, str, bool], Platform]
    line_stops: dict[tuple[str, str], LineStop]
    route_ids: dict[str, str]  # Tools line → route_id
    route_names: dict[str, str]  # Tools line → English name
    trains: list[Train]
    stats: TripStats
    counts: dict[str, int]


def _route_rows(source: SubwaySource, lines: list[str]) -> tuple[list[list[str]], dict[str, str]]:
    rows = []
    ids: dict[str, str] = {}
    for route in sorted(source.routes, key=lambda r: r["route_id"]):
        name = route["route_short_name"]
        if name not in lines:
            continue
        ids[name] = route["route_id"]
        english = source.lines[name].aliases[0]
        rows.append(
            [
                route["route_id"],
                route["agency_id"],
                english,
                route["route_long_name"],
                route["route_type"],
                route["route_color"],
                route["route_text_color"],
            ]
        )
    return rows, ids


def _distances(line: ToolsLine) -> dict[tuple[str, str], int]:
    result: dict[tuple[str, str], int] = {}
    stations = line.stations
    for first, second in itertools.pairwise(stations):
        result[(first.name, second.name)] = second.dist_from_prev_m
        result[(second.name, first.name)] = second.dist_from_prev_m
    if line.is_loop:
        result[(stations[-1].name, stations[0].name)] = line.loop_closing_m
        result[(stations[0].name, stations[-1].name)] = line.loop_closing_m
    if line.name == AIRPORT_EXPRESS:
        result[("三元桥", "3号航站楼")] = airport_express_gap_m(line)
    return result


def write_subway_feed(source: SubwaySource, out: Path) -> SubwayFeed:
    """Build every file of the feed into ``out`` (created if needed)."""
    devices = resolve_devices(source)
    trains, stats = assemble_trains(source)
    served: dict[str, list[str]] = defaultdict(list)
    directions: dict[str, set[bool]] = defaultdict(set)
    for train in trains:
        directions[train.line].add(train.ascending)
        for name in train.stations:
            if name not in served[train.line]:
                served[train.line].append(name)
    complexes, platforms, line_stops = build_stations(source, devices, served, directions)
    lines = sorted(served)
    route_rows, route_ids = _route_rows(source, lines)
    route_names = {name: source.lines[name].aliases[0] for name in lines}
    counts: dict[str, int] = {}
    out.mkdir(parents=True, exist_ok=True)

    agencies = [
        [a["agency_id"], a["agency_name"], a["agency_url"], a["agency_timezone"], a["agency_lang"]]
        for a in source.agencies
    ]
    counts["agency"] = write_csv(
        out / "agency.txt",
        ["agency_id", "agency_name", "agency_url", "agency_timezone", "agency_lang"],
        sorted(agencies),
    )
    counts["routes"] = write_csv(
        out / "routes.txt",
        [
            "route_id",
            "agency_id",
            "route_short_name",
            "route_long_name",
            "route_type",
            "route_color",
            "route_text_color",
        ],
        route_rows,
    )
    stop_rows = []
    for item in complexes:
        stop_rows.append(
            [item.stop_id, "", item.name_en, fmt_coord(item.lat), fmt_coord(item.lon), 1, ""]
        )
    complex_names = {c.stop_id: c for c in complexes}
    for platform in platforms.values():
        parent = complex_names[platform.complex_id]
        line_label = route_names[platform.line]
        stop_rows.append(
            [
                platform.stop_id,
                platform.stop_code,
                f"{parent.name_en} ({line_label})",
                fmt_coord(platform.lat),
                fmt_coord(platform.lon),
                0,
                platform.complex_id,
            ]
        )
    counts["stops"] = write_csv(
        out / "stops.txt",
        [
            "stop_id",
            "stop_code",
            "stop_name",
            "stop_lat",
            "stop_lon",
            "location_type",
            "parent_station",
        ],
        sorted(stop_rows, key=lambda r: str(r[0])),
    )
    translations = [["stops", "stop_name", "zh-CN", c.name_zh, c.stop_id] for c in complexes] + [
        [
            "stops",
            "stop_name",
            "zh-CN",
            f"{complex_names[p.complex_id].name_zh}（{p.line}）",
            p.stop_id,
        ]
        for p in platforms.values()
    ]
    translations += [
        ["routes", "route_short_name", "zh-CN", line, route_ids[line]] for line in lines
    ]
    counts["translations"] = write_csv(
        out / "translations.txt",
        ["table_name", "field_name", "language", "translation", "record_id"],
        sorted(translations, key=lambda r: (r[0], r[4], r[1])),
    )
    counts["calendar"] = write_csv(
        out / "calendar.txt",
        [
            "service_id",
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
            "start_date",
            "end_date",
        ],
        [
            ["weekday", 1, 1, 1, 1, 1, 0, 0, CALENDAR_START, CALENDAR_END],
            ["weekend", 0, 0, 0, 0, 0, 1, 1, CALENDAR_START, CALENDAR_END],
        ],
    )
    trip_rows, stop_time_rows = _trips(source, trains, platforms, route_ids, complex_names)
    counts["trips"] = write_csv(
        out / "trips.txt",
        ["route_id", "service_id", "trip_id", "trip_headsign", "direction_id"],
        trip_rows,
    )
    counts["stop_times"] = write_csv(
        out / "stop_times.txt",
        [
            "trip_id",
            "arrival_time",
            "departure_time",
            "stop_id",
            "stop_sequence",
            "shape_dist_traveled",
            "timepoint",
        ],
        stop_time_rows,
    )
    counts["transfers"] = write_csv(
        out / "transfers.txt",
        ["from_stop_id", "to_stop_id", "transfer_type", "min_transfer_time"],
        _transfers(source, platforms, complexes),
    )
    counts["feed_info"] = write_csv(
        out / "feed_info.txt",
        [
            "feed_publisher_name",
            "feed_publisher_url",
            "feed_lang",
            "feed_start_date",
            "feed_end_date",
            "feed_version",
            "feed_description",
        ],
        [
            [
                "jjj bundled region (built from public sources)",
                "https://github.com/BoyInTheSun/beijing-subway-gtfs",
                "en",
                CALENDAR_START,
                CALENDAR_END,
                "subway-2026.1",
                "Real weekday and weekend departure tables; times with timepoint 0 are derived "
                "from run times; transfer times partly modelled (see NOTES.md)",
            ]
        ],
    )
    return SubwayFeed(
        complexes=complexes,
        platforms=platforms,
        line_stops=line_stops,
        route_ids=route_ids,
        route_names=route_names,
        trains=trains,
        stats=stats,
        counts=counts,
    )


def _trips(
    source: SubwaySource,
    trains: list[Train],
    platforms: dict[tuple[str, str, bool], Platform],
    route_ids: dict[str, str],
    complexes: dict[str, Complex],
) -> tuple[list[list[object]], list[list[object]]]:
    trip_rows: list[list[object]] = []
    stop_time_rows: list[list[object]] = []
    numbers: dict[tuple[str, str, int], int] = defaultdict(int)
    distances = {name: _distances(line) for name, line in source.lines.items()}
    for train in trains:
        first_platform = platforms[(train.line, train.stations[0], train.ascending)]
        direction_id = 0 if first_platform.up else 1
        route_id = route_ids[train.line]
        service_id = _SERVICES[train.service]
        key = (route_id, service_id, direction_id)
        numbers[key] += 1
        trip_id = f"{route_id}_{_SERVICE_TAGS[service_id]}_{direction_id}_{numbers[key]:04d}"
        last = platforms[(train.line, train.stations[-1], train.ascending)]
        trip_rows.append(
            [route_id, service_id, trip_id, complexes[last.complex_id].name_en, direction_id]
        )
        travelled = 0
        for sequence, (name, seconds, pinned) in enumerate(
            zip(train.stations, train.times, train.pinned, strict=True), start=1
        ):
            if sequence > 1:
                travelled += distances[train.line][(train.stations[sequence - 2], name)]
            platform = platforms[(train.line, name, train.ascending)]
            time = gtfs_time(seconds)
            stop_time_rows.append(
                [trip_id, time, time, platform.stop_id, sequence, travelled, 1 if pinned else 0]
            )
    return trip_rows, stop_time_rows


def _transfers(
    source: SubwaySource,
    platforms: dict[tuple[str, str, bool], Platform],
    complexes: list[Complex],
) -> list[list[object]]:
    """Interchange walking times between platforms of different lines.

    Where the Beijing-Subway-Tools metadata gives minutes for the line pair (and
    direction, when it says), that time is used (the longest when several apply;
    time-of-day variants are skipped). Otherwise the time is modelled from the
    station's size: 180 s with two lines, 240 s with three, 300 s with more.
    Out-of-station interchanges listed there are added both ways.
    """
    directions = _tools_directions(source)
    by_station: dict[str, list[tuple[str, bool, Platform]]] = defaultdict(list)
    for (line, name, ascending), platform in platforms.items():
        by_station[name].append((line, ascending, platform))
    lines_at = {c.tools_name: len(c.lines) for c in complexes}
    rows: dict[tuple[str, str], int] = {}
    for name, members in sorted(by_station.items()):
        for from_line, from_asc, from_platform in members:
            for to_line, to_asc, to_platform in members:
                if from_line == to_line:
                    continue
                minutes = _tools_minutes(
                    source.transfers_meta.get(name, []),
                    from_line,
                    to_line,
                    directions,
                    from_asc,
                    to_asc,
                )
                if minutes is None:
                    seconds = {2: 180, 3: 240}.get(lines_at[name], 300)
                else:
                    seconds = round(minutes * 60)
                rows[(from_platform.stop_id, to_platform.stop_id)] = seconds
    for virtual in source.virtual_transfers:
        first, second = str(virtual["from_station"]), str(virtual["to_station"])
        times = virtual.get("times", [])
        assert isinstance(times, list)
        for entry in times:
            from_line, to_line = str(entry["from"]), str(entry["to"])
            seconds = round(float(entry["minutes"]) * 60)
            for (line_a, name_a, _), platform_a in platforms.items():
                for (line_b, name_b, _), platform_b in platforms.items():
                    if {(line_a, name_a), (line_b, name_b)} == {
                        (from_line, first),
                        (to_line, second),
                    } and line_a != line_b:
                        rows.setdefault((platform_a.stop_id, platform_b.stop_id), seconds)
    return [[a, b, 2, seconds] for (a, b), seconds in sorted(rows.items())]


def _tools_directions(source: SubwaySource) -> dict[tuple[str, str], bool]:
    """(line, Tools direction name such as 东行) → whether it runs in ascending order."""
    return dict(source.direction_names)


def _tools_minutes(
    entries: list[dict[str, object]],
    from_line: str,
    to_line: str,
    directions: dict[tuple[str, str], bool],
    from_asc: bool,
    to_asc: bool,
) -> float | None:
    best: float | None = None
    for entry in entries:
        if entry.get("from") != from_line or entry.get("to") != to_line:
            continue
        if "apply_time" in entry:
            continue
        from_dir = entry.get("from_direction")
        if from_dir is not None and directions.get((from_line, str(from_dir))) != from_asc:
            continue
        to_dir = entry.get("to_direction")
        if to_dir is not None and directions.get((to_line, str(to_dir))) != to_asc:
            continue
        minutes = float(str(entry["minutes"]))
        best = minutes if best is None else max(best, minutes)
    return best
