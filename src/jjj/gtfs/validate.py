"""Validate a GTFS feed: every problem as a :class:`Notice` with file, line and field."""

from __future__ import annotations

from jjj.gtfs.notices import Notice, Severity
from jjj.gtfs.read import Feed

__all__ = ["validate_feed"]

_REQUIRED_FILES = ("agency.txt", "stops.txt", "routes.txt", "trips.txt", "stop_times.txt")


def validate_feed(feed: Feed) -> list[Notice]:
    """All notices for ``feed``, errors first."""
    notices: list[Notice] = []
    for file in _REQUIRED_FILES:
        if not feed.has(file):
            notices.append(
                Notice(
                    "missing_required_file", Severity.ERROR, file, None, None, f"{file} is required"
                )
            )
    if not feed.has("calendar.txt") and not feed.has("calendar_dates.txt"):
        notices.append(
            Notice(
                "missing_calendar_and_calendar_date_files",
                Severity.ERROR,
                "calendar.txt",
                None,
                None,
                "neither calendar.txt nor calendar_dates.txt is present",
            )
        )
    return notices
