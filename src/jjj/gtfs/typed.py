"""Typed columns and row links of a feed, computed once and shared by validator and compiler.

Every value here is aligned with the rows of :meth:`jjj.gtfs.read.Feed.table` (row
``i`` is file line ``i + 2``) and cached on the feed with :meth:`Feed.derived`, so
the validator and the timetable compiler parse each time, number and id join of
millions of stop times only once.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import polars as pl

from jjj.gtfs.parse import parse_date, parse_float, parse_int, parse_time
from jjj.gtfs.read import Feed
from jjj.gtfs.schema import FieldType, file_spec

__all__ = [
    "TYPED_KINDS",
    "in_stop_time_order",
    "parse_column",
    "parsed",
    "row_links",
    "runs",
    "stop_time_order",
    "values",
]

_FLOATS = frozenset(
    (FieldType.FLOAT, FieldType.LATITUDE, FieldType.LONGITUDE, FieldType.CURRENCY_AMOUNT)
)
_INTEGERS = frozenset((FieldType.INTEGER, FieldType.ENUM))
_TIMES = frozenset((FieldType.TIME, FieldType.LOCAL_TIME))
#: Field types parsed into numbers or dates (the others stay text).
TYPED_KINDS = _FLOATS | _INTEGERS | _TIMES | {FieldType.DATE}
_I32_MIN, _I32_MAX = -(2**31), 2**31 - 1


def _kind(file: str, column: str) -> FieldType:
    spec = file_spec(file)
    spec_field = spec.field(column) if spec else None
    return spec_field.type if spec_field else FieldType.TEXT


def _no_flags(column: pl.Series) -> pl.Series:
    return pl.repeat(False, column.len(), eager=True, dtype=pl.Boolean).alias(column.name)


def _clean_cast(column: pl.Series, dtype: pl.DataType) -> pl.Series | None:
    """``column`` cast to ``dtype`` if every present value is a clean finite number.

    The common case (millions of well-formed values) then costs one cast; anything
    else (spaces, quoted empties, text) goes through :mod:`jjj.gtfs.parse`.
    """
    raw = column.cast(pl.String)
    value = raw.cast(dtype, strict=False)
    if value.null_count() != raw.null_count():
        return None
    if dtype.is_float() and not value.is_finite().fill_null(True).all():
        return None
    return value.alias(column.name)


def _narrow(values: pl.Series) -> pl.Series:
    """Int64 values as Int32 when all fit (half the memory; the values are unchanged)."""
    low, high = values.min(), values.max()
    if low is None or high is None:
        return values.cast(pl.Int32)
    if _I32_MIN <= low <= high <= _I32_MAX:  # type: ignore[operator]
        return values.cast(pl.Int32)
    return values


def parse_column(column: pl.Series, kind: FieldType) -> tuple[pl.Series, pl.Series]:
    """``(values, malformed)`` of a text column read as ``kind``.

    Times are Int32 seconds, integers Int32 (Int64 if some value needs it), decimals
    Float64, dates Date; text types are returned stripped. Values are null where
    the text is empty or malformed; ``malformed`` is True where text was present
    but not a valid ``kind``.
    """
    if kind in _TIMES:
        return parse_time(column)
    if kind is FieldType.DATE:
        return parse_date(column)
    if kind in _INTEGERS:
        if column.dtype.is_integer():  # read as integers (a compact feed): parsed already
            return _narrow(column) if column.dtype == pl.Int64 else column, _no_flags(column)
        fast = _clean_cast(column, pl.Int64())
        if fast is not None:
            return _narrow(fast), _no_flags(column)
        values, malformed = parse_int(column)
        return _narrow(values), malformed
    if kind in _FLOATS:
        fast = _clean_cast(column, pl.Float64())
        return (fast, _no_flags(column)) if fast is not None else parse_float(column)
    name = column.name
    text = (
        column.cast(pl.String)
        .to_frame()
        .select(pl.col(name).str.strip_chars().replace("", None))
        .to_series()
    )
    return text, _no_flags(column)


def parsed(feed: Feed, file: str, column: str) -> tuple[pl.Series, pl.Series]:
    """``(values, malformed)`` of ``file``'s ``column`` per its schema type; parsed once.

    The file must be present and readable and have the column.
    """

    def compute() -> tuple[pl.Series, pl.Series]:
        table = feed.table(file)
        assert table is not None
        return parse_column(table.get_column(column), _kind(file, column))

    return feed.derived(("parsed", file, column), compute)


def values(feed: Feed, file: str, column: str) -> pl.Series:
    """The typed values of a column (null where empty or malformed)."""
    return parsed(feed, file, column)[0]


def runs(feed: Feed, file: str, column: str) -> tuple[pl.Series, pl.Series] | None:
    """``(run_idx, run_values)`` where consecutive rows repeat a value, else ``None``.

    stop_times.txt lists each trip's rows together, so its trip_id holds a few
    thousand runs over millions of rows: work on the run values, then
    ``gather(run_idx)``, costs a fraction of work on every row. ``None`` when runs
    would not save work (under four rows per run).
    """

    def compute() -> tuple[pl.Series, pl.Series] | None:
        table = feed.table(file)
        assert table is not None
        source = table.get_column(column)
        n = len(source)
        if n < 2:
            return None
        change = source.slice(1).ne_missing(source.slice(0, n - 1))
        if (change.sum() + 1) * 4 > n:
            return None
        starts = np.concatenate(([0], np.flatnonzero(change.to_numpy()) + 1))
        lengths = np.diff(np.append(starts, n))
        run_idx = np.repeat(np.arange(len(starts), dtype=np.uint32), lengths)
        return pl.Series(run_idx), source.gather(starts)

    return feed.derived(("runs", file, column), compute)


def row_links(
    feed: Feed, file: str, column: str, target_file: str, target_column: str
) -> pl.Series:
    """For each row of ``file``, the row of ``target_file`` whose ``target_column`` equals
    its ``column`` (the first such row), as Int32; null where there is none.
    """

    def compute() -> pl.Series:
        source = feed.table(file)
        assert source is not None
        target = feed.table(target_file)
        if target is None or target_column not in target.columns:
            return pl.repeat(None, source.height, eager=True, dtype=pl.Int32).alias(column)
        index = (
            target.select(
                pl.col(target_column).alias("__key"),
                pl.int_range(pl.len(), dtype=pl.Int32).alias("__target"),
            )
            .filter(pl.col("__key").is_not_null())
            .unique("__key", keep="first")
        )
        repeated = runs(feed, file, column)
        keys = source.get_column(column) if repeated is None else repeated[1]
        links = (
            keys.alias("__key")
            .to_frame()
            .join(index, on="__key", how="left", maintain_order="left")
            .get_column("__target")
        )
        if repeated is not None:
            links = links.gather(repeated[0])
        return links.alias(column)

    return feed.derived(("links", file, column, target_file, target_column), compute)


def stop_time_order(feed: Feed) -> npt.NDArray[np.int64]:
    """Rows of stop_times.txt sorted by (trip's row in trips.txt, stop_sequence, row).

    Rows whose trip_id names no trip or whose stop_sequence is empty or malformed
    are left out. stop_times.txt and trips.txt must be readable with trip_id and
    stop_sequence columns.
    """

    def compute() -> npt.NDArray[np.int64]:
        trip = row_links(feed, "stop_times.txt", "trip_id", "trips.txt", "trip_id")
        sequence = values(feed, "stop_times.txt", "stop_sequence")
        if trip.null_count() == 0 and sequence.null_count() == 0:  # every row counts
            order = _trip_sequence_order(trip.to_numpy(), sequence.to_numpy())
            if order is None:  # the file's order already
                feed.derived(("stop_time_order_is_identity",), lambda: True)
                return np.arange(len(trip), dtype=np.int64)
            return order
        rows = np.flatnonzero((trip.is_not_null() & sequence.is_not_null()).to_numpy())
        known = pl.Series(rows)
        order = _trip_sequence_order(
            trip.gather(known).to_numpy(), sequence.gather(known).to_numpy()
        )
        return rows if order is None else rows[order]

    return feed.derived(("stop_time_order",), compute)


def in_stop_time_order(feed: Feed, column: pl.Series) -> pl.Series:
    """``column`` (one value per row of stop_times.txt) in :func:`stop_time_order`.

    Feeds often list stop times in that order already: then ``column`` itself is
    returned, without a copy.
    """
    order = stop_time_order(feed)

    def identity() -> bool:
        table = feed.table("stop_times.txt")
        assert table is not None
        n = table.height
        return len(order) == n and bool(np.array_equal(order, np.arange(n)))

    if feed.derived(("stop_time_order_is_identity",), identity):
        return column
    return column.gather(order)


def _trip_sequence_order(
    trip_row: npt.NDArray[np.int32], seq: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64] | None:
    """The permutation sorting rows by (trip_row, seq, position), stable; ``None``
    when the rows are in that order already.

    Files usually list each trip's stop times together and in sequence order; then
    only the trips' runs need sorting, not the rows.
    """
    n = len(trip_row)
    if n == 0:
        return None
    same = trip_row[1:] == trip_row[:-1]
    if bool(np.all(~same | (seq[1:] > seq[:-1]))):
        starts = np.flatnonzero(np.concatenate(([True], ~same)))
        run_trip = trip_row[starts]
        if bool(np.all(run_trip[1:] > run_trip[:-1])):  # in order already
            return None
        run_order = np.argsort(run_trip, kind="stable")
        if bool(np.all(np.diff(run_trip[run_order]) > 0)):  # each trip in one run
            lengths = np.diff(np.append(starts, n))[run_order]
            first = starts[run_order]
            before = np.cumsum(lengths) - lengths
            return np.repeat(first - before, lengths) + np.arange(n, dtype=np.int64)
    return np.lexsort((np.arange(n), seq, trip_row)).astype(np.int64)
