"""Read the Beijing Subway sources into plain records (no GTFS shaping here).

Sources (all under ``<source>/``):

* ``beijing_subway_lines/beijing_subway_line_sequences.csv`` and ``raw/tools_json5``:
  line definitions in running order with inter-station distances, English aliases
  and interchange walking times (Mick235711/Beijing-Subway-Tools, MIT).
* ``beijing_subway_gtfs_partial/gtfs`` and ``beijing_subway_lines/raw/
  gtfs_data_interim_relations.csv``: stations and platforms with OSM coordinates
  and the ruubypay device number of each station (BoyInTheSun/beijing-subway-gtfs,
  MPL-2.0; coordinates from OpenStreetMap, ODbL).
* ``beijing_subway_gtfs_partial/interim_timetable.tar.gz`` and
  ``data/interim/interstation_time``: departures per line, direction and station,
  and run times between stations (same repository).
"""

from __future__ import annotations

import csv
import io
import re
import tarfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from region.common import load_json5, read_csv

__all__ = [
    "RUUBYPAY_LINES",
    "Departure",
    "LineStation",
    "SubwaySource",
    "ToolsLine",
    "device_stop_code",
    "load_subway_source",
    "strip_qualifier",
]

#: ruubypay line number → the line of the Beijing-Subway-Tools data it belongs to.
#: Lines 97 (Batong) and 93 (Daxing) run through with Lines 1 and 4; 10 and 90 are
#: the two halves of the Line 10 loop. 79 (Yizhuang T1 tram) is left out: 13 of its
#: 14 stations have no coordinates in the sources.
RUUBYPAY_LINES: dict[str, str] = {
    "1": "1号线",
    "97": "1号线",
    "2": "2号线",
    "3": "3号线",
    "4": "4号线",
    "93": "4号线",
    "5": "5号线",
    "6": "6号线",
    "7": "7号线",
    "8": "8号线",
    "9": "9号线",
    "10": "10号线",
    "90": "10号线",
    "11": "11号线",
    "12": "12号线",
    "13": "13号线",
    "14": "14号线",
    "15": "15号线",
    "16": "16号线",
    "17": "17号线",
    "18": "18号线",
    "19": "19号线",
    "88": "大兴机场线",
    "89": "西郊线",
    "91": "S1线",
    "92": "燕房线",
    "94": "昌平线",
    "95": "房山线",
    "96": "亦庄线",
    "98": "首都机场线",
}

#: Lines of the Tools data that have no usable source timetable or coordinates.
LEFT_OUT_LINES: dict[str, str] = {
    "亦庄T1线": "13 of 14 stations have no coordinates in the sources",
}

_QUALIFIER = re.compile(r"[(（].*?[)）]$")
_DEVICE_BASE = 0x9000000


def strip_qualifier(name: str) -> str:
    """``木樨地(1号线)`` → ``木樨地``: the name riders see."""
    return _QUALIFIER.sub("", name)


def device_stop_code(device: str) -> str:
    """The 6-digit station code a ruubypay device number stands for.

    Device numbers are ``0x9000000 + line * 256 + station`` (checked against every
    row of the relations table that has both), so ``151019777`` is ``970001``.
    """
    value = int(device) - _DEVICE_BASE
    return f"{value >> 8:02d}0{value & 255:03d}"


@dataclass(frozen=True)
class LineStation:
    """One station of a line, in running order."""

    line: str
    seq: int
    name: str  # as in the Tools data, with a qualifier where two stations share a name
    dist_from_prev_m: int
    cum_m: int
    lat: float | None
    lon: float | None
    aliases: tuple[str, ...] = ()


@dataclass
class ToolsLine:
    """A line definition: stations in order, loop flag and closing distance."""

    name: str
    aliases: tuple[str, ...]
    is_loop: bool
    stations: list[LineStation]
    loop_closing_m: int = 0

    def position(self, name: str) -> int:
        """Index of the station whose rider-facing name is ``name`` (qualifier ignored)."""
        for index, station in enumerate(self.stations):
            if station.name == name or strip_qualifier(station.name) == name:
                return index
        raise KeyError(f"{name} is not on {self.name}")

    @property
    def length_m(self) -> int:
        """Sum of inter-station distances, the loop's closing segment included."""
        return self.stations[-1].cum_m + self.loop_closing_m


@dataclass(frozen=True)
class Departure:
    """One row of a station table: a train leaving at ``seconds`` toward ``dest``."""

    seconds: int
    dest_device: str
    is_half: bool


@dataclass
class SubwaySource:
    """Everything read from the sources, keyed for the builders."""

    lines: dict[str, ToolsLine]
    routes: list[dict[str, str]]
    agencies: list[dict[str, str]]
    stops: dict[str, dict[str, str]]
    relations: list[dict[str, str]]
    device_names: dict[str, str]  # device → rider-facing Chinese name (known devices)
    # (service "0"/"1", ruubypay line, direction key) → station device → departures
    timetables: dict[tuple[str, str, str], dict[str, list[Departure]]]
    # (service, ruubypay line) → (from device, to device) → seconds
    interstation: dict[tuple[str, str], dict[tuple[str, str], int]]
    direction_names: dict[tuple[str, str], bool] = field(default_factory=dict)
    transfers_meta: dict[str, list[dict[str, object]]] = field(default_factory=dict)
    virtual_transfers: list[dict[str, object]] = field(default_factory=list)


def _load_lines(source: Path) -> tuple[dict[str, ToolsLine], dict[tuple[str, str], bool]]:
    """Line definitions, and (line, direction name) → runs in the listed order."""
    base = source / "beijing_subway_lines"
    rows = read_csv(base / "beijing_subway_line_sequences.csv")
    raw = base / "raw" / "tools_json5"
    lines: dict[str, ToolsLine] = {}
    direction_names: dict[tuple[str, str], bool] = {}
    by_line: dict[str, list[dict[str, str]]] = defaultdict(list)
    files: dict[str, str] = {}
    for row in rows:
        by_line[row["line"]].append(row)
        files[row["line"]] = row["source_file"]
    for name in sorted(by_line):
        spec = load_json5(raw / files[name])
        assert isinstance(spec, dict)
        aliases_by_station = {
            str(entry["name"]): tuple(str(a) for a in entry.get("aliases", ()))
            for entry in spec["stations"]
        }
        stations = [
            LineStation(
                line=name,
                seq=int(row["seq"]),
                name=row["station"],
                dist_from_prev_m=int(row["dist_from_prev_m"]),
                cum_m=int(row["cum_dist_m"]),
                lat=float(row["lat"]) if row["lat"] else None,
                lon=float(row["lon"]) if row["lon"] else None,
                aliases=aliases_by_station.get(row["station"], ()),
            )
            for row in sorted(by_line[name], key=lambda r: int(r["seq"]))
        ]
        for direction, spec_route in dict(spec.get("train_routes", {})).items():
            direction_names[(name, direction)] = not bool(dict(spec_route).get("reversed"))
        is_loop = by_line[name][0]["is_loop"] == "True"
        closing = int(spec["stations"][0].get("dist", 0)) if is_loop else 0
        lines[name] = ToolsLine(
            name=name,
            aliases=tuple(str(a) for a in spec.get("aliases", ())),
            is_loop=is_loop,
            stations=stations,
            loop_closing_m=closing,
        )
    return lines, direction_names


def _load_timetables(
    source: Path,
) -> dict[tuple[str, str, str], dict[str, list[Departure]]]:
    archive_path = source / "beijing_subway_gtfs_partial" / "interim_timetable.tar.gz"
    tables: dict[tuple[str, str, str], dict[str, list[Departure]]] = defaultdict(dict)
    with tarfile.open(archive_path, "r:gz") as archive:
        # Read in archive order: seeking backwards in a gzip stream re-reads it.
        for member in archive:
            if not member.isfile() or not member.name.endswith(".csv"):
                continue
            parts = member.name.split("/")
            service, line, direction, filename = parts[-4], parts[-3], parts[-2], parts[-1]
            if line not in RUUBYPAY_LINES:
                continue
            handle = archive.extractfile(member)
            assert handle is not None
            text = handle.read().decode("utf-8-sig")
            departures = [
                Departure(
                    seconds=int(row["arriveTime"]),
                    dest_device=row["destDeviceLocation"],
                    is_half=row["isHalf"] == "1",
                )
                for row in csv.DictReader(io.StringIO(text))
            ]
            tables[(service, line, direction)][filename[: -len(".csv")]] = departures
    return dict(tables)


def _load_interstation(source: Path) -> dict[tuple[str, str], dict[tuple[str, str], int]]:
    base = source / "beijing_subway_gtfs_partial" / "data" / "interim" / "interstation_time"
    result: dict[tuple[str, str], dict[tuple[str, str], int]] = {}
    for service_dir in sorted(p for p in base.iterdir() if p.is_dir()):
        for path in sorted(service_dir.glob("*.csv")):
            pairs: dict[tuple[str, str], int] = {}
            for row in read_csv(path):
                pairs.setdefault(
                    (row["fromDeviceLocation"], row["toDeviceLocation"]),
                    int(row["interstationTime"]),
                )
            result[(service_dir.name, path.stem)] = pairs
    return result


def load_subway_source(source: Path) -> SubwaySource:
    """Read every Beijing Subway source file under ``source`` (the jjj data folder)."""
    gtfs = source / "beijing_subway_gtfs_partial" / "gtfs"
    relations = read_csv(
        source / "beijing_subway_lines" / "raw" / "gtfs_data_interim_relations.csv"
    )
    device_names = {
        row["device_location"]: row["name_cn"]
        for row in relations
        if row["device_location"] and row["name_cn"]
    }
    meta = load_json5(source / "beijing_subway_lines" / "raw" / "tools_json5" / "metadata.json5")
    assert isinstance(meta, dict)
    lines, direction_names = _load_lines(source)
    return SubwaySource(
        lines=lines,
        direction_names=direction_names,
        routes=read_csv(gtfs / "routes.txt"),
        agencies=read_csv(gtfs / "agency.txt"),
        stops={row["stop_id"]: row for row in read_csv(gtfs / "stops.txt")},
        relations=relations,
        device_names=device_names,
        timetables=_load_timetables(source),
        interstation=_load_interstation(source),
        transfers_meta=dict(meta.get("transfers", {})),
        virtual_transfers=list(meta.get("virtual_transfers", [])),
    )
