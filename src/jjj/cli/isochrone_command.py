"""``jjj isochrone NETWORK --from lat,lon|PLACE --depart T --cutoffs 15,30,45,60 --out F``."""

from __future__ import annotations

import time
from pathlib import Path

import click
from tqdm import tqdm

from jjj.access.isochrone import isochrones, to_feature, write_geojson
from jjj.access.surface import GridTargets, SurfaceComputer, network_grid
from jjj.cli.access_options import (
    parse_floats,
    resolve_place,
    scenario_network,
    travel_options,
    travel_spec,
)
from jjj.cli.network_argument import network_argument, resolve_network_path
from jjj.errors import AccessError
from jjj.timetable.store import load_network

__all__ = ["command"]


@click.command("isochrone")
@network_argument
@click.option("--from", "origin", required=True, help="LAT,LON or a place name.")
@travel_options(window=60, max_minutes=120)
@click.option(
    "--percentile",
    default=50.0,
    show_default=True,
    type=float,
    help="Percentile of the window's travel times.",
)
@click.option(
    "--cutoffs", "cutoffs_text", default="15,30,45,60", show_default=True, help="Minutes."
)
@click.option(
    "--cell", "cell_m", default=250.0, show_default=True, type=float, help="Grid cell size (m)."
)
@click.option(
    "--direction",
    type=click.Choice(["from", "to"]),
    default="from",
    show_default=True,
    help="Journeys from the place, or to it (leaving anywhere).",
)
@click.option("--out", required=True, type=click.Path(path_type=Path), help="GeoJSON file.")
def command(
    network: Path | None,
    origin: str,
    depart: str,
    date_text: str | None,
    window: int,
    max_minutes: int,
    max_walk_minutes: float,
    walk_speed: float,
    detour_factor: float,
    max_transfers: int,
    scenario_path: Path | None,
    percentile: float,
    cutoffs_text: str,
    cell_m: float,
    direction: str,
    out: Path,
) -> None:
    """Areas reachable within each cutoff (cells of a metric grid, outlined exactly)."""
    network = resolve_network_path(network)
    started = time.perf_counter()
    cutoffs = sorted(parse_floats(cutoffs_text, "--cutoffs"))
    if cutoffs[-1] > max_minutes:
        raise AccessError(f"--cutoffs {cutoffs_text}: above --max-minutes {max_minutes}")
    place = resolve_place(origin, option="--from")
    with tqdm(total=4, desc="isochrone", unit="step") as bar:
        net = load_network(network)
        net, scenario = scenario_network(net, scenario_path)
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
            percentiles=(percentile,),
        )
        grid = network_grid(net, spec.walk, cell_m=cell_m, points=[(place.lat, place.lon)])
        bar.update()
        targets = GridTargets.build(net, grid, spec.walk)
        bar.update()
        computer = SurfaceComputer(net, spec, targets, direction=direction)
        surface = computer.surface(place.lat, place.lon)
        bar.update()
        shapes = isochrones(surface, cutoffs, percentile=percentile)
        features = [
            to_feature(
                grid,
                iso,
                place=place.name,
                direction=direction,
                scenario=scenario.name if scenario else None,
            )
            for iso in shapes
        ]
        write_geojson(
            out,
            features,
            jjj={
                "travel_times": spec.to_dict(),
                "grid": grid.to_dict(),
                "reaches_a_stop": surface.linked,
            },
        )
        bar.update()
    for iso in shapes:
        click.echo(
            f"{iso.cutoff_minutes:g} min: {iso.area_m2 / 1e6:,.2f} km² ({iso.n_cells:,} cells)"
        )
    if not surface.linked:
        click.echo(f"{place.name} reaches no stop within {max_walk_minutes:g} min on foot")
    click.echo(f"written {out} in {time.perf_counter() - started:.1f} s")
