"""``jjj validate FEED``: report a feed's problems with file, line and field."""

from __future__ import annotations

import json
import time
from pathlib import Path

import click
from tqdm import tqdm

from jjj.gtfs.notices import format_notice
from jjj.gtfs.read import read_feed
from jjj.gtfs.validate import STAGES, validate_report

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
    """Check FEED (a GTFS zip or folder); exit 0 if usable, 1 if it has errors.

    Each problem is printed as FEED/FILE:LINE FIELD: SEVERITY code: message.
    ERROR means the feed cannot be used as published; warnings and infos do not.
    """
    started = time.perf_counter()
    gtfs = read_feed(feed, compact=True)  # same notices, less memory
    with tqdm(total=len(STAGES), desc="validate", unit="step", leave=False, disable=None) as bar:

        def progress(stage: str) -> None:
            bar.set_postfix_str(stage)
            bar.update(1)

        report = validate_report(gtfs, progress=progress)
    seconds = time.perf_counter() - started
    notices = report.notices
    if as_json:
        document = {
            "feed": str(feed),
            "usable": report.usable,
            "errors": report.errors,
            "warnings": report.warnings,
            "seconds": round(seconds, 3),
            "counts": report.by_code(),
            "notices": [n.to_dict() for n in notices],
        }
        click.echo(json.dumps(document, ensure_ascii=False, indent=1))
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
        verdict = "usable" if report.usable else "NOT usable"
        click.echo(
            f"{gtfs.name}: {report.errors} errors, {report.warnings} warnings — {verdict}"
            f" ({seconds:.1f} s)"
        )
    raise click.exceptions.Exit(0 if report.usable else 1)
