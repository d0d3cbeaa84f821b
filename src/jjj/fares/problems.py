"""Findings about fare files, and the error raised when a feed's fare rules have errors.

Findings reuse :class:`jjj.gtfs.notices.Notice` (file, line, field, message). A row
with an error is left out of the rules and the rest stays usable, as the spec
allows; :class:`FareRulesError` carries both the findings and those usable rules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jjj.errors import FareError
from jjj.gtfs.notices import Notice, Severity, format_notice

if TYPE_CHECKING:
    from jjj.fares.model import FareRules

__all__ = ["FareRulesError", "error", "warning"]

#: How many findings an error message lists before summarising the rest.
_MESSAGE_PROBLEMS = 5


def error(code: str, file: str, line: int | None, field: str | None, message: str) -> Notice:
    """A finding that leaves its row out of the rules."""
    return Notice(code, Severity.ERROR, file, line, field, message)


def warning(code: str, file: str, line: int | None, field: str | None, message: str) -> Notice:
    """A finding the engine can live with (the row is kept or harmlessly ignored)."""
    return Notice(code, Severity.WARNING, file, line, field, message)


class FareRulesError(FareError):
    """A feed's fare files have errors.

    Attributes
    ----------
    problems:
        Every finding, errors and warnings, each with file, line and field.
    usable:
        The rules without the rows in error: still usable where the spec allows.
    """

    def __init__(self, feed_name: str, problems: list[Notice], usable: FareRules) -> None:
        errors = [p for p in problems if p.severity is Severity.ERROR]
        shown = "; ".join(format_notice(p, feed_name) for p in errors[:_MESSAGE_PROBLEMS])
        more = len(errors) - _MESSAGE_PROBLEMS
        suffix = f"; and {more} more" if more > 0 else ""
        super().__init__(f"{len(errors)} error(s) in fare files: {shown}{suffix}")
        self.problems = problems
        self.usable = usable
