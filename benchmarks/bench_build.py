"""Build Brooklyn buses + NYC subway: jjj's full build beside gtfs_kit's and partridge's read.

Each run is a separate process so peak memory (max RSS) is its own. The peers run
in whichever Python has them (``--peer-python``, default: this one); a peer that is
not installed is reported as missing, not skipped silently. Runs of jjj and of the
peers alternate (jjj, gtfs_kit, partridge, jjj, ...) so that a change in the load of
a shared machine falls on all of them alike. Prints medians of wall time, CPU time
(all threads) and peak memory.

    python benchmarks/bench_build.py --runs 3 --peer-python /path/to/venv/bin/python
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data" / "feeds" / "nyc_mta"
FEEDS = [DATA / "nyc_subway.zip", DATA / "nyc_bus_bk.zip"]

JJJ_BUILD = """
import json, resource, sys, time
from jjj.gtfs.read import read_feed
from jjj.timetable.build import build_network
from jjj.timetable.store import save_network
started, cpu = time.perf_counter(), time.process_time()
net = build_network([read_feed(p) for p in sys.argv[2:]])
save_network(net, sys.argv[1])
elapsed = time.perf_counter() - started
print(json.dumps({"seconds": elapsed, "cpu": time.process_time() - cpu,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "stop_times": net.n_stop_times}))
"""

JJJ_LOAD = """
import json, sys, time
started = time.perf_counter()
from jjj.timetable.store import load_network
net = load_network(sys.argv[1])
n = int(net.departures[-1]) + int(net.stop_patterns[-1])  # touch the data
elapsed = time.perf_counter() - started
print(json.dumps({"seconds": elapsed}))
"""

GTFS_KIT_READ = """
import json, resource, sys, time
import gtfs_kit
started, cpu = time.perf_counter(), time.process_time()
feeds = [gtfs_kit.read_feed(p, dist_units="km") for p in sys.argv[1:]]
n = sum(len(f.stop_times) for f in feeds)
print(json.dumps({"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "stop_times": n}))
"""

PARTRIDGE_READ = """
import json, resource, sys, time
import partridge
started, cpu = time.perf_counter(), time.process_time()
n = 0
for p in sys.argv[1:]:
    feed = partridge.load_feed(p)
    n += len(feed.stop_times)
print(json.dumps({"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "stop_times": n}))
"""


def run(python: str, code: str, *args: str) -> dict[str, float] | None:
    result = subprocess.run([python, "-c", code, *args], capture_output=True, text=True)
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["failed"])[-1]
        print(f"  ! {last}", file=sys.stderr)
        return None
    parsed: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return parsed


def medians(results: list[dict[str, float]]) -> dict[str, float] | None:
    if not results:
        return None
    return {key: statistics.median(r[key] for r in results) for key in results[0]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--peer-python", default=sys.executable)
    args = parser.parse_args()
    missing = [str(p) for p in FEEDS if not p.exists()]
    if missing:
        print(f"skipped: shared data not present ({', '.join(missing)})")
        return 0
    feeds = [str(p) for p in FEEDS]
    jobs = {
        "jjj": (sys.executable, JJJ_BUILD),
        "gtfs_kit": (args.peer_python, GTFS_KIT_READ),
        "partridge": (args.peer_python, PARTRIDGE_READ),
    }
    results: dict[str, list[dict[str, float]]] = {name: [] for name in jobs}
    failed: set[str] = set()
    with tempfile.TemporaryDirectory() as folder:
        out = str(Path(folder) / "nyc.jjjnet")
        run(sys.executable, JJJ_BUILD, out, *feeds)  # warm numba's cache
        for _ in range(args.runs):
            for name, (python, code) in jobs.items():
                if name in failed:
                    continue  # e.g. not installed: reported once
                arguments = (out, *feeds) if name == "jjj" else tuple(feeds)
                if (result := run(python, code, *arguments)) is None:
                    failed.add(name)
                else:
                    results[name].append(result)
        load = medians(
            [r for _ in range(max(args.runs, 5)) if (r := run(sys.executable, JJJ_LOAD, out))]
        )
        size_mb = Path(out).stat().st_size / 1e6
    ours, kit, partridge = (medians(results[name]) for name in jobs)
    assert ours is not None and load is not None
    print(
        f"Brooklyn buses + NYC subway ({int(ours['stop_times']):,} stop times), "
        f"median of {args.runs} alternating runs"
    )
    print("| what | wall time (s) | CPU time (s) | peak memory (MB) | jjj build is faster by |")
    print("|---|---:|---:|---:|---:|")
    print(
        f"| jjj build (validate + compile + save) | {ours['seconds']:.2f} | "
        f"{ours['cpu']:.2f} | {ours['peak_mb']:.0f} | |"
    )
    for label, peer in (
        ("gtfs_kit.read_feed (read only)", kit),
        ("partridge.load_feed (read only)", partridge),
    ):
        if peer is None:
            print(f"| {label} | not installed | | | |")
        else:
            print(
                f"| {label} | {peer['seconds']:.2f} | {peer['cpu']:.2f} | "
                f"{peer['peak_mb']:.0f} | {peer['seconds'] / ours['seconds']:.2f}× |"
            )
    print(f"| jjj load of the built network (mmap) | {load['seconds']:.3f} | | | |")
    print(
        f"network file: {size_mb:.0f} MB, "
        f"{size_mb * 1e6 / ours['stop_times']:.1f} bytes per stop time"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
