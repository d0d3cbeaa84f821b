"""``jjj build FEED[=NAME] ... --out NETWORK``: merge feeds into one compiled network."""

from __future__ import annotations

import json
import time
from pathlib import Path

import click
from tqdm import tqdm

from jjj.errors import FeedError
from jjj.gtfs.read import feed_name_from_path, read_feed
from jjj.streets import read_walk_graph
from jjj.timetable.build import build_network
from jjj.timetable.connections import read_connections
from jjj.timetable.footpaths import WalkingModel
from jjj.timetable.store import save_network

__all__ = ["command", "parse_feed_argument"]


def parse_feed_argument(argument: str) -> tuple[Path, str]:
    """``path=NAME`` or ``path`` (NAME defaults to the file's stem)."""
    path_text, _, name = argument.partition("=")
    path = Path(path_text)
    name = name.strip() or feed_name_from_path(path)
    if ":" in name or not name:
        raise FeedError(f"{argument}: a feed name may not be empty or contain ':'")
    return path, name


@click.command("build")
@click.argument("feeds", nargs=-1, required=True)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(path_type=Path),
    help="Where to write the compiled network (one file).",
)
@click.option("--no-footpaths", is_flag=True, help="Generate no walking links between stops.")
@click.option(
    "--footpath-radius",
    default=400.0,
    show_default=True,
    help="Link stops within this straight-line distance (m).",
)
@click.option(
    "--streets",
    "streets_file",
    type=click.Path(path_type=Path),
    default=None,
    help="OpenStreetMap extract (.osm.pbf): footpaths walk its streets, not straight lines.",
)
@click.option("--walk-speed", default=1.2, show_default=True, help="Walking speed (m/s).")
@click.option(
    "--detour-factor",
    default=1.3,
    show_default=True,
    help="Walked distance / straight-line distance.",
)
@click.option("--no-validate", is_flag=True, help="Skip validation (trust the feeds).")
@click.option(
    "--connections",
    "connections_file",
    type=click.Path(path_type=Path),
    default=None,
    help="CSV of extra links: from_stop_id,to_stop_id,seconds (namespaced ids).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def command(
    feeds: tuple[str, ...],
    out: Path,
    no_footpaths: bool,
    footpath_radius: float,
    streets_file: Path | None,
    walk_speed: float,
    detour_factor: float,
    no_validate: bool,
    connections_file: Path | None,
    as_json: bool,
) -> None:
    """Merge FEEDS (GTFS zips or folders, each optionally PATH=NAME) into NETWORK.

    Every id becomes NAME:id. A feed with errors stops the build with its report and
    leaves nothing behind.
    """
    started = time.perf_counter()
    parsed = [parse_feed_argument(argument) for argument in feeds]
    gtfs_feeds = [read_feed(path, name) for path, name in parsed]
    model = WalkingModel(
        radius_m=footpath_radius, detour_factor=detour_factor, speed_mps=walk_speed
    )
    streets = read_walk_graph(streets_file) if streets_file and not no_footpaths else None
    stages = 3 * len(gtfs_feeds) + 4
    with tqdm(total=stages, desc="build", unit="step", leave=False, disable=None) as bar:

        def progress(stage: str) -> None:
            bar.set_description(stage)
            bar.update(1)

        network = build_network(
            gtfs_feeds,
            walking=model,
            footpaths=not no_footpaths,
            streets=streets,
            validate=not no_validate,
            connections=read_connections(connections_file) if connections_file else (),
            progress=progress,
        )
        progress("saving")
        save_network(network, out)
    summary = network.summary()
    summary["file"] = str(out)
    summary["file_mb"] = round(out.stat().st_size / 1e6, 1)
    summary["seconds"] = round(time.perf_counter() - started, 2)
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False, indent=1))
    else:
        click.echo(format_summary(summary))


def format_summary(summary: dict[str, object]) -> str:
    """The network's counts as aligned lines."""
    lines = []
    for key, value in summary.items():
        shown = ", ".join(map(str, value)) if isinstance(value, list) else value
        if isinstance(shown, int):
            shown = f"{shown:,}"
        lines.append(f"{key.replace('_', ' '):>15}: {shown}")
    return "\n".join(lines)
