"""transfers.txt: stop-to-stop transfer times and route/trip-specific transfer rules.

A row naming only stops (or stations, which stand for all their platforms) with
type 0 or 2 sets the walking time between them (type 2: ``min_transfer_time``;
type 0: the walking model's time) or, when both stops are the same, the minimum
time to change vehicles there. A type 3 row with only stops removes the link. Every
other row (naming routes or trips, or of type 1, 3, 4 or 5) is kept as a rule for
the router: -1 means "any" route or trip.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from jjj.gtfs.parse import parse_int
from jjj.gtfs.read import Feed

__all__ = ["TransferRules", "read_transfers"]


@dataclass
class TransferRules:
    """Global-index transfer information gathered from all feeds."""

    link_from: list[int] = field(default_factory=list)
    link_to: list[int] = field(default_factory=list)
    link_seconds: list[int] = field(default_factory=list)  # -1: walking model's time
    forbidden: set[tuple[int, int]] = field(default_factory=set)
    same_stop_seconds: dict[int, int] = field(default_factory=dict)
    rule_rows: list[tuple[int, int, int, int, int, int, int, int]] = field(default_factory=list)

    def rule_arrays(self) -> dict[str, npt.NDArray[np.int32] | npt.NDArray[np.int8]]:
        """The rules as the ``transfer_*`` arrays of a Network."""
        rows = np.array(self.rule_rows, dtype=np.int64).reshape(len(self.rule_rows), 8)
        names = (
            "transfer_from_stop_idx",
            "transfer_to_stop_idx",
            "transfer_from_route_idx",
            "transfer_to_route_idx",
            "transfer_from_trip_idx",
            "transfer_to_trip_idx",
        )
        arrays: dict[str, npt.NDArray[np.int32] | npt.NDArray[np.int8]] = {
            name: rows[:, i].astype(np.int32) for i, name in enumerate(names)
        }
        arrays["transfer_type"] = rows[:, 6].astype(np.int8)
        arrays["transfer_min_seconds"] = rows[:, 7].astype(np.int32)
        return arrays


def read_transfers(
    feed: Feed,
    *,
    stop_index: dict[str, int],
    route_index: dict[str, int],
    trip_index: dict[str, list[int]],
    children: dict[int, list[int]],
    rules: TransferRules,
) -> None:
    """Add ``feed``'s transfers.txt to ``rules`` (indices are global; ids un-namespaced).

    ``trip_index`` maps a trip_id to every trip it became (frequency expansion).
    Rows naming unknown stops, routes or trips are skipped (the validator reports them).
    """
    table = feed.table("transfers.txt")
    if table is None or table.height == 0:
        return

    def column(name: str) -> list[str | None]:
        if name not in table.columns:
            return [None] * table.height
        return [value.strip() if value else None for value in table[name].to_list()]

    types = (
        parse_int(table["transfer_type"])[0].fill_null(0).to_list()
        if ("transfer_type" in table.columns)
        else [0] * table.height
    )
    min_times = (
        parse_int(table["min_transfer_time"])[0].to_list()
        if "min_transfer_time" in table.columns
        else [None] * table.height
    )
    rows = zip(
        column("from_stop_id"),
        column("to_stop_id"),
        column("from_route_id"),
        column("to_route_id"),
        column("from_trip_id"),
        column("to_trip_id"),
        types,
        min_times,
        strict=True,
    )
    for from_stop, to_stop, from_route, to_route, from_trip, to_trip, kind, min_time in rows:
        from_stops = _expand(from_stop, stop_index, children)
        to_stops = _expand(to_stop, stop_index, children)
        if from_stops is None or to_stops is None:
            continue
        seconds = int(min_time) if min_time is not None else (0 if kind == 1 else -1)
        specific = any((from_route, to_route, from_trip, to_trip))
        if not specific and kind in (0, 2, 3):
            _add_stop_rule(rules, from_stops, to_stops, int(kind), seconds, from_stop == to_stop)
            continue
        from_routes = _lookup(from_route, route_index)
        to_routes = _lookup(to_route, route_index)
        from_trips = _lookup_many(from_trip, trip_index)
        to_trips = _lookup_many(to_trip, trip_index)
        if None in (from_routes, to_routes, from_trips, to_trips):
            continue
        for fs in from_stops or [-1]:
            for ts in to_stops or [-1]:
                for fr in from_routes or [-1]:
                    for tr in to_routes or [-1]:
                        for ft in from_trips or [-1]:
                            for tt in to_trips or [-1]:
                                rules.rule_rows.append(
                                    (fs, ts, fr, tr, ft, tt, int(kind), max(seconds, 0))
                                )


def _expand(
    stop_id: str | None, stop_index: dict[str, int], children: dict[int, list[int]]
) -> list[int] | None:
    """[] for "any stop", the stop or a station's platforms, or None when unknown."""
    if not stop_id:
        return []
    stop_idx = stop_index.get(stop_id)
    if stop_idx is None:
        return None
    return [*children.get(stop_idx, []), stop_idx]


def _lookup(value: str | None, index: dict[str, int]) -> list[int] | None:
    if not value:
        return []
    found = index.get(value)
    return None if found is None else [found]


def _lookup_many(value: str | None, index: dict[str, list[int]]) -> list[int] | None:
    if not value:
        return []
    return index.get(value)


def _add_stop_rule(
    rules: TransferRules,
    from_stops: list[int],
    to_stops: list[int],
    kind: int,
    seconds: int,
    same_place: bool,
) -> None:
    for a in from_stops:
        for b in to_stops:
            if kind == 3:
                rules.forbidden.add((a, b))
                continue
            if a == b:
                if kind == 2 and seconds >= 0:
                    rules.same_stop_seconds[a] = seconds
                continue
            rules.link_from.append(a)
            rules.link_to.append(b)
            rules.link_seconds.append(seconds if kind == 2 else -1)
    if same_place and kind == 2 and seconds >= 0:
        for a in from_stops:
            rules.same_stop_seconds[a] = seconds
