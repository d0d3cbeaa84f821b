"""``jjj info NETWORK [--date D]``: what a compiled network holds."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from jjj.cli.build_command import format_summary
from jjj.cli.network_argument import network_argument, resolve_network_path
from jjj.errors import NetworkError
from jjj.timetable.store import load_network

__all__ = ["command"]


@click.command("info")
@network_argument
@click.option(
    "--date",
    "date_text",
    default=None,
    help="Also count the trips running on this day (YYYY-MM-DD).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def command(network: Path | None, date_text: str | None, as_json: bool) -> None:
    """Summarise NETWORK: feeds, counts, service period, walking model."""
    network = resolve_network_path(network)
    net = load_network(network)
    summary = net.summary()
    summary["walking"] = net.meta.get("walking")
    if date_text is not None:
        try:
            date = dt.date.fromisoformat(date_text)
        except ValueError as exc:
            raise NetworkError(f"--date {date_text!r}: not a date (YYYY-MM-DD)") from exc
        summary[f"trips_on_{date.isoformat()}"] = len(net.trips_active_on(date))
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False, indent=1))
    else:
        click.echo(format_summary(summary))
