"""File-level checks: which files are there, readable, non-empty, and their headers.

This step also loads the tables the other checks use into the context.
"""

from __future__ import annotations

import csv
import io

import polars as pl

from jjj.errors import FeedError
from jjj.gtfs.checks_context import ROW, CheckContext
from jjj.gtfs.notices import Notice, Severity
from jjj.gtfs.schema import FILES, Presence

__all__ = ["check_files", "load_tables"]

_ERROR = Severity.ERROR
_WARNING = Severity.WARNING
_INFO = Severity.INFO
_DUPLICATED = "_duplicated_"
#: Files a feed cannot be used without (stops.txt is optional only for Flex-only feeds).
REQUIRED_FILES = tuple(name for name, spec in FILES.items() if spec.presence is Presence.REQUIRED)


def load_tables(ctx: CheckContext) -> None:
    """Read every file of the feed into ``ctx.tables``; report unreadable, empty and odd files."""
    for file in ctx.feed.files:
        spec = FILES.get(file)
        if spec is None:
            ctx.sink.add("unknown_file", _INFO, file, None, None, "not a GTFS file; it is ignored")
            continue
        try:
            raw = ctx.feed.table(file)
        except FeedError as exc:
            _report_unreadable(ctx, file, exc)
            continue
        assert raw is not None  # the file is listed, so it is present
        if ctx.feed.has_long_rows(file):
            _report_long_rows(ctx, file)
        table = _drop_blank_rows(ctx, file, raw.with_row_index(ROW))
        table = _check_header(ctx, file, table)
        if table.height == 0:
            required = spec.presence is Presence.REQUIRED
            ctx.sink.add(
                "empty_file",
                _ERROR if required else _INFO,
                file,
                None,
                None,
                "the file has no data rows" + ("" if required else "; it is ignored"),
            )
            if required:
                ctx.failed.add(file)
            continue
        ctx.tables[file] = table


def check_files(ctx: CheckContext) -> None:
    """Required and conditionally required files."""
    feed = ctx.feed
    for file in REQUIRED_FILES:
        if not feed.has(file):
            ctx.sink.add("missing_required_file", _ERROR, file, None, None, f"{file} is required")
            ctx.failed.add(file)
    calendars = ("calendar.txt", "calendar_dates.txt")
    if not any(ctx.table(file) is not None for file in calendars) and not any(
        file in ctx.failed for file in calendars
    ):
        absent = not any(feed.has(file) for file in calendars)
        ctx.sink.add(
            "missing_calendar_and_calendar_date_files",
            _ERROR,
            "calendar.txt",
            None,
            None,
            (
                "neither calendar.txt nor calendar_dates.txt is present"
                if absent
                else "calendar.txt and calendar_dates.txt have no rows"
            )
            + ": no trip has a service day",
        )
        ctx.failed.update(calendars)
    if not feed.has("feed_info.txt"):
        if feed.has("translations.txt"):
            ctx.sink.add(
                "missing_required_file",
                _ERROR,
                "feed_info.txt",
                None,
                None,
                "feed_info.txt is required when translations.txt is present",
            )
        else:
            ctx.sink.add(
                "missing_recommended_file",
                _WARNING,
                "feed_info.txt",
                None,
                None,
                "feed_info.txt is recommended (publisher, language, validity dates)",
            )
    pathways = ctx.table("pathways.txt")
    if (
        pathways is not None
        and not feed.has("levels.txt")
        and "pathway_mode" in pathways.columns
        and (pathways.get_column("pathway_mode").str.strip_chars() == "5").any()
    ):
        ctx.sink.add(
            "missing_level_file",
            _WARNING,
            "levels.txt",
            None,
            None,
            "levels.txt is required when pathways.txt has elevators (pathway_mode=5)",
        )


def _report_unreadable(ctx: CheckContext, file: str, exc: FeedError) -> None:
    notices = [p for p in exc.problems if isinstance(p, Notice)]
    if notices:
        for notice in notices:
            ctx.sink.add(
                notice.code, notice.severity, notice.file, notice.line, notice.field, notice.message
            )
    else:
        ctx.sink.add("csv_parsing_failed", _ERROR, file, None, None, str(exc))
    ctx.failed.add(file)


def _report_long_rows(ctx: CheckContext, file: str) -> None:
    """Locate rows with more fields than the header (slow path, only for such files)."""
    text = ctx.feed.raw_bytes(file).decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text))
    header = next(reader, [])
    for row in reader:
        if len(row) > len(header):
            ctx.sink.add(
                "invalid_row_length",
                _ERROR,
                file,
                reader.line_num,
                None,
                f"{len(row)} fields but the header has {len(header)}; "
                "the extra fields are dropped (an unquoted comma?)",
            )


def _drop_blank_rows(ctx: CheckContext, file: str, table: pl.DataFrame) -> pl.DataFrame:
    columns = [c for c in table.columns if c != ROW]
    if not columns or table.height == 0:
        return table
    blank = pl.all_horizontal(pl.col(c).is_null() for c in columns)
    rows = table.filter(blank)
    if rows.height == 0:
        return table
    ctx.sink.add_rows("empty_row", _WARNING, file, None, rows, "blank line; it is ignored")
    return table.filter(~blank)


def _check_header(ctx: CheckContext, file: str, table: pl.DataFrame) -> pl.DataFrame:
    spec = FILES[file]
    drop: list[str] = []
    for column in table.columns:
        if column == ROW:
            continue
        if _DUPLICATED in column:
            base = column.split(_DUPLICATED)[0]
            if base in table.columns:
                ctx.sink.add(
                    "duplicated_column",
                    _ERROR,
                    file,
                    1,
                    base,
                    f"column {base} appears more than once; only the first is used",
                )
                drop.append(column)
                continue
        if column == "":
            ctx.sink.add(
                "empty_column_name",
                _WARNING,
                file,
                1,
                None,
                "a column has no name; its values are ignored",
            )
            drop.append(column)
        elif spec.field(column) is None:
            ctx.sink.add(
                "unknown_column",
                _INFO,
                file,
                1,
                column,
                f"{column} is not a GTFS column of {file}; it is ignored",
            )
    if table.height > 0:
        for field in spec.fields:
            if field.column_required and field.name not in table.columns:
                ctx.sink.add(
                    "missing_required_column",
                    _ERROR,
                    file,
                    1,
                    field.name,
                    f"the header has no {field.name} column, which {file} requires",
                )
    return table.drop(drop) if drop else table
