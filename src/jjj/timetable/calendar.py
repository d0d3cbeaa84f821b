"""Service calendars: calendar.txt and calendar_dates.txt as per-day bitsets."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

from jjj.gtfs.parse import parse_date
from jjj.gtfs.read import Feed

__all__ = ["FeedServices", "ServiceCalendar", "merge_calendars", "read_services"]

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass
class FeedServices:
    """One feed's services as (id, weekday mask, date range) plus exceptions."""

    service_ids: list[str]
    weekday_mask: npt.NDArray[np.bool_]  # (n_services, 7)
    start: list[dt.date | None]
    end: list[dt.date | None]
    added: dict[int, list[dt.date]]
    removed: dict[int, list[dt.date]]

    def date_range(self) -> tuple[dt.date, dt.date] | None:
        """The first and last date any service could run."""
        dates = [d for d in self.start + self.end if d is not None]
        for values in self.added.values():
            dates.extend(values)
        return (min(dates), max(dates)) if dates else None


@dataclass
class ServiceCalendar:
    """All services of a network over ``n_days`` days from ``first_date``."""

    first_date: dt.date
    n_days: int
    service_ids: list[str]
    days: npt.NDArray[np.uint8]  # (n_services, ceil(n_days/8)) little bit order


def read_services(feed: Feed) -> FeedServices:
    """Read calendar.txt and calendar_dates.txt of ``feed`` (ids not yet namespaced).

    Rows with malformed dates are skipped here; the validator reports them.
    """
    ids: list[str] = []
    index: dict[str, int] = {}
    masks: list[list[bool]] = []
    starts: list[dt.date | None] = []
    ends: list[dt.date | None] = []
    calendar = feed.table("calendar.txt")
    if calendar is not None and calendar.height and "service_id" in calendar.columns:
        start_dates, _ = parse_date(_column(calendar, "start_date"))
        end_dates, _ = parse_date(_column(calendar, "end_date"))
        flags = [
            _column(calendar, day).str.strip_chars().eq("1").fill_null(False).to_list()
            for day in _WEEKDAYS
        ]
        for row_idx, service_id in enumerate(calendar["service_id"].to_list()):
            if service_id is None or service_id in index:
                continue
            index[service_id] = len(ids)
            ids.append(service_id)
            masks.append([bool(flags[d][row_idx]) for d in range(7)])
            starts.append(start_dates[row_idx])
            ends.append(end_dates[row_idx])
    added: dict[int, list[dt.date]] = {}
    removed: dict[int, list[dt.date]] = {}
    exceptions = feed.table("calendar_dates.txt")
    if exceptions is not None and exceptions.height and "service_id" in exceptions.columns:
        dates, _ = parse_date(_column(exceptions, "date"))
        kinds = _column(exceptions, "exception_type").str.strip_chars().to_list()
        for service_id, date, kind in zip(
            exceptions["service_id"].to_list(), dates.to_list(), kinds, strict=True
        ):
            if service_id is None or date is None or kind not in ("1", "2"):
                continue
            if service_id not in index:
                index[service_id] = len(ids)
                ids.append(service_id)
                masks.append([False] * 7)
                starts.append(None)
                ends.append(None)
            target = added if kind == "1" else removed
            target.setdefault(index[service_id], []).append(date)
    weekday_mask = np.array(masks, dtype=np.bool_).reshape(len(ids), 7)
    return FeedServices(ids, weekday_mask, starts, ends, added, removed)


def merge_calendars(
    feeds: list[tuple[str, FeedServices]],
) -> ServiceCalendar:
    """One calendar over the union of the feeds' date ranges; ids become ``NAME:id``."""
    ranges = [r for _, services in feeds if (r := services.date_range()) is not None]
    if ranges:
        first = min(r[0] for r in ranges)
        last = max(r[1] for r in ranges)
    else:
        first = last = dt.date(2000, 1, 1)
    n_days = (last - first).days + 1
    weekdays = (np.arange(n_days) + first.weekday()) % 7
    service_ids: list[str] = []
    rows: list[npt.NDArray[np.bool_]] = []
    for name, services in feeds:
        for local_idx, service_id in enumerate(services.service_ids):
            active = np.zeros(n_days, dtype=np.bool_)
            start, end = services.start[local_idx], services.end[local_idx]
            if start is not None and end is not None:
                lo = max((start - first).days, 0)
                hi = min((end - first).days, n_days - 1)
                if lo <= hi:
                    span = slice(lo, hi + 1)
                    active[span] = services.weekday_mask[local_idx][weekdays[span]]
            for date in services.added.get(local_idx, []):
                active[(date - first).days] = True
            for date in services.removed.get(local_idx, []):
                day = (date - first).days
                if 0 <= day < n_days:
                    active[day] = False
            service_ids.append(f"{name}:{service_id}")
            rows.append(active)
    matrix = np.array(rows, dtype=np.bool_).reshape(len(rows), n_days)
    days = np.packbits(matrix, axis=1, bitorder="little")
    if days.shape[1] == 0:
        days = np.zeros((len(rows), 1), dtype=np.uint8)
    return ServiceCalendar(first, n_days, service_ids, days)


def _column(table: pl.DataFrame, name: str) -> pl.Series:
    if name in table.columns:
        return table[name]
    return pl.Series(name, [None] * table.height, dtype=pl.String)
