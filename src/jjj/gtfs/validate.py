"""Validate a GTFS feed: every problem as a :class:`Notice` with file, line and field.

Checks are named after MobilityData gtfs-validator notice codes where one exists
(see ``docs/validation.md`` for the list). ``ERROR`` means the feed cannot be used
as published; warnings and infos leave it usable. All checks are vectorised with
polars, so a feed with millions of stop times validates in seconds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from jjj.gtfs.checks_context import CheckContext, NoticeSink
from jjj.gtfs.checks_entities import (
    check_agencies,
    check_routes,
    check_stops,
    check_transfers_and_pathways,
)
from jjj.gtfs.checks_fares import check_fares
from jjj.gtfs.checks_fields import check_field_values, check_foreign_keys, check_primary_keys
from jjj.gtfs.checks_files import check_files, load_tables
from jjj.gtfs.checks_service import (
    check_blocks,
    check_frequencies,
    check_ranges,
    check_services,
    service_dates,
)
from jjj.gtfs.checks_shapes import check_shapes
from jjj.gtfs.checks_speed import check_travel_speed
from jjj.gtfs.checks_stop_times import check_stop_times, check_trip_usage, ordered_stop_times
from jjj.gtfs.notices import Notice, Severity
from jjj.gtfs.read import Feed

__all__ = [
    "DEFAULT_MAX_PER_CHECK",
    "STAGES",
    "ValidationReport",
    "validate_feed",
    "validate_report",
]

#: Notices listed per (code, file, field) before the rest are only counted.
DEFAULT_MAX_PER_CHECK = 1000


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of validating one feed.

    Attributes
    ----------
    notices:
        The notices listed, errors first (at most ``max_per_check`` per code, file
        and field, plus one summary notice for each that had more).
    counts:
        How many notices of each (code, severity) were found, listed or not.
    """

    notices: list[Notice]
    counts: dict[tuple[str, Severity], int] = field(default_factory=dict)

    def count(self, severity: Severity) -> int:
        """Every notice found with ``severity``."""
        return sum(n for (_, level), n in self.counts.items() if level is severity)

    @property
    def errors(self) -> int:
        """How many errors were found."""
        return self.count(Severity.ERROR)

    @property
    def warnings(self) -> int:
        """How many warnings were found."""
        return self.count(Severity.WARNING)

    @property
    def usable(self) -> bool:
        """Whether the feed has no error."""
        return self.errors == 0

    def by_code(self) -> dict[str, int]:
        """Notice counts by code."""
        out: dict[str, int] = {}
        for (code, _), n in sorted(self.counts.items()):
            out[code] = out.get(code, 0) + n
        return out


#: The stages of validation, in order, as reported to ``progress``.
STAGES = (
    "reading files",
    "checking values",
    "checking keys",
    "checking stops and routes",
    "checking services",
    "checking stop times",
    "checking speeds and blocks",
    "checking shapes and fares",
)


def validate_report(
    feed: Feed,
    *,
    max_per_check: int | None = DEFAULT_MAX_PER_CHECK,
    progress: Callable[[str], None] | None = None,
) -> ValidationReport:
    """Validate ``feed`` and return its notices with full counts.

    Parameters
    ----------
    feed:
        The feed, as opened by :func:`jjj.gtfs.read.read_feed`.
    max_per_check:
        List at most this many notices per (code, file, field); ``None`` lists all.
    progress:
        Called with each of :data:`STAGES` as it starts.

    Notes
    -----
    A file that cannot be read (not UTF-8, not CSV, corrupt in the zip) becomes an
    ERROR notice naming it; checks that need it are skipped, so one broken file
    gives one clear error rather than a cascade.
    """
    report = progress or (lambda _stage: None)
    ctx = CheckContext(feed=feed, sink=NoticeSink(max_per_check))
    report(STAGES[0])
    load_tables(ctx)
    check_files(ctx)
    report(STAGES[1])
    check_field_values(ctx)
    report(STAGES[2])
    check_primary_keys(ctx)
    check_foreign_keys(ctx)
    report(STAGES[3])
    check_agencies(ctx)
    check_routes(ctx)
    check_stops(ctx)
    check_transfers_and_pathways(ctx)
    report(STAGES[4])
    active = service_dates(ctx)
    check_services(ctx, active)
    check_ranges(ctx)
    check_frequencies(ctx)
    report(STAGES[5])
    ordered = None if "stop_times.txt" in ctx.failed else ordered_stop_times(ctx)
    if ordered is not None:
        check_stop_times(ctx, ordered)
        check_trip_usage(ctx, ordered)
    report(STAGES[6])
    if ordered is not None:
        check_travel_speed(ctx, ordered)
        check_blocks(ctx, ordered, active)
    report(STAGES[7])
    check_shapes(ctx)
    check_fares(ctx)
    return ValidationReport(ctx.sink.notices(), dict(ctx.sink.counts))


def validate_feed(feed: Feed, *, max_per_check: int | None = DEFAULT_MAX_PER_CHECK) -> list[Notice]:
    """All notices for ``feed``, errors first.

    See :func:`validate_report` for the parameters and for counts beyond the
    listed notices.
    """
    return validate_report(feed, max_per_check=max_per_check).notices
