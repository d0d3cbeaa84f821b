"""``jjj circle NETWORK [--core PLACE ...] --depart T --cutoff 60 --out DIR``."""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path
from typing import Any

import click
from tqdm import tqdm

from jjj.access.circle import CircleReport, Place, circle_features, circle_report
from jjj.access.compare import compare_reports
from jjj.access.grid import Grid
from jjj.access.isochrone import write_geojson
from jjj.access.maps import circle_map, difference_map
from jjj.access.population import apportion
from jjj.access.scenario import read_scenario
from jjj.access.scenario_apply import apply_scenario
from jjj.access.surface import GridTargets
from jjj.access.zones import read_zones
from jjj.cli.access_options import bundled, parse_floats, resolve_place, travel_options, travel_spec
from jjj.cli.network_argument import network_argument, resolve_network_path
from jjj.errors import AccessError
from jjj.timetable.store import load_network

__all__ = ["DEFAULT_CORES", "command", "read_places"]

#: The bundled region's cores: (label, place name).
DEFAULT_CORES = (
    ("Beijing (central)", "Tian'anmen East"),
    ("Tianjin", "Tianjin"),
    ("Shijiazhuang", "Shijiazhuang"),
    ("Xiong'an", "Xiong'an"),
)


def read_places(path: Path, *, kind: str | None = None) -> list[Place]:
    """Named places from a CSV with ``name,lat,lon`` (and optionally ``type``)."""
    places: list[Place] = []
    with path.open(newline="", encoding="utf-8-sig") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            if kind is not None and row.get("type") not in (None, kind):
                continue
            try:
                places.append(Place(row["name"], float(row["lat"]), float(row["lon"])))
            except (KeyError, TypeError, ValueError):
                raise AccessError(f"{path}:{line}: needs name, lat and lon") from None
    return places


def _cores(texts: tuple[str, ...]) -> list[Place]:
    if not texts:
        if bundled("places.csv") is None:
            raise AccessError("give --core (the bundled region's places are not installed)")
        chosen = [(label, name) for label, name in DEFAULT_CORES]
    else:
        chosen = []
        for text in texts:
            label, sep, where = text.partition("=")
            chosen.append((label.strip(), where) if sep else ("", text))
    cores = []
    for label, where in chosen:
        place = resolve_place(where, option="--core")
        cores.append(Place(label or place.name, place.lat, place.lon))
    return cores


def _write(report: CircleReport, out: Path, stem: str) -> dict[str, Any]:
    summary = report.summary()
    started = time.perf_counter()
    write_geojson(out / f"{stem}.geojson", circle_features(report))
    circle_map(report, out / f"{stem}.png")
    summary["seconds"]["outputs"] = round(time.perf_counter() - started, 3)
    (out / f"{stem}.json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return summary


def _echo(summary: dict[str, Any], title: str) -> None:
    click.echo(title)
    for key, section in summary["circle"].items():
        click.echo(
            f"  circle {key}: {section['population']:,} people "
            f"({section['share_of_region']:.1%}), {len(section['zones_inside'])} counties"
        )
    for core in summary["cores"]:
        median = next(v for k, v in core.items() if k.startswith("median_"))
        click.echo(f"  {core['name']}: {median['population']:,} people at the median")


@click.command("circle")
@network_argument
@click.option(
    "--core",
    "core_texts",
    multiple=True,
    help="A core: PLACE, LAT,LON or LABEL=LAT,LON (repeat). Default: the region's four cores.",
)
@travel_options(window=60, max_minutes=90)
@click.option("--cutoff", default=60.0, show_default=True, type=float, help="Minutes.")
@click.option(
    "--percentiles",
    "percentiles_text",
    default="50,95",
    show_default=True,
    help="The median and a pessimistic percentile.",
)
@click.option(
    "--population",
    "population_path",
    default=None,
    type=click.Path(path_type=Path),
    help="Population polygons (GeoJSON). Default: the bundled county census.",
)
@click.option(
    "--places",
    "places_path",
    default=None,
    type=click.Path(path_type=Path),
    help="Places to list when inside (CSV name,lat,lon). Default: the bundled cities.",
)
@click.option(
    "--cell", "cell_m", default=250.0, show_default=True, type=float, help="Grid cell size (m)."
)
@click.option(
    "--direction",
    type=click.Choice(["to", "from"]),
    default="to",
    show_default=True,
    help="Journeys to the cores (leaving anywhere) or from them.",
)
@click.option("--out", required=True, type=click.Path(path_type=Path), help="Output folder.")
def command(
    network: Path | None,
    core_texts: tuple[str, ...],
    depart: str,
    date_text: str | None,
    window: int,
    max_minutes: int,
    max_walk_minutes: float,
    walk_speed: float,
    detour_factor: float,
    max_transfers: int,
    scenario_path: Path | None,
    cutoff: float,
    percentiles_text: str,
    population_path: Path | None,
    places_path: Path | None,
    cell_m: float,
    direction: str,
    out: Path,
) -> None:
    """Who lives within CUTOFF minutes of each core: JSON summary, GeoJSON and a PNG map.

    With --scenario, the circle is computed before and after and compared
    (comparison.json, difference.png).
    """
    network = resolve_network_path(network)
    started = time.perf_counter()
    percentiles = parse_floats(percentiles_text, "--percentiles")
    if len(percentiles) != 2:
        raise AccessError("--percentiles: give two, the median and a pessimistic one")
    population_file = population_path or bundled("population/bth_counties_2020census.geojson")
    if population_file is None:
        raise AccessError("give --population (the bundled census is not installed)")
    places_file = places_path or bundled("places.csv")
    places = read_places(places_file, kind="city") if places_file is not None else []
    cores = _cores(core_texts)
    scenario = read_scenario(scenario_path) if scenario_path is not None else None
    runs = 2 if scenario else 1
    out.mkdir(parents=True, exist_ok=True)
    with tqdm(total=1 + runs * (len(cores) + 1), desc="circle", unit="step") as bar:
        base = load_network(network)
        spec = travel_spec(
            base,
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
        zones = read_zones(population_file)
        grid = Grid.covering(*zones.bounds(), cell_m=cell_m)
        population = apportion(zones, grid)
        bar.update()

        def step(label: str) -> None:
            if label.startswith("travel times"):
                bar.update()
            bar.set_postfix_str(label[:40])

        before = circle_report(
            base,
            population,
            cores,
            spec,
            cutoff_minutes=cutoff,
            places=places,
            targets=GridTargets.build(base, grid, spec.walk),
            progress=step,
            direction=direction,
        )
        summary = _write(before, out, "circle")
        bar.update()
        if scenario is not None:
            changed, changes = apply_scenario(base, scenario)
            after = circle_report(
                changed,
                population,
                cores,
                spec,
                cutoff_minutes=cutoff,
                places=places,
                progress=step,
                scenario=scenario.name,
                direction=direction,
            )
            after_summary = _write(after, out, "scenario")
            comparison = compare_reports(before, after, changes=changes.lines)
            (out / "comparison.json").write_text(
                json.dumps(comparison, ensure_ascii=False, indent=1), encoding="utf-8"
            )
            difference_map(before, after, out / "difference.png")
            bar.update()
    _echo(summary, f"{len(cores)} cores, {cutoff:g} min:")
    if scenario is not None:
        _echo(after_summary, f"with scenario {scenario.name}:")
        median = next(v for k, v in comparison.items() if k.startswith("median_"))["circle"]
        click.echo(
            f"  gained {median['population_gained']:,} people, lost "
            f"{median['population_lost']:,}; counties entering: "
            f"{', '.join(median['zones_entering']) or 'none'}; leaving: "
            f"{', '.join(median['zones_leaving']) or 'none'}"
        )
    click.echo(f"written to {out} in {time.perf_counter() - started:.1f} s")
