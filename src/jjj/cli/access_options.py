"""Options and helpers shared by ``jjj matrix``, ``jjj isochrone`` and ``jjj circle``."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from jjj.access.circle import Place
from jjj.access.links import Walk
from jjj.access.points import parse_lat_lon
from jjj.access.router import DEFAULT_MAX_ROUNDS, Window, parse_clock
from jjj.access.scenario import read_scenario
from jjj.access.scenario_apply import ScenarioReport, apply_scenario
from jjj.access.traveltime import TravelTimeSpec
from jjj.cli.plan_command import place_resolver
from jjj.errors import AccessError
from jjj.routing.clock import parse_when
from jjj.timetable.footpaths import WalkingModel
from jjj.timetable.network import Network

__all__ = [
    "bundled",
    "parse_floats",
    "resolve_place",
    "scenario_network",
    "travel_options",
    "travel_spec",
]

F = TypeVar("F", bound=Callable[..., Any])

_COORDINATES = re.compile(r"^\s*[-+]?\d+(\.\d+)?\s*,\s*[-+]?\d+(\.\d+)?\s*$")


def bundled(relative: str) -> Path | None:
    """A file of the bundled region (``jjj/data/jjj/...``), if installed."""
    try:
        from jjj.data import region_dir
    except ImportError:  # pragma: no cover - the region is part of the package
        return None
    path = region_dir() / relative
    return path if path.exists() else None


def parse_floats(text: str, option: str) -> tuple[float, ...]:
    """``"5,25,50"`` → ``(5.0, 25.0, 50.0)``."""
    try:
        values = tuple(float(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise AccessError(f"{option} {text!r}: expected numbers separated by commas") from None
    if not values:
        raise AccessError(f"{option} {text!r}: at least one value")
    return values


def _first_weekday(network: Network) -> dt.date:
    day = network.first_date
    while day.weekday() >= 5 and day < network.last_date:
        day += dt.timedelta(days=1)
    return day


def _window(network: Network, depart: str, date_text: str | None, minutes: int) -> Window:
    if "T" in depart.upper() or " " in depart.strip():
        date, seconds = parse_when(depart, network.timezone, option="--depart")
    else:
        seconds = parse_clock(depart)
        if date_text is None:
            date = _first_weekday(network)
        else:
            try:
                date = dt.date.fromisoformat(date_text)
            except ValueError:
                raise AccessError(f"--date {date_text!r}: not a date (YYYY-MM-DD)") from None
    return Window(date=date, start_seconds=seconds, minutes=max(1, minutes))


def travel_options(*, window: int = 60, max_minutes: int = 120) -> Callable[[F], F]:
    """The options every access command takes (departure, window, limits, walking)."""

    def decorate(function: F) -> F:
        options = [
            click.option(
                "--depart",
                required=True,
                help="First departure: "
                "YYYY-MM-DDTHH:MM, or HH:MM with --date (default: the first weekday "
                "of the network).",
            ),
            click.option("--date", "date_text", default=None, help="Service date YYYY-MM-DD."),
            click.option(
                "--window",
                default=window,
                show_default=True,
                type=int,
                help="Minutes of departures, one a minute (1: a single time).",
            ),
            click.option(
                "--max-minutes",
                default=max_minutes,
                show_default=True,
                type=int,
                help="Longer journeys count as unreachable.",
            ),
            click.option(
                "--max-walk-minutes",
                default=15.0,
                show_default=True,
                type=float,
                help="Longest walk to the first stop, from the last, or instead.",
            ),
            click.option(
                "--walk-speed",
                default=1.2,
                show_default=True,
                type=float,
                help="Walking speed (m/s).",
            ),
            click.option(
                "--detour-factor",
                default=1.3,
                show_default=True,
                type=float,
                help="Walked distance / straight-line distance.",
            ),
            click.option(
                "--max-transfers",
                default=DEFAULT_MAX_ROUNDS - 1,
                show_default=True,
                type=int,
                help="Most changes of vehicle.",
            ),
            click.option(
                "--scenario",
                "scenario_path",
                default=None,
                type=click.Path(path_type=Path),
                help="A scenario file (YAML or JSON) to apply to the network first.",
            ),
        ]
        for option in reversed(options):
            function = option(function)
        return function

    return decorate


def travel_spec(
    network: Network,
    *,
    depart: str,
    date_text: str | None,
    window: int,
    max_minutes: int,
    max_walk_minutes: float,
    walk_speed: float,
    detour_factor: float,
    max_transfers: int,
    percentiles: tuple[float, ...],
) -> TravelTimeSpec:
    """A :class:`TravelTimeSpec` from the shared options."""
    if walk_speed <= 0 or detour_factor < 1:
        raise AccessError("--walk-speed must be positive and --detour-factor at least 1")
    if max_transfers < 0:
        raise AccessError(f"--max-transfers {max_transfers}: must be 0 or more")
    walk = Walk(
        WalkingModel(detour_factor=detour_factor, speed_mps=walk_speed),
        max_walk_seconds=round(max_walk_minutes * 60),
    )
    return TravelTimeSpec(
        window=_window(network, depart, date_text, window),
        percentiles=percentiles,
        max_minutes=max_minutes,
        walk=walk,
        max_rounds=max_transfers + 1,
    )


def scenario_network(network: Network, path: Path | None) -> tuple[Network, ScenarioReport | None]:
    """The network with the scenario applied (unchanged when ``path`` is None)."""
    if path is None:
        return network, None
    return apply_scenario(network, read_scenario(path))


def resolve_place(text: str, *, option: str) -> Place:
    """``lat,lon`` or a place name of the bundled region."""
    if _COORDINATES.match(text):
        lat, lon = parse_lat_lon(text, where=option)
        return Place(name=text.strip(), lat=lat, lon=lon)
    resolver = place_resolver()
    found = resolver(text) if resolver is not None else None
    if found is None:
        raise AccessError(f"{option} {text!r}: unknown place; give LAT,LON")
    return Place(name=found.name, lat=float(found.lat), lon=float(found.lon))
