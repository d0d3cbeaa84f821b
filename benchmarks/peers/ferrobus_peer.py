"""ferrobus's side of the routing benchmark (run with the interpreter that has ferrobus).

Reads a JSON spec (path given as the only argument), prints one JSON line.

Spec keys
    ``osm`` (street grid .osm.pbf), ``gtfs_dir`` (unpacked feed), ``date`` (ISO),
    ``max_transfer_time`` (walking seconds between stops), ``walk_seconds`` and
    ``nearest_stops`` (how far and to how many stops a point connects),
    ``departure`` (seconds since midnight), ``max_transfers`` (ferrobus's argument),
    ``window`` (seconds, range queries), ``repeats`` (timed repetitions of the
    matrix), ``pairs`` ([lat, lon, lat, lon] per query), ``range_pairs`` (indices
    into ``pairs``), ``one_to_all`` (indices of origins in ``targets``), ``targets``
    ([lat, lon] of every stop), ``matrix`` (indices into ``targets``).
Output (times in seconds, travel times in seconds or null)
    ``build_seconds``, ``rss_mb`` (after the build), ``point_seconds`` (per point),
    ``p2p_seconds``/``p2p_travel``, ``p2p_points_seconds`` (points made in the timing),
    ``range_seconds``/``range_first``, ``one_to_all_seconds``
    /``one_to_all_travel``, ``matrix_seconds``/``matrix_travel``.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
import resource
import sys
import time
from typing import Any

import ferrobus


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as handle:
        spec: dict[str, Any] = json.load(handle)
    rss_before = _rss_mb()
    started = time.perf_counter()
    model = ferrobus.create_transit_model(
        spec["osm"],
        [spec["gtfs_dir"]],
        dt.date.fromisoformat(spec["date"]),
        spec["max_transfer_time"],
    )
    build = time.perf_counter() - started
    rss = _rss_mb() - rss_before
    walk, nearest = spec["walk_seconds"], spec["nearest_stops"]
    departure, transfers = spec["departure"], spec["max_transfers"]

    def point(lat: float, lon: float) -> Any:
        return ferrobus.create_transit_point(lat, lon, model, walk, nearest)

    started = time.perf_counter()
    targets = [point(lat, lon) for lat, lon in spec["targets"]]
    point_seconds = (time.perf_counter() - started) / max(len(targets), 1)
    pairs = [(point(a, b), point(c, d)) for a, b, c, d in spec["pairs"]]

    ferrobus.find_route(model, pairs[0][0], pairs[0][1], departure, transfers)  # warm up
    p2p_seconds, p2p_travel = [], []
    for start, end in pairs:
        started = time.perf_counter()
        found = ferrobus.find_route(model, start, end, departure, transfers)
        p2p_seconds.append(time.perf_counter() - started)
        p2p_travel.append(None if found is None else found["travel_time_seconds"])

    # the same queries with the transit points made inside the timing, as jjj resolves
    # coordinates inside its own
    p2p_points_seconds = []
    for a, b, c, d in spec["pairs"]:
        started = time.perf_counter()
        ferrobus.find_route(model, point(a, b), point(c, d), departure, transfers)
        p2p_points_seconds.append(time.perf_counter() - started)

    window = (departure, departure + spec["window"])
    range_seconds, range_first = [], []
    for index in spec["range_pairs"]:
        start, end = pairs[index]
        started = time.perf_counter()
        result = ferrobus.range_multimodal_routing(model, start, end, window, transfers)
        range_seconds.append(time.perf_counter() - started)
        journeys = json.loads(result.as_json())["journeys"]
        range_first.append(
            min((j["arrival_time"] for j in journeys), default=None) if journeys else None
        )

    one_seconds, one_travel = [], []
    for index in spec["one_to_all"]:
        started = time.perf_counter()
        found_all = ferrobus.find_routes_one_to_many(
            model, targets[index], targets, departure, transfers
        )
        one_seconds.append(time.perf_counter() - started)
        one_travel.append([None if r is None else r["travel_time_seconds"] for r in found_all])

    chosen = [targets[i] for i in spec["matrix"]]
    matrix_seconds: list[float] = []
    matrix: list[list[int | None]] = []
    for _ in range(spec["repeats"]):
        started = time.perf_counter()
        matrix = ferrobus.travel_time_matrix(model, chosen, departure, transfers)
        matrix_seconds.append(time.perf_counter() - started)

    print(
        json.dumps(
            {
                "version": importlib.metadata.version("ferrobus"),
                "build_seconds": build,
                "rss_mb": rss,
                "model": str(model),
                "point_seconds": point_seconds,
                "p2p_seconds": p2p_seconds,
                "p2p_travel": p2p_travel,
                "p2p_points_seconds": p2p_points_seconds,
                "range_seconds": range_seconds,
                "range_first": range_first,
                "one_to_all_seconds": one_seconds,
                "one_to_all_travel": one_travel,
                "matrix_seconds": matrix_seconds,
                "matrix_travel": matrix,
            }
        )
    )


if __name__ == "__main__":
    main()
