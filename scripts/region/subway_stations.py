"""Stations (one per interchange complex) and platforms of the Beijing Subway feed.

A complex is every line's station of one name (Tools names carry a qualifier where
two stations share a name without being an interchange, e.g. 木樨地(1号线) and
木樨地(16号线)). Its coordinate is the mean of its lines' OSM station nodes.
Platforms are one per line and direction, at the OSM stop position named
``(上行)``/``(下行)`` (``(外环)``/``(内环)`` on loops) where the source has it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from region.common import english_station_name, slug
from region.subway_source import SubwaySource, ToolsLine, strip_qualifier

__all__ = ["Complex", "LineStop", "Platform", "build_stations", "up_is_ascending"]

#: English names for stations whose source alias is an airport code or a brand.
_ENGLISH_OVERRIDES = {
    "2号航站楼": "Capital Airport Terminal 2",
    "3号航站楼": "Capital Airport Terminal 3",
}


@dataclass
class LineStop:
    """A line's station: where its coordinate came from and its OSM ids."""

    line: str
    name: str
    lat: float
    lon: float
    coord_source: str  # "osm", "osm (same name, other line)" or "interpolated"
    station_ids: list[str] = field(default_factory=list)  # OSM stop_area ids (source GTFS)
    platform_ids: list[str] = field(default_factory=list)  # OSM stop_position ids
    stop_code: str = ""


@dataclass
class Platform:
    """One GTFS platform stop (location_type 0)."""

    stop_id: str
    complex_id: str
    line: str
    up: bool
    lat: float
    lon: float
    stop_code: str
    osm_id: str  # the source stop's id, or "" when placed at the station


@dataclass
class Complex:
    """One GTFS station (location_type 1): every line's station of one name."""

    stop_id: str
    name_zh: str  # rider-facing, qualifier removed
    tools_name: str
    name_en: str
    aliases: tuple[str, ...]
    lat: float
    lon: float
    coord_source: str
    lines: list[str] = field(default_factory=list)


def up_is_ascending(line: ToolsLine, coords: dict[str, tuple[float, float]]) -> bool:
    """Whether running in the line definition's order is 上行 (GB 50157-2013 §3.3.1).

    Up is northbound on north–south lines, eastbound on east–west lines, and
    counter-clockwise (the outer track) on loops.
    """
    points = [coords[s.name] for s in line.stations if s.name in coords]
    if line.is_loop:
        area = 0.0
        for (lat1, lon1), (lat2, lon2) in zip(points, points[1:] + points[:1], strict=True):
            area += lon1 * lat2 - lon2 * lat1
        return area > 0
    (lat1, lon1), (lat2, lon2) = points[0], points[-1]
    dx = (lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    dy = lat2 - lat1
    return dx > 0 if abs(dx) > abs(dy) else dy > 0


def _line_stop_sources(
    source: SubwaySource, devices: dict[tuple[str, str], str]
) -> dict[tuple[str, str], LineStop]:
    """OSM ids and coordinates of each (line, station) from the relations table."""
    found: dict[tuple[str, str], LineStop] = {}
    for row in source.relations:
        device = row["device_location"]
        if not device:
            continue
        for (line, dev), name in devices.items():
            if dev != device:
                continue
            key = (line, name)
            station = source.stops.get(row["osm_stop_area_id"])
            entry = found.get(key)
            if entry is None:
                if station is None or not station["stop_lat"]:
                    continue
                entry = LineStop(
                    line=line,
                    name=name,
                    lat=float(station["stop_lat"]),
                    lon=float(station["stop_lon"]),
                    coord_source="osm",
                    stop_code=station["stop_code"],
                )
                found[key] = entry
            if row["osm_stop_area_id"] and row["osm_stop_area_id"] not in entry.station_ids:
                entry.station_ids.append(row["osm_stop_area_id"])
            platform = row["osm_stop_position_id"]
            if platform in source.stops and platform not in entry.platform_ids:
                entry.platform_ids.append(platform)
    for entry in found.values():
        entry.station_ids.sort()
        entry.platform_ids.sort()
    return found


def _coordinates(
    source: SubwaySource,
    served: dict[str, list[str]],
    osm: dict[tuple[str, str], LineStop],
) -> dict[tuple[str, str], LineStop]:
    """A LineStop for every served (line, station), interpolating where nothing is known."""
    result: dict[tuple[str, str], LineStop] = {}
    for line_name, names in sorted(served.items()):
        line = source.lines[line_name]
        known: dict[str, tuple[float, float, str]] = {}
        for station in line.stations:
            key = (line_name, station.name)
            if key in osm:
                known[station.name] = (osm[key].lat, osm[key].lon, "osm")
            elif station.lat is not None and station.lon is not None:
                known[station.name] = (station.lat, station.lon, "osm (same name, other line)")
        for index, station in enumerate(line.stations):
            if station.name not in names:
                continue
            key = (line_name, station.name)
            if station.name in known:
                lat, lon, how = known[station.name]
            else:
                lat, lon = _interpolate(line, index, known)
                how = "interpolated along the line by distance"
            base = osm.get(key)
            result[key] = LineStop(
                line=line_name,
                name=station.name,
                lat=lat,
                lon=lon,
                coord_source=how,
                station_ids=base.station_ids if base else [],
                platform_ids=base.platform_ids if base else [],
                stop_code=base.stop_code if base else "",
            )
    return result


def _interpolate(
    line: ToolsLine, index: int, known: dict[str, tuple[float, float, str]]
) -> tuple[float, float]:
    """Place station ``index`` between its nearest located neighbours by distance."""
    stations = line.stations
    before = next((i for i in range(index - 1, -1, -1) if stations[i].name in known), None)
    after = next((i for i in range(index + 1, len(stations)) if stations[i].name in known), None)
    if before is None or after is None:
        raise ValueError(f"{line.name} {stations[index].name}: no located station on both sides")
    start, end = stations[before], stations[after]
    share = (stations[index].cum_m - start.cum_m) / (end.cum_m - start.cum_m)
    lat1, lon1, _ = known[start.name]
    lat2, lon2, _ = known[end.name]
    return lat1 + share * (lat2 - lat1), lon1 + share * (lon2 - lon1)


def _english(source: SubwaySource, tools_name: str) -> tuple[str, tuple[str, ...]]:
    aliases: list[str] = []
    for line in source.lines.values():
        for station in line.stations:
            if station.name == tools_name:
                aliases.extend(a for a in station.aliases if a not in aliases)
    override = _ENGLISH_OVERRIDES.get(tools_name)
    first = next((a for a in aliases if not a.isupper() and not a[:3].isupper()), None)
    english = override or english_station_name(tools_name, alias=first)
    pinyin = english_station_name(tools_name)
    extra = [a for a in [*aliases, pinyin] if a != english]
    return english, tuple(dict.fromkeys(extra))


def build_stations(
    source: SubwaySource,
    devices: dict[tuple[str, str], str],
    served: dict[str, list[str]],
    directions: dict[str, set[bool]],
) -> tuple[list[Complex], dict[tuple[str, str, bool], Platform], dict[tuple[str, str], LineStop]]:
    """Complexes, platforms keyed by (line, station, ascending), and line stops.

    ``served`` lists the stations each line's trips call at; ``directions`` the
    running directions (ascending or not) each line has trips in.
    """
    osm = _line_stop_sources(source, devices)
    line_stops = _coordinates(source, served, osm)
    by_complex: dict[str, list[LineStop]] = defaultdict(list)
    for (_, name), stop in sorted(line_stops.items()):
        by_complex[name].append(stop)
    complexes: list[Complex] = []
    ids: dict[str, str] = {}
    for tools_name, members in sorted(by_complex.items()):
        stop_id = slug(tools_name)
        if stop_id in ids.values():  # 管庄 and 关庄 are both Guanzhuang
            stop_id = f"{stop_id}_l{_route_slug(source, members[0].line)}"
        if stop_id in ids.values():
            raise ValueError(f"two stations give the id {stop_id}")
        ids[tools_name] = stop_id
        english, aliases = _english(source, tools_name)
        how = sorted({m.coord_source for m in members})
        complexes.append(
            Complex(
                stop_id=stop_id,
                name_zh=strip_qualifier(tools_name),
                tools_name=tools_name,
                name_en=english,
                aliases=aliases,
                lat=sum(m.lat for m in members) / len(members),
                lon=sum(m.lon for m in members) / len(members),
                coord_source="; ".join(how),
                lines=sorted(m.line for m in members),
            )
        )
    platforms: dict[tuple[str, str, bool], Platform] = {}
    for line_name in sorted(served):
        line = source.lines[line_name]
        coords = {name: (s.lat, s.lon) for (ln, name), s in line_stops.items() if ln == line_name}
        for station in line.stations:
            if station.name not in coords:
                coords[station.name] = (station.lat or 0.0, station.lon or 0.0)
        coords = {k: v for k, v in coords.items() if v != (0.0, 0.0)}
        up_ascending = up_is_ascending(line, coords)
        for name in served[line_name]:
            stop = line_stops[(line_name, name)]
            for ascending in sorted(directions[line_name]):
                up = ascending == up_ascending
                platform = _pick_platform(source, stop, up, line.is_loop)
                route_slug = _route_slug(source, line_name)
                stop_id = f"{ids[name]}_{route_slug}_{'u' if up else 'd'}"
                if platform is None:
                    lat, lon, osm_id = stop.lat, stop.lon, ""
                else:
                    lat = float(platform["stop_lat"])
                    lon = float(platform["stop_lon"])
                    osm_id = platform["stop_id"]
                platforms[(line_name, name, ascending)] = Platform(
                    stop_id=stop_id,
                    complex_id=ids[name],
                    line=line_name,
                    up=up,
                    lat=lat,
                    lon=lon,
                    stop_code=stop.stop_code,
                    osm_id=osm_id,
                )
    return complexes, platforms, line_stops


def _route_slug(source: SubwaySource, line_name: str) -> str:
    for route in source.routes:
        if route["route_short_name"] == line_name:
            return route["route_id"].lower()
    raise ValueError(f"no route for {line_name}")


def _pick_platform(
    source: SubwaySource, stop: LineStop, up: bool, is_loop: bool
) -> dict[str, str] | None:
    if not stop.platform_ids:
        return None
    wanted = ("(外环)" if up else "(内环)") if is_loop else ("(上行)" if up else "(下行)")
    rows = [source.stops[p] for p in stop.platform_ids if source.stops[p]["stop_lat"]]
    matching = [r for r in rows if r["stop_name"].endswith(wanted)]
    if matching:
        return matching[0]
    unlabelled = [r for r in rows if not r["stop_name"].endswith(")")]
    if len(unlabelled) == len(rows) and len(rows) >= 2:
        return rows[0 if up else 1]
    return None
