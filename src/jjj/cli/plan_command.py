"""``jjj plan NETWORK --from A --to B --depart 2026-09-15T08:00``: journeys on a network."""

from __future__ import annotations

import json
from pathlib import Path

import click

from jjj.app.journey_fare import JourneyFare, price_journey
from jjj.cli.network_argument import network_argument, resolve_network_path
from jjj.routing.clock import format_time
from jjj.routing.itinerary import Journey
from jjj.routing.locations import NamedPlace, PlaceResolver
from jjj.routing.planner import DEFAULT_MAX_TRANSFERS, Plan, Planner
from jjj.timetable.store import load_network

__all__ = ["command", "place_resolver"]


def place_resolver() -> PlaceResolver | None:
    """Place names of the bundled region (English or Chinese), when that data is installed."""
    try:
        from jjj.data.places import find_place
    except ImportError:  # pragma: no cover - the package ships without region data
        return None

    def resolve(name: str) -> NamedPlace | None:
        place = find_place(name)
        if place is None:
            return None
        return NamedPlace(name=place.name, lat=place.lat, lon=place.lon, stop_ids=place.stop_ids)

    return resolve


def _clock(journey: Journey, seconds: int) -> str:
    return format_time(journey.date, seconds, journey.timezone)[11:16]


def _describe(plan: Plan, fares: list[JourneyFare] | None = None) -> list[str]:
    if not plan.journeys:
        return [f"No journey from {plan.origin.label} to {plan.destination.label}."]
    lines: list[str] = []
    for number, journey in enumerate(plan.journeys, start=1):
        minutes = (journey.arrival - journey.departure) // 60
        changes = "transfer" if journey.transfers == 1 else "transfers"
        lines.append(
            f"Journey {number}: {_clock(journey, journey.departure)} → "
            f"{_clock(journey, journey.arrival)} ({minutes} min, {journey.transfers} {changes})"
        )
        for leg in journey.legs:
            start = _clock(journey, leg.departure)
            end = _clock(journey, leg.arrival)
            if leg.mode == "walk":
                walk = (leg.arrival - leg.departure + 59) // 60
                lines.append(f"  {start}  walk {walk} min to {leg.destination.name}  ({end})")
            else:
                seated = " (stay seated)" if leg.stay_seated else ""
                towards = f" towards {leg.headsign}" if leg.headsign else ""
                lines.append(
                    f"  {start}  {leg.agency} {leg.route}{towards}{seated} from "
                    f"{leg.origin.name} to {leg.destination.name}  ({end})"
                )
        if fares is not None:
            lines.append(f"  {fares[number - 1].text()}")
    return lines


@click.command("plan")
@network_argument
@click.option("--from", "origin", required=True, help="LAT,LON, FEED:stop_id or place name.")
@click.option("--to", "destination", required=True, help="LAT,LON, FEED:stop_id or place name.")
@click.option(
    "--depart", "when", required=True, help="Departure (or with --arrive-by, arrival) time, "
    "YYYY-MM-DDTHH:MM in the network's timezone.",
)  # fmt: skip
@click.option("--arrive-by", is_flag=True, help="Arrive by the given time instead.")
@click.option(
    "--window",
    default=0,
    show_default=True,
    type=int,
    help="Also search each minute of this many minutes after the time (before, arriving by).",
)
@click.option(
    "--max-transfers", default=DEFAULT_MAX_TRANSFERS, show_default=True, type=int,
    help="Most changes of vehicle.",
)  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print the journeys as JSON.")
def command(
    network: Path | None,
    origin: str,
    destination: str,
    when: str,
    arrive_by: bool,
    window: int,
    max_transfers: int,
    as_json: bool,
) -> None:
    """Fastest journeys on NETWORK: one per number of transfers that saves time.

    Each journey is priced under its feeds' fare rules (see docs/fares.md).
    """
    network = resolve_network_path(network)
    compiled = load_network(network)
    planner = Planner(compiled, resolver=place_resolver())
    result = planner.plan(
        origin,
        destination,
        when,
        arrive_by=arrive_by,
        window_minutes=window,
        max_transfers=max_transfers,
    )
    fares = [price_journey(compiled, journey) for journey in result.journeys]
    if as_json:
        data = result.to_dict()
        for journey_dict, fare in zip(data["journeys"], fares, strict=True):  # type: ignore[call-overload]
            journey_dict["fare"] = fare.to_dict()
        click.echo(json.dumps(data, ensure_ascii=False, indent=1))
    else:
        for line in _describe(result, fares):
            click.echo(line)
