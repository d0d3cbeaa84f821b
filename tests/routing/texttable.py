"""Tiny timetables written as text, in the style of OpenTripPlanner's raptor tests.

    R1: A B C
      T1 08:00 08:05 08:10
      T2 08:02 08:06/08:07 08:12 | block=K1 service=WE
    R2: C D
      T3 08:12 08:20

A route line names its stops in visiting order; each trip line under it gives one
time per stop: ``HH:MM`` (arrival = departure) or ``HH:MM/HH:MM`` (arrival /
departure; hours may pass 24). A ``<`` after a time means alighting only (no
pickup there), ``>`` boarding only (no drop-off). After ``|``, ``block=`` sets the
trip's block_id and ``service=`` its service (default ``ALL``, every day of 2026).

Stops are placed 0.02° of longitude apart (≈ 1.7 km, beyond the footpath radius)
unless ``stops=`` gives them coordinates. The feed goes through the real GTFS
reader and network builder.
"""

from __future__ import annotations

import re
from pathlib import Path

from jjj.gtfs.read import read_feed
from jjj.timetable import Network
from jjj.timetable.build import build_network
from tests.feedtext import write_feed

_ROUTE = re.compile(r"^(\w+):\s+(.+)$")
_TIME = re.compile(r"^(\d+):(\d\d)(?:/(\d+):(\d\d))?([<>]?)$")


def _hms(hours: str, minutes: str) -> str:
    return f"{int(hours):02d}:{minutes}:00"


def timetable_files(
    text: str, *, stops: dict[str, tuple[float, float]] | None = None
) -> dict[str, str]:
    """The GTFS files (routes, trips, stop_times, stops) of a text timetable."""
    routes: list[str] = []
    trips = ["route_id,service_id,trip_id,block_id"]
    stop_times = [
        "trip_id,arrival_time,departure_time,stop_id,stop_sequence,pickup_type,drop_off_type"
    ]
    stop_names: list[str] = []
    route: str | None = None
    route_stops: list[str] = []
    for raw in text.strip().splitlines():
        line = raw.strip()
        if not line:
            continue
        match = _ROUTE.match(line)
        if match:
            route = match.group(1)
            route_stops = match.group(2).split()
            routes.append(f"{route},A,{route},Route {route},3")
            stop_names.extend(s for s in route_stops if s not in stop_names)
            continue
        assert route is not None, f"trip before any route: {line!r}"
        times_part, _, options_part = line.partition("|")
        trip, *times = times_part.split()
        assert len(times) == len(route_stops), f"{trip}: {len(times)} times for {route_stops}"
        options = dict(item.split("=", 1) for item in options_part.split())
        trips.append(f"{route},{options.get('service', 'ALL')},{trip},{options.get('block', '')}")
        for sequence, (stop, value) in enumerate(zip(route_stops, times, strict=True), start=1):
            parsed = _TIME.match(value)
            assert parsed, f"{trip}: bad time {value!r}"
            arrival = _hms(parsed.group(1), parsed.group(2))
            departure = _hms(parsed.group(3), parsed.group(4)) if parsed.group(3) else arrival
            pickup = 1 if parsed.group(5) == "<" else 0
            dropoff = 1 if parsed.group(5) == ">" else 0
            stop_times.append(f"{trip},{arrival},{departure},{stop},{sequence},{pickup},{dropoff}")
    placed = stops or {}
    stop_rows = ["stop_id,stop_name,stop_lat,stop_lon"]
    for i, name in enumerate(stop_names):
        lat, lon = placed.get(name, (39.9, 116.3 + 0.02 * i))
        stop_rows.append(f"{name},{name},{lat:.6f},{lon:.6f}")
    for name, (lat, lon) in placed.items():
        if name not in stop_names:
            stop_rows.append(f"{name},{name},{lat:.6f},{lon:.6f}")
    return {
        "routes.txt": "route_id,agency_id,route_short_name,route_long_name,route_type\n"
        + "\n".join(routes),
        "trips.txt": "\n".join(trips),
        "stop_times.txt": "\n".join(stop_times),
        "stops.txt": "\n".join(stop_rows),
    }


def timetable(
    folder: Path,
    text: str,
    *,
    transfers: str | None = None,
    stops: dict[str, tuple[float, float]] | None = None,
    files: dict[str, str | None] | None = None,
    name: str = "f",
    footpaths: bool = True,
) -> Network:
    """Build the network of a text timetable (feed ``name``; ids become ``f:A``)."""
    content: dict[str, str | None] = dict(timetable_files(text, stops=stops))
    if transfers is not None:
        content["transfers.txt"] = transfers
    content.update(files or {})
    feed_folder = write_feed(folder / name, content)
    return build_network([read_feed(feed_folder, name)], footpaths=footpaths)
