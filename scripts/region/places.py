"""``places.csv`` (names a user can type) and ``connections.txt`` (rail–subway links)."""

from __future__ import annotations

import math
from pathlib import Path

from region.common import fmt_coord, haversine_m, read_csv, write_csv
from region.rail_feed import RailFeed
from region.rail_specs import STATIONS
from region.subway_feed import SubwayFeed

__all__ = ["RAIL_SUBWAY_LINKS", "write_connections", "write_places"]

#: Railway station → the subway station serving it. Most subway stations bear the
#: railway station's name; Beijing North adjoins Xizhimen, Changping is the Changping
#: Line station of that name, and Beiyunhe East carries the alias "Beijing Tongzhou
#: Railway Station" in the Beijing-Subway-Tools data.
RAIL_SUBWAY_LINKS: dict[str, str] = {
    "Beijing South": "北京南站",
    "Beijing West": "北京西站",
    "Beijing North": "西直门",
    "Qinghe": "清河站",
    "Beijing Chaoyang": "朝阳站",
    "Yizhuang": "亦庄火车站",
    "Daxing Airport": "大兴机场",
    "Changping": "昌平",
    "Beijing Sub-Center": "北运河东",
}
#: Time to get between the platforms of a railway station and a subway station
#: besides walking: ticket and security checks inside the hub. MODELLED.
HUB_SECONDS = 480
_WALK_DETOUR = 1.3
_WALK_MPS = 1.2
_CITY_ALIASES = {
    "Beijing Capital International Airport": ("Capital Airport", "PEK", "首都机场"),
    "Beijing Daxing International Airport": ("Daxing International Airport", "PKX"),
}
_RAIL_ALIASES = {"Binhai": ("Tianjin Binhai", "Yujiapu"), "Beijing Sub-Center": ("Tongzhou",)}


def write_connections(subway: SubwayFeed, rail: RailFeed, path: Path) -> int:
    """Both directions between each railway station and its subway station's platforms.

    Seconds = hub time (480 s, modelled) + walking the straight-line distance × 1.3
    at 1.2 m/s, the network builder's walking model.
    """
    complexes = {c.tools_name: c for c in subway.complexes}
    rows = []
    for rail_name, subway_name in sorted(RAIL_SUBWAY_LINKS.items()):
        station = rail.stations[rail_name]
        target = complexes[subway_name]
        for platform in sorted(subway.platforms.values(), key=lambda p: p.stop_id):
            if platform.complex_id != target.stop_id:
                continue
            metres = haversine_m(station.lat, station.lon, platform.lat, platform.lon)
            seconds = HUB_SECONDS + math.ceil(metres * _WALK_DETOUR / _WALK_MPS)
            note = (
                f"{rail_name} railway station – {target.name_en} subway "
                f"({round(metres)} m apart; {HUB_SECONDS} s hub time modelled)"
            )
            rail_id = f"intercity_rail:{station.stop_id}"
            subway_id = f"beijing_subway:{platform.stop_id}"
            rows.append([rail_id, subway_id, seconds, note])
            rows.append([subway_id, rail_id, seconds, note])
    return write_csv(path, ["from_stop_id", "to_stop_id", "seconds", "note"], sorted(rows))


def write_places(source: Path, subway: SubwayFeed, rail: RailFeed, path: Path) -> int:
    """Every city of cities.csv, subway station and railway station, with stop ids."""
    rows: list[list[object]] = []
    for city in read_csv(source / "cities.csv"):
        lat, lon = float(city["lat"]), float(city["lon"])
        stops = [
            f"intercity_rail:{station.stop_id}"
            for station in rail.stations.values()
            if STATIONS[station.name_en].coord.split(":", 1)[1:] == [city["name"]]
        ]
        stops += [
            f"beijing_subway:{c.stop_id}"
            for c in subway.complexes
            if haversine_m(lat, lon, c.lat, c.lon) <= 1500
        ]
        aliases = [city["name"].replace(" New Area", "")] if "New Area" in city["name"] else []
        aliases += _CITY_ALIASES.get(city["name"], ())
        rows.append(
            [
                "city",
                city["name"],
                city["name_zh"],
                "|".join(aliases),
                city["kind"],
                fmt_coord(lat),
                fmt_coord(lon),
                " ".join(sorted(stops)),
                f"cities.csv ({city['coord_type']})",
            ]
        )
    for item in subway.complexes:
        rows.append(
            [
                "subway_station",
                item.name_en,
                item.name_zh,
                "|".join(item.aliases),
                "subway station (" + ", ".join(subway.route_names[x] for x in item.lines) + ")",
                fmt_coord(item.lat),
                fmt_coord(item.lon),
                f"beijing_subway:{item.stop_id}",
                f"coordinates: {item.coord_source}",
            ]
        )
    for station in rail.stations.values():
        aliases = [
            f"{station.name_en} Railway Station",
            f"{station.name_zh}站",
            *_RAIL_ALIASES.get(station.name_en, ()),
        ]
        rows.append(
            [
                "rail_station",
                station.name_en,
                station.name_zh,
                "|".join(aliases),
                "railway station (" + ", ".join(sorted(station.routes)) + ")",
                fmt_coord(station.lat),
                fmt_coord(station.lon),
                f"intercity_rail:{station.stop_id}",
                f"coordinates: {station.coord_source}",
            ]
        )
    order = {"city": 0, "rail_station": 1, "subway_station": 2}
    rows.sort(key=lambda r: (order[str(r[0])], str(r[1]), str(r[7])))
    return write_csv(
        path,
        ["type", "name", "name_zh", "aliases", "kind", "lat", "lon", "stop_ids", "source"],
        rows,
    )
