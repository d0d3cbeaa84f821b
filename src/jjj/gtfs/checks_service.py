"""Service days, date and time ranges, frequencies and blocks."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from jjj.gtfs.checks_context import ROW, CheckContext, fmt
from jjj.gtfs.notices import Severity

__all__ = [
    "check_blocks",
    "check_frequencies",
    "check_ranges",
    "check_services",
    "service_dates",
]

_ERROR = Severity.ERROR
_WARNING = Severity.WARNING
_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def service_dates(ctx: CheckContext) -> pl.DataFrame:
    """Every (service_id, date) on which a service runs: calendar.txt plus added dates
    minus removed dates from calendar_dates.txt. Rows with malformed values are skipped.
    """
    parts: list[pl.DataFrame] = []
    if ctx.has("calendar.txt", "service_id", "start_date", "end_date", *_DAYS):
        calendar = ctx.table("calendar.txt")
        assert calendar is not None
        flags = [ctx.values("calendar.txt", day).alias(day) for day in _DAYS]
        frame = calendar.select(
            pl.col("service_id"),
            ctx.values("calendar.txt", "start_date").alias("start"),
            ctx.values("calendar.txt", "end_date").alias("end"),
            *flags,
        ).filter(pl.col("start").is_not_null() & pl.col("end").is_not_null())
        days = pl.concat_list([pl.col(day).fill_null(0) == 1 for day in _DAYS])
        expanded = (
            frame.with_columns(pl.date_ranges("start", "end").alias("date"), days.alias("days"))
            .explode("date")
            .filter(pl.col("date").is_not_null())
            .filter(pl.col("days").list.get(pl.col("date").dt.weekday() - 1))
        )
        parts.append(expanded.select("service_id", "date"))
    removed = pl.DataFrame(schema={"service_id": pl.String, "date": pl.Date})
    if ctx.has("calendar_dates.txt", "service_id", "date", "exception_type"):
        dates = ctx.table("calendar_dates.txt")
        assert dates is not None
        frame = dates.select(
            pl.col("service_id"),
            ctx.values("calendar_dates.txt", "date").alias("date"),
            ctx.values("calendar_dates.txt", "exception_type").alias("kind"),
        ).filter(pl.col("date").is_not_null())
        parts.append(frame.filter(pl.col("kind") == 1).select("service_id", "date"))
        removed = frame.filter(pl.col("kind") == 2).select("service_id", "date")
    if not parts:
        return pl.DataFrame(schema={"service_id": pl.String, "date": pl.Date})
    active = pl.concat(parts).unique()
    return active.join(removed, on=["service_id", "date"], how="anti")


def check_services(ctx: CheckContext, active: pl.DataFrame) -> None:
    """Services that never run (warning) and a feed in which no trip ever runs (error)."""
    defined: list[pl.DataFrame] = []
    for file in ("calendar.txt", "calendar_dates.txt"):
        if ctx.has(file, "service_id"):
            table = ctx.table(file)
            assert table is not None
            defined.append(
                table.select(pl.col("service_id"), pl.col(ROW), pl.lit(file).alias("file"))
                .filter(pl.col("service_id").is_not_null())
                .unique("service_id", keep="first", maintain_order=True)
            )
    if not defined:
        return
    services = pl.concat(defined).unique("service_id", keep="first", maintain_order=True)
    # A service with a malformed date or flag is reported as such; whether it runs is unknown.
    unknown = _services_with_bad_values(ctx)
    known_active = pl.concat([active.select("service_id"), unknown]).unique()
    never = services.join(known_active, on="service_id", how="anti")
    for file in ("calendar.txt", "calendar_dates.txt"):
        ctx.sink.add_rows(
            "service_never_active",
            _WARNING,
            file,
            "service_id",
            never.filter(pl.col("file") == file),
            fmt("service `{}` has no day on which it runs", "service_id"),
        )
    trips = ctx.table("trips.txt")
    if trips is None or not ctx.has("trips.txt", "service_id"):
        return
    running = trips.join(known_active, on="service_id", how="semi")
    if running.height == 0 and trips.height > 0:
        ctx.sink.add(
            "no_service_active",
            _ERROR,
            "calendar.txt" if ctx.has("calendar.txt") else "calendar_dates.txt",
            None,
            "service_id",
            "no trip runs on any day: every service_id of trips.txt is never active",
        )


def _services_with_bad_values(ctx: CheckContext) -> pl.DataFrame:
    parts = [pl.DataFrame(schema={"service_id": pl.String})]
    for file, columns in (
        ("calendar.txt", ("start_date", "end_date", *_DAYS)),
        ("calendar_dates.txt", ("date", "exception_type")),
    ):
        table = ctx.table(file)
        if table is None or "service_id" not in table.columns:
            continue
        bad = pl.repeat(False, table.height, eager=True)
        for column in columns:
            if column in table.columns:
                bad = bad | ctx.parsed(file, column)[1]
        parts.append(table.filter(bad).select("service_id"))
    return pl.concat(parts)


def check_ranges(ctx: CheckContext) -> None:
    """Start after end (``start_and_end_range_out_of_order``) in calendar and feed_info."""
    for file, start, end in (
        ("calendar.txt", "start_date", "end_date"),
        ("feed_info.txt", "feed_start_date", "feed_end_date"),
    ):
        table = ctx.table(file)
        if table is None or not ctx.has(file, start, end):
            continue
        rows = table.filter((ctx.values(file, start) > ctx.values(file, end)).fill_null(False))
        ctx.sink.add_rows(
            "start_and_end_range_out_of_order",
            _ERROR,
            file,
            end,
            rows,
            fmt(f"{end} {{}} is before {start} {{}}", end, start),
        )


def check_frequencies(ctx: CheckContext) -> None:
    """Time ranges of frequencies.txt: in order, not empty, not overlapping for one trip."""
    file = "frequencies.txt"
    table = ctx.table(file)
    if table is None or not ctx.has(file, "trip_id", "start_time", "end_time"):
        return
    frame = table.select(
        pl.col(ROW),
        pl.col("trip_id"),
        pl.col("start_time"),
        pl.col("end_time"),
        ctx.values(file, "start_time").alias("start"),
        ctx.values(file, "end_time").alias("end"),
    ).filter(pl.col("start").is_not_null() & pl.col("end").is_not_null())
    ctx.sink.add_rows(
        "start_and_end_range_out_of_order",
        _ERROR,
        file,
        "end_time",
        frame.filter(pl.col("start") > pl.col("end")),
        fmt("end_time {} is before start_time {}", "end_time", "start_time"),
    )
    ctx.sink.add_rows(
        "start_and_end_range_equal",
        _ERROR,
        file,
        "end_time",
        frame.filter(pl.col("start") == pl.col("end")),
        fmt("end_time equals start_time {}: an empty period", "start_time"),
    )
    ordered = frame.filter(pl.col("start") < pl.col("end")).sort("trip_id", "start", ROW)
    same = pl.col("trip_id") == pl.col("trip_id").shift(1)
    overlaps = ordered.with_columns(
        pl.col("end_time").shift(1).alias("previous_end"),
        pl.col(ROW).shift(1).alias("previous_row"),
        pl.col("end").shift(1).alias("previous_end_s"),
    ).filter(same & (pl.col("start") < pl.col("previous_end_s")))
    ctx.sink.add_rows(
        "overlapping_frequency",
        _ERROR,
        file,
        "start_time",
        overlaps,
        fmt(
            "trip `{}` starts at {}, before the period on line {} ends at {}",
            "trip_id",
            "start_time",
            pl.col("previous_row") + 2,
            "previous_end",
        ),
    )


def check_blocks(ctx: CheckContext, ordered: pl.DataFrame, active: pl.DataFrame) -> None:
    """Trips of one block that run at the same time on a same day
    (``block_trips_with_overlapping_stop_times``, as gtfs-validator defines it).
    """
    trips = ctx.table("trips.txt")
    if trips is None or not ctx.has("trips.txt", "block_id", "service_id", "trip_id"):
        return
    edges = (
        ordered.filter(pl.col("first"))
        .select(
            "trip_row",
            pl.col("arrival").alias("first_arrival"),
            pl.col("departure").alias("first_departure"),
        )
        .join(
            ordered.filter(pl.col("last")).select(
                "trip_row",
                pl.col("arrival").alias("last_arrival"),
                pl.col("departure").alias("last_departure"),
            ),
            on="trip_row",
        )
    )
    frame = (
        trips.select(pl.col(ROW).alias("trip_row"), "trip_id", "block_id", "service_id")
        .filter(pl.col("block_id").is_not_null() & (pl.col("block_id").str.strip_chars() != ""))
        .join(edges, on="trip_row", how="inner")
        .drop_nulls(["first_arrival", "first_departure", "last_arrival", "last_departure"])
        .sort("block_id", "first_arrival", "last_departure", "trip_row")
    )
    if frame.height < 2:
        return
    block = frame.get_column("block_id").rank("dense").cast(pl.Int64).to_numpy()
    scale = int(max(frame.get_column("last_departure").max() or 0, 0)) + 1  # type: ignore[arg-type]
    first_arrival = frame.get_column("first_arrival").to_numpy().astype(np.int64)
    last_departure = frame.get_column("last_departure").to_numpy().astype(np.int64)
    keys = block * scale + first_arrival
    reach = np.searchsorted(keys, block * scale + last_departure, side="left")
    index = np.arange(len(keys))
    count = np.maximum(reach - index - 1, 0)
    if count.sum() == 0:
        return
    left = np.repeat(index, count)
    offsets = np.arange(len(left)) - np.repeat(np.cumsum(count) - count, count)
    right = left + 1 + offsets
    a = frame[left].select(
        pl.col("trip_row").alias("row_a"),
        pl.col("trip_id").alias("trip_a"),
        pl.col("service_id").alias("service_a"),
        "block_id",
        "last_arrival",
        "last_departure",
    )
    b = frame[right].select(
        pl.col("trip_row").alias(ROW),
        pl.col("trip_id").alias("trip_b"),
        pl.col("service_id").alias("service_b"),
        "first_arrival",
        "first_departure",
    )
    pairs = pl.concat([a, b], how="horizontal").filter(
        ~(
            (pl.col("last_arrival") == pl.col("first_arrival"))
            & (pl.col("last_departure") == pl.col("first_departure"))
        )
    )
    if pairs.height == 0:
        return
    shared = _shared_dates(pairs.select("service_a", "service_b").unique(), active)
    pairs = pairs.join(shared, on=["service_a", "service_b"], how="inner")
    ctx.sink.add_rows(
        "block_trips_with_overlapping_stop_times",
        _ERROR,
        "trips.txt",
        "block_id",
        pairs,
        fmt(
            "trip `{}` overlaps trip `{}` (line {}) of block `{}` on {}",
            "trip_b",
            "trip_a",
            pl.col("row_a") + 2,
            "block_id",
            pl.col("date").dt.strftime("%Y%m%d"),
        ),
    )


def _shared_dates(pairs: pl.DataFrame, active: pl.DataFrame) -> pl.DataFrame:
    """For each (service_a, service_b) that share a running day, the first such day."""
    empty = pl.DataFrame(schema={"service_a": pl.String, "service_b": pl.String, "date": pl.Date})
    if active.height == 0 or pairs.height == 0:
        return empty
    services = active.get_column("service_id").unique().sort()
    code = {service: i for i, service in enumerate(services.to_list())}
    first_day: dt.date = active.get_column("date").min()  # type: ignore[assignment]
    day = (active.get_column("date") - first_day).dt.total_days().to_numpy()
    rows = np.array([code[s] for s in active.get_column("service_id").to_list()], dtype=np.int64)
    matrix = np.zeros((len(code), int(day.max()) + 1), dtype=bool)
    matrix[rows, day] = True
    known = pairs.filter(
        pl.col("service_a").is_in(services.implode())
        & pl.col("service_b").is_in(services.implode())
    )
    if known.height == 0:
        return empty
    ia = np.array([code[s] for s in known.get_column("service_a").to_list()], dtype=np.int64)
    ib = np.array([code[s] for s in known.get_column("service_b").to_list()], dtype=np.int64)
    first = np.full(len(ia), -1, dtype=np.int64)
    for start in range(0, len(ia), 4096):
        both = matrix[ia[start : start + 4096]] & matrix[ib[start : start + 4096]]
        hit = both.any(axis=1)
        first[start : start + 4096] = np.where(hit, both.argmax(axis=1), -1)
    dates = [first_day + dt.timedelta(days=int(d)) if d >= 0 else None for d in first]
    return known.with_columns(pl.Series("date", dates, dtype=pl.Date)).filter(
        pl.col("date").is_not_null()
    )
