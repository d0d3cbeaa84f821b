"""Vectorised parsing of GTFS text columns into typed values.

Each parser returns a polars expression or Series with ``null`` where the text was
empty, and a boolean Series marking rows whose text was present but malformed, so
callers can both compile the good rows and report the bad ones by line.
"""

from __future__ import annotations

import polars as pl

from jjj.gtfs.time_kernel import parse_time_column

__all__ = ["parse_date", "parse_float", "parse_int", "parse_time"]

_DATE_PATTERN = r"^\s*(\d{4})(\d{2})(\d{2})\s*$"


def parse_time(column: pl.Series) -> tuple[pl.Series, pl.Series]:
    """Parse ``H:MM:SS`` / ``HH:MM:SS`` (hours may exceed 23) into int32 seconds.

    Returns ``(seconds, malformed)``: seconds is null where the text is empty or
    malformed; ``malformed`` is True where text was present but not a valid time.
    """
    return parse_time_column(column)


def parse_date(column: pl.Series) -> tuple[pl.Series, pl.Series]:
    """Parse ``YYYYMMDD`` into ``pl.Date``; returns ``(dates, malformed)``."""
    text = column.cast(pl.String).str.strip_chars()
    parsed = text.str.strptime(pl.Date, "%Y%m%d", strict=False)
    valid_shape = text.str.contains(_DATE_PATTERN).fill_null(False)
    parsed = pl.select(pl.when(valid_shape).then(parsed)).to_series().alias(column.name)
    present = text.is_not_null() & (text != "")
    malformed = (present & parsed.is_null()).fill_null(False)
    return parsed, malformed


def parse_int(column: pl.Series) -> tuple[pl.Series, pl.Series]:
    """Parse integers; returns ``(Int64 values, malformed)``."""
    text = column.cast(pl.String).str.strip_chars()
    value = text.cast(pl.Int64, strict=False)
    present = text.is_not_null() & (text != "")
    malformed = (present & value.is_null()).fill_null(False)
    return value.alias(column.name), malformed


def parse_float(column: pl.Series) -> tuple[pl.Series, pl.Series]:
    """Parse decimal numbers; returns ``(Float64 values, malformed)``; NaN/inf are malformed."""
    text = column.cast(pl.String).str.strip_chars()
    value = text.cast(pl.Float64, strict=False)
    value = value.set(~value.is_finite().fill_null(True), None)
    present = text.is_not_null() & (text != "")
    malformed = (present & value.is_null()).fill_null(False)
    return value.alias(column.name), malformed
