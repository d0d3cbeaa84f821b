"""Journey planning on NYC subway and Brooklyn buses: jjj beside ferrobus and pyraptor.

The three engines answer the same queries on the same feed in the same run, each
peer in its own interpreter (``--ferrobus-python``, ``--pyraptor-python``; by
default the first ``python3`` on PATH that imports it, else "not installed"):

* point-to-point: random pairs of served stops, from and to their coordinates with
  walking access and egress, departing at ``--time`` (median latency);
* one-to-all: earliest arrival at every served stop from an origin's coordinates;
* range: every departure of a 1-hour window between two points;
* matrix: ``--matrix`` × ``--matrix`` stops, from and to their coordinates.

Both engines walk a synthetic street grid written with pyosmium over the feed's
extent (no OSM extract covers New York): ferrobus for its transfers, jjj for its
footpaths (``jjj build --streets``; ``--footpaths straight`` gives jjj its own
straight-line model instead), both at ferrobus's walking speed (1.4 m/s) and up to
the same walking time. pyraptor answers a few station-to-station queries. Then
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
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from jjj.timetable.footpaths import WalkingModel
from routing_agreement import station_access
from routing_inputs import (
    FERROBUS_WALKING_SPEED,
    PEERS,
    FeedCase,
    find_peer_python,
    network_for,
    original_id,
    run_peer_spec,
    sample_queries,
    write_ferrobus_gtfs,
    write_street_grid,
)
from routing_jjj import JjjRunner
from routing_report import (
    footpath_note,
    load_average,
    machine,
    print_agreement,
    print_memory,
    print_timings,
)

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data" / "feeds" / "nyc_mta"
CASES = {
    "subway": FeedCase("NYC subway", "nyc_subway", DATA / "nyc_subway.zip"),
    "bus": FeedCase("Brooklyn buses", "nyc_bus_bk", DATA / "nyc_bus_bk.zip"),
}


def run_ferrobus(
    python: str,
    case: FeedCase,
    runner: JjjRunner,
    sample: Any,
    args: argparse.Namespace,
    workdir: Path,
    grid_path: Path,
) -> dict[str, Any]:
    network = runner.network
    gtfs = write_ferrobus_gtfs(case, network, runner.date, workdir / f"{case.name}_gtfs")
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
    return run_peer_spec(python, PEERS / "ferrobus_peer.py", spec, workdir / "ferrobus.json")


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
    grid_path = workdir / f"{case.name}_grid.osm.pbf"
    grid = write_street_grid(
        sys.executable,
        network,
        np.array(sample.targets),
        args.grid_spacing,
        grid_path,
        margin_m=1500,
    )
    if args.footpaths == "streets":
        # the same stops in the same order: only the footpaths differ
        network, path, build_seconds = network_for(
            case, workdir, walking=walking, streets=grid_path
        )
    print(
        f"\n## {case.label}: {network.n_stop_times:,} stop times, {network.n_stops:,} stops, "
        f"{len(sample.targets):,} served on {date.isoformat()} ({date:%A}), "
        f"departing {args.time}, at most {args.max_transfers} transfers\n",
        flush=True,
    )
    print(footpath_note(network))
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
        try:
            ferro = run_ferrobus(peers["ferrobus"], case, runner, sample, args, workdir, grid_path)
            ferro["grid"] = grid
        except RuntimeError as exc:
            print(f"ferrobus did not run: {exc}\n")
    if peers["pyraptor"] and args.pyraptor_queries > 0:
        print("  pyraptor ...", file=sys.stderr, flush=True)
        try:
            pyr = run_pyraptor(peers["pyraptor"], case, runner, sample, args, workdir)
        except RuntimeError as exc:
            print(f"pyraptor did not run: {exc}\n")
    print_timings(case, args, ours, ferro, pyr, sample)
    print_agreement(case, args, runner, sample, ours, ferro, pyr)
    print_memory(network, path, date, ours, ferro, build_seconds)
    print(
        f"Load average after this feed: {load_average()} (other work on the machine slows "
        "every engine alike only if it is steady; medians over many queries help)."
    )


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
    parser.add_argument(
        "--footpaths",
        choices=["streets", "straight"],
        default="streets",
        help="jjj's footpaths: along the street grid ferrobus walks (like with like), or "
        "jjj's straight-line model (400 m × 1.3)",
    )
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
