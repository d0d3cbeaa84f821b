"""``jjj validate FEED``: report a feed's problems with file, line and field."""

from __future__ import annotations

import json
from pathlib import Path

import click

from jjj.gtfs.notices import Severity, format_notice
from jjj.gtfs.read import read_feed
from jjj.gtfs.validate import validate_feed

__all__ = ["command"]


@click.command("validate")
@click.argument("feed", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option(
    "--max-per-code",
    default=50,
    show_default=True,
    help="Print at most this many notices of each code (0: all).",
)
def command(feed: Path, as_json: bool, max_per_code: int) -> None:
    """Check FEED (a GTFS zip or folder); exit 0 if usable, 1 if it has errors."""
    gtfs = read_feed(feed)
    notices = validate_feed(gtfs)
    errors = sum(1 for n in notices if n.severity is Severity.ERROR)
    warnings = sum(1 for n in notices if n.severity is Severity.WARNING)
    if as_json:
        report = {
            "feed": str(feed),
            "usable": errors == 0,
            "errors": errors,
            "warnings": warnings,
            "notices": [n.to_dict() for n in notices],
        }
        click.echo(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        shown: dict[str, int] = {}
        for notice in notices:
            shown[notice.code] = shown.get(notice.code, 0) + 1
            if max_per_code and shown[notice.code] > max_per_code:
                continue
            click.echo(format_notice(notice, gtfs.name))
        for code, count in shown.items():
            if max_per_code and count > max_per_code:
                click.echo(
                    f"... {count - max_per_code} more {code} notices (--max-per-code 0 shows all)"
                )
        verdict = "usable" if errors == 0 else "NOT usable"
        click.echo(f"{gtfs.name}: {errors} errors, {warnings} warnings — {verdict}")
    raise click.exceptions.Exit(0 if errors == 0 else 1)
