"""Query times: parse what a person types, and turn view seconds back into clock times.

A view's times are seconds since "noon minus 12 h" of its date in the network's
timezone (GTFS service-day time); on days when clocks change that is not midnight,
so conversions go through UTC.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from jjj.errors import RoutingError

__all__ = ["format_time", "parse_when", "service_day_start"]


def service_day_start(date: dt.date, timezone: str) -> dt.datetime:
    """The instant (UTC) that is second 0 of ``date``'s service day in ``timezone``."""
    noon = dt.datetime.combine(date, dt.time(12), tzinfo=ZoneInfo(timezone))
    return noon.astimezone(dt.UTC) - dt.timedelta(hours=12)


def parse_when(text: str, timezone: str, *, option: str = "--depart") -> tuple[dt.date, int]:
    """``YYYY-MM-DDTHH:MM[:SS][±HH:MM|Z]`` → (service date, seconds of its service day).

    A time without an offset is read in the network's ``timezone``; one with an offset
    is converted to it.

    Raises
    ------
    RoutingError
        If the text is not such a time.
    """
    value = text.strip()
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        when = None
    if when is None or ("T" not in value.upper() and " " not in value):
        raise RoutingError(
            f"{option} {text!r}: not a date and time; expected YYYY-MM-DDTHH:MM, "
            "e.g. 2026-09-15T08:00"
        )
    zone = ZoneInfo(timezone)
    local = when.replace(tzinfo=zone) if when.tzinfo is None else when.astimezone(zone)
    date = local.date()
    seconds = round((local.astimezone(dt.UTC) - service_day_start(date, timezone)).total_seconds())
    return date, int(seconds)


def format_time(date: dt.date, seconds: int, timezone: str) -> str:
    """ISO 8601 with the UTC offset, e.g. ``2026-09-15T08:03:00-04:00``."""
    instant = service_day_start(date, timezone) + dt.timedelta(seconds=int(seconds))
    return instant.astimezone(ZoneInfo(timezone)).isoformat()
