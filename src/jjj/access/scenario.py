"""Scenario files: changes to a compiled network, read from YAML or JSON.

A scenario names itself and lists modifications, applied in order::

    name: Express to Xiong'an
    modifications:
      - type: add_line
        name: R1 Express            # the new route's name
        route_type: 2               # GTFS route_type (default 2, rail)
        stations:                   # existing stop names or ids, or new stations
          - Beijing West
          - {name: Gu'an East, lat: 39.43, lon: 116.30}
          - {stop_id: "intercity_rail:XIONGAN"}
        run_minutes: [18, 16]       # between consecutive stations (or speed_kmh: 250)
        dwell_seconds: 60           # at intermediate stations (default 60)
        headway_minutes: 15
        span: ["06:00", "23:00"]    # first and last departure from the first station
        both_directions: true       # default true
      - type: change_frequency
        route: "beijing_subway:1"   # route id (with or without feed), or its name
        headway_minutes: 3
        span: ["07:00", "09:00"]    # optional: only trips leaving in this span change
      - type: remove_route
        route: "intercity_rail:C2"

Every problem is reported with the file, the modification's position and the field.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from jjj.errors import AccessError

__all__ = [
    "AddLine",
    "ChangeFrequency",
    "Modification",
    "RemoveRoute",
    "Scenario",
    "StationRef",
    "parse_scenario",
    "read_scenario",
]


@dataclass(frozen=True)
class StationRef:
    """A station of a new line: an existing stop (by name or id) or a new place."""

    name: str | None = None
    stop_id: str | None = None
    lat: float | None = None
    lon: float | None = None

    @property
    def is_new(self) -> bool:
        return self.lat is not None and self.lon is not None

    def label(self) -> str:
        return self.name or self.stop_id or f"{self.lat},{self.lon}"


@dataclass(frozen=True)
class AddLine:
    name: str
    stations: tuple[StationRef, ...]
    headway_seconds: int
    span: tuple[int, int]
    run_seconds: tuple[int, ...] | None = None
    speed_kmh: float | None = None
    dwell_seconds: int = 60
    route_type: int = 2
    both_directions: bool = True
    where: str = ""


@dataclass(frozen=True)
class ChangeFrequency:
    route: str
    headway_seconds: int
    span: tuple[int, int] | None = None
    where: str = ""


@dataclass(frozen=True)
class RemoveRoute:
    route: str
    where: str = ""


Modification = AddLine | ChangeFrequency | RemoveRoute


@dataclass(frozen=True)
class Scenario:
    """A named list of modifications; ``document`` is the parsed file (for workers)."""

    name: str
    modifications: tuple[Modification, ...]
    source: str = ""


def _clock(value: Any, where: str) -> int:
    text = str(value).strip()
    parts = text.split(":")
    if len(parts) not in (2, 3) or not all(p.isdigit() for p in parts):
        raise AccessError(f"{where}: {text!r} is not HH:MM or HH:MM:SS")
    seconds = int(parts[0]) * 3600 + int(parts[1]) * 60 + (int(parts[2]) if len(parts) == 3 else 0)
    return seconds


def _span(value: Any, where: str) -> tuple[int, int]:
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise AccessError(f"{where}: expected [first, last] departure times")
    first, last = _clock(value[0], where), _clock(value[1], where)
    if last < first:
        raise AccessError(f"{where}: the last departure is before the first")
    return first, last


def _positive(value: Any, where: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise AccessError(f"{where}: {value!r} is not a number") from None
    if not number > 0:
        raise AccessError(f"{where}: must be positive, got {number:g}")
    return number


def _station(value: Any, where: str) -> StationRef:
    if isinstance(value, str):
        if not value.strip():
            raise AccessError(f"{where}: empty station name")
        return StationRef(name=value.strip())
    if not isinstance(value, dict):
        raise AccessError(f"{where}: a station is a name or a mapping")
    if "stop_id" in value:
        return StationRef(stop_id=str(value["stop_id"]), name=value.get("name"))
    if "lat" in value or "lon" in value:
        try:
            lat, lon = float(value["lat"]), float(value["lon"])
        except (KeyError, TypeError, ValueError):
            raise AccessError(f"{where}: a new station needs numeric lat and lon") from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise AccessError(f"{where}: lat/lon out of range ({lat}, {lon})")
        name = value.get("name")
        if not name:
            raise AccessError(f"{where}: field name: a new station needs a name")
        return StationRef(name=str(name), lat=lat, lon=lon)
    if "name" in value:
        return StationRef(name=str(value["name"]))
    raise AccessError(f"{where}: a station needs a name, a stop_id or lat and lon")


def _add_line(item: dict[str, Any], where: str) -> AddLine:
    name = str(item.get("name") or "").strip()
    if not name:
        raise AccessError(f"{where}: field name: the new line needs a name")
    raw_stations = item.get("stations")
    if not isinstance(raw_stations, list) or len(raw_stations) < 2:
        raise AccessError(f"{where}: field stations: at least two stations")
    stations = tuple(
        _station(s, f"{where}: field stations[{i}]") for i, s in enumerate(raw_stations)
    )
    run_seconds: tuple[int, ...] | None = None
    speed: float | None = None
    if "run_minutes" in item:
        runs = item["run_minutes"]
        if not isinstance(runs, list) or len(runs) != len(stations) - 1:
            raise AccessError(
                f"{where}: field run_minutes: one value per pair of consecutive stations "
                f"({len(stations) - 1})"
            )
        run_seconds = tuple(
            round(_positive(r, f"{where}: field run_minutes[{i}]") * 60) for i, r in enumerate(runs)
        )
    elif "speed_kmh" in item:
        speed = _positive(item["speed_kmh"], f"{where}: field speed_kmh")
    else:
        raise AccessError(f"{where}: give run_minutes or speed_kmh")
    if "headway_minutes" not in item:
        raise AccessError(f"{where}: field headway_minutes: missing")
    if "span" not in item:
        raise AccessError(f"{where}: field span: missing")
    dwell = item.get("dwell_seconds", 60)
    if not isinstance(dwell, int | float) or dwell < 0:
        raise AccessError(f"{where}: field dwell_seconds: {dwell!r} is not a duration")
    return AddLine(
        name=name,
        stations=stations,
        headway_seconds=round(
            _positive(item["headway_minutes"], f"{where}: field headway_minutes") * 60
        ),
        span=_span(item["span"], f"{where}: field span"),
        run_seconds=run_seconds,
        speed_kmh=speed,
        dwell_seconds=int(dwell),
        route_type=int(item.get("route_type", 2)),
        both_directions=bool(item.get("both_directions", True)),
        where=where,
    )


def _route(item: dict[str, Any], where: str) -> str:
    route = item.get("route")
    if route is None or not str(route).strip():
        raise AccessError(f"{where}: field route: missing")
    return str(route).strip()


def parse_scenario(document: Any, *, source: str = "scenario") -> Scenario:
    """A :class:`Scenario` from a parsed YAML/JSON document."""
    if not isinstance(document, dict):
        raise AccessError(f"{source}: a scenario is a mapping with 'modifications'")
    items = document.get("modifications")
    if not isinstance(items, list) or not items:
        raise AccessError(f"{source}: field modifications: a non-empty list")
    modifications: list[Modification] = []
    for number, item in enumerate(items):
        where = f"{source}: modifications[{number}]"
        if not isinstance(item, dict):
            raise AccessError(f"{where}: not a mapping")
        kind = item.get("type")
        if kind == "add_line":
            modifications.append(_add_line(item, where))
        elif kind == "change_frequency":
            span = _span(item["span"], f"{where}: field span") if "span" in item else None
            headway = _positive(item.get("headway_minutes"), f"{where}: field headway_minutes")
            modifications.append(
                ChangeFrequency(_route(item, where), round(headway * 60), span, where)
            )
        elif kind == "remove_route":
            modifications.append(RemoveRoute(_route(item, where), where))
        else:
            raise AccessError(
                f"{where}: field type: {kind!r} is not add_line, change_frequency or remove_route"
            )
    name = str(document.get("name") or Path(source).stem)
    return Scenario(name=name, modifications=tuple(modifications), source=source)


def read_scenario(path: str | Path) -> Scenario:
    """Read a scenario file (``.yaml``/``.yml`` or ``.json``)."""
    source = Path(path)
    if not source.is_file():
        raise AccessError(f"{source}: no such file")
    text = source.read_text(encoding="utf-8")
    try:
        is_json = source.suffix.lower() == ".json"
        document = json.loads(text) if is_json else yaml.safe_load(text)
    except json.JSONDecodeError as exc:
        raise AccessError(f"{source}:{exc.lineno}: not JSON ({exc.msg})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise AccessError(f"{source}{line}: not YAML ({exc})") from None
    return parse_scenario(document, source=str(source))
