"""Schema-driven checks: required values, value types and ranges, primary and foreign keys."""

from __future__ import annotations

import zoneinfo
from functools import cache

import polars as pl

from jjj.gtfs import typed
from jjj.gtfs.checks_context import ROW, CheckContext, fmt
from jjj.gtfs.iso4217 import CURRENCY_DECIMALS
from jjj.gtfs.notices import Severity
from jjj.gtfs.schema import FILES, Field, FieldType, FileSpec, Sign

__all__ = ["check_field_values", "check_foreign_keys", "check_primary_keys"]

_ERROR = Severity.ERROR
_WARNING = Severity.WARNING

#: Text types checked by pattern: (notice code, regex, what a valid value looks like, severity).
#: jjj reports these as warnings (gtfs-validator: errors): they do not stop routing or fares.
_PATTERNS: dict[FieldType, tuple[str, str, str, Severity]] = {
    FieldType.COLOR: (
        "invalid_color",
        r"^[0-9A-Fa-f]{6}$",
        "six hex digits, e.g. FFD700",
        _WARNING,
    ),
    FieldType.URL: (
        "invalid_url",
        r"(?i)^https?://[^\s/?#]+(?:[/?#]\S*)?$",
        "a full http:// or https:// URL",
        _WARNING,
    ),
    FieldType.EMAIL: (
        "invalid_email",
        r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
        "an e-mail address",
        _WARNING,
    ),
    FieldType.LANGUAGE: (
        "invalid_language_code",
        r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$",
        "a BCP 47 language code, e.g. zh-Hans",
        _WARNING,
    ),
}
_KIND_NAME = {
    FieldType.TIME: ("invalid_time", "a time H:MM:SS"),
    FieldType.LOCAL_TIME: ("invalid_time", "a time H:MM:SS"),
    FieldType.DATE: ("invalid_date", "a date YYYYMMDD"),
    FieldType.INTEGER: ("invalid_integer", "an integer"),
    FieldType.ENUM: ("invalid_integer", "an integer"),
    FieldType.FLOAT: ("invalid_float", "a number"),
    FieldType.CURRENCY_AMOUNT: ("invalid_float", "a number"),
    FieldType.LATITUDE: ("invalid_float", "a latitude in degrees"),
    FieldType.LONGITUDE: ("invalid_float", "a longitude in degrees"),
}
_RANGES: dict[FieldType, tuple[float, float]] = {
    FieldType.LATITUDE: (-90.0, 90.0),
    FieldType.LONGITUDE: (-180.0, 180.0),
}


@cache
def _timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def check_field_values(ctx: CheckContext) -> None:
    """Every value against its schema type: empty required values, malformed and out-of-range."""
    for file, table in ctx.tables.items():
        spec = FILES[file]
        for field in spec.fields:
            if field.name in table.columns:
                _check_required(ctx, file, table, field)
                _check_type(ctx, file, table, field)


def _check_required(ctx: CheckContext, file: str, table: pl.DataFrame, field: Field) -> None:
    if not field.column_required or field.empty_ok:
        return
    rows = table.filter(ctx.blank(file, field.name))
    ctx.sink.add_rows(
        "missing_required_field",
        _ERROR,
        file,
        field.name,
        rows,
        f"{field.name} is required and empty",
    )


def _check_type(ctx: CheckContext, file: str, table: pl.DataFrame, field: Field) -> None:
    name = field.name
    kind = field.type
    raw = pl.col(name).str.strip_chars()
    if kind in _KIND_NAME:
        values, malformed = ctx.parsed(file, name)
        code, expected = _KIND_NAME[kind]
        bad = table.filter(malformed)
        ctx.sink.add_rows(
            code, _ERROR, file, name, bad, fmt(f"`{{}}` is not {expected}", pl.col(name))
        )
        _check_numbers(ctx, file, table, field, values)
        return
    if kind in _PATTERNS:
        code, pattern, expected, severity = _PATTERNS[kind]
        bad = table.filter(raw.is_not_null() & (raw != "") & ~raw.str.contains(pattern))
        ctx.sink.add_rows(
            code, severity, file, name, bad, fmt(f"`{{}}` is not {expected}", pl.col(name))
        )
    elif kind is FieldType.TIMEZONE:
        zones = pl.Series(sorted(_timezones()))
        bad = table.filter(raw.is_not_null() & (raw != "") & ~raw.is_in(zones.implode()))
        ctx.sink.add_rows(
            "invalid_timezone",
            _ERROR,
            file,
            name,
            bad,
            fmt("`{}` is not an IANA timezone such as Asia/Shanghai", pl.col(name)),
        )
    elif kind is FieldType.CURRENCY:
        codes = pl.Series(sorted(CURRENCY_DECIMALS))
        bad = table.filter(raw.is_not_null() & (raw != "") & ~raw.is_in(codes.implode()))
        ctx.sink.add_rows(
            "invalid_currency",
            _ERROR,
            file,
            name,
            bad,
            fmt("`{}` is not an ISO 4217 currency code such as CNY", pl.col(name)),
        )


def _check_numbers(
    ctx: CheckContext, file: str, table: pl.DataFrame, field: Field, values: pl.Series
) -> None:
    name = field.name
    value = values.alias("__value")
    in_range: pl.Expr | None = None
    expected = ""
    v = pl.col("__value")
    if field.type in _RANGES:
        low, high = _RANGES[field.type]
        in_range = v.is_between(low, high)
        expected = f"between {low:g} and {high:g}"
    elif field.sign is Sign.NON_NEGATIVE:
        in_range, expected = v >= 0, "0 or more"
    elif field.sign is Sign.POSITIVE:
        in_range, expected = v > 0, "more than 0"
    elif field.sign is Sign.NON_ZERO:
        in_range, expected = v != 0, "not 0"
    if in_range is not None:
        bad = _as_written(
            ctx, file, name, table.with_columns(value).filter(v.is_not_null() & ~in_range)
        )
        ctx.sink.add_rows(
            "number_out_of_range",
            _ERROR,
            file,
            name,
            bad,
            fmt(f"{{}} must be {expected}", pl.col(name).str.strip_chars()),
        )
    if field.type is FieldType.ENUM and field.allowed is not None:
        allowed = pl.Series(sorted(field.allowed), dtype=pl.Int64)
        bad = table.with_columns(value).filter(v.is_not_null() & ~v.is_in(allowed.implode()))
        bad = _as_written(ctx, file, name, bad)
        ctx.sink.add_rows(
            "unexpected_enum_value",
            _WARNING,
            file,
            name,
            bad,
            fmt(f"{{}} is not a defined value of {name}", pl.col(name).str.strip_chars()),
        )


def _as_written(ctx: CheckContext, file: str, name: str, rows: pl.DataFrame) -> pl.DataFrame:
    """``rows`` with column ``name`` as text as written (a compact feed holds it typed)."""
    if rows.height == 0 or rows.schema[name] == pl.String:
        return rows
    text = ctx.feed.text(file, name).gather(rows.get_column(ROW))
    return rows.with_columns(text.alias(name))


def check_primary_keys(ctx: CheckContext) -> None:
    """Duplicate keys (``duplicate_key``) and single-row files with several rows."""
    for file, table in ctx.tables.items():
        spec = FILES[file]
        if spec.primary_key == ():
            if table.height > 1:
                ctx.sink.add_rows(
                    "more_than_one_entity",
                    _ERROR,
                    file,
                    None,
                    table.slice(1),
                    f"{file} must have exactly one row",
                )
            continue
        keys = _key_columns(spec, table)
        if keys and file != "stop_times.txt":  # Checked along trips, see checks_stop_times.
            _check_duplicates(ctx, file, table, keys)


def _key_columns(spec: FileSpec, table: pl.DataFrame) -> list[str]:
    if spec.primary_key == ("*",):
        return [f.name for f in spec.fields if f.name in table.columns]
    for key in spec.primary_key:
        field = spec.field(key)
        if key not in table.columns and field is not None and field.column_required:
            return []  # Reported as missing_required_column.
    return [key for key in spec.primary_key if key in table.columns]


def _check_duplicates(ctx: CheckContext, file: str, table: pl.DataFrame, keys: list[str]) -> None:
    spec = FILES[file]
    typed: list[pl.Expr] = []
    for key in keys:
        field = spec.field(key)
        if field is not None and field.type in (FieldType.INTEGER, FieldType.TIME):
            # 1 and 01 are the same stop_sequence; 8:00:00 and 08:00:00 the same start_time.
            values = ctx.values(file, key)
            typed.append(pl.lit(values).cast(pl.String).fill_null(pl.col(key)).alias(key))
        else:
            typed.append(pl.col(key).fill_null("").alias(key))
    frame = table.select(pl.col(ROW), *typed)
    if len(keys) == 1:
        frame = frame.filter(pl.col(keys[0]) != "")
    dup = frame.filter(~pl.struct(keys).is_first_distinct())
    if dup.height == 0:
        return
    first = frame.group_by(keys).agg(pl.col(ROW).min().alias("__first"))
    dup = dup.join(first, on=keys, how="left", nulls_equal=True)
    key_text = pl.concat_str([pl.col(k) for k in keys], separator=", ")
    label = ", ".join(keys)
    ctx.sink.add_rows(
        "duplicate_key",
        _ERROR,
        file,
        keys[0] if len(keys) == 1 else label,
        dup,
        fmt(f"({label}) = ({{}}) already on line {{}}", key_text, pl.col("__first") + 2),
    )


def check_foreign_keys(ctx: CheckContext) -> None:
    """Every foreign ID must exist in the file it points into (``foreign_key_violation``)."""
    for file, table in ctx.tables.items():
        for field in FILES[file].fields:
            if field.references and field.name in table.columns:
                _check_reference(ctx, file, table, field)


def _check_reference(ctx: CheckContext, file: str, table: pl.DataFrame, field: Field) -> None:
    targets = field.references
    for target_file, target_column in targets:
        if target_file in ctx.failed:
            return  # The broken or missing target is reported already.
        target = ctx.table(target_file)
        spec_field = FILES[target_file].field(target_column)
        if (
            target is not None
            and target_column not in target.columns
            and spec_field is not None
            and spec_field.column_required
        ):
            return  # Reported as missing_required_column.
    name = field.name
    if len(targets) == 1 and ctx.aligned(file) and ctx.has(*targets[0]):
        # One target: the row links are shared with the other checks and the compiler.
        links = typed.row_links(ctx.feed, file, name, *targets[0])
        bad = table.filter(pl.col(name).is_not_null() & links.is_null())
    else:
        known = ctx.id_set(targets)
        bad = table.filter(pl.col(name).is_not_null() & ~pl.col(name).is_in(known.implode()))
    bad = bad.filter(pl.col(name).str.strip_chars() != "")
    where = " or ".join(f"{f} {c}" for f, c in targets)
    ctx.sink.add_rows(
        "foreign_key_violation",
        _WARNING if field.weak_reference else _ERROR,
        file,
        name,
        bad,
        fmt(f"`{{}}` is not found in {where}", pl.col(name)),
    )
