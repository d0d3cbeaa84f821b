"""``jjj matrix NETWORK --origins O --destinations D --depart T --out FILE``."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import click
from tqdm import tqdm

from jjj.access.batches import run_batches
from jjj.access.matrix import MatrixBatch, MatrixJob, unlinked_points
from jjj.access.matrix_output import MatrixWriter, percentile_column
from jjj.access.points import read_points
from jjj.access.traveltime import DEFAULT_PERCENTILES
from jjj.cli.access_options import parse_floats, scenario_network, travel_options, travel_spec
from jjj.cli.network_argument import network_argument, resolve_network_path
from jjj.timetable.store import load_network

__all__ = ["command", "summary_path"]


def summary_path(out: Path) -> Path:
    """Where the run's summary goes: beside the matrix, ``NAME.summary.json``."""
    return out.with_name(out.stem + ".summary.json")


@click.command("matrix")
@network_argument
@click.option(
    "--origins",
    required=True,
    type=click.Path(path_type=Path),
    help="Points: CSV id,lat,lon or GeoJSON.",
)
@click.option(
    "--destinations",
    required=True,
    type=click.Path(path_type=Path),
    help="Points: CSV id,lat,lon or GeoJSON.",
)
@travel_options(window=60, max_minutes=120)
@click.option(
    "--percentiles",
    "percentiles_text",
    default="5,25,50,75,95",
    show_default=True,
    help="Percentiles of the window's travel times.",
)
@click.option(
    "--out", required=True, type=click.Path(path_type=Path), help="The matrix: .parquet or .csv."
)
@click.option(
    "--workers",
    default=os.cpu_count() or 1,
    show_default="the machine's cores",
    type=int,
    help="Local workers: threads at one departure (--window 1), else processes.",
)
@click.option("--cluster", default=None, help="Dask scheduler address (tcp://host:8786).")
@click.option("--batch-size", default=None, type=int, help="Origins per batch.")
def command(
    network: Path | None,
    origins: Path,
    destinations: Path,
    depart: str,
    date_text: str | None,
    window: int,
    max_minutes: int,
    max_walk_minutes: float,
    walk_speed: float,
    detour_factor: float,
    max_transfers: int,
    scenario_path: Path | None,
    percentiles_text: str,
    out: Path,
    workers: int,
    cluster: str | None,
    batch_size: int | None,
) -> None:
    """Travel times from every origin to every destination over a departure window.

    One row per pair (unreachable pairs have empty times); the run's summary, with
    the points that reach no stop on foot, is written beside the matrix.
    """
    network = resolve_network_path(network)
    started = time.perf_counter()
    net = load_network(network)
    net, scenario = scenario_network(net, scenario_path)
    percentiles = parse_floats(percentiles_text, "--percentiles") or DEFAULT_PERCENTILES
    spec = travel_spec(
        net,
        depart=depart,
        date_text=date_text,
        window=window,
        max_minutes=max_minutes,
        max_walk_minutes=max_walk_minutes,
        walk_speed=walk_speed,
        detour_factor=detour_factor,
        max_transfers=max_transfers,
        percentiles=percentiles,
    )
    origin_points = read_points(origins)
    destination_points = read_points(destinations)
    lonely_origins = unlinked_points(net, origin_points, spec)
    lonely_destinations = unlinked_points(net, destination_points, spec)
    job = MatrixJob(
        network=net if scenario is not None else str(network),
        origins=origin_points,
        destinations=destination_points,
        spec=spec,
    )
    writer = MatrixWriter(
        out,
        origin_ids=origin_points.ids,
        destination_ids=destination_points.ids,
        percentiles=spec.percentiles,
        minutes=spec.window.minutes,
        metadata={"jjj": json.dumps(spec.to_dict())},
    )
    with writer, tqdm(total=len(origin_points), unit="origin", desc="matrix") as bar:

        def on_batch(batch: MatrixBatch) -> None:
            writer.write(batch)
            bar.update(batch.stop - batch.start)

        run_batches(job, batch_size=batch_size, workers=workers, cluster=cluster, on_batch=on_batch)
    summary = {
        "network": str(network),
        "scenario": scenario.name if scenario else None,
        "scenario_changes": scenario.lines if scenario else [],
        "out": str(out),
        "origins": len(origin_points),
        "destinations": len(destination_points),
        "rows": writer.rows,
        "unreachable_pairs": {
            percentile_column(p): n
            for p, n in zip(spec.percentiles, writer.unreachable, strict=True)
        },
        "origins_reaching_no_stop": {"count": len(lonely_origins), "ids": lonely_origins},
        "destinations_reaching_no_stop": {
            "count": len(lonely_destinations),
            "ids": lonely_destinations,
        },
        "travel_times": spec.to_dict(),
        "seconds": round(time.perf_counter() - started, 3),
    }
    summary_path(out).write_text(
        json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    click.echo(f"{writer.rows:,} pairs written to {out} in {summary['seconds']} s")
    for label, ids in (("origins", lonely_origins), ("destinations", lonely_destinations)):
        if ids:
            shown = ", ".join(ids[:10]) + (" …" if len(ids) > 10 else "")
            click.echo(f"{len(ids)} {label} reach no stop within the walking limit: {shown}")
    click.echo(f"summary: {summary_path(out)}")
