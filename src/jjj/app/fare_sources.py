"""Each feed's fare engine and ridden distances, loaded once per source file.

A compiled network remembers the feed files it was built from
(``network.meta["feeds"][i]["path"]``). The fare files are read from there on first
use and kept, keyed by the file's path and modification time, so a command pricing
many journeys reads them once. A feed whose file is gone, or which has no
GTFS-Fares v2 files, gets a reason instead of an engine.

Distances: Beijing charges by distance, so a leg's ``distance_m`` should be the
distance along the line. When the feed's ``stop_times.txt`` gives
``shape_dist_traveled`` for every stop of the trip, in metres, that is used;
otherwise the great-circle metres between consecutive stops of the ridden pattern
(``network.pattern_stop_distance_m``). Units are not stated by GTFS: a trip's
``shape_dist_traveled`` is taken as metres when its length is between
:data:`METRES_RATIO_MIN` and :data:`METRES_RATIO_MAX` times its great-circle length.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt
import polars as pl

from jjj.errors import JjjError
from jjj.fares import FareEngine, FareRules, load_fares
from jjj.gtfs.read import Feed, read_feed

__all__ = [
    "METRES_RATIO_MAX",
    "METRES_RATIO_MIN",
    "FeedFares",
    "TripDistances",
    "clear_fare_cache",
    "feed_fares",
]

#: A trip's shape_dist_traveled length over its great-circle length, when in metres.
METRES_RATIO_MIN = 0.95
METRES_RATIO_MAX = 3.0


@dataclass
class TripDistances:
    """``shape_dist_traveled`` of each trip, stop by stop in ``stop_sequence`` order."""

    trip_rows: dict[str, tuple[int, int]]
    stop_ids: pl.Series
    distance: npt.NDArray[np.float64]

    def of_trip(self, trip_id: str) -> tuple[list[str], npt.NDArray[np.float64]] | None:
        """The trip's stop ids and distances, or None when a stop lacks a distance."""
        span = self.trip_rows.get(trip_id)
        if span is None:
            return None
        lo, hi = span
        values = self.distance[lo:hi]
        if np.isnan(values).any():
            return None
        return self.stop_ids.slice(lo, hi - lo).to_list(), values


def _trip_distances(feed: Feed) -> TripDistances | None:
    if "shape_dist_traveled" not in feed.columns("stop_times.txt"):
        return None
    table = feed.table("stop_times.txt")
    if table is None or table.height == 0:
        return None
    ordered = table.select(
        pl.col("trip_id"),
        pl.col("stop_id"),
        pl.col("stop_sequence").str.strip_chars().cast(pl.Int64, strict=False),
        pl.col("shape_dist_traveled")
        .str.strip_chars()
        .cast(pl.Float64, strict=False)
        .fill_null(float("nan")),
    ).sort(["trip_id", "stop_sequence"])
    trip_ids = ordered["trip_id"]
    starts = np.flatnonzero((trip_ids != trip_ids.shift(1)).fill_null(True).to_numpy())
    ends = np.append(starts[1:], len(trip_ids))
    rows = dict(
        zip(
            trip_ids.gather(starts).to_list(),
            zip(starts.tolist(), ends.tolist(), strict=True),
            strict=True,
        )
    )
    return TripDistances(
        trip_rows=rows,
        stop_ids=ordered["stop_id"],
        distance=ordered["shape_dist_traveled"].to_numpy().astype(np.float64),
    )


@dataclass
class FeedFares:
    """One feed's fare engine (or why there is none) and its network names."""

    name: str
    path: Path
    engine: FareEngine | None = None
    rules: FareRules | None = None
    reason: str | None = None
    network_names: dict[str, str] = field(default_factory=dict)
    _feed: Feed | None = field(default=None, repr=False)
    _distances: TripDistances | None = field(default=None, repr=False)
    _distances_read: bool = field(default=False, repr=False)

    def trip_distances(self) -> TripDistances | None:
        """The feed's ``shape_dist_traveled`` per trip, read on first use (None if absent)."""
        if not self._distances_read and self._feed is not None:
            self._distances = _trip_distances(self._feed)
            self._distances_read = True
            self._feed.drop_cache()
        return self._distances


_CACHE: dict[tuple[str, str, int], FeedFares] = {}


def clear_fare_cache() -> None:
    """Forget every loaded fare engine (for tests and long-running servers)."""
    _CACHE.clear()


def _network_names(feed: Feed) -> dict[str, str]:
    table = feed.table("networks.txt") if feed.has("networks.txt") else None
    if table is None or "network_id" not in table.columns or "network_name" not in table.columns:
        return {}
    return {
        str(nid).strip(): str(name).strip()
        for nid, name in zip(table["network_id"], table["network_name"], strict=True)
        if nid and name and str(name).strip()
    }


def feed_fares(name: str, path: str | Path) -> FeedFares:
    """The fare engine of feed ``name`` read from ``path``, loaded once per file version.

    Never raises for a missing or fare-less feed: the result's ``reason`` says why
    there is no engine (``"fare rules not available: ..."``). Rows with errors in the
    fare files are skipped (the engine is built from the usable rows).
    """
    source = Path(path)
    if not source.exists():
        return FeedFares(
            name=name,
            path=source,
            reason=f"fare rules not available: the feed's file {source} no longer exists",
        )
    key = (name, str(source.resolve()), source.stat().st_mtime_ns)
    cached = _CACHE.get(key)
    if cached is not None:
        return cached
    fares = FeedFares(name=name, path=source)
    try:
        feed = read_feed(source, name)
        if not feed.has("fare_products.txt"):
            fares.reason = "fare rules not available: the feed has no GTFS-Fares v2 files"
        else:
            fares.rules = load_fares(feed, strict=False)
            fares.engine = FareEngine(fares.rules)
            fares.network_names = _network_names(feed)
            fares._feed = feed
            feed.drop_cache()
    except JjjError as exc:
        fares.reason = f"fare rules not available: {exc}"
    _CACHE[key] = fares
    return fares
