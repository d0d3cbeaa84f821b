"""``jjj matrix``: every pair written (unreachable ones explicit), points reaching no stop
reported by id, Parquet and CSV alike, local processes and a Dask cluster identical."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from jjj.access.batches import run_batches
from jjj.access.links import Walk, served_stops
from jjj.access.matrix import MatrixBatch, MatrixJob, compute_batch
from jjj.access.matrix_output import MatrixWriter
from jjj.access.points import Points, read_points
from jjj.access.router import Window
from jjj.access.traveltime import TravelTimeSpec
from jjj.cli import main
from jjj.ids import UNREACHED
from jjj.streets.geo import haversine_m
from jjj.timetable import Network
from tests.access.conftest import REGION_DAY


def _write_points(network: Network, path: Path, n: int, seed: int) -> Points:
    rng = np.random.default_rng(seed)
    served = np.unique(network.pattern_stops)
    pick = rng.choice(served, n)
    lat = network.stop_lat[pick] + rng.normal(0, 0.006, n)
    lon = network.stop_lon[pick] + rng.normal(0, 0.006, n)
    rows = [f"o{i},{lat[i]:.6f},{lon[i]:.6f}" for i in range(n)]
    rows.append("far_away,41.90,113.60")  # the steppe north of Zhangjiakou: no stop near
    path.write_text("id,lat,lon\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return read_points(path)


def _unlinked(network: Network, points: Points, walk: Walk) -> list[str]:
    """Points farther than the walking radius from every served stop (brute force)."""
    stops = served_stops(network)
    out = []
    for i, point_id in enumerate(points.ids):
        distance = haversine_m(
            points.lat[i], points.lon[i], network.stop_lat[stops], network.stop_lon[stops]
        )
        if distance.min() > walk.radius_m:
            out.append(point_id)
    return out


def test_cli_writes_every_pair_and_names_unlinked_points(
    region: Network, region_file: Path, tmp_path: Path
) -> None:
    points = _write_points(region, tmp_path / "pts.csv", 30, seed=2)
    common = [
        "matrix",
        str(region_file),
        "--origins",
        str(tmp_path / "pts.csv"),
        "--destinations",
        str(tmp_path / "pts.csv"),
        "--depart",
        "2026-09-15T07:30",
        "--window",
        "15",
        "--percentiles",
        "25,50,95",
    ]
    main([*common, "--out", str(tmp_path / "m.parquet")])
    main([*common, "--out", str(tmp_path / "m.csv"), "--workers", "2", "--batch-size", "4"])
    table = pq.read_table(tmp_path / "m.parquet")
    n = len(points)
    assert table.num_rows == n * n
    assert table.column_names == [
        "origin",
        "destination",
        "p25_seconds",
        "p50_seconds",
        "p95_seconds",
        "reached_share",
    ]
    table = table.cast(
        pa.schema(
            [
                pa.field(f.name, pa.string()) if f.name in ("origin", "destination") else f
                for f in table.schema
            ]
        )
    )
    csv_table = pacsv.read_csv(
        tmp_path / "m.csv", convert_options=pacsv.ConvertOptions(column_types=table.schema)
    )
    assert csv_table.equals(table)
    # the same numbers as computing the batches directly; unreachable pairs are nulls
    spec = TravelTimeSpec(
        window=Window(REGION_DAY, 7 * 3600 + 30 * 60, 15), percentiles=(25.0, 50.0, 95.0)
    )
    direct = compute_batch(MatrixJob(region, points, points, spec), 0, n)
    p50 = table.column("p50_seconds").to_numpy(zero_copy_only=False)
    expected = direct.times[:, :, 1].ravel().astype(np.float64)
    expected[expected == UNREACHED] = np.nan
    np.testing.assert_array_equal(p50, expected)
    assert table.column("p50_seconds").null_count == int(np.isnan(expected).sum()) > 0
    summary = json.loads((tmp_path / "m.summary.json").read_text(encoding="utf-8"))
    lonely = _unlinked(region, points, spec.walk)
    assert "far_away" in lonely
    assert summary["origins_reaching_no_stop"] == {"count": len(lonely), "ids": lonely}
    assert summary["destinations_reaching_no_stop"]["ids"] == lonely
    assert summary["unreachable_pairs"]["p50_seconds"] == int(np.isnan(expected).sum())
    far = points.ids.index("far_away")
    row = table.slice(far * n, n).to_pydict()
    assert row["p50_seconds"][far] == 0  # itself
    assert sum(v is None for v in row["p50_seconds"]) == n - 1


def test_bad_input_is_one_line_and_no_partial_file(region_file: Path, tmp_path: Path) -> None:
    (tmp_path / "pts.csv").write_text("id,lat,lon\na,39.9,north\n", encoding="utf-8")
    with pytest.raises(SystemExit) as stop:
        main(
            [
                "matrix",
                str(region_file),
                "--origins",
                str(tmp_path / "pts.csv"),
                "--destinations",
                str(tmp_path / "pts.csv"),
                "--depart",
                "07:30",
                "--out",
                str(tmp_path / "m.parquet"),
            ]
        )
    assert stop.value.code == 2
    assert list(tmp_path.iterdir()) == [tmp_path / "pts.csv"]


def _collect(job: MatrixJob, **options: object) -> MatrixBatch:
    batches: list[MatrixBatch] = []
    run_batches(job, on_batch=batches.append, **options)  # type: ignore[arg-type]
    assert [b.start for b in batches] == sorted(b.start for b in batches)
    return MatrixBatch(
        start=0,
        stop=batches[-1].stop,
        times=np.concatenate([b.times for b in batches]),
        reached=np.concatenate([b.reached for b in batches]),
        linked=np.concatenate([b.linked for b in batches]),
    )


def test_local_processes_and_dask_cluster_give_identical_results(
    region: Network, region_file: Path, tmp_path: Path
) -> None:
    distributed = pytest.importorskip("distributed")
    points = _write_points(region, tmp_path / "pts.csv", 40, seed=4)
    spec = TravelTimeSpec(window=Window(REGION_DAY, 7 * 3600, 10), percentiles=(50.0, 95.0))
    job = MatrixJob(str(region_file), points, points, spec)
    single = _collect(job, batch_size=7)
    processes = _collect(job, batch_size=5, workers=2)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        on_dask = _collect(job, batch_size=6, cluster=cluster.scheduler_address)
    for other in (processes, on_dask):
        np.testing.assert_array_equal(other.times, single.times)
        np.testing.assert_array_equal(other.reached, single.reached)
        np.testing.assert_array_equal(other.linked, single.linked)
    # and the writer streams them to the same file whichever way they were computed
    for name, batch in (("a", single), ("b", on_dask)):
        with MatrixWriter(
            tmp_path / f"{name}.parquet",
            origin_ids=points.ids,
            destination_ids=points.ids,
            percentiles=spec.percentiles,
            minutes=10,
        ) as writer:
            writer.write(batch)
    assert pq.read_table(tmp_path / "a.parquet").equals(pq.read_table(tmp_path / "b.parquet"))
