"""What every validation check shares: the loaded tables, typed columns and the notices.

Tables carry a ``__row`` column, the 0-based data row as read (so the file line
is ``__row + 2`` whatever rows are later filtered out). Blank rows are removed
before the checks see them. Notices are collected row-wise from polars frames
so that a check over millions of rows stays vectorised; each (code, file, field)
keeps at most ``max_per_check`` notices and counts the rest.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import polars as pl

from jjj.gtfs import typed
from jjj.gtfs.notices import Notice, Severity
from jjj.gtfs.read import Feed
from jjj.gtfs.schema import FieldType, file_spec

__all__ = ["ROW", "CheckContext", "NoticeSink", "fmt", "is_blank", "line_expr"]

#: The column holding each row's 0-based index in the file as read.
ROW = "__row"

_SEVERITY_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def line_expr() -> pl.Expr:
    """The 1-based file line of each row (the header is line 1)."""
    return pl.col(ROW) + 2


def fmt(template: str, *args: pl.Expr | str) -> pl.Expr:
    """A message per row: each ``{}`` in ``template`` takes the next argument.

    A string argument names a column. Like :func:`polars.format`, built on
    ``concat_str`` (``polars.format`` can panic on filtered string columns).
    """
    pieces = template.split("{}")
    if len(pieces) - 1 != len(args):
        raise ValueError(f"{template!r} takes {len(pieces) - 1} arguments, not {len(args)}")
    parts: list[pl.Expr] = []
    for i, piece in enumerate(pieces):
        if piece:
            parts.append(pl.lit(piece))
        if i < len(args):
            arg = args[i]
            expr = pl.col(arg) if isinstance(arg, str) else arg
            parts.append(expr.cast(pl.String).fill_null(""))
    return pl.concat_str(parts) if parts else pl.lit("")


def is_blank(column: str) -> pl.Expr:
    """True where ``column`` is null or only whitespace."""
    return pl.col(column).is_null() | (pl.col(column).str.strip_chars() == "")


class NoticeSink:
    """Collects notices; keeps at most ``max_per_check`` per (code, file, field).

    Parameters
    ----------
    max_per_check:
        Cap on listed notices for one (code, file, field); ``None`` keeps all.
        The rest are counted in :attr:`counts` and summarised by one notice each.
    """

    def __init__(self, max_per_check: int | None = 1000) -> None:
        self.max_per_check = max_per_check
        self._notices: list[Notice] = []
        self._kept: dict[tuple[str, str, str | None], int] = {}
        self._dropped: dict[tuple[str, Severity, str, str | None], int] = {}
        #: Every notice found, listed or not, by (code, severity).
        self.counts: dict[tuple[str, Severity], int] = {}

    def _room(self, key: tuple[str, str, str | None], wanted: int) -> int:
        if self.max_per_check is None:
            return wanted
        return max(0, min(wanted, self.max_per_check - self._kept.get(key, 0)))

    def _count(self, code: str, severity: Severity, file: str, fld: str | None, n: int) -> int:
        self.counts[(code, severity)] = self.counts.get((code, severity), 0) + n
        key = (code, file, fld)
        room = self._room(key, n)
        self._kept[key] = self._kept.get(key, 0) + room
        if room < n:
            drop_key = (code, severity, file, fld)
            self._dropped[drop_key] = self._dropped.get(drop_key, 0) + n - room
        return room

    def add(
        self,
        code: str,
        severity: Severity,
        file: str,
        line: int | None,
        fld: str | None,
        message: str,
    ) -> None:
        """Record one notice."""
        if self._count(code, severity, file, fld, 1):
            self._notices.append(Notice(code, severity, file, line, fld, message))

    def add_rows(
        self,
        code: str,
        severity: Severity,
        file: str,
        fld: str | None,
        rows: pl.DataFrame,
        message: pl.Expr | str,
    ) -> None:
        """Record one notice per row of ``rows`` (which has a ``__row`` column).

        ``message`` is evaluated on ``rows`` (use :func:`fmt`), so the
        text is built vectorised and only for the notices kept.
        """
        n = rows.height
        if n == 0:
            return
        room = self._count(code, severity, file, fld, n)
        if room == 0:
            return
        kept = rows.sort(ROW).head(room)
        text = message if isinstance(message, pl.Expr) else pl.lit(message)
        out = kept.select(line_expr().alias("line"), text.alias("message"))
        for line, msg in out.iter_rows():
            self._notices.append(Notice(code, severity, file, int(line), fld, str(msg)))

    def notices(self) -> list[Notice]:
        """Everything recorded, errors first, then in the order found; overflow summarised."""
        summary = [
            Notice(
                code,
                severity,
                file,
                None,
                fld,
                f"... and {count} more {code} notices in {file}"
                + (f" {fld}" if fld else "")
                + " not listed",
            )
            for (code, severity, file, fld), count in self._dropped.items()
        ]
        ordered = sorted(self._notices + summary, key=lambda n: _SEVERITY_RANK[n.severity])
        return ordered


@dataclass
class CheckContext:
    """The feed being validated, its usable tables, and the notice sink.

    Attributes
    ----------
    feed:
        The feed.
    sink:
        Where checks put their findings.
    tables:
        Each readable, non-empty file as a string frame with ``__row``, blank rows removed.
    failed:
        Files whose absence or breakage is already reported as an error; checks
        that depend on them are skipped rather than cascading into more errors.
    """

    feed: Feed
    sink: NoticeSink
    tables: dict[str, pl.DataFrame] = field(default_factory=dict)
    failed: set[str] = field(default_factory=set)
    _typed: dict[tuple[str, str], tuple[pl.Series, pl.Series]] = field(
        default_factory=dict, repr=False
    )

    def table(self, file: str) -> pl.DataFrame | None:
        """The usable table of ``file``, or ``None``."""
        return self.tables.get(file)

    def has(self, file: str, *columns: str) -> bool:
        """Whether ``file`` is usable and has every one of ``columns``."""
        table = self.tables.get(file)
        return table is not None and all(column in table.columns for column in columns)

    def aligned(self, file: str) -> bool:
        """Whether the usable table of ``file`` has every row of the file (no blank row
        was dropped), so values of :mod:`jjj.gtfs.typed` line up with it.
        """
        table = self.tables.get(file)
        raw = self.feed.table(file) if table is not None else None
        return table is not None and raw is not None and raw.height == table.height

    def parsed(self, file: str, column: str) -> tuple[pl.Series, pl.Series]:
        """``(values, malformed)`` of a typed column, per the schema type; cached.

        See :func:`jjj.gtfs.typed.parse_column`. Shared with the feed (and so with
        the timetable compiler) unless blank rows were dropped from the table.
        """
        key = (file, column)
        if key not in self._typed:
            if self.aligned(file):
                self._typed[key] = typed.parsed(self.feed, file, column)
            else:
                spec = file_spec(file)
                spec_field = spec.field(column) if spec else None
                kind = spec_field.type if spec_field else FieldType.TEXT
                column_values = self.tables[file].get_column(column)
                self._typed[key] = typed.parse_column(column_values, kind)
        return self._typed[key]

    def values(self, file: str, column: str) -> pl.Series:
        """The typed values of a column (null where empty or malformed)."""
        return self.parsed(file, column)[0]

    def blank(self, file: str, column: str) -> pl.Series:
        """True where the column is empty or only whitespace (cheap for typed columns)."""
        spec = file_spec(file)
        spec_field = spec.field(column) if spec else None
        if spec_field is not None and spec_field.type in typed.TYPED_KINDS:
            values, malformed = self.parsed(file, column)
            return (values.is_null() & ~malformed).alias(column)
        repeated = typed.runs(self.feed, file, column) if self.aligned(file) else None
        if repeated is not None:  # the same value row after row: test each run once
            return _blank_text(repeated[1]).gather(repeated[0]).alias(column)
        return _blank_text(self.tables[file].get_column(column)).alias(column)

    def id_set(self, sources: Iterable[tuple[str, str]]) -> pl.Series:
        """The distinct non-empty values found in the given (file, column) pairs."""
        parts = [
            self.tables[file].get_column(column).drop_nulls()
            for file, column in sources
            if self.has(file, column)
        ]
        if not parts:
            return pl.Series("id", [], dtype=pl.String)
        return pl.concat([part.alias("id") for part in parts]).unique()


def _blank_text(values: pl.Series) -> pl.Series:
    """True where ``values`` is null or only whitespace."""
    blank = values.is_null() | (values.str.len_bytes() == 0)
    # Only values starting with whitespace can be whitespace only: strip just those.
    maybe = (values.str.starts_with(" ") | values.str.starts_with("\t")).fill_null(False)
    if maybe.any():
        spaces = values.str.strip_chars() == ""
        blank = blank | (maybe & spaces.fill_null(False))
    return blank
