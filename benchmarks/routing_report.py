"""Markdown tables of the routing benchmark: timings, agreement, memory."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
from pathlib import Path
from typing import Any

import numpy as np

from jjj.ids import UNREACHED
from jjj.timetable.network import Network
from routing_agreement import (
    Agreement,
    as_optional,
    compare,
    oracle_agreement,
    pyraptor_agreement,
    shared_names,
)
from routing_inputs import FeedCase, served_stops
from routing_jjj import JjjResults, JjjRunner

__all__ = [
    "footpath_note",
    "load_average",
    "machine",
    "print_agreement",
    "print_memory",
    "print_timings",
]


def machine() -> str:
    """nproc, CPU model and load, for the report."""
    model = "unknown CPU"
    with open("/proc/cpuinfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return f"{os.cpu_count()} cores, {model}, load average {load_average()}"


def load_average() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def median_ms(values: list[float]) -> float | None:
    return 1000 * statistics.median(values) if values else None


def fmt_ms(value: float | None) -> str:
    if value is None:
        return "not run"
    if value < 10:
        return f"{value:.2f}"
    return f"{value:.1f}" if value < 100 else f"{value:,.0f}"


def ratio(theirs: float | None, ours: float | None) -> str:
    if theirs is None or ours is None or ours <= 0:
        return ""
    value = theirs / ours
    return f"{value:.2f}×" if value < 10 else f"{value:,.0f}×"


def stop_times_on(network: Any, date: dt.date) -> int:
    """Stop times of the trips running on ``date`` (what a one-day model holds)."""
    trips = network.trips_active_on(date)
    patterns = network.trip_pattern_idx[trips]
    patterns = patterns[patterns >= 0]
    lengths = np.diff(network.pattern_stops_offsets)
    return int(lengths[patterns].sum())


def footpath_note(network: Network) -> str:
    """What jjj's footpaths walk, and how many a stop has."""
    walking = network.meta.get("walking", {})
    streets = walking.get("streets")
    per_stop = network.n_footpaths / max(network.n_stops, 1)
    if streets:
        how = (
            f"along the streets of {streets['source']} ({streets['nodes']:,} nodes, "
            f"{streets['stops_off_streets']} stops off them)"
        )
    else:
        how = f"in straight lines × {walking.get('detour_factor')} (no street network)"
    return (
        f"jjj's footpaths walk {how}: {network.n_footpaths:,} footpaths, {per_stop:.1f} a stop.\n"
    )


def print_timings(
    case: FeedCase,
    args: argparse.Namespace,
    ours: JjjResults,
    ferro: dict[str, Any] | None,
    pyr: dict[str, Any] | None,
    sample: Any,
) -> None:
    missing = "not installed"
    pyr_query = median_ms(pyr["query_seconds"]) if pyr else None
    n = len(sample.matrix)
    rows = [
        (
            f"point-to-point, planner with itineraries (median of {len(sample.pairs)})",
            ours.p2p_seconds,
            "p2p_seconds",
            True,
        ),
        ("point-to-point, earliest arrival only", ours.p2p_times_seconds, "p2p_seconds", True),
        (
            "point-to-point, earliest arrival only, ferrobus making its points in the query",
            ours.p2p_times_seconds,
            "p2p_points_seconds",
            False,
        ),
        (
            "point-to-point, earliest arrival only, jjj's stops in reach found before timing",
            ours.p2p_prepared_seconds,
            "p2p_seconds",
            False,
        ),
        (
            "point-to-point, earliest arrival only, both with ferrobus's access (its nearest "
            "stop, then a footpath)",
            ours.p2p_peer_access_seconds,
            "p2p_seconds",
            False,
        ),
        (
            f"one-to-all, {len(sample.targets):,} stops (median of {len(sample.origins)})",
            ours.one_to_all_seconds,
            "one_to_all_seconds",
            True,
        ),
        (
            f"range, {args.window} min window, planner (median of {len(sample.range_pairs)})",
            ours.range_seconds,
            "range_seconds",
            False,
        ),
        ("range, earliest arrivals only", ours.range_times_seconds, "range_seconds", False),
        (
            "range, earliest arrivals only, both with ferrobus's access",
            ours.range_peer_access_seconds,
            "range_seconds",
            False,
        ),
        (
            f"matrix {n}×{n}, jjj finding stops in reach in the query (median of {args.repeats})",
            ours.matrix_seconds,
            "matrix_seconds",
            False,
        ),
        (
            f"matrix {n}×{n}, jjj's stops in reach found before timing",
            ours.matrix_prepared_seconds,
            "matrix_seconds",
            False,
        ),
        (
            f"matrix {n}×{n}, stops found before timing, jjj one origin per search",
            ours.matrix_one_by_one_seconds,
            "matrix_seconds",
            False,
        ),
    ]
    print("| query (ms) | jjj | ferrobus 0.2.1 | jjj faster by | pyraptor 1.3.10 | jjj faster by |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, mine, key, with_pyraptor in rows:
        ours_ms = median_ms(mine)
        theirs_ms = median_ms(ferro[key]) if ferro and key in ferro else None
        cells = [label, fmt_ms(ours_ms)]
        cells += [fmt_ms(theirs_ms), ratio(theirs_ms, ours_ms)] if ferro else [missing, ""]
        if with_pyraptor and pyr:
            cells += [
                f"{fmt_ms(pyr_query)} (n={len(pyr['query_seconds'])})",
                ratio(pyr_query, ours_ms),
            ]
        else:
            cells += [missing if pyr is None and with_pyraptor else "", ""]
        print("| " + " | ".join(cells) + " |")
    print()
    if ferro:
        print(
            f"ferrobus model build {ferro['build_seconds']:.1f} s ({ferro['model']}; street "
            f"grid {ferro['grid']['nodes']:,} nodes at {args.grid_spacing:.0f} m); its "
            f"transit points take {1000 * ferro['point_seconds']:.2f} ms each, made before "
            "timing. jjj day view for the date: "
            f"{ours.view_seconds:.2f} s, once."
        )

    if pyr:
        counts = pyr["counts"]
        print(
            f"pyraptor preprocessing {pyr['preprocess_seconds']:.1f} s ({counts['trips']:,} "
            f"trips, {counts['stop_times']:,} stop times, {counts['stations']:,} stations by "
            "name); one query labels every stop, so the same figure is its point-to-point "
            "and its one-to-all."
        )
    print()


def p2p_reasons(ours: JjjResults, ferro: dict[str, Any], network: Network) -> str:
    """Attribute point-to-point differences to the two models' known differences."""
    earlier = later = other_stop = with_changes = 0
    for i, (a, b) in enumerate(zip(ours.p2p_travel, ferro["p2p_travel"], strict=True)):
        if a is None or b is None or a == b:
            continue
        if a < b:
            earlier += 1
            other_stop += ours.p2p_other_stop[i]
        else:
            later += 1
            with_changes += ours.p2p_changes[i] > 0
    if network.meta.get("walking", {}).get("streets"):
        walks = "rounds each walk up to the second; ferrobus rounds each street segment down"
    else:
        walks = "walks 1.3× the straight line, not the street grid"
    return (
        f"where jjj is earlier, {other_stop}/{earlier} of its journeys ride from or to "
        "another stop within walking reach (ferrobus uses only the nearest stop); where "
        f"ferrobus is earlier, {with_changes}/{later} of jjj's journeys change vehicles "
        f"(jjj applies transfers.txt minimum times and {walks})"
    )


def print_agreement(
    case: FeedCase,
    args: argparse.Namespace,
    runner: JjjRunner,
    sample: Any,
    ours: JjjResults,
    ferro: dict[str, Any] | None,
    pyr: dict[str, Any] | None,
) -> None:
    network = runner.network
    lines: list[tuple[str, str]] = []
    if ferro:
        p2p = compare(ours.p2p_travel, ferro["p2p_travel"])
        lines.append(("ferrobus, point-to-point travel time", p2p.summary()))
        lines.append(
            ("ferrobus, point-to-point: why they differ", p2p_reasons(ours, ferro, runner.network))
        )
        lines.append(
            (
                "ferrobus, point-to-point, jjj also with ferrobus's access",
                compare(ours.p2p_peer_access_travel, ferro["p2p_travel"]).summary(),
            )
        )
        firsts = Agreement()
        for a, b in zip(ours.range_first, ferro["range_first"], strict=True):
            firsts.add(a, b)
        lines.append(("ferrobus, range: earliest arrival in the window", firsts.summary()))
        one = Agreement()
        for arrival, theirs in zip(
            ours.one_to_all_arrival, ferro["one_to_all_travel"], strict=True
        ):
            reached = arrival[sample.targets].astype(np.int64)
            travel = as_optional(
                np.where(reached >= UNREACHED, UNREACHED, reached - runner.departure)
            )
            for a, b in zip(travel, theirs, strict=True):
                one.add(a, b)
        lines.append(("ferrobus, one-to-all travel times", one.summary()))
        if ours.matrix_travel is not None:
            mine = ours.matrix_travel
            off = ~np.eye(len(mine), dtype=bool)
            theirs_m = np.array(
                [[UNREACHED if v is None else v for v in row] for row in ferro["matrix_travel"]],
                dtype=np.int64,
            )
            lines.append(
                (
                    "ferrobus, matrix cells",
                    compare(as_optional(mine[off]), as_optional(theirs_m[off])).summary(),
                )
            )
    if pyr:
        agreement = pyraptor_agreement(
            network, pyr["jjj_arrivals"], pyr["arrivals"], runner.departure
        )
        lines.append(("pyraptor, station-to-station (per stop name)", agreement.summary()))
    kernel_only = [None if b[-1] is None else b[-1] - runner.departure for b in ours.p2p_best]
    lines.append(
        (
            "jjj kernel alone vs the planner (transit, at most K transfers)",
            compare(ours.p2p_times_travel, kernel_only).summary(),
        )
    )
    if args.oracle_pairs > 0:
        chosen = list(range(min(args.oracle_pairs, len(sample.pairs))))
        requests = [
            (
                runner.link_dict(sample.pairs[i][0], leaving=True),
                runner.link_dict(sample.pairs[i][1], leaving=False),
            )
            for i in chosen
        ]
        checked = oracle_agreement(
            network,
            runner.date,
            requests,
            [ours.p2p_best[i] for i in chosen],
            departure=runner.departure,
            max_transfers=args.max_transfers,
            max_duration_s=60 * args.max_duration,
        )
        text = (
            "oracle not available (tests/routing/oracle.py)"
            if checked is None
            else f"{checked[0]}/{checked[1]} queries equal for every transfer count"
        )
        lines.append(("oracle (connection scan), point-to-point", text))
    served = served_stops(network, runner.date)
    lines.append(
        (
            "stop names shared by served stops > 1 km apart",
            f"{shared_names(network, served)} (pyraptor makes each one station)",
        )
    )
    print("| agreement of earliest arrivals with jjj | result |")
    print("|---|---|")
    for label, text in lines:
        print(f"| {label} | {text} |")
    print()


def print_memory(
    network: Any,
    path: Path,
    date: dt.date,
    ours: JjjResults,
    ferro: dict[str, Any] | None,
    build_seconds: float | None,
) -> None:
    size = path.stat().st_size
    n = network.n_stop_times
    on_date = stop_times_on(network, date)
    arrays = sum(int(getattr(network, name).nbytes) for name in network.array_fields())
    built = f"built in {build_seconds:.1f} s" if build_seconds is not None else "reused"
    print("| memory | bytes | per stop time |")
    print("|---|---:|---:|")
    print(
        f"| jjj network file ({n:,} stop times, all service days; {built}) | {size:,} | "
        f"{size / n:.1f} |"
    )
    print(f"| jjj network arrays, memory-mapped | {arrays:,} | {arrays / n:.1f} |")
    print(
        f"| jjj day view of {date.isoformat()} ({on_date:,} stop times that day) | "
        f"{ours.view_bytes:,} | {ours.view_bytes / on_date:.1f} |"
    )
    print(f"| jjj round state (reused by every query) | {ours.state_bytes:,} | |")
    if ferro:
        rss = int(ferro["rss_mb"] * 1024 * 1024)
        print(
            f"| ferrobus model, resident growth (street grid included) | {rss:,} | "
            f"{rss / on_date:.1f} |"
        )
    print()
