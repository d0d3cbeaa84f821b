"""Vectorised parsing of GTFS text columns into typed values.

Each parser returns a polars expression or Series with ``null`` where the text was
empty, and a boolean Series marking rows whose text was present but malformed, so
callers can both compile the good rows and report the bad ones by line.
"""

from __future__ import annotations

import polars as pl

__all__ = ["parse_date", "parse_float", "parse_int", "parse_time"]

_DATE_PATTERN = r"^\s*(\d{4})(\d{2})(\d{2})\s*$"


def parse_time(column: pl.Series) -> tuple[pl.Series, pl.Series]:
    """Parse ``H:MM:SS`` / ``HH:MM:SS`` (hours may exceed 23) into int32 seconds.

    Returns ``(seconds, malformed)``: seconds is null where the text is empty or
    malformed; ``malformed`` is True where text was present but not a valid time.
    """
    text = column.cast(pl.String).str.strip_chars()
    parts = text.str.split_exact(":", 2)
    hours_text = parts.struct.field("field_0")
    minutes_text = parts.struct.field("field_1")
    seconds_text = parts.struct.field("field_2")
    hours = hours_text.cast(pl.Int32, strict=False)
    minutes = minutes_text.cast(pl.Int32, strict=False)
    seconds = seconds_text.cast(pl.Int32, strict=False)
    well_formed = (
        (hours_text.str.len_bytes() <= 3)
        & (minutes_text.str.len_bytes() == 2)
        & (seconds_text.str.len_bytes() == 2)
        & (hours >= 0)
        & hours_text.str.head(1).is_in(list("0123456789"))
        & (minutes >= 0)
        & (minutes < 60)
        & (seconds >= 0)
        & (seconds < 60)
        & (text.str.len_bytes() == hours_text.str.len_bytes() + 6)
    ).fill_null(False)
    total = hours * 3600 + minutes * 60 + seconds
    value = pl.select(pl.when(well_formed).then(total)).to_series().alias(column.name)
    present = text.is_not_null() & (text != "")
    malformed = (present & ~well_formed).fill_null(False)
    return value, malformed


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
