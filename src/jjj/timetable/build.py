"""Merge any number of GTFS feeds into one compiled :class:`Network`.

Every id becomes ``NAME:original_id`` so operators may reuse ids. Feeds are
validated first: a feed with errors raises :class:`jjj.errors.FeedError` carrying
its notices, and nothing is written.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import threading
from collections.abc import Callable, Sequence
from typing import Any, ParamSpec, TypeVar

import numpy as np
import numpy.typing as npt
import polars as pl

from jjj import __version__
from jjj.errors import FeedError
from jjj.gtfs.notices import Notice, Severity
from jjj.gtfs.read import Feed
from jjj.gtfs.schema import FILES
from jjj.gtfs.validate import STAGES, validate_feed, validate_report
from jjj.streets import StreetGraph
from jjj.streets.geo import haversine_m
from jjj.timetable.calendar import FeedServices, merge_calendars, read_services
from jjj.timetable.connections import Connection
from jjj.timetable.feed_arrays import FeedArrays, read_feed_arrays
from jjj.timetable.footpaths import (
    WalkingModel,
    footpaths_on_streets,
    footpaths_within_radius,
    to_csr,
)
from jjj.timetable.network import Network
from jjj.timetable.patterns import build_patterns
from jjj.timetable.strings import StringTable
from jjj.timetable.transfers import TransferRules, read_transfers
from jjj.timetable.warmup import start_warm_up

__all__ = ["build_network"]

Progress = Callable[[str], None]


def _ns(name: str, values: Sequence[str]) -> list[str]:
    return [f"{name}:{value}" for value in values]


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _without_cyclic_gc(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run ``function`` with Python's cyclic garbage collector paused.

    A build creates hundreds of thousands of short-lived objects (ids, names) but
    no reference cycles worth collecting, so each collection only rescans every
    live object (all of numpy, polars and numba): about 5 % of a large build.
    Reference counting still frees everything as usual.
    """

    @functools.wraps(function)
    def paused(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        enabled = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()

    return paused


@_without_cyclic_gc
def build_network(
    feeds: Sequence[Feed],
    *,
    walking: WalkingModel | None = None,
    footpaths: bool = True,
    streets: StreetGraph | None = None,
    validate: bool = True,
    connections: Sequence[Connection] = (),
    progress: Progress | None = None,
) -> Network:
    """Validate, read and merge ``feeds`` into one network.

    Parameters
    ----------
    feeds:
        Feeds from :func:`jjj.gtfs.read_feed`; their names must be distinct.
    walking:
        The walking model for generated footpaths (default 400 m, ×1.3, 1.2 m/s).
    footpaths:
        Generate footpaths between stops of all feeds within the radius. When False,
        transfers happen only at the same stop or as transfers.txt says.
    streets:
        Walk the footpaths along these streets (:func:`jjj.streets.read_walk_graph`),
        up to the radius × the detour factor, instead of in straight lines.
    validate:
        Validate each feed first and refuse one with errors.
    connections:
        Extra directed walking links between stops (namespaced ids), e.g. between
        operators' stations too far apart for the radius; their times win.
    progress:
        Called with a short label as each stage starts.
    """
    model = walking or WalkingModel()
    report = progress or (lambda _stage: None)
    names = [feed.name for feed in feeds]
    if len(set(names)) != len(names):
        duplicated = sorted({n for n in names if names.count(n) > 1})
        raise FeedError(f"feed names must be distinct; repeated: {', '.join(duplicated)}")
    if not feeds:
        raise FeedError("no feeds given")
    start_warm_up()

    def assemble(parts: list[FeedArrays], services: list[tuple[str, FeedServices]]) -> Network:
        return _assemble(
            feeds,
            parts,
            services,
            model=model,
            footpaths=footpaths,
            streets=streets,
            connections=connections,
            report=report,
        )

    return _compile_feeds(feeds, validate=validate, report=report, assemble=assemble)


def _assemble(
    feeds: Sequence[Feed],
    parts: list[FeedArrays],
    services: list[tuple[str, FeedServices]],
    *,
    model: WalkingModel,
    footpaths: bool,
    streets: StreetGraph | None,
    connections: Sequence[Connection],
    report: Progress,
) -> Network:
    """Merge the feeds' arrays into one network: patterns, transfers, footpaths, blocks."""
    calendar = merge_calendars(services)
    service_index = {service_id: i for i, service_id in enumerate(calendar.service_ids)}

    report("merging")
    merged = _merge(parts, service_index)
    n_stops = len(merged["stop_ids"])

    report("building patterns")
    patterns = build_patterns(
        n_stops=n_stops,
        trip_route_idx=merged["trip_route_idx"],
        trip_offsets=merged["trip_offsets"],
        st_stop_idx=merged["st_stop_idx"],
        st_pickup=merged["st_pickup"],
        st_dropoff=merged["st_dropoff"],
        stop_lat=merged["stop_lat"],
        stop_lon=merged["stop_lon"],
        st_arrival=merged["st_arrival"],
        st_departure=merged["st_departure"],
    )

    report("transfers and footpaths")
    rules = _read_all_transfers(feeds, parts, merged)
    _add_connections(rules, connections, merged["stop_ids"])
    footpath_arrays, off_streets = _footpaths(merged, rules, model, footpaths, streets)
    min_transfer = np.zeros(n_stops, dtype=np.int32)
    for stop_idx, seconds in rules.same_stop_seconds.items():
        min_transfer[stop_idx] = seconds

    report("blocks")
    block_next = _block_continuations(merged, patterns.trip_pattern_idx)

    meta: dict[str, Any] = {
        "jjj_version": __version__,
        "first_date": calendar.first_date.isoformat(),
        "n_days": calendar.n_days,
        "timezone": parts[0].timezone,
        "feeds": [
            {"name": part.name, "path": str(feed.path), "timezone": part.timezone}
            for part, feed in zip(parts, feeds, strict=True)
        ],
        "walking": {
            "footpaths": footpaths,
            "radius_m": model.radius_m,
            "detour_factor": model.detour_factor,
            "speed_mps": model.speed_mps,
        },
    }
    if streets is not None and footpaths:
        meta["walking"]["streets"] = {**streets.summary(), "stops_off_streets": off_streets}
    return Network(
        meta=meta,
        stop_ids=StringTable.from_strings(merged["stop_ids"]),
        stop_names=StringTable.from_strings(merged["stop_names"]),
        stop_lat=merged["stop_lat"],
        stop_lon=merged["stop_lon"],
        stop_parent_idx=merged["stop_parent_idx"],
        stop_location_type=merged["stop_location_type"],
        stop_feed_idx=merged["stop_feed_idx"],
        stop_min_transfer_seconds=min_transfer,
        agency_ids=StringTable.from_strings(merged["agency_ids"]),
        agency_names=StringTable.from_strings(merged["agency_names"]),
        agency_timezones=StringTable.from_strings(merged["agency_timezones"]),
        agency_feed_idx=merged["agency_feed_idx"],
        route_ids=StringTable.from_strings(merged["route_ids"]),
        route_short_names=StringTable.from_strings(merged["route_short_names"]),
        route_long_names=StringTable.from_strings(merged["route_long_names"]),
        route_type=merged["route_type"],
        route_agency_idx=merged["route_agency_idx"],
        service_ids=StringTable.from_strings(calendar.service_ids),
        service_days=calendar.days,
        trip_ids=StringTable.from_strings(merged["trip_ids"]),
        trip_headsigns=StringTable.from_strings(merged["trip_headsigns"]),
        trip_route_idx=merged["trip_route_idx"],
        trip_service_idx=merged["trip_service_idx"],
        trip_pattern_idx=patterns.trip_pattern_idx,
        trip_block_next_idx=block_next,
        trip_direction=merged["trip_direction"],
        pattern_route_idx=patterns.pattern_route_idx,
        pattern_stops_offsets=patterns.pattern_stops_offsets,
        pattern_stops=patterns.pattern_stops,
        pattern_stop_pickup=patterns.pattern_stop_pickup,
        pattern_stop_dropoff=patterns.pattern_stop_dropoff,
        pattern_stop_distance_m=patterns.pattern_stop_distance_m,
        pattern_trips_offsets=patterns.pattern_trips_offsets,
        pattern_trips=patterns.pattern_trips,
        pattern_times_offsets=patterns.pattern_times_offsets,
        arrivals=patterns.arrivals,
        departures=patterns.departures,
        stop_patterns_offsets=patterns.stop_patterns_offsets,
        stop_patterns=patterns.stop_patterns,
        stop_patterns_pos=patterns.stop_patterns_pos,
        footpaths_offsets=footpath_arrays[0],
        footpath_to_stop=footpath_arrays[1],
        footpath_seconds=footpath_arrays[2],
        **rules.rule_arrays(),  # type: ignore[arg-type]
    )


def _compile_feeds(
    feeds: Sequence[Feed],
    *,
    validate: bool,
    report: Progress,
    assemble: Callable[[list[FeedArrays], list[tuple[str, FeedServices]]], Network],
) -> Network:
    """Validate and read each feed in turn, freeing its tables before the next one,
    then ``assemble`` the network.

    Meanwhile feeds are read compactly (see :class:`jjj.gtfs.read.Feed`): the
    validator and the compiler see the same values, in less memory. The next
    feed's files are unzipped and parsed in a background thread while this one is
    checked (that work mostly runs outside the GIL), and the network is assembled
    in another while the last feed's stop times are checked: a feed with errors
    still stops the build, with its report, and the assembled network is dropped.
    """
    parts: list[FeedArrays] = []
    services: list[tuple[str, FeedServices]] = []
    compact = [feed.compact for feed in feeds]
    for feed in feeds:
        feed.compact = True
    prefetch: threading.Thread | None = None
    try:
        for k, feed in enumerate(feeds):
            if prefetch is not None:
                prefetch.join()  # the thread read this feed: no table is read twice
            prefetch = _start_prefetch(feeds[k + 1]) if k + 1 < len(feeds) else None
            try:
                if k == len(feeds) - 1:
                    return _finish(feed, parts, services, validate, report, assemble)
                if validate:
                    report(f"validating {feed.name}")
                    _validate(feed, validate_feed(feed))
                report(f"reading {feed.name}")
                parts.append(read_feed_arrays(feed))
                services.append((feed.name, read_services(feed)))
            finally:
                # Free the tables (hundreds of MB for millions of stop times) before
                # the next feed is checked; transfers.txt is read again after merging.
                feed.drop_cache(keep=("transfers.txt",))
    finally:
        if prefetch is not None:  # a feed failed: forget what was read ahead
            prefetch.join()
            for feed in feeds[len(parts) :]:
                feed.drop_cache()
        for feed, was_compact in zip(feeds, compact, strict=True):
            feed.compact = was_compact
    raise AssertionError("unreachable: the last feed returns the network")


def _validate(feed: Feed, notices: list[Notice]) -> None:
    """Raise the FeedError listing the errors among ``notices`` (``feed``'s), if any."""
    errors = [n for n in notices if n.severity is Severity.ERROR]
    if errors:
        raise FeedError(f"{feed.name}: {len(errors)} errors; the feed is not usable", errors)


def _finish(
    feed: Feed,
    parts: list[FeedArrays],
    services: list[tuple[str, FeedServices]],
    validate: bool,
    report: Progress,
    assemble: Callable[[list[FeedArrays], list[tuple[str, FeedServices]]], Network],
) -> Network:
    """The last feed: validate it while the network is assembled beside its last checks."""

    def compile_all() -> Network:
        report(f"reading {feed.name}")
        part = read_feed_arrays(feed)
        return assemble([*parts, part], [*services, (feed.name, read_services(feed))])

    if not validate:
        return compile_all()
    report(f"validating {feed.name}")
    result: list[Network] = []
    failure: list[BaseException] = []

    def compile_beside() -> None:
        try:
            result.append(compile_all())
        except BaseException as exc:  # handed to the main thread
            failure.append(exc)

    thread: threading.Thread | None = None

    def on_stage(stage: str) -> None:
        nonlocal thread
        # From here on the checks only read what the compiler needs (parsed times,
        # id links, the stop-time order), all computed by then.
        if stage == STAGES[5] and thread is None:
            thread = threading.Thread(target=compile_beside, name="jjj-assemble", daemon=True)
            thread.start()

    try:
        notices = validate_report(feed, progress=on_stage).notices
    finally:
        if thread is not None:
            thread.join()
    _validate(feed, notices)
    if failure:
        raise failure[0]
    return result[0] if result else compile_all()


def _start_prefetch(feed: Feed) -> threading.Thread:
    """Read ``feed``'s GTFS files into its cache in a daemon thread.

    A file that cannot be read is left out; reading it again in the build reports it.
    """

    def read() -> None:
        for file in feed.files:
            if file in FILES:
                with contextlib.suppress(Exception):  # reported when the build reads it
                    feed.table(file)

    thread = threading.Thread(target=read, name=f"jjj-read-{feed.name}", daemon=True)
    thread.start()
    return thread


def _merge(parts: list[FeedArrays], service_index: dict[str, int]) -> dict[str, Any]:
    """Concatenate feeds with index offsets and namespaced ids."""
    out: dict[str, Any] = {
        key: []
        for key in (
            "stop_ids",
            "stop_names",
            "agency_ids",
            "agency_names",
            "agency_timezones",
            "route_ids",
            "route_short_names",
            "route_long_names",
            "trip_ids",
            "trip_headsigns",
        )
    }
    arrays: dict[str, list[npt.NDArray[Any]]] = {}

    def add(key: str, value: npt.NDArray[Any]) -> None:
        arrays.setdefault(key, []).append(value)

    stop_base = agency_base = route_base = row_base = block_base = 0
    for feed_idx, part in enumerate(parts):
        n_stops, n_agencies = len(part.stop_ids), len(part.agency_ids)
        n_routes = len(part.route_ids)
        out["stop_ids"] += _ns(part.name, part.stop_ids)
        out["stop_names"] += part.stop_names
        out["agency_ids"] += _ns(part.name, part.agency_ids)
        out["agency_names"] += part.agency_names
        out["agency_timezones"] += part.agency_timezones
        out["route_ids"] += _ns(part.name, part.route_ids)
        out["route_short_names"] += part.route_short_names
        out["route_long_names"] += part.route_long_names
        out["trip_ids"] += _ns(part.name, part.trip_ids)
        out["trip_headsigns"] += part.trip_headsigns
        # A block is (feed, block_id); trips expanded from frequencies belong to none.
        block_rank = pl.Series(part.trip_block_id, dtype=pl.String).rank("dense")
        block_idx = block_rank.fill_null(0).cast(pl.Int64).to_numpy() - 1  # -1: no block
        block_idx[part.trip_from_frequency] = -1
        add("trip_block_idx", np.where(block_idx >= 0, block_idx + block_base, -1))
        block_base += int(block_rank.max() or 0)  # type: ignore[arg-type]
        add("stop_lat", part.stop_lat)
        add("stop_lon", part.stop_lon)
        add(
            "stop_parent_idx",
            np.where(part.stop_parent_local >= 0, part.stop_parent_local + stop_base, -1),
        )
        add("stop_location_type", part.stop_location_type)
        add("stop_feed_idx", np.full(n_stops, feed_idx, dtype=np.int16))
        add("agency_feed_idx", np.full(n_agencies, feed_idx, dtype=np.int16))
        add("route_type", part.route_type)
        add("route_agency_idx", part.route_agency_local + agency_base)
        add("trip_route_idx", part.trip_route_local + route_base)
        services = {s: service_index.get(f"{part.name}:{s}", -1) for s in set(part.trip_service_id)}
        add(
            "trip_service_idx",
            np.array([services[s] for s in part.trip_service_id], dtype=np.int32).reshape(
                len(part.trip_service_id)
            ),
        )
        add("trip_direction", part.trip_direction)
        add("trip_offsets", part.trip_offsets[:-1] + row_base)
        add("st_stop_idx", part.st_stop_local + stop_base)
        for key in ("st_pickup", "st_dropoff", "st_arrival", "st_departure"):
            add(key, getattr(part, key))
        stop_base += n_stops
        agency_base += n_agencies
        route_base += n_routes
        row_base += int(part.trip_offsets[-1])
    arrays["trip_offsets"].append(np.array([row_base], dtype=np.int64))
    dtypes = {
        "stop_lat": np.float64,
        "stop_lon": np.float64,
        "stop_parent_idx": np.int32,
        "stop_location_type": np.int8,
        "stop_feed_idx": np.int16,
        "agency_feed_idx": np.int16,
        "route_type": np.int16,
        "route_agency_idx": np.int32,
        "trip_route_idx": np.int32,
        "trip_service_idx": np.int32,
        "trip_block_idx": np.int64,
        "trip_direction": np.int8,
        "trip_offsets": np.int64,
        "st_stop_idx": np.int32,
        "st_pickup": np.int8,
        "st_dropoff": np.int8,
        "st_arrival": np.int32,
        "st_departure": np.int32,
    }
    for key, chunks in arrays.items():
        out[key] = np.concatenate(chunks).astype(dtypes[key], copy=False)
    # trips whose service is unknown never run: keep them (ids stay valid) but inert
    return out


def _read_all_transfers(
    feeds: Sequence[Feed], parts: list[FeedArrays], merged: dict[str, Any]
) -> TransferRules:
    rules = TransferRules()
    parent = merged["stop_parent_idx"]
    children: dict[int, list[int]] = {}
    for child_idx in np.flatnonzero(parent >= 0).tolist():
        children.setdefault(int(parent[child_idx]), []).append(child_idx)
    stop_base = route_base = trip_base = 0
    for feed, part in zip(feeds, parts, strict=True):
        if feed.has("transfers.txt"):
            stop_index = {s: i + stop_base for i, s in enumerate(part.stop_ids)}
            route_index = {r: i + route_base for i, r in enumerate(part.route_ids)}
            trip_index: dict[str, list[int]] = {}
            columns = feed.columns("transfers.txt")
            if "from_trip_id" in columns or "to_trip_id" in columns:
                from_frequency = part.trip_from_frequency.tolist()
                for i, trip_id in enumerate(part.trip_ids):
                    original = trip_id.split("@", 1)[0] if from_frequency[i] else trip_id
                    trip_index.setdefault(original, []).append(i + trip_base)
            read_transfers(
                feed,
                stop_index=stop_index,
                route_index=route_index,
                trip_index=trip_index,
                children=children,
                rules=rules,
            )
        stop_base += len(part.stop_ids)
        route_base += len(part.route_ids)
        trip_base += len(part.trip_ids)
    return rules


def _add_connections(
    rules: TransferRules, connections: Sequence[Connection], stop_ids: list[str]
) -> None:
    if not connections:
        return
    index = {stop_id: i for i, stop_id in enumerate(stop_ids)}
    for connection in connections:
        for field, stop_id in (
            ("from_stop_id", connection.from_stop_id),
            ("to_stop_id", connection.to_stop_id),
        ):
            if stop_id not in index:
                raise FeedError(
                    f"connections:{connection.line} {field}: no stop {stop_id!r} in the feeds"
                )
        rules.link_from.append(index[connection.from_stop_id])
        rules.link_to.append(index[connection.to_stop_id])
        rules.link_seconds.append(connection.seconds)


def _footpaths(
    merged: dict[str, Any],
    rules: TransferRules,
    model: WalkingModel,
    generate: bool,
    streets: StreetGraph | None,
) -> tuple[tuple[npt.NDArray[np.int64], npt.NDArray[np.int32], npt.NDArray[np.int32]], int]:
    """The footpaths as CSR arrays, and how many stops were off the streets."""
    lat, lon = merged["stop_lat"], merged["stop_lon"]
    n_stops = len(lat)
    location_type = merged["stop_location_type"]
    off_streets = 0
    if generate:
        eligible = (location_type == 0) | (location_type == 4)
        if streets is None:
            gen_from, gen_to, gen_seconds = footpaths_within_radius(lat, lon, eligible, model)
        else:
            gen_from, gen_to, gen_seconds, off_streets = footpaths_on_streets(
                lat, lon, eligible, model, streets
            )
    else:
        gen_from = gen_to = gen_seconds = np.zeros(0, dtype=np.int32)
    link_from = np.asarray(rules.link_from, dtype=np.int32)
    link_to = np.asarray(rules.link_to, dtype=np.int32)
    link_seconds = np.asarray(rules.link_seconds, dtype=np.int32)
    walk = model.seconds(
        np.nan_to_num(haversine_m(lat[link_from], lon[link_from], lat[link_to], lon[link_to]))
    )
    link_seconds = np.where(link_seconds < 0, walk, link_seconds).astype(np.int32)
    # transfers.txt comes last so its time wins over the generated one
    from_idx = np.concatenate([gen_from, link_from]).astype(np.int32)
    to_idx = np.concatenate([gen_to, link_to]).astype(np.int32)
    seconds = np.concatenate([gen_seconds, link_seconds]).astype(np.int32)
    if rules.forbidden:
        forbidden = np.array(sorted(rules.forbidden), dtype=np.int64)
        pair = from_idx.astype(np.int64) * n_stops + to_idx
        keep = ~np.isin(pair, forbidden[:, 0] * n_stops + forbidden[:, 1])
        from_idx, to_idx, seconds = from_idx[keep], to_idx[keep], seconds[keep]
    keep = from_idx != to_idx
    return to_csr(n_stops, from_idx[keep], to_idx[keep], seconds[keep]), off_streets


def _block_continuations(
    merged: dict[str, Any], trip_pattern_idx: npt.NDArray[np.int32]
) -> npt.NDArray[np.int32]:
    """For trips sharing a block_id and a service, the next trip the vehicle runs.

    A trip continues into the next one (by first departure) when that one starts at
    the stop (or station) where this one ends, no earlier than it arrives.
    """
    block = merged["trip_block_idx"]
    n_trips = len(block)
    block_next = np.full(n_trips, -1, dtype=np.int32)
    offsets = merged["trip_offsets"]
    stops = merged["st_stop_idx"]
    arrival, departure = merged["st_arrival"], merged["st_departure"]
    parent = merged["stop_parent_idx"]
    service = merged["trip_service_idx"]
    trips = np.flatnonzero((block >= 0) & (trip_pattern_idx >= 0))
    if len(trips) < 2:
        return block_next
    # Trips of one (block, service) side by side, each group by first departure
    # (ties in trip order), so each trip's successor is the next row.
    first_departure = departure[offsets[trips]]
    trips = trips[np.lexsort((trips, first_departure, service[trips], block[trips]))]
    current, following = trips[:-1], trips[1:]
    place = np.where(parent >= 0, parent, np.arange(len(parent)))
    end_row = offsets[current + 1] - 1
    start_row = offsets[following]
    continues = (
        (block[current] == block[following])
        & (service[current] == service[following])
        & (place[stops[end_row]] == place[stops[start_row]])
        & (departure[start_row] >= arrival[end_row])
    )
    block_next[current[continues]] = following[continues]
    return block_next
