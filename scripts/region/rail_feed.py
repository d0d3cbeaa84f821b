"""Write the ``intercity_rail`` GTFS feed: stations, lines and a modelled daily service.

Station coordinates come from the sources where they give them (see
:mod:`region.rail_specs`); other stations are placed along their line between
located stations, by km where the source gives chainage, else evenly. Running times
are pinned to published fastest times and shared out by distance in between; the
trains' departure times and the stopping patterns are MODELLED (evenly spaced
between 06:30 and 21:30), which feed_info.txt and NOTES.md say.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

from region.common import fmt_coord, gtfs_time, haversine_m, read_csv, write_csv
from region.rail_specs import (
    CALL_PENALTY_MIN,
    DWELL_MIN,
    FIRST_DEPARTURE,
    LAST_DEPARTURE,
    LINES,
    STATIONS,
    LineSpec,
)
from region.subway_feed import CALENDAR_END, CALENDAR_START, SubwayFeed

__all__ = ["RailFeed", "RailStation", "rail_stop_id", "write_rail_feed"]


@dataclass
class RailStation:
    """A located railway station of the feed."""

    stop_id: str
    name_en: str
    name_zh: str
    lat: float
    lon: float
    coord_source: str
    routes: list[str] = field(default_factory=list)


@dataclass
class RailFeed:
    """What the other builders need from the rail feed."""

    stations: dict[str, RailStation]
    counts: dict[str, int]
    base_minutes: dict[str, dict[str, float]]


def rail_stop_id(name_en: str) -> str:
    """``Xiong'an`` → ``xiongan``, ``Beijing South`` → ``beijing_south``."""
    return re.sub(r"[^a-z0-9]+", "_", name_en.lower().replace("'", "")).strip("_")


def _seconds(text: str) -> int:
    hours, minutes, seconds = (int(part) for part in text.split(":"))
    return hours * 3600 + minutes * 60 + seconds


def _locate(source: Path, subway: SubwayFeed) -> dict[str, RailStation]:
    cities = {row["name"]: row for row in read_csv(source / "cities.csv")}
    complexes = {c.tools_name: c for c in subway.complexes}
    located: dict[str, RailStation] = {}
    for name, spec in STATIONS.items():
        kind, _, value = spec.coord.partition(":")
        if kind == "city":
            row = cities[value]
            how = f"cities.csv ({row['coord_type']})"
            lat, lon = float(row["lat"]), float(row["lon"])
        elif kind == "centre":
            row = cities[value]
            how = f"stand-in: {value} in cities.csv ({row['coord_type']}); station not located"
            lat, lon = float(row["lat"]), float(row["lon"])
        elif kind == "subway":
            item = complexes[value]
            how = f"co-located subway station {value} (OSM)"
            lat, lon = item.lat, item.lon
        else:
            continue
        if spec.coord_note:
            how += f"; {spec.coord_note}"
        located[name] = RailStation(rail_stop_id(name), name, spec.name_zh, lat, lon, how)
    for _ in range(5):
        for line in LINES:
            _interpolate_line(line, located)
    missing = sorted(set(STATIONS) - set(located))
    if missing:
        raise ValueError(f"stations without a coordinate: {missing}")
    return located


def _interpolate_line(line: LineSpec, located: dict[str, RailStation]) -> None:
    names = [name for name, _ in line.stations]
    km = dict(line.stations)
    for index, name in enumerate(names):
        if name in located:
            continue
        before = next((i for i in range(index - 1, -1, -1) if names[i] in located), None)
        after = next((i for i in range(index + 1, len(names)) if names[i] in located), None)
        if before is None or after is None:
            continue
        start, end = located[names[before]], located[names[after]]
        k0, k1, k = km[names[before]], km[names[after]], km[name]
        if k0 is not None and k1 is not None and k is not None and k1 > k0:
            share = (k - k0) / (k1 - k0)
            how = f"interpolated by km between {start.name_en} and {end.name_en} ({line.route_id})"
        else:
            share = (index - before) / (after - before)
            how = (
                f"placed evenly between {start.name_en} and {end.name_en} ({line.route_id}); "
                "position not in the sources"
            )
        located[name] = RailStation(
            rail_stop_id(name),
            name,
            STATIONS[name].name_zh,
            start.lat + share * (end.lat - start.lat),
            start.lon + share * (end.lon - start.lon),
            how,
        )


def _base_minutes(line: LineSpec, located: dict[str, RailStation]) -> dict[str, float]:
    """Non-stop running minutes from the line's first station to each station."""
    names = [name for name, _ in line.stations]
    kms = [km for _, km in line.stations]
    if all(k is not None for k in kms):
        position = [float(k) for k in kms if k is not None]
    else:
        position = [0.0]
        for first, second in itertools.pairwise(names):
            a, b = located[first], located[second]
            position.append(position[-1] + haversine_m(a.lat, a.lon, b.lat, b.lon) / 1000)
    pins = {**line.fixed, **line.extra_fixed}
    pinned = [(position[names.index(n)], float(m)) for n, m in pins.items()]
    pinned.sort()
    result: dict[str, float] = {}
    for name, where in zip(names, position, strict=True):
        for (x0, m0), (x1, m1) in itertools.pairwise(pinned):
            if x0 <= where <= x1:
                result[name] = m0 + (m1 - m0) * (where - x0) / (x1 - x0) if x1 > x0 else m0
                break
        else:
            raise ValueError(f"{line.route_id}: {name} lies outside the pinned stations")
    return result


def write_rail_feed(source: Path, subway: SubwayFeed, out: Path) -> RailFeed:
    """Build every file of the intercity feed into ``out``."""
    located = _locate(source, subway)
    out.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    counts["agency"] = write_csv(
        out / "agency.txt",
        ["agency_id", "agency_name", "agency_url", "agency_timezone", "agency_lang"],
        [["china_railway", "中国铁路", "https://www.12306.cn/", "Asia/Shanghai", "zh-CN"]],
    )
    counts["routes"] = write_csv(
        out / "routes.txt",
        ["route_id", "agency_id", "route_short_name", "route_long_name", "route_type"],
        [[line.route_id, "china_railway", "", line.name_en, 2] for line in LINES],
    )
    used = sorted({name for line in LINES for name, _ in line.stations})
    for line in LINES:
        for name, _ in line.stations:
            if line.route_id not in located[name].routes:
                located[name].routes.append(line.route_id)
    stations = {name: located[name] for name in used}
    counts["stops"] = write_csv(
        out / "stops.txt",
        ["stop_id", "stop_name", "stop_desc", "stop_lat", "stop_lon", "location_type"],
        sorted(
            [
                s.stop_id,
                s.name_en,
                f"coordinates: {s.coord_source}",
                fmt_coord(s.lat),
                fmt_coord(s.lon),
                0,
            ]
            for s in stations.values()
        ),
    )
    translations = [
        ["stops", "stop_name", "zh-CN", s.name_zh, s.stop_id] for s in stations.values()
    ]
    translations += [
        ["routes", "route_long_name", "zh-CN", line.name_zh, line.route_id] for line in LINES
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
        [["daily", 1, 1, 1, 1, 1, 1, 1, CALENDAR_START, CALENDAR_END]],
    )
    trip_rows: list[list[object]] = []
    stop_time_rows: list[list[object]] = []
    base_by_line: dict[str, dict[str, float]] = {}
    for line in LINES:
        base = _base_minutes(line, located)
        base_by_line[line.route_id] = base
        end = max(base.values())
        for direction in (0, 1):
            for number, pattern in enumerate(line.patterns):
                stops = list(pattern.stops) if direction == 0 else list(reversed(pattern.stops))
                minutes = [base[s] if direction == 0 else end - base[s] for s in stops]
                first, last = _seconds(FIRST_DEPARTURE), _seconds(LAST_DEPARTURE)
                count = pattern.trains_per_day
                headway = (last - first) / max(1, count - 1)
                shift = headway * number / len(line.patterns)
                for k in range(count):
                    start = round((first + shift + k * headway) / 60) * 60
                    trip_id = f"{line.route_id}_{direction}_{number}_{k + 1:03d}"
                    trip_rows.append(
                        [line.route_id, "daily", trip_id, stations[stops[-1]].name_en, direction]
                    )
                    for seq, (stop, minute) in enumerate(zip(stops, minutes, strict=True)):
                        penalty = CALL_PENALTY_MIN * max(0, seq - 1)  # calls passed
                        arrival = start + round((minute + penalty) * 60)
                        dwell = DWELL_MIN * 60 if 0 < seq < len(stops) - 1 else 0
                        stop_time_rows.append(
                            [
                                trip_id,
                                gtfs_time(arrival),
                                gtfs_time(arrival + round(dwell)),
                                stations[stop].stop_id,
                                seq + 1,
                            ]
                        )
    counts["trips"] = write_csv(
        out / "trips.txt",
        ["route_id", "service_id", "trip_id", "trip_headsign", "direction_id"],
        trip_rows,
    )
    counts["stop_times"] = write_csv(
        out / "stop_times.txt",
        ["trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence"],
        stop_time_rows,
    )
    counts.update(_rail_fares(out, stations))
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
                "https://www.12306.cn/",
                "en",
                CALENDAR_START,
                CALENDAR_END,
                "intercity-2026.1",
                "MODELLED SCHEDULE: stations, line lengths and fastest times are published "
                "figures; departure times, stopping patterns, intermediate times and most "
                "frequencies are modelled (see NOTES.md)",
            ]
        ],
    )
    return RailFeed(stations=stations, counts=counts, base_minutes=base_by_line)


def _rail_fares(out: Path, stations: dict[str, RailStation]) -> dict[str, int]:
    """The one published intercity fare pair: Beijing South–Tianjin, ¥54.5 / ¥65.5."""
    counts: dict[str, int] = {}
    beijing, tianjin = stations["Beijing South"].stop_id, stations["Tianjin"].stop_id
    counts["networks"] = write_csv(
        out / "networks.txt",
        ["network_id", "network_name"],
        [["jingjin", "Beijing–Tianjin intercity"]],
    )
    counts["route_networks"] = write_csv(
        out / "route_networks.txt",
        ["network_id", "route_id"],
        [["jingjin", "jingjin"], ["jingjin", "jingjin_binhai"]],
    )
    counts["areas"] = write_csv(
        out / "areas.txt",
        ["area_id", "area_name"],
        [[f"area_{beijing}", "Beijing South"], [f"area_{tianjin}", "Tianjin"]],
    )
    counts["stop_areas"] = write_csv(
        out / "stop_areas.txt",
        ["area_id", "stop_id"],
        [[f"area_{beijing}", beijing], [f"area_{tianjin}", tianjin]],
    )
    counts["fare_products"] = write_csv(
        out / "fare_products.txt",
        ["fare_product_id", "fare_product_name", "amount", "currency"],
        [
            ["jingjin_first", "Beijing South–Tianjin, first class", "65.50", "CNY"],
            ["jingjin_second", "Beijing South–Tianjin, second class", "54.50", "CNY"],
        ],
    )
    rows = []
    for a, b in ((beijing, tianjin), (tianjin, beijing)):
        for product in ("jingjin_first", "jingjin_second"):
            rows.append(["jingjin", "jingjin", f"area_{a}", f"area_{b}", product])
    counts["fare_leg_rules"] = write_csv(
        out / "fare_leg_rules.txt",
        ["leg_group_id", "network_id", "from_area_id", "to_area_id", "fare_product_id"],
        rows,
    )
    return counts
