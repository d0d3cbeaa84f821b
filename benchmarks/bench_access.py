"""Accessibility beside ferrobus: matrices, windows, isochrones; and the region's circle.

On the NYC subway and on Brooklyn buses, with the same 1,000 points (scattered around
served stops, fixed seed) and the same date, this measures in the same run:

* a 1,000 × 1,000 travel-time matrix at one departure time: ``jjj matrix`` (two threads,
  end to end: process start, network, points, computation, Parquet file) and its
  computation alone (``run_batches`` with two threads, network and compiled kernels
  loaded, nothing written) beside ferrobus's ``travel_time_matrix`` call alone (Rust,
  all cores; its model and points built beforehand, its lists not converted). Each
  process times ``--repeats`` matrices and the median counts; jjj's and ferrobus's
  processes alternate ``--rounds`` times and the median over rounds is reported;
* the same over a 60-minute window (every minute, percentiles 5–95): ``jjj matrix
  --window 60`` beside 60 calls of ``travel_time_matrix`` with the percentiles taken
  in numpy (ferrobus has no windowed matrix; its windowed statistic is per isochrone);
* one isochrone (60 min): ``jjj isochrone`` (250 m cells) beside ferrobus's
  ``calculate_isochrone`` and, windowed, ``calculate_percent_access_isochrone``; the
  computation alone is the median of 15 (windowed: 5) calls after a warm-up, for both;
* peak memory of ``jjj matrix`` as the destinations grow (results are streamed);
* the bundled region's commuting-circle report (``jjj circle``, defaults).

ferrobus needs a street network (OSM PBF); none covers New York in the shared data, so
the benchmark writes a synthetic street grid (150 m spacing) over each feed's extent
(walks on it are Manhattan distances, about 1.27 × the straight line; jjj walks the
straight line × 1.3). Brooklyn's stops.txt pads coordinates with spaces, which
ferrobus's CSV reader rejects: its copy gets them stripped. Each measurement runs in
its own process; peak memory is the largest resident set of that process (and, for
jjj's worker processes, of the largest worker).

    python benchmarks/bench_access.py --ferrobus-python /path/to/venv-with-ferrobus/bin/python
    python benchmarks/bench_access.py --single-only --ferrobus-python ...  # one departure only
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
FEEDS = REPO.parent / "shared" / "data" / "feeds" / "nyc_mta"
DAY = "2026-09-15"
DEPART = 8 * 3600
ISOCHRONE_RUNS = 15  # timed isochrones per process (median), after one warm-up
WINDOW_ISOCHRONE_RUNS = 5
RUNS = f"ISOCHRONE_RUNS, WINDOW_ISOCHRONE_RUNS = {ISOCHRONE_RUNS}, {WINDOW_ISOCHRONE_RUNS}\n"

RUN_JJJ = """
import json, resource, sys, time
started = time.perf_counter()
from jjj.cli import main
try:
    main(sys.argv[1:])
except SystemExit as stop:
    assert stop.code in (0, None), stop.code
print(json.dumps({"seconds": time.perf_counter() - started,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "worker_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""

JJJ_COMPUTE = """
import datetime as dt, json, sys, time
from jjj.access.batches import run_batches
from jjj.access.matrix import MatrixJob, compute_batch
from jjj.access.points import read_points
from jjj.access.router import Window
from jjj.access.traveltime import TravelTimeSpec
network, points_path, minutes = sys.argv[1], sys.argv[2], int(sys.argv[3])
workers, repeats = int(sys.argv[6]), int(sys.argv[7])
points = read_points(points_path)
spec = TravelTimeSpec(window=Window(dt.date.fromisoformat(sys.argv[4]), int(sys.argv[5]), minutes))
job = MatrixJob(network, points, points, spec)
compute_batch(job, 0, 2)  # warm: day view, links, compiled kernels
result = {}
started = time.perf_counter()
compute_batch(job, 0, len(points))
result["seconds_one_thread"] = time.perf_counter() - started
runs = []
for _ in range(repeats):
    batches = []
    started = time.perf_counter()
    run_batches(job, workers=workers, on_batch=batches.append)
    runs.append(time.perf_counter() - started)
    del batches
result["seconds_threads_runs"] = runs
result["seconds_threads"] = sorted(runs)[len(runs) // 2]
print(json.dumps(result))
"""

JJJ_ISOCHRONE_COMPUTE = """
import datetime as dt, json, sys, time
from jjj.access.isochrone import isochrones
from jjj.access.router import Window
from jjj.access.surface import GridTargets, SurfaceComputer, network_grid
from jjj.access.traveltime import TravelTimeSpec
from jjj.timetable.store import load_network
network, lat, lon, day, depart, minutes = sys.argv[1:7]
net = load_network(network)
spec = TravelTimeSpec(window=Window(dt.date.fromisoformat(day), int(depart), int(minutes)),
                      percentiles=(50.0,))
started = time.perf_counter()
grid = network_grid(net, spec.walk, cell_m=250.0)
computer = SurfaceComputer(net, spec, GridTargets.build(net, grid, spec.walk))
prepare = time.perf_counter() - started
runs = []
for _ in range(1 + (ISOCHRONE_RUNS if int(minutes) == 1 else WINDOW_ISOCHRONE_RUNS)):
    started = time.perf_counter()
    surface = computer.surface(float(lat), float(lon))
    shapes = isochrones(surface, [60.0], percentile=50.0)
    runs.append(time.perf_counter() - started)
print(json.dumps({"prepare_seconds": prepare, "seconds": sorted(runs[1:])[len(runs[1:]) // 2],
                  "cells": grid.n_cells, "area_km2": shapes[0].area_m2 / 1e6}))
"""

FERROBUS = """
import datetime as dt, json, resource, sys, time
import numpy as np
import ferrobus
osm, gtfs, points_path, out, day, depart, window, repeats, single_only = sys.argv[1:10]
depart, window, repeats = int(depart), int(window), int(repeats)
result = {}
started = time.perf_counter()
model = ferrobus.create_transit_model(osm, [gtfs], dt.date.fromisoformat(day))
result["model_seconds"] = time.perf_counter() - started
rows = [r for r in __import__("csv").DictReader(open(points_path))]
started = time.perf_counter()
points, kept = [], []
for i, r in enumerate(rows):
    try:
        point = ferrobus.create_transit_point(float(r["lat"]), float(r["lon"]), model, 900, 10)
        points.append(point)
        kept.append(i)
    except ValueError:
        pass
result["points_seconds"] = time.perf_counter() - started
result["points_not_snapped"] = len(rows) - len(points)
def matrix(t):
    m = ferrobus.travel_time_matrix(model, points, t, 7)
    return np.array([[-1 if v is None else v for v in row] for row in m], dtype=np.int32)
runs = []
for _ in range(repeats):  # the travel_time_matrix call alone (its lists not converted)
    started = time.perf_counter()
    m = ferrobus.travel_time_matrix(model, points, depart, 7)
    runs.append(time.perf_counter() - started)
result["matrix_seconds_runs"] = runs
result["matrix_seconds"] = sorted(runs)[len(runs) // 2]
started = time.perf_counter()
single = np.array([[-1 if v is None else v for v in row] for row in m], dtype=np.int32)
result["matrix_to_numpy_seconds"] = time.perf_counter() - started
np.save(out, single)
json.dump(kept, open(out + ".kept.json", "w"))
if single_only == "1":
    print(json.dumps(result))
    sys.exit(0)
if window > 1:
    started = time.perf_counter()
    stack = np.empty((window,) + single.shape, dtype=np.int32)
    for m in range(window):
        stack[m] = matrix(depart + 60 * m)
    times = np.where(stack < 0, np.iinfo(np.int32).max, stack)
    percentiles = np.percentile(times, [5, 25, 50, 75, 95], axis=0, method="inverted_cdf")
    result["window_matrix_seconds"] = time.perf_counter() - started
    del stack, times, percentiles
lat = [float(rows[i]["lat"]) for i in kept]
lon = [float(rows[i]["lon"]) for i in kept]
area = (f"POLYGON(({min(lon)} {min(lat)}, {max(lon)} {min(lat)}, {max(lon)} {max(lat)}, "
        f"{min(lon)} {max(lat)}, {min(lon)} {min(lat)}))")
started = time.perf_counter()
index = ferrobus.create_isochrone_index(model, area, 9, 900)
result["isochrone_index_seconds"] = time.perf_counter() - started
origin = points[0]
span = (depart, depart + 60 * max(window, 1))
for key, call, n in (
    ("isochrone_seconds", lambda: ferrobus.calculate_isochrone(
        model, origin, depart, 7, 3600, index), ISOCHRONE_RUNS),
    ("isochrone_window_seconds", lambda: ferrobus.calculate_percent_access_isochrone(
        model, origin, span, 60, 7, 3600, index), WINDOW_ISOCHRONE_RUNS),
):
    call()  # warm
    runs = []
    for _ in range(n):
        started = time.perf_counter()
        call()
        runs.append(time.perf_counter() - started)
    result[key] = sorted(runs)[len(runs) // 2]
result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(result))
"""

STREET_GRID = """
import csv, math, sys
import osmium
from osmium.osm.mutable import Node, Way
stops, out, spacing = sys.argv[1], sys.argv[2], float(sys.argv[3])
lat, lon = [], []
for r in csv.DictReader(open(stops, newline="", encoding="utf-8-sig")):
    lat.append(float(r["stop_lat"])); lon.append(float(r["stop_lon"]))
lat0, lat1, lon0, lon1 = min(lat) - 0.02, max(lat) + 0.02, min(lon) - 0.02, max(lon) + 0.02
dlat = spacing / 111320.0
dlon = spacing / (111320.0 * math.cos(math.radians((lat0 + lat1) / 2)))
ny, nx = int((lat1 - lat0) / dlat) + 1, int((lon1 - lon0) / dlon) + 1
writer = osmium.SimpleWriter(out)
node = lambda i, j: i * nx + j + 1
for i in range(ny):
    for j in range(nx):
        writer.add_node(Node(id=node(i, j), location=(lon0 + j * dlon, lat0 + i * dlat), tags={}))
way = 1
for i in range(ny):
    nodes = [node(i, j) for j in range(nx)]
    writer.add_way(Way(id=way, nodes=nodes, tags={"highway": "residential"}))
    way += 1
for j in range(nx):
    nodes = [node(i, j) for i in range(ny)]
    writer.add_way(Way(id=way, nodes=nodes, tags={"highway": "residential"}))
    way += 1
writer.close()
"""


def _run(python: str, code: str, *args: str) -> dict[str, Any]:
    done = subprocess.run(
        [python, "-c", code, *map(str, args)], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        return {"error": (done.stderr or done.stdout).strip().splitlines()[-1:]}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _jjj(*args: str) -> dict[str, Any]:
    return _run(sys.executable, RUN_JJJ, *args)


def _points(network_path: Path, out: Path, n: int, seed: int) -> None:
    from jjj.timetable.store import load_network

    net = load_network(network_path)
    rng = np.random.default_rng(seed)
    pick = rng.choice(np.unique(net.pattern_stops), n)
    lat = net.stop_lat[pick] + rng.normal(0, 0.003, n)
    lon = net.stop_lon[pick] + rng.normal(0, 0.003, n)
    rows = "".join(f"p{i},{lat[i]:.6f},{lon[i]:.6f}\n" for i in range(n))
    out.write_text("id,lat,lon\n" + rows, encoding="utf-8")


def _ferrobus_gtfs(feed: Path, folder: Path) -> Path:
    with zipfile.ZipFile(feed) as archive:
        archive.extractall(folder)
    stops = folder / "stops.txt"
    with stops.open(newline="", encoding="utf-8-sig") as handle:
        rows = [[cell.strip() for cell in row] for row in csv.reader(handle)]
    with stops.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return folder


def _agreement(parquet: Path, ferrobus_npy: Path) -> dict[str, float]:
    import pyarrow.parquet as pq

    table = pq.read_table(parquet, columns=["p50_seconds"])
    ours = table.column("p50_seconds").to_numpy(zero_copy_only=False)
    n = round(len(ours) ** 0.5)
    ours = ours.reshape(n, n)
    theirs = np.load(ferrobus_npy).astype(np.float64)
    kept = json.loads(Path(str(ferrobus_npy) + ".kept.json").read_text())
    ours = ours[np.ix_(kept, kept)]
    both = np.isfinite(ours) & (theirs >= 0) & (theirs <= 7200)
    signed = (ours[both] - theirs[both]) / 60
    difference = np.abs(signed)
    return {
        "pairs_compared": int(both.sum()),
        "median_abs_difference_min": round(float(np.median(difference)), 2),
        "median_jjj_minus_ferrobus_min": round(float(np.median(signed)), 2),
        "share_within_5_min": round(float((difference <= 5).mean()), 3),
    }


def _medians(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """The median over rounds of every figure whose key mentions seconds."""
    if any("error" in r for r in rounds):
        return next(r for r in rounds if "error" in r)
    keys = [k for k in rounds[0] if "seconds" in k and not k.endswith("_runs")]
    return {k: float(np.median([r[k] for r in rounds])) for k in keys}


def bench_feed(name: str, zip_name: str, args: argparse.Namespace, work: Path) -> dict[str, Any]:
    folder = work / name
    folder.mkdir()
    network = folder / "network.jjj"
    started = time.perf_counter()
    build = _jjj("build", str(FEEDS / zip_name), "--out", str(network), "--no-validate")
    build["wall_seconds"] = time.perf_counter() - started
    points = folder / "points.csv"
    _points(network, points, args.points, seed=42)
    when = f"{DAY}T08:00"
    common = [
        "--origins",
        str(points),
        "--destinations",
        str(points),
        "--depart",
        when,
        "--workers",
        str(args.workers),
        "--max-transfers",
        "7",
    ]
    out: dict[str, Any] = {"build": build}
    ends = [
        _jjj(
            "matrix",
            str(network),
            *common,
            "--window",
            "1",
            "--out",
            str(folder / "single.parquet"),
        )
        for _ in range(args.rounds)
    ]
    out["jjj_matrix"] = {
        **ends[-1],
        **_medians(ends),
        "seconds_runs": [e.get("seconds") for e in ends],
    }
    if args.ferrobus_python:
        gtfs = _ferrobus_gtfs(FEEDS / zip_name, folder / "gtfs")
        osm = folder / "streets.osm.pbf"
        subprocess.run(
            [args.ferrobus_python, "-c", STREET_GRID, str(gtfs / "stops.txt"), str(osm), "150"],
            check=True,
        )
    # jjj's computation and ferrobus's matrix alternate (the machine may be shared)
    for round_ in range(args.rounds):
        jjj_compute = _run(
            sys.executable,
            JJJ_COMPUTE,
            str(network),
            str(points),
            "1",
            DAY,
            str(DEPART),
            str(args.workers),
            str(args.repeats),
        )
        out.setdefault("jjj_matrix_compute_rounds", []).append(jjj_compute)
        if args.ferrobus_python:
            theirs = _run(
                args.ferrobus_python,
                RUNS + FERROBUS,
                str(osm),
                str(gtfs),
                str(points),
                str(folder / "ferrobus.npy"),
                DAY,
                str(DEPART),
                str(args.window),
                str(args.repeats),
                "1" if args.single_only or round_ < args.rounds - 1 else "0",
            )
            out.setdefault("ferrobus_rounds", []).append(theirs)
    out["jjj_matrix_compute"] = _medians(out["jjj_matrix_compute_rounds"])
    if args.ferrobus_python:
        out["ferrobus"] = {**out["ferrobus_rounds"][-1], **_medians(out["ferrobus_rounds"])}
        if "error" not in out["ferrobus"]:
            out["agreement"] = _agreement(folder / "single.parquet", folder / "ferrobus.npy")
    if args.single_only:
        return out
    out["jjj_window"] = _jjj(
        "matrix",
        str(network),
        *common,
        "--window",
        str(args.window),
        "--out",
        str(folder / "window.parquet"),
    )
    first = points.read_text().splitlines()[1].split(",")
    for label, window in (("jjj_isochrone", "1"), ("jjj_isochrone_window", str(args.window))):
        out[label] = _jjj(
            "isochrone",
            str(network),
            "--from",
            f"{first[1]},{first[2]}",
            "--depart",
            when,
            "--window",
            window,
            "--cutoffs",
            "60",
            "--out",
            str(folder / f"{label}.geojson"),
        )
    for label, window in (
        ("jjj_isochrone_compute", "1"),
        ("jjj_isochrone_window_compute", str(args.window)),
    ):
        out[label] = _run(
            sys.executable,
            RUNS + JJJ_ISOCHRONE_COMPUTE,
            str(network),
            first[1],
            first[2],
            DAY,
            str(DEPART),
            window,
        )
    if args.memory and name == "subway":
        more = folder / "more.csv"
        _points(network, more, 4 * args.points, seed=7)
        out["jjj_matrix_4x_destinations"] = _jjj(
            "matrix",
            str(network),
            "--origins",
            str(points),
            "--destinations",
            str(more),
            "--depart",
            when,
            "--window",
            "1",
            "--workers",
            str(args.workers),
            "--out",
            str(folder / "more.parquet"),
        )
    return out


def bench_region(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    from jjj.data import feed_paths

    network = work / "region.jjj"
    paths = [str(p) for p in feed_paths().values()]
    build = _jjj("build", *paths, "--out", str(network))
    circle = _jjj("circle", str(network), "--depart", f"{DAY}T07:00", "--out", str(work / "circle"))
    summary = json.loads((work / "circle" / "circle.json").read_text(encoding="utf-8"))
    return {
        "build": build,
        "circle": circle,
        "circle_stages": summary["seconds"],
        "population_median": summary["circle"]["median_p50"]["population"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=1000)
    parser.add_argument("--window", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--feeds", default="subway,bus_bk")
    parser.add_argument("--ferrobus-python", default=None, help="A Python with ferrobus.")
    parser.add_argument(
        "--repeats", type=int, default=5, help="Timed matrices per process (median)."
    )
    parser.add_argument(
        "--rounds", type=int, default=3, help="Alternating jjj / ferrobus processes."
    )
    parser.add_argument(
        "--single-only",
        action="store_true",
        help="Only the matrices at one departure time (no windows, isochrones, region).",
    )
    parser.add_argument("--no-memory", dest="memory", action="store_false")
    parser.add_argument("--no-region", dest="region", action="store_false")
    parser.add_argument("--json", type=Path, default=None, help="Also write the results here.")
    args = parser.parse_args()
    zips = {"subway": "nyc_subway.zip", "bus_bk": "nyc_bus_bk.zip"}
    results: dict[str, Any] = {"points": args.points, "window": args.window}
    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        for name in args.feeds.split(","):
            results[name] = bench_feed(name, zips[name], args, work)
            print(json.dumps({name: results[name]}, indent=1), flush=True)
        if args.region and not args.single_only:
            results["region"] = bench_region(args, work)
            print(json.dumps({"region": results["region"]}, indent=1), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
