"""pyraptor's side of the routing benchmark (run with the interpreter that has pyraptor).

Reads a JSON spec (path given as the only argument), prints one JSON line.

pyraptor ships a GTFS reader written for the Dutch NS feed (``calendar_dates.txt`` only,
``trip_short_name``, ``platform_code``, stops kept only if they have a parent station).
Here the same steps run on the benchmark's feed with only what is needed to let them
run at all: services active on the date are taken from ``calendar.txt`` and
``calendar_dates.txt``, missing optional columns are added empty, and a stop without
a parent station becomes its own parent (otherwise every bus stop would be dropped).
Then pyraptor's own :func:`gtfs_to_pyraptor_timetable` builds its timetable, with one
change that leaves the timetable as it was: trips get a provisional id when created.
pyraptor numbers a trip only after its stop times are stored in a dict keyed by
``(trip, index)``, so until then every trip hashes alike and the build is quadratic
(1,000 s for one weekday of the subway on a 2-core machine). As in
pyraptor, a station is every stop sharing a name, with 120 s transfers among them and
no walking between stations.

Each query is :class:`RaptorAlgorithm.run` from all stops of the origin's station,
exactly what ``pyraptor.query_raptor`` does; it labels every stop (one-to-all).

Spec keys: ``gtfs_zip``, ``date`` (YYYYMMDD), ``weekday`` (0 = Monday), ``departure``
(seconds), ``rounds`` (vehicles ridden), ``origins`` (GTFS stop_ids).
Output: ``preprocess_seconds``, ``query_seconds`` (one per origin), ``arrivals`` (per
origin: ``{station name: earliest arrival}``), ``counts``.
"""

from __future__ import annotations

import importlib.metadata
import itertools
import json
import sys
import time
import zipfile
from typing import Any

import pandas as pd
import pyraptor.gtfs.timetable as pyraptor_gtfs
from loguru import logger
from pyraptor.gtfs.timetable import GtfsTimetable, gtfs_to_pyraptor_timetable
from pyraptor.model.raptor import RaptorAlgorithm
from pyraptor.model.structures import Trip
from pyraptor.util import LARGE_NUMBER, str2sec

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def _read(archive: zipfile.ZipFile, name: str, **kwargs: Any) -> pd.DataFrame:
    with archive.open(name) as handle:
        frame = pd.read_csv(handle, **kwargs)
    frame.columns = [c.strip() for c in frame.columns]
    return frame


def active_services(archive: zipfile.ZipFile, date: str, weekday: int) -> set[str]:
    """Service ids running on ``date`` (calendar.txt plus calendar_dates.txt exceptions)."""
    names = set(archive.namelist())
    active: set[str] = set()
    if "calendar.txt" in names:
        calendar = _read(archive, "calendar.txt", dtype=str)
        runs = (
            (calendar[WEEKDAYS[weekday]].str.strip() == "1")
            & (calendar["start_date"].str.strip() <= date)
            & (calendar["end_date"].str.strip() >= date)
        )
        active |= set(calendar.loc[runs, "service_id"])
    if "calendar_dates.txt" in names:
        dates = _read(archive, "calendar_dates.txt", dtype=str)
        today = dates[dates["date"].str.strip() == date]
        active |= set(today.loc[today["exception_type"].str.strip() == "1", "service_id"])
        active -= set(today.loc[today["exception_type"].str.strip() == "2", "service_id"])
    return active


def read_gtfs(path: str, date: str, weekday: int) -> GtfsTimetable:
    """pyraptor's ``read_gtfs_timetable`` steps on a feed that lacks its NS-specific files."""
    with zipfile.ZipFile(path) as archive:
        services = active_services(archive, date, weekday)
        trips = _read(archive, "trips.txt", dtype={"trip_id": str, "service_id": str})
        trips = trips[trips["service_id"].isin(services)].copy()
        for column in ("trip_short_name", "trip_long_name"):
            if column not in trips:
                trips[column] = pd.NA
        trips["trip_short_name"] = pd.to_numeric(trips["trip_short_name"], errors="coerce")
        trips["trip_short_name"] = trips["trip_short_name"].astype("Int64")
        stop_times = _read(
            archive,
            "stop_times.txt",
            dtype={"trip_id": str, "stop_id": str},
            usecols=["trip_id", "stop_sequence", "stop_id", "arrival_time", "departure_time"],
        )
        stop_times = stop_times[stop_times["trip_id"].isin(set(trips["trip_id"]))].copy()
        stop_times["arrival_time"] = stop_times["arrival_time"].apply(str2sec)
        stop_times["departure_time"] = stop_times["departure_time"].apply(str2sec)
        stops_full = _read(archive, "stops.txt", dtype={"stop_id": str, "parent_station": str})
    if "parent_station" not in stops_full:
        stops_full["parent_station"] = pd.NA
    orphan = stops_full["parent_station"].isna() | (stops_full["parent_station"] == "")
    served = stops_full["stop_id"].isin(set(stop_times["stop_id"]))
    # a served stop with no parent station is its own station (pyraptor drops it otherwise)
    stops_full.loc[orphan & served, "parent_station"] = stops_full.loc[orphan & served, "stop_id"]
    for column in ("platform_code", "stop_code"):
        if column not in stops_full:
            stops_full[column] = pd.NA
    stops_full["stop_code"] = stops_full["stop_code"].astype("string")
    stops = stops_full.loc[served].copy()
    stops["stop_code"] = stops["stop_code"].str.upper()
    stops = stops[["stop_id", "stop_name", "parent_station", "platform_code"]]
    stops = stops.loc[~stops["parent_station"].isna()]
    timetable = GtfsTimetable()
    timetable.trips = trips
    timetable.stop_times = stop_times
    timetable.stops = stops
    return timetable


_provisional = itertools.count(-1, -1)


class _NumberedTrip(Trip):  # type: ignore[misc]
    """A pyraptor Trip with a unique provisional id until ``Trips.add`` numbers it."""

    def __init__(self) -> None:
        super().__init__(id=next(_provisional))


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as handle:
        spec = json.load(handle)
    logger.remove()  # pyraptor logs every round at INFO; keep the timing clean
    pyraptor_gtfs.Trip = _NumberedTrip
    started = time.perf_counter()
    gtfs = read_gtfs(spec["gtfs_zip"], spec["date"], spec["weekday"])
    timetable = gtfs_to_pyraptor_timetable(gtfs)
    preprocess = time.perf_counter() - started
    raptor = RaptorAlgorithm(timetable)
    seconds: list[float] = []
    arrivals: list[dict[str, int]] = []
    origins: list[str | None] = []
    for stop_id in spec["origins"]:
        try:
            station = timetable.stops.get(stop_id).station
        except ValueError:
            origins.append(None)
            continue
        origins.append(station.name)
        started = time.perf_counter()
        bag = raptor.run(station.stops, spec["departure"], spec["rounds"])
        seconds.append(time.perf_counter() - started)
        best = bag[spec["rounds"]]
        by_station: dict[str, int] = {}
        for stop, label in best.items():
            t = label.earliest_arrival_time
            if t < LARGE_NUMBER and t < by_station.get(stop.station.name, LARGE_NUMBER):
                by_station[stop.station.name] = int(t)
        arrivals.append(by_station)
    print(
        json.dumps(
            {
                "version": importlib.metadata.version("pyraptor"),
                "preprocess_seconds": preprocess,
                "query_seconds": seconds,
                "origin_stations": origins,
                "arrivals": arrivals,
                "counts": {
                    "stations": len(timetable.stations),
                    "stops": len(timetable.stops),
                    "trips": len(timetable.trips),
                    "stop_times": len(timetable.trip_stop_times),
                    "routes": len(timetable.routes),
                },
            }
        )
    )


if __name__ == "__main__":
    main()
