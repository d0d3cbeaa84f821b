"""Independent counts of what the validator should find in a real feed.

Each function re-derives one rule from the GTFS reference (parsed by
:mod:`tests.gtfs.spec`) with plain Python and polars, without using jjj's reader,
schema or checks, so a real feed's notice counts can be confirmed rather than
merely recorded.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import math
import zipfile
from pathlib import Path

import polars as pl

from tests.gtfs.spec import enum_values, references, spec_files

Tables = dict[str, pl.DataFrame]


def read_tables(path: Path) -> Tables:
    """Every .txt file of a zip as strings, empty fields as null, whitespace kept."""
    tables: Tables = {}
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            base = name.rsplit("/", 1)[-1]
            if base.endswith(".txt"):
                data = archive.read(name).removeprefix(b"\xef\xbb\xbf")
                tables[base] = pl.read_csv(io.BytesIO(data), infer_schema=False)
    return tables


def _present(table: pl.DataFrame, column: str) -> pl.Series:
    values = table.get_column(column)
    return values.is_not_null() & (values.str.strip_chars() != "")


def unknown_columns(tables: Tables) -> int:
    files = spec_files()
    count = 0
    for file, table in tables.items():
        if file in files:
            known = {name for name, _, _ in files[file]["fields"]}  # type: ignore[attr-defined]
            count += sum(1 for column in table.columns if column.strip() not in known)
    return count


def unknown_files(tables: Tables) -> int:
    return sum(1 for file in tables if file not in spec_files())


def unexpected_enum_values(tables: Tables) -> int:
    """Integer values outside those the reference lists (route_type: also 100-1799, HVT)."""
    count = 0
    for file, table in tables.items():
        for name, kind, _ in spec_files().get(file, {}).get("fields", []):  # type: ignore[attr-defined]
            if kind != "Enum" or name not in table.columns:
                continue
            allowed = enum_values(file, name)
            if not allowed:
                allowed = enum_values(file, "monday") if file == "calendar.txt" else allowed
            if not allowed:
                continue
            for text in table.get_column(name).drop_nulls().to_list():
                text = text.strip()
                if not text.lstrip("-").isdigit():
                    continue
                value = int(text)
                extended = name == "route_type" and 100 <= value < 1800
                if value not in allowed and not extended:
                    count += 1
    return count


def foreign_key_violations(tables: Tables) -> tuple[int, int]:
    """(errors, warnings): dangling foreign ids; those into stops.zone_id only warn."""
    errors = warnings = 0
    for file, table in tables.items():
        for name, kind, _ in spec_files().get(file, {}).get("fields", []):  # type: ignore[attr-defined]
            targets = references(kind)
            if (
                not targets
                or name not in table.columns
                or (file, name)
                == (
                    "calendar_dates.txt",
                    "service_id",
                )
            ):
                continue
            known: set[str] = set()
            for target_file, target_column in targets:
                target = tables.get(target_file)
                if target is not None and target_column in target.columns:
                    known |= set(target.get_column(target_column).drop_nulls().to_list())
            values = table.filter(_present(table, name)).get_column(name).to_list()
            dangling = sum(1 for value in values if value not in known)
            if targets == {("stops.txt", "zone_id")}:
                warnings += dangling
            else:
                errors += dangling
    return errors, warnings


def fare_agency_missing(tables: Tables) -> int:
    """fare_attributes rows without agency_id although agency.txt has several agencies."""
    fares = tables.get("fare_attributes.txt")
    if fares is None or tables["agency.txt"].height < 2:
        return 0
    if "agency_id" not in fares.columns:
        return fares.height
    return int((~_present(fares, "agency_id")).sum())


def _dates(tables: Tables) -> dict[str, set[dt.date]]:
    def day(text: str) -> dt.date:
        return dt.datetime.strptime(text.strip(), "%Y%m%d").date()

    runs: dict[str, set[dt.date]] = {}
    names = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    calendar = tables.get("calendar.txt")
    if calendar is not None:
        for row in calendar.iter_rows(named=True):
            dates = runs.setdefault(row["service_id"], set())
            current, end = day(row["start_date"]), day(row["end_date"])
            while current <= end:
                if row[names[current.weekday()]].strip() == "1":
                    dates.add(current)
                current += dt.timedelta(days=1)
    exceptions = tables.get("calendar_dates.txt")
    if exceptions is not None:
        for row in exceptions.iter_rows(named=True):
            dates = runs.setdefault(row["service_id"], set())
            if row["exception_type"].strip() == "1":
                dates.add(day(row["date"]))
            else:
                dates.discard(day(row["date"]))
    return runs


def services_never_active(tables: Tables) -> int:
    return sum(1 for dates in _dates(tables).values() if not dates)


def _seconds(text: str | None) -> int | None:
    if text is None or not text.strip():
        return None
    h, m, s = (int(x) for x in text.strip().split(":"))
    return h * 3600 + m * 60 + s


def _trips(tables: Tables) -> dict[str, list[tuple[int, str, int | None, int | None, str | None]]]:
    """trip_id → [(stop_sequence, stop_id, arrival, departure, shape_dist)] in order."""
    stop_times = tables["stop_times.txt"]
    dist = "shape_dist_traveled" in stop_times.columns
    trips: dict[str, list[tuple[int, str, int | None, int | None, str | None]]] = {}
    for row in stop_times.iter_rows(named=True):
        trips.setdefault(row["trip_id"], []).append(
            (
                int(row["stop_sequence"]),
                row["stop_id"],
                _seconds(row["arrival_time"]),
                _seconds(row["departure_time"]),
                row["shape_dist_traveled"] if dist else None,
            )
        )
    for rows in trips.values():
        rows.sort(key=lambda r: r[0])
    return trips


def equal_stop_time_distances(tables: Tables) -> tuple[int, int]:
    """(decreasing, equal) shape_dist_traveled between consecutive stop times of a trip."""
    decreasing = equal = 0
    for rows in _trips(tables).values():
        for before, after in itertools.pairwise(rows):
            if before[4] and after[4] and before[4].strip() and after[4].strip():
                a, b = float(before[4]), float(after[4])
                decreasing += b < a
                equal += b == a
    return decreasing, equal


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(a))


#: gtfs-validator's limits (km/h) by basic route type; others 200 (150 for 7xx buses).
_LIMITS = {0: 100, 1: 150, 2: 500, 3: 150, 4: 80, 5: 30, 6: 50, 7: 50, 11: 150, 12: 150}


def fast_consecutive(tables: Tables) -> int:
    """Consecutive stop times a vehicle would cover faster than its route type allows."""
    stops = {
        row["stop_id"]: (float(row["stop_lat"]), float(row["stop_lon"]))
        for row in tables["stops.txt"].iter_rows(named=True)
        if row["stop_lat"] and row["stop_lon"]
    }
    route_type = {
        row["route_id"]: int(row["route_type"])
        for row in tables["routes.txt"].iter_rows(named=True)
    }
    trip_route = {
        row["trip_id"]: row["route_id"] for row in tables["trips.txt"].iter_rows(named=True)
    }
    count = 0
    for trip_id, rows in _trips(tables).items():
        kind = route_type[trip_route[trip_id]]
        limit = _LIMITS.get(kind, 150 if 700 <= kind < 800 else 200)
        for before, after in itertools.pairwise(rows):
            departure, arrival = before[3], after[2]
            if departure is None or arrival is None:
                continue
            seconds = arrival - departure
            if seconds <= 0:
                seconds = 60
            elif arrival % 60 == 0 and departure % 60 == 0:
                seconds += 60
            km = _haversine_km(*stops[before[1]], *stops[after[1]])
            count += km * 3600 / seconds > limit
    return count


def shape_distance_problems(tables: Tables) -> tuple[int, int, int]:
    """(decreasing, equal at different points, equal at the same point) along shapes."""
    shapes = tables.get("shapes.txt")
    if shapes is None or "shape_dist_traveled" not in shapes.columns:
        return 0, 0, 0
    points: dict[str, list[tuple[int, float, float, str | None]]] = {}
    for row in shapes.iter_rows(named=True):
        points.setdefault(row["shape_id"], []).append(
            (
                int(row["shape_pt_sequence"]),
                float(row["shape_pt_lat"]),
                float(row["shape_pt_lon"]),
                row["shape_dist_traveled"],
            )
        )
    decreasing = different = same = 0
    for rows in points.values():
        rows.sort(key=lambda r: r[0])
        for before, after in itertools.pairwise(rows):
            if not (before[3] and after[3]):
                continue
            a, b = float(before[3]), float(after[3])
            if b < a:
                decreasing += 1
            elif b == a:
                if (before[1], before[2]) == (after[1], after[2]):
                    same += 1
                else:
                    different += 1
    return decreasing, different, same
