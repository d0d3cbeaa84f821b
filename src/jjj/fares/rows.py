"""Reading fare files row by row, with typed fields and findings that name file, line, field."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jjj.fares.problems import error, warning
from jjj.gtfs.notices import Notice
from jjj.gtfs.read import Feed, line_of_row
from jjj.money import parse_amount

__all__ = ["Row", "RowReader", "read_rows"]

_CURRENCY = re.compile(r"^[A-Z]{3}$")
_CLOCK = re.compile(r"^(\d{1,2}):([0-5]\d):([0-5]\d)$")


@dataclass(frozen=True, slots=True)
class Row:
    """One data row: its file, 1-based line and stripped values (``None`` when empty)."""

    file: str
    line: int
    values: dict[str, str | None]

    def get(self, name: str) -> str | None:
        """The stripped value of ``name``, ``None`` when empty or absent."""
        return self.values.get(name)


def read_rows(
    feed: Feed, file: str, columns: list[str] | None = None
) -> tuple[list[Row], set[str]]:
    """The non-blank rows of ``file`` and its header (empty when the file is absent).

    ``columns`` restricts the values kept (large files such as ``stops.txt``).
    """
    table = feed.table(file)
    if table is None or table.width == 0:
        return [], set()
    header = set(table.columns)
    if columns is not None:
        table = table.select([c for c in columns if c in header])
    names = list(table.columns)
    rows: list[Row] = []
    for row_idx, raw in enumerate(table.iter_rows()):
        values: dict[str, str | None] = {}
        present = False
        for name, value in zip(names, raw, strict=True):
            text = value.strip() if isinstance(value, str) else None
            if text:
                values[name] = text
                present = True
            else:
                values[name] = None
        if present:
            rows.append(Row(file, line_of_row(row_idx), values))
    return rows, header


@dataclass
class RowReader:
    """Typed access to row fields that records a finding for every bad value."""

    problems: list[Notice] = field(default_factory=list)

    def fail(self, row: Row, name: str | None, code: str, message: str) -> None:
        """Record an error on ``row`` (its row will be left out)."""
        self.problems.append(error(code, row.file, row.line, name, message))

    def warn(self, row: Row, name: str | None, code: str, message: str) -> None:
        """Record a warning on ``row``."""
        self.problems.append(warning(code, row.file, row.line, name, message))

    def required(self, row: Row, name: str) -> str | None:
        """The value of a required field, or ``None`` after recording an error."""
        value = row.get(name)
        if value is None:
            self.fail(row, name, "missing_required_field", f"{name} is required")
        return value

    def integer(
        self, row: Row, name: str, *, low: int | None = None, allowed: tuple[int, ...] = ()
    ) -> tuple[bool, int | None]:
        """``(ok, value)`` of an optional integer field; ``ok`` is False after an error."""
        text = row.get(name)
        if text is None:
            return True, None
        try:
            value = int(text)
        except ValueError:
            self.fail(row, name, "invalid_integer", f"{name} is not an integer: {text!r}")
            return False, None
        if allowed and value not in allowed:
            options = ", ".join(str(a) for a in allowed)
            self.fail(row, name, "unexpected_enum_value", f"{name} must be one of {options}")
            return False, None
        if low is not None and value < low:
            self.fail(row, name, "number_out_of_range", f"{name} must be at least {low}")
            return False, None
        return True, value

    def number(self, row: Row, name: str) -> tuple[bool, float | None]:
        """``(ok, value)`` of an optional non-negative decimal field."""
        text = row.get(name)
        if text is None:
            return True, None
        try:
            value = float(text)
        except ValueError:
            self.fail(row, name, "invalid_float", f"{name} is not a number: {text!r}")
            return False, None
        if not value >= 0 or value == float("inf"):
            self.fail(row, name, "number_out_of_range", f"{name} must be a non-negative number")
            return False, None
        return True, value

    def currency(self, row: Row, name: str) -> str | None:
        """A required ISO 4217 currency code."""
        text = self.required(row, name)
        if text is not None and not _CURRENCY.match(text):
            self.fail(row, name, "invalid_currency", f"{name} is not an ISO 4217 code: {text!r}")
            return None
        return text

    def amount(self, row: Row, name: str, currency: str) -> int | None:
        """A required currency amount in minor units of ``currency``."""
        text = self.required(row, name)
        if text is None:
            return None
        try:
            return parse_amount(text, currency)
        except ValueError as exc:
            self.fail(row, name, "invalid_currency_amount", f"{name} {exc}")
            return None

    def clock(self, row: Row, name: str, default: int) -> tuple[bool, int]:
        """``(ok, seconds)`` of an optional local time no later than 24:00:00."""
        text = row.get(name)
        if text is None:
            return True, default
        match = _CLOCK.match(text)
        if match is None:
            self.fail(row, name, "invalid_time", f"{name} is not HH:MM:SS: {text!r}")
            return False, default
        hours, minutes, seconds = (int(g) for g in match.groups())
        value = hours * 3600 + minutes * 60 + seconds
        if value > 24 * 3600:
            self.fail(row, name, "invalid_time", f"{name} is later than 24:00:00: {text!r}")
            return False, default
        return True, value

    def timezone(self, row: Row, name: str) -> str | None:
        """An optional IANA timezone name (a warning and ``None`` when unknown)."""
        text = row.get(name)
        if text is None:
            return None
        try:
            ZoneInfo(text)
        except (ZoneInfoNotFoundError, ValueError):
            self.warn(row, name, "invalid_timezone", f"unknown timezone {text!r}")
            return None
        return text
