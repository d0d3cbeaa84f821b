"""Inputs of the routing benchmark: the compiled network, the sampled queries, and the
files each peer reads (an unpacked feed for ferrobus, a street grid, JSON specs).

Everything here runs in jjj's interpreter; the peers run in theirs (see ``peers/``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import shutil
import subprocess
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from jjj.errors import NetworkError
from jjj.gtfs.read import read_feed
from jjj.streets import read_walk_graph
from jjj.timetable.build import build_network
from jjj.timetable.footpaths import WalkingModel
from jjj.timetable.network import Network
from jjj.timetable.store import load_network, save_network

__all__ = [
    "FERROBUS_WALKING_SPEED",
    "PEERS",
    "FeedCase",
    "Sample",
    "find_peer_python",
    "network_for",
    "original_id",
    "run_peer",
    "run_peer_spec",
    "sample_queries",
    "served_stops",
    "write_ferrobus_gtfs",
    "write_street_grid",
]

PEERS = Path(__file__).resolve().parent / "peers"

#: ferrobus walks at a fixed 1.4 m/s; jjj's network is built at the same speed here.
FERROBUS_WALKING_SPEED = 1.4

I32 = npt.NDArray[np.int32]


@dataclass(frozen=True)
class FeedCase:
    """One benchmark input: a GTFS zip and the name its ids are namespaced with."""

    label: str
    name: str
    path: Path


@dataclass
class Sample:
    """The queries every engine answers, as stop indices of the jjj network.

    ``pairs`` (origin, destination) for point-to-point and range queries; ``origins``
    for one-to-all; ``matrix`` for the square matrix; ``targets`` every served stop
    (one-to-all destinations).
    """

    pairs: list[tuple[int, int]]
    range_pairs: list[int]
    origins: list[int]
    matrix: list[int]
    targets: list[int]


def network_for(
    case: FeedCase,
    workdir: Path,
    *,
    walking: WalkingModel,
    streets: Path | None = None,
    rebuild: bool = False,
) -> tuple[Network, Path, float | None]:
    """Build (or reuse) the compiled network of ``case``, its footpaths walking the
    street network ``streets`` when given; returns it, its file and the build time in
    seconds (``None`` when an earlier build was reused)."""
    path = workdir / (f"{case.name}.streets.jjjnet" if streets else f"{case.name}.jjjnet")
    if not rebuild and path.exists():
        reused: Network | None
        try:
            reused = load_network(path)
        except NetworkError:  # written by another version of jjj
            reused = None
        meta = reused.meta.get("walking", {}) if reused else {}
        speed = meta.get("speed_mps")
        wanted_streets = streets.name if streets else None
        if (
            reused is not None
            and speed is not None
            and abs(float(speed) - walking.speed_mps) < 1e-9
            and meta.get("streets", {}).get("source") == wanted_streets
            and (streets is None or path.stat().st_mtime > streets.stat().st_mtime)
        ):
            return reused, path, None
    started = time.perf_counter()
    graph = read_walk_graph(streets) if streets else None
    network = build_network([read_feed(case.path, name=case.name)], walking=walking, streets=graph)
    save_network(network, path)
    seconds = time.perf_counter() - started
    return load_network(path), path, seconds


def served_stops(network: Network, date: dt.date) -> I32:
    """Stops (location_type 0) that some trip running on ``date`` calls at."""
    trips = network.trips_active_on(date)
    patterns = np.unique(network.trip_pattern_idx[trips])
    patterns = patterns[patterns >= 0]
    starts = network.pattern_stops_offsets[patterns]
    ends = network.pattern_stops_offsets[patterns + 1]
    chosen = np.concatenate([network.pattern_stops[a:b] for a, b in zip(starts, ends, strict=True)])
    stops = np.unique(chosen)
    stops = stops[network.stop_location_type[stops] == 0]
    served: I32 = stops.astype(np.int32)
    return served


def sample_queries(
    network: Network,
    date: dt.date,
    *,
    pairs: int,
    range_pairs: int,
    origins: int,
    matrix: int,
    seed: int,
) -> Sample:
    """Random distinct origin–destination pairs and stop sets among the served stops."""
    rng = np.random.default_rng(seed)
    served = served_stops(network, date)
    chosen: list[tuple[int, int]] = []
    while len(chosen) < pairs:
        a, b = (int(x) for x in rng.choice(served, size=2, replace=False))
        chosen.append((a, b))
    square = rng.choice(served, size=min(matrix, len(served)), replace=False)
    return Sample(
        pairs=chosen,
        range_pairs=list(range(min(range_pairs, pairs))),
        origins=[a for a, _ in chosen[:origins]],
        matrix=[int(s) for s in square],
        targets=[int(s) for s in served],
    )


def original_id(network: Network, stop_idx: int, feed_name: str) -> str:
    """The GTFS stop_id (without the ``FEED:`` namespace)."""
    return network.stop_ids[stop_idx].removeprefix(f"{feed_name}:")


def write_ferrobus_gtfs(case: FeedCase, network: Network, date: dt.date, out: Path) -> Path:
    """Unpack the feed for ferrobus with its calendar reduced to ``date``.

    ferrobus selects services by weekday only (it ignores start and end dates), so
    every weekday service of a feed with several service periods would run at once.
    calendar.txt is rewritten to list the services jjj finds active on the date (the
    same set, taken from the compiled calendar), and calendar_dates.txt is emptied.
    stops.txt is rewritten with blanks around values removed (``"  40.578350"`` in the
    Brooklyn feed stops ferrobus's CSV reader); nothing else changes.
    """
    prefix = f"{case.name}:"
    service_ids = network.service_ids.to_list()
    active = [
        service_ids[i].removeprefix(prefix)
        for i in np.flatnonzero(network.services_active_on(date)).tolist()
    ]
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    with zipfile.ZipFile(case.path) as archive:
        for member in archive.namelist():
            if member in ("calendar.txt", "calendar_dates.txt") or member.endswith("/"):
                continue
            target = out / Path(member).name
            with archive.open(member) as source, target.open("wb") as sink:
                if member == "stops.txt":
                    sink.write(_stripped_csv(source.read()))
                else:
                    shutil.copyfileobj(source, sink, length=1 << 20)
    days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    header = ["service_id", *days, "start_date", "end_date"]
    ymd = date.strftime("%Y%m%d")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for service in active:
        flags = ["1" if i == date.weekday() else "0" for i in range(7)]
        writer.writerow([service, *flags, ymd, ymd])
    (out / "calendar.txt").write_text(buffer.getvalue(), encoding="utf-8")
    (out / "calendar_dates.txt").write_text("service_id,date,exception_type\n", encoding="utf-8")
    return out


def _stripped_csv(data: bytes) -> bytes:
    """The CSV ``data`` with surrounding blanks removed from every value."""
    text = data.decode("utf-8-sig")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in csv.reader(io.StringIO(text)):
        writer.writerow([value.strip() for value in row])
    return buffer.getvalue().encode("utf-8")


def write_street_grid(
    python: str, network: Network, stops: I32, spacing_m: float, out: Path, margin_m: float
) -> dict[str, int]:
    """A walkable street grid over the stops' extent plus ``margin_m``, each stop joined
    to its nearest corner (pyosmium, run by the peer's interpreter)."""
    lat = network.stop_lat[stops]
    lon = network.stop_lon[stops]
    mid = float(np.radians(lat.mean()))
    dlat = margin_m / 111_320.0
    dlon = margin_m / (111_320.0 * float(np.cos(mid)))
    bbox = f"{lon.min() - dlon},{lat.min() - dlat},{lon.max() + dlon},{lat.max() + dlat}"
    positions = out.with_suffix(".stops.json")
    positions.write_text(json.dumps(np.column_stack([lat, lon]).tolist()), encoding="utf-8")
    result = run_peer(
        python,
        PEERS / "street_grid.py",
        f"--bbox={bbox}",
        "--spacing",
        str(spacing_m),
        "--out",
        str(out),
        "--stops",
        str(positions),
    )
    return {k: int(v) for k, v in result.items()}


def run_peer(python: str, script: Path, *args: str) -> dict[str, Any]:
    """Run ``script`` with ``python``; returns the JSON of its last output line."""
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    result = subprocess.run(
        [python, str(script), *args], capture_output=True, text=True, env=env, check=False
    )
    if result.returncode != 0:
        tail = "\n".join(result.stderr.strip().splitlines()[-5:])
        raise RuntimeError(f"{script.name} failed:\n{tail}")
    parsed: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return parsed


def run_peer_spec(python: str, script: Path, spec: dict[str, Any], path: Path) -> dict[str, Any]:
    """Write ``spec`` to ``path`` and run the peer on it."""
    path.write_text(json.dumps(spec), encoding="utf-8")
    return run_peer(python, script, str(path))


def find_peer_python(given: str | None, module: str) -> str | None:
    """``given`` if set, else the first ``python3``/``python`` on PATH that imports
    ``module``; ``None`` when there is none."""
    if given:
        return given if Path(given).exists() or shutil.which(given) else None
    seen: set[str] = set()
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        for name in ("python3", "python"):
            candidate = Path(folder) / name
            if not candidate.is_file() or str(candidate.resolve()) in seen:
                continue
            seen.add(str(candidate.resolve()))
            probe = subprocess.run(
                [str(candidate), "-c", f"import {module}"], capture_output=True, check=False
            )
            if probe.returncode == 0:
                return str(candidate)
    return None
