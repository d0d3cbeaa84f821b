"""Checks along each trip: times present where required, in order, distances increasing.

All checks work on one frame of stop times sorted by (trip, stop_sequence), built
once by :func:`ordered_stop_times`; "previous" and "next" are row shifts masked at
trip boundaries, so 2.4 million stop times take well under a second.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from jjj.gtfs import typed
from jjj.gtfs.checks_context import ROW, CheckContext, fmt
from jjj.gtfs.checks_entities import stop_types
from jjj.gtfs.notices import Severity

__all__ = ["check_stop_times", "check_trip_usage", "ordered_stop_times"]

_ERROR = Severity.ERROR
_WARNING = Severity.WARNING
_FILE = "stop_times.txt"
_NO_PREVIOUS = -1


def _same_trip_as_previous() -> pl.Expr:
    return pl.col("trip_row") == pl.col("trip_row").shift(1)


def ordered_stop_times(ctx: CheckContext) -> pl.DataFrame | None:
    """Stop times of known trips with a valid stop_sequence, sorted along each trip.

    Columns: ``__row``, ``trip_row`` (the trip's row in trips.txt), ``stop_sequence``,
    ``stop_row`` (the row of its stop in stops.txt, null if unknown),
    ``arrival``/``departure`` (int seconds, null when empty or malformed),
    ``has_arrival``/``has_departure`` (text present), ``distance``
    (shape_dist_traveled or null), ``timepoint`` (or null), ``first``/``last``
    (the trip's first or last stop time).

    Built from :mod:`jjj.gtfs.typed`, so the order and the parsed columns are
    shared with the timetable compiler. Id strings are left out (they would double
    the memory); messages that need them look them up for the few rows reported.
    """
    stop_times = ctx.table(_FILE)
    trips = ctx.table("trips.txt")
    if stop_times is None or trips is None:
        return None
    if not ctx.has(_FILE, "trip_id", "stop_sequence") or not ctx.has("trips.txt", "trip_id"):
        return None
    feed = ctx.feed
    order = pl.Series(ROW, typed.stop_time_order(feed), dtype=pl.UInt32)
    n = len(order)

    def gather(series: pl.Series, name: str) -> pl.Series:
        return typed.in_stop_time_order(feed, series).alias(name)

    def optional(column: str, name: str, dtype: pl.DataType) -> pl.Series:
        if column in stop_times.columns:
            return gather(typed.values(feed, _FILE, column), name)
        return pl.repeat(None, n, eager=True, dtype=dtype).alias(name)

    def present(column: str, name: str) -> pl.Series:
        if column in stop_times.columns:
            values, malformed = typed.parsed(feed, _FILE, column)
            return gather(values.is_not_null() | malformed, name)
        return pl.repeat(False, n, eager=True, dtype=pl.Boolean).alias(name)

    trip_row = typed.row_links(feed, _FILE, "trip_id", "trips.txt", "trip_id")
    if "stop_id" in stop_times.columns and ctx.has("stops.txt", "stop_id"):
        stop_links = typed.row_links(feed, _FILE, "stop_id", "stops.txt", "stop_id")
        stop_row = gather(stop_links, "stop_row")
    else:
        stop_row = pl.repeat(None, n, eager=True, dtype=pl.Int32).alias("stop_row")
    frame = pl.DataFrame(
        [
            order,
            gather(trip_row, "trip_row").cast(pl.UInt32),
            gather(typed.values(feed, _FILE, "stop_sequence"), "stop_sequence"),
            stop_row,
            optional("arrival_time", "arrival", pl.Int32()),
            optional("departure_time", "departure", pl.Int32()),
            present("arrival_time", "has_arrival"),
            present("departure_time", "has_departure"),
            optional("shape_dist_traveled", "distance", pl.Float64()),
            optional("timepoint", "timepoint", pl.Int32()),
        ]
    )
    return frame.with_columns(
        (~_same_trip_as_previous()).fill_null(True).alias("first"),
        (pl.col("trip_row") != pl.col("trip_row").shift(-1)).fill_null(True).alias("last"),
    )


def check_stop_times(ctx: CheckContext, ordered: pl.DataFrame) -> None:
    """Times where required and never going back; increasing shape distances."""
    sink = ctx.sink
    if _report_absent_columns(ctx):
        # Without a time column every row would repeat that; the header notice says it once.
        ordered = ordered.with_columns(
            pl.lit(True).alias("has_arrival"), pl.lit(True).alias("has_departure")
        )
    only = ordered.filter(pl.col("has_arrival") != pl.col("has_departure"))
    for missing, given in (("arrival_time", "departure_time"), ("departure_time", "arrival_time")):
        has_missing = "has_arrival" if missing == "arrival_time" else "has_departure"
        sink.add_rows(
            "stop_time_with_only_arrival_or_departure_time",
            _ERROR,
            _FILE,
            missing,
            only.filter(~pl.col(has_missing)),
            f"{given} is given but {missing} is empty; give both or neither",
        )
    edges = ordered.filter(pl.col("first") | pl.col("last"))
    for column, flag in (("arrival_time", "has_arrival"), ("departure_time", "has_departure")):
        rows = edges.filter(~pl.col(flag))
        which = pl.when(pl.col("first")).then(pl.lit("first")).otherwise(pl.lit("last"))
        sink.add_rows(
            "missing_trip_edge",
            _ERROR,
            _FILE,
            column,
            rows,
            fmt(f"the {{}} stop of a trip must have a {column}", which),
        )
    timed = ordered.filter(
        (pl.col("timepoint") == 1) & ~pl.col("has_arrival") & ~pl.col("has_departure")
    )
    sink.add_rows(
        "stop_time_timepoint_without_times",
        _ERROR,
        _FILE,
        "arrival_time",
        timed,
        "timepoint is 1 but arrival_time and departure_time are empty",
    )
    backwards = ordered.filter(pl.col("departure") < pl.col("arrival"))
    sink.add_rows(
        "stop_time_with_departure_before_arrival_time",
        _ERROR,
        _FILE,
        "departure_time",
        backwards,
        fmt("departure {} is before arrival {}", *_hms("departure", "arrival")),
    )
    _check_duplicates(ctx, ordered)
    _check_order(ctx, ordered)
    _check_stop_types(ctx, ordered)


def _report_absent_columns(ctx: CheckContext) -> bool:
    """Columns that are conditionally required but needed by (almost) every feed.

    arrival_time and departure_time: every trip's first and last stops need both.
    stop_id: needed unless the feed uses Flex locations (location_group_id, location_id).
    Returns whether a time column is absent.
    """
    table = ctx.table(_FILE)
    assert table is not None
    absent = [c for c in ("arrival_time", "departure_time") if c not in table.columns]
    flex = "location_group_id" in table.columns or "location_id" in table.columns
    if "stop_id" not in table.columns and not flex:
        absent.append("stop_id")
    for column in absent:
        ctx.sink.add(
            "missing_required_column",
            _ERROR,
            _FILE,
            1,
            column,
            f"the header has no {column} column, which {_FILE} requires",
        )
    if "stop_id" in table.columns:
        where = ctx.blank(_FILE, "stop_id")
        for column in ("location_group_id", "location_id"):
            if column in table.columns:
                where = where & ctx.blank(_FILE, column)
        ctx.sink.add_rows(
            "missing_required_field",
            _ERROR,
            _FILE,
            "stop_id",
            table.filter(where),
            "stop_id is required (there is no location_group_id or location_id)",
        )
    return any(c in absent for c in ("arrival_time", "departure_time"))


def _check_duplicates(ctx: CheckContext, ordered: pl.DataFrame) -> None:
    """The primary key (trip_id, stop_sequence): duplicates are adjacent once sorted."""
    same = _same_trip_as_previous() & (pl.col("stop_sequence") == pl.col("stop_sequence").shift(1))
    flagged = ordered.with_columns(same.fill_null(False).alias("dup"))
    if not flagged.get_column("dup").any():
        return
    group_start = (~pl.col("dup")).cum_sum()
    rows = flagged.with_columns(
        pl.col(ROW).first().over(group_start.alias("group")).alias("__first")
    ).filter(pl.col("dup"))
    trips = ctx.table("trips.txt")
    assert trips is not None  # ordered stop times exist only with trips.txt
    trip_ids = trips.select(pl.col(ROW).alias("trip_row"), pl.col("trip_id"))
    rows = rows.join(trip_ids, on="trip_row", how="left", maintain_order="left")
    ctx.sink.add_rows(
        "duplicate_key",
        _ERROR,
        _FILE,
        "trip_id, stop_sequence",
        rows,
        fmt(
            "(trip_id, stop_sequence) = ({}, {}) already on line {}",
            "trip_id",
            "stop_sequence",
            pl.col("__first") + 2,
        ),
    )


def _hms(*columns: str) -> list[pl.Expr]:
    out = []
    for column in columns:
        seconds = pl.col(column)
        out.append(
            fmt(
                "{}:{}:{}",
                (seconds // 3600).cast(pl.String).str.zfill(2),
                (seconds % 3600 // 60).cast(pl.String).str.zfill(2),
                (seconds % 60).cast(pl.String).str.zfill(2),
            )
        )
    return out


def _check_order(ctx: CheckContext, ordered: pl.DataFrame) -> None:
    same = _same_trip_as_previous().fill_null(False)
    # The last departure before each stop time of the same trip (the trip's first
    # row gets a sentinel so forward-filling never crosses into another trip).
    previous = (
        pl.when(pl.col("first"))
        .then(pl.lit(_NO_PREVIOUS, pl.Int32))
        .otherwise(pl.col("departure").shift(1))
        .forward_fill()
    )
    row = pl.col(ROW).cast(pl.Int64)
    previous_row = (
        pl.when(pl.col("first"))
        .then(pl.lit(_NO_PREVIOUS, pl.Int64))
        .otherwise(pl.when(pl.col("departure").shift(1).is_not_null()).then(row.shift(1)))
        .forward_fill()
    )
    frame = ordered.with_columns(
        previous.alias("previous_departure"), previous_row.alias("previous_row")
    )
    early = frame.filter(
        (pl.col("previous_departure") != _NO_PREVIOUS)
        & (pl.col("arrival") < pl.col("previous_departure"))
    )
    ctx.sink.add_rows(
        "stop_time_with_arrival_before_previous_departure_time",
        _ERROR,
        _FILE,
        "arrival_time",
        early,
        fmt(
            "arrival {} is before the departure {} on line {}",
            *_hms("arrival", "previous_departure"),
            pl.col("previous_row") + 2,
        ),
    )
    if ordered.get_column("distance").null_count() == ordered.height:
        return
    distances = ordered.with_columns(
        pl.when(same).then(pl.col("distance").shift(1)).alias("previous_distance"),
        pl.when(same).then(pl.col(ROW).shift(1)).alias("previous_row"),
    )
    message = fmt(
        "shape_dist_traveled {} after {} on line {}",
        "distance",
        "previous_distance",
        pl.col("previous_row") + 2,
    )
    # A decrease sends interpolated times backwards: an error. An equal distance
    # only gives two stops the same interpolated time (gtfs-validator: one error code).
    ctx.sink.add_rows(
        "decreasing_or_equal_stop_time_distance",
        _ERROR,
        _FILE,
        "shape_dist_traveled",
        distances.filter(pl.col("distance") < pl.col("previous_distance")),
        message,
    )
    ctx.sink.add_rows(
        "equal_stop_time_distance",
        _WARNING,
        _FILE,
        "shape_dist_traveled",
        distances.filter(pl.col("distance") == pl.col("previous_distance")),
        message,
    )


def _check_stop_types(ctx: CheckContext, ordered: pl.DataFrame) -> None:
    types = stop_types(ctx)
    if types is None:
        return
    odd = types.filter(pl.col("location_type") != 0).select(
        pl.col(ROW).cast(pl.Int32).alias("stop_row"), "stop_id", "location_type"
    )
    if odd.height == 0:
        return
    rows = ordered.join(odd, on="stop_row", how="inner")
    ctx.sink.add_rows(
        "location_with_unexpected_stop_time",
        _ERROR,
        _FILE,
        "stop_id",
        rows,
        fmt(
            "`{}` has location_type {}; trips may only stop at stops/platforms",
            "stop_id",
            "location_type",
        ),
    )


def check_trip_usage(ctx: CheckContext, ordered: pl.DataFrame | None) -> None:
    """Trips without stop times (``unused_trip``) or with only one (``unusable_trip``)."""
    trips = ctx.table("trips.txt")
    if trips is None or ordered is None or not ctx.has("trips.txt", "trip_id"):
        return
    rows = trips.get_column(ROW).to_numpy()
    counts = np.bincount(ordered.get_column("trip_row").to_numpy(), minlength=int(rows.max()) + 1)
    frame = trips.select(pl.col(ROW), pl.col("trip_id")).with_columns(
        pl.Series("stops", counts[rows])
    )
    frame = frame.filter(pl.col("trip_id").is_first_distinct())
    ctx.sink.add_rows(
        "unused_trip",
        _WARNING,
        "trips.txt",
        "trip_id",
        frame.filter(pl.col("stops") == 0),
        fmt("trip `{}` has no stop times", "trip_id"),
    )
    ctx.sink.add_rows(
        "unusable_trip",
        _WARNING,
        "trips.txt",
        "trip_id",
        frame.filter(pl.col("stops") == 1),
        fmt("trip `{}` has only one stop time; a trip needs two", "trip_id"),
    )
