"""Validation findings: one :class:`Notice` per problem, with its file, line and field."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

__all__ = ["Notice", "Severity", "format_notice"]


class Severity(StrEnum):
    """How bad a finding is. ``ERROR`` makes a feed unusable."""

    ERROR = "ERROR"
    WARNING = "WARNING"
    INFO = "INFO"


@dataclass(frozen=True)
class Notice:
    """One finding about a feed.

    ``code`` follows MobilityData's gtfs-validator notice codes where one matches.
    ``line`` is the 1-based line in the file (the header is line 1), or ``None``
    when the finding concerns the whole file.
    """

    code: str
    severity: Severity
    file: str
    line: int | None
    field: str | None
    message: str

    def to_dict(self) -> dict[str, Any]:
        """The notice as plain JSON-ready values."""
        data = asdict(self)
        data["severity"] = self.severity.value
        return data


def format_notice(notice: Notice, feed_name: str | None = None) -> str:
    """One line: ``feed/file:line field: SEVERITY code: message``."""
    place = notice.file
    if feed_name:
        place = f"{feed_name}/{place}"
    if notice.line is not None:
        place += f":{notice.line}"
    if notice.field:
        place += f" {notice.field}"
    return f"{place}: {notice.severity.value} {notice.code}: {notice.message}"
