"""Matrices at one departure time (compiled rows, threads): cells equal single ``plan``
queries and the per-minute reference computation, whatever the threads or batches."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import jjj.access.one_departure as one_departure
from jjj.access.batches import run_batches
from jjj.access.links import Walk, point_links
from jjj.access.matrix import MatrixBatch, MatrixJob, compute_batch
from jjj.access.one_departure import OneDeparture
from jjj.access.points import Points, read_points
from jjj.access.router import Window
from jjj.access.traveltime import TravelTimeComputer, TravelTimeSpec
from jjj.ids import UNREACHED
from jjj.routing.kernels import LANES
from jjj.routing.planner import Planner
from jjj.streets.geo import haversine_m
from jjj.timetable import Network
from tests.access.conftest import REGION_DAY, SUBWAY_DAY
from tests.access.test_traveltime import _planned, _points
from tests.routing.texttable import timetable


def _collect(job: MatrixJob, **options: Any) -> MatrixBatch:
    batches: list[MatrixBatch] = []
    run_batches(job, on_batch=batches.append, **options)
    return MatrixBatch(
        start=0,
        stop=len(job.origins),
        times=np.concatenate([b.times for b in batches]),
        reached=np.concatenate([b.reached for b in batches]),
        linked=np.concatenate([b.linked for b in batches]),
    )


def _reference(network: Network, points: Points, spec: TravelTimeSpec) -> np.ndarray:
    """``(origins, destinations)`` times of the window's one minute by the per-minute path."""
    computer = TravelTimeComputer(
        network,
        spec,
        point_links(network, points.lat, points.lon, spec.walk),
        points.lat,
        points.lon,
    )
    access = computer.origin_links(points.lat, points.lon)
    rows = []
    for o in range(len(points)):
        lo, hi = int(access.offsets[o]), int(access.offsets[o + 1])
        minutes = computer.minutes_from_origin(
            float(points.lat[o]), float(points.lon[o]), access.stops[lo:hi], access.seconds[lo:hi]
        )
        rows.append(minutes[:, 0])
    return np.stack(rows)


@pytest.mark.parametrize(
    ("which", "day", "start"),
    [("region", REGION_DAY, 7 * 3600 + 50 * 60), ("subway", SUBWAY_DAY, 8 * 3600)],
)
def test_cells_equal_plan_queries_and_the_per_minute_path(
    which: str, day: dt.date, start: int, request: pytest.FixtureRequest
) -> None:
    network: Network = request.getfixturevalue(which)
    points = _points(network, 40, seed=21)
    walk = Walk(max_walk_seconds=12 * 60)
    spec = TravelTimeSpec(
        window=Window(day, start, 1), percentiles=(50.0, 95.0), max_minutes=90, walk=walk
    )
    job = MatrixJob(network, points, points, spec)
    matrix = _collect(job, batch_size=7, workers=2)
    # every percentile of one minute is that minute's time; reached is 0 or 1
    np.testing.assert_array_equal(matrix.times[:, :, 0], matrix.times[:, :, 1])
    times = matrix.times[:, :, 0]
    np.testing.assert_array_equal(matrix.reached, (times < UNREACHED).astype(np.int16))
    np.testing.assert_array_equal(times, _reference(network, points, spec))
    planner = Planner(
        network, walking=walk.model, access_radius_m=walk.radius_m, max_duration_s=spec.max_seconds
    )
    rng = np.random.default_rng(4)
    checked = reached = 0
    for o in rng.choice(len(points), 8, replace=False).tolist():
        for d in rng.choice(len(points), 8, replace=False).tolist():
            apart = haversine_m(points.lat[o], points.lon[o], points.lat[d], points.lon[d])
            if apart < 2.2 * walk.radius_m:
                continue  # the planner offers no walk-only journey between coordinates
            expected = _planned(
                planner,
                (points.lat[o], points.lon[o]),
                (points.lat[d], points.lon[d]),
                day,
                start,
                spec.max_rounds - 1,
            )
            if expected > spec.max_seconds:
                expected = UNREACHED
            assert int(times[o, d]) == expected, (o, d)
            checked += 1
            reached += expected < UNREACHED
    assert checked >= 30 and reached >= 10


@pytest.mark.parametrize(
    ("which", "day", "start"),
    [("region", REGION_DAY, 7 * 3600 + 50 * 60), ("subway", SUBWAY_DAY, 8 * 3600)],
)
def test_rows_in_lanes_equal_rows_origin_by_origin(
    which: str, day: dt.date, start: int, request: pytest.FixtureRequest
) -> None:
    network: Network = request.getfixturevalue(which)
    # more origins than two searches' lanes, in the order drawn (not neighbours)
    points = _points(network, 2 * LANES + 9, seed=5)
    spec = TravelTimeSpec(window=Window(day, start, 1), percentiles=(50.0,), max_minutes=75)
    computer = TravelTimeComputer(
        network,
        spec,
        point_links(network, points.lat, points.lon, spec.walk),
        points.lat,
        points.lon,
    )
    in_lanes = OneDeparture(computer)
    one_by_one = OneDeparture(computer, lanes=False)
    assert in_lanes.lanes and not one_by_one.lanes
    got = in_lanes.rows(points.lat, points.lon, 1)
    want = one_by_one.rows(points.lat, points.lon, 1)
    for mine, theirs in zip(got, want, strict=True):
        np.testing.assert_array_equal(mine, theirs)
    assert (want[1] == 1).sum() > 2 * len(points)  # rides, not only walks to itself
    assert not want[2].all() or which == "subway"


def test_threads_and_batches_give_identical_results(region: Network) -> None:
    points = _points(region, 30, seed=8)
    spec = TravelTimeSpec(window=Window(REGION_DAY, 8 * 3600, 1), percentiles=(25.0, 50.0, 95.0))
    whole = compute_batch(MatrixJob(region, points, points, spec), 0, len(points))
    threaded = _collect(MatrixJob(region, points, points, spec), batch_size=4, workers=2)
    for field in ("times", "reached", "linked"):
        np.testing.assert_array_equal(getattr(whole, field), getattr(threaded, field))
    assert not whole.linked.all() and whole.linked.any()  # some points reach no stop


RULES = """
    R1: A B
      T1 08:00 08:10
    R2: B C
      T2 08:10 08:20
      T3 08:15 08:25
"""


@pytest.mark.parametrize("room", [None, 0])
def test_transfer_rules_and_a_full_event_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, room: int | None
) -> None:
    # five minutes to change at B, except a timed transfer R1 → R2 (an event in the
    # search): A → C on T1 then T2, not T3
    transfers = (
        "from_stop_id,to_stop_id,from_route_id,to_route_id,transfer_type,min_transfer_time\n"
        "B,B,,,2,300\nB,B,R1,R2,1,"
    )
    net = timetable(tmp_path, RULES, transfers=transfers)
    at = {s: i for i, s in enumerate(net.stop_ids)}
    stops = [at["f:A"], at["f:B"], at["f:C"]]
    points = Points.from_lists(
        ["A", "B", "C"], net.stop_lat[stops].tolist(), net.stop_lon[stops].tolist()
    )
    spec = TravelTimeSpec(window=Window(dt.date(2026, 9, 15), 7 * 3600 + 55 * 60, 1))
    redone: list[int] = []
    if room is not None:
        # no room for events: each search that needs one is redone per origin
        allocate = one_departure.allocate_state  # type: ignore[attr-defined]
        from_origin = TravelTimeComputer.from_origin

        def tiny(n_stops: int, n_vps: int, max_rounds: int) -> Any:
            return allocate(n_stops, n_vps, max_rounds, events=room, offers=room)

        def counted(self: TravelTimeComputer, *args: Any) -> Any:
            redone.append(1)
            return from_origin(self, *args)

        monkeypatch.setattr(one_departure, "allocate_state", tiny)
        monkeypatch.setattr(TravelTimeComputer, "from_origin", counted)
    job = MatrixJob(net, points, points, spec)
    batch = compute_batch(job, 0, 3)
    # A: 07:55 → C at 08:20 (T1, timed transfer to T2); B: T2 leaves 08:10, C at 08:20
    expected = np.array(
        [[0, 15 * 60, 25 * 60], [UNREACHED, 0, 25 * 60], [UNREACHED, UNREACHED, 0]],
        dtype=np.int32,
    )
    np.testing.assert_array_equal(batch.times[:, :, 0], expected)
    if room is not None:
        assert redone  # the fallback ran


def test_cli_at_one_departure_writes_the_computed_rows(
    region: Network, region_file: Path, tmp_path: Path
) -> None:
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    from jjj.cli import main

    points = _points(region, 25, seed=6)
    rows = [
        f"{i},{la:.6f},{lo:.6f}"
        for i, la, lo in zip(points.ids, points.lat, points.lon, strict=True)
    ]
    (tmp_path / "pts.csv").write_text("id,lat,lon\n" + "\n".join(rows) + "\n", encoding="utf-8")
    points = read_points(tmp_path / "pts.csv")
    common = [
        "matrix",
        str(region_file),
        "--origins",
        str(tmp_path / "pts.csv"),
        "--destinations",
        str(tmp_path / "pts.csv"),
        "--depart",
        "2026-09-15T08:10",
        "--window",
        "1",
        "--percentiles",
        "50,95",
    ]
    main([*common, "--out", str(tmp_path / "m.parquet"), "--workers", "2", "--batch-size", "6"])
    main([*common, "--out", str(tmp_path / "m.csv")])
    spec = TravelTimeSpec(
        window=Window(REGION_DAY, 8 * 3600 + 10 * 60, 1), percentiles=(50.0, 95.0)
    )
    direct = compute_batch(MatrixJob(region, points, points, spec), 0, len(points))
    expected = direct.times[:, :, 0].ravel().astype(np.float64)
    expected[expected == UNREACHED] = np.nan
    table = pq.read_table(tmp_path / "m.parquet")
    csv_table = pacsv.read_csv(tmp_path / "m.csv")
    for read in (table, csv_table):
        for column in ("p50_seconds", "p95_seconds"):
            values = read.column(column).to_numpy(zero_copy_only=False).astype(np.float64)
            np.testing.assert_array_equal(values, expected)
        share = read.column("reached_share").to_numpy(zero_copy_only=False)
        np.testing.assert_array_equal(share, np.isfinite(expected).astype(np.float64))
    summary = json.loads((tmp_path / "m.summary.json").read_text(encoding="utf-8"))
    missing = int(np.isnan(expected).sum())
    assert 0 < missing < len(expected)
    assert summary["unreachable_pairs"] == {"p50_seconds": missing, "p95_seconds": missing}
