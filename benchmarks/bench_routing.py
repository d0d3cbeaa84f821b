"""Journey planning on NYC subway and Brooklyn buses: jjj beside ferrobus and pyraptor.

The three engines answer the same queries on the same feed in the same run, each
peer in its own interpreter (``--ferrobus-python``, ``--pyraptor-python``; by
default the first ``python3`` on PATH that imports it, else "not installed"):

* point-to-point: random pairs of served stops, from and to their coordinates with
  walking access and egress, departing at ``--time`` (median latency);
* one-to-all: earliest arrival at every served stop from an origin's coordinates;
* range: every departure of a 1-hour window between two points;
* matrix: ``--matrix`` × ``--matrix`` stops, from and to their coordinates.

ferrobus walks on a synthetic street grid written with pyosmium over the feed's
extent (no OSM extract covers New York); jjj's network is built at ferrobus's
walking speed (1.4 m/s). pyraptor answers a few station-to-station queries. Then
agreement of earliest arrivals with jjj's (and with the tests' oracle) and memory
per stop time. Prints markdown tables.

    python benchmarks/bench_routing.py --ferrobus-python /path/to/ferrobus/venv/bin/python \\
        --pyraptor-python /path/to/pyraptor/venv/bin/python
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from jjj.ids import UNREACHED
from jjj.timetable.footpaths import WalkingModel
from routing_agreement import (
    Agreement,
    as_optional,
    compare,
    oracle_agreement,
    pyraptor_agreement,
    shared_names,
    station_access,
)
from routing_inputs import (
    FERROBUS_WALKING_SPEED,
    PEERS,
    FeedCase,
    find_peer_python,
    network_for,
    original_id,
    run_peer_spec,
    sample_queries,
    served_stops,
    write_ferrobus_gtfs,
    write_street_grid,
)
from routing_jjj import JjjResults, JjjRunner

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data" / "feeds" / "nyc_mta"
CASES = {
    "subway": FeedCase("NYC subway", "nyc_subway", DATA / "nyc_subway.zip"),
    "bus": FeedCase("Brooklyn buses", "nyc_bus_bk", DATA / "nyc_bus_bk.zip"),
}


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


def run_ferrobus(
    python: str,
    case: FeedCase,
    runner: JjjRunner,
    sample: Any,
    args: argparse.Namespace,
    workdir: Path,
) -> dict[str, Any]:
    network = runner.network
    gtfs = write_ferrobus_gtfs(case, network, runner.date, workdir / f"{case.name}_gtfs")
    grid_path = workdir / f"{case.name}_grid.osm.pbf"
    grid = write_street_grid(
        python, network, np.array(sample.targets), args.grid_spacing, grid_path, margin_m=1500
    )
    model = runner.planner.walking

    def walk(metres: float) -> int:
        return math.ceil(metres * model.detour_factor / FERROBUS_WALKING_SPEED)

    def where(stop: int) -> list[float]:
        return [float(network.stop_lat[stop]), float(network.stop_lon[stop])]

    position = {stop: i for i, stop in enumerate(sample.targets)}
    spec = {
        "osm": str(grid_path),
        "gtfs_dir": str(gtfs),
        "date": runner.date.isoformat(),
        "max_transfer_time": walk(model.radius_m),
        "walk_seconds": walk(args.access_radius),
        "nearest_stops": 10,
        "departure": runner.departure,
        # ferrobus's max_transfers bounds the vehicles ridden (its rounds), not changes
        "max_transfers": args.max_transfers + 1,
        "window": 60 * args.window,
        "repeats": args.repeats,
        "pairs": [where(a) + where(b) for a, b in sample.pairs],
        "range_pairs": sample.range_pairs,
        "one_to_all": [position[s] for s in sample.origins],
        "targets": [where(s) for s in sample.targets],
        "matrix": [position[s] for s in sample.matrix],
    }
    result = run_peer_spec(python, PEERS / "ferrobus_peer.py", spec, workdir / "ferrobus.json")
    result["grid"] = grid
    return result


def run_pyraptor(
    python: str,
    case: FeedCase,
    runner: JjjRunner,
    sample: Any,
    args: argparse.Namespace,
    workdir: Path,
) -> dict[str, Any]:
    origins = [a for a, _ in sample.pairs[: args.pyraptor_queries]]
    spec = {
        "gtfs_zip": str(case.path),
        "date": runner.date.strftime("%Y%m%d"),
        "weekday": runner.date.weekday(),
        "departure": runner.departure,
        "rounds": args.max_transfers + 1,
        "origins": [original_id(runner.network, s, case.name) for s in origins],
    }
    result = run_peer_spec(python, PEERS / "pyraptor_peer.py", spec, workdir / "pyraptor.json")
    arrivals = []
    for stop_id in spec["origins"]:
        station = runner.planner.location(station_access(runner.network, case.name, stop_id))
        stops, seconds = runner.links(station, leaving=True)
        arrivals.append(runner.one_to_all_from(stops, seconds).copy())
    result["jjj_arrivals"] = arrivals
    return result


def stop_times_on(network: Any, date: dt.date) -> int:
    """Stop times of the trips running on ``date`` (what a one-day model holds)."""
    trips = network.trips_active_on(date)
    patterns = network.trip_pattern_idx[trips]
    patterns = patterns[patterns >= 0]
    lengths = np.diff(network.pattern_stops_offsets)
    return int(lengths[patterns].sum())


def bench_feed(
    case: FeedCase, args: argparse.Namespace, peers: dict[str, str | None], workdir: Path
) -> None:
    date = dt.date.fromisoformat(args.date)
    hours, minutes = (int(x) for x in args.time.split(":"))
    departure = 3600 * hours + 60 * minutes
    walking = WalkingModel(speed_mps=FERROBUS_WALKING_SPEED)
    network, path, build_seconds = network_for(case, workdir, walking=walking)
    sample = sample_queries(
        network,
        date,
        pairs=args.pairs,
        range_pairs=args.range_queries,
        origins=args.one_to_all,
        matrix=args.matrix,
        seed=args.seed,
    )
    print(
        f"\n## {case.label}: {network.n_stop_times:,} stop times, {network.n_stops:,} stops, "
        f"{len(sample.targets):,} served on {date.isoformat()} ({date:%A}), "
        f"departing {args.time}, at most {args.max_transfers} transfers\n",
        flush=True,
    )
    runner = JjjRunner(
        network,
        date,
        departure,
        max_transfers=args.max_transfers,
        access_radius_m=args.access_radius,
        max_duration_s=args.max_duration * 60,
    )
    ours = runner.run(
        sample.pairs,
        sample.range_pairs,
        sample.origins,
        sample.matrix,
        window_minutes=args.window,
        repeats=args.repeats,
    )
    ferro: dict[str, Any] | None = None
    pyr: dict[str, Any] | None = None
    if peers["ferrobus"]:
        print("  ferrobus ...", file=sys.stderr, flush=True)
        ferro = run_ferrobus(peers["ferrobus"], case, runner, sample, args, workdir)
    if peers["pyraptor"] and args.pyraptor_queries > 0:
        print("  pyraptor ...", file=sys.stderr, flush=True)
        pyr = run_pyraptor(peers["pyraptor"], case, runner, sample, args, workdir)
    print_timings(case, args, ours, ferro, pyr, sample)
    print_agreement(case, args, runner, sample, ours, ferro, pyr)
    print_memory(network, path, date, ours, ferro, build_seconds)
    print(
        f"Load average after this feed: {load_average()} (other work on the machine slows "
        "every engine alike only if it is steady; medians over many queries help)."
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
            f"matrix {n}×{n} (median of {args.repeats})",
            ours.matrix_seconds,
            "matrix_seconds",
            False,
        ),
    ]
    print("| query (ms) | jjj | ferrobus 0.2.1 | jjj faster by | pyraptor 1.3.10 | jjj faster by |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, mine, key, with_pyraptor in rows:
        ours_ms = median_ms(mine)
        theirs_ms = median_ms(ferro[key]) if ferro else None
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


def p2p_reasons(ours: JjjResults, ferro: dict[str, Any]) -> str:
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
    return (
        f"where jjj is earlier, {other_stop}/{earlier} of its journeys ride from or to "
        "another stop within walking reach (ferrobus uses only the nearest stop); where "
        f"ferrobus is earlier, {with_changes}/{later} of jjj's journeys change vehicles "
        "(jjj applies transfers.txt minimum times and walks 1.3× the straight line)"
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
        lines.append(("ferrobus, point-to-point: why they differ", p2p_reasons(ours, ferro)))
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


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", nargs="+", choices=sorted(CASES), default=["subway", "bus"])
    parser.add_argument("--date", default="2026-09-15", help="a weekday both feeds cover")
    parser.add_argument("--time", default="08:00", help="departure, HH:MM")
    parser.add_argument("--max-transfers", type=int, default=3)
    parser.add_argument("--pairs", type=int, default=200, help="point-to-point queries")
    parser.add_argument("--one-to-all", type=int, default=20, help="one-to-all origins")
    parser.add_argument("--range-queries", type=int, default=20)
    parser.add_argument("--window", type=int, default=60, help="range window, minutes")
    parser.add_argument("--matrix", type=int, default=200, help="matrix side")
    parser.add_argument("--repeats", type=int, default=3, help="timed matrix runs")
    parser.add_argument("--pyraptor-queries", type=int, default=5)
    parser.add_argument("--oracle-pairs", type=int, default=20)
    parser.add_argument("--access-radius", type=float, default=1000.0, help="metres")
    parser.add_argument("--max-duration", type=int, default=360, help="minutes")
    parser.add_argument("--grid-spacing", type=float, default=150.0, help="metres")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--ferrobus-python", default=None)
    parser.add_argument("--pyraptor-python", default=None)
    parser.add_argument(
        "--workdir",
        type=Path,
        default=None,
        help="keep networks and peer inputs here (default: a temporary folder)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    cases = [CASES[name] for name in args.feeds]
    missing = [str(c.path) for c in cases if not c.path.exists()]
    if missing:
        print(f"skipped: shared data not present ({', '.join(missing)})")
        return 0
    peers = {
        "ferrobus": find_peer_python(args.ferrobus_python, "ferrobus"),
        "pyraptor": find_peer_python(args.pyraptor_python, "pyraptor"),
    }
    print("# Journey planning: jjj, ferrobus and pyraptor on the same feeds\n")
    print(
        f"Machine: {machine()}. Peers: "
        + ", ".join(f"{k} {v or 'not installed'}" for k, v in peers.items())
        + "."
    )
    print(json.dumps({k: v for k, v in vars(args).items() if k != "workdir"}, default=str))
    with tempfile.TemporaryDirectory(prefix="bench_routing_") as temporary:
        workdir = args.workdir or Path(temporary)
        workdir.mkdir(parents=True, exist_ok=True)
        for case in cases:
            bench_feed(case, args, peers, workdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
