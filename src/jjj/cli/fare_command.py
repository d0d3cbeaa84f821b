"""``jjj fare FEED --journey FILE.json``: price a journey under a feed's fare rules."""

from __future__ import annotations

import json
from pathlib import Path

import click

from jjj.errors import FareError
from jjj.fares import (
    ChargeKind,
    FareEngine,
    FareQuote,
    FareResult,
    FareRules,
    journey_from_dict,
    load_fares,
)
from jjj.gtfs.notices import Severity, format_notice
from jjj.money import Money

__all__ = ["command"]

#: Findings printed before summarising the rest.
_SHOWN_PROBLEMS = 5


@click.command("fare")
@click.argument("feed", type=click.Path(path_type=Path))
@click.option(
    "--journey",
    "journey_path",
    required=True,
    type=click.Path(path_type=Path),
    help="The journey as JSON (format in docs/fares.md).",
)
@click.option("--media", default=None, help="Only this fare_media_id.")
@click.option("--rider", default=None, help="Only this rider_category_id.")
@click.option("--json", "as_json", is_flag=True, help="Print the quote as JSON.")
@click.option(
    "--strict", is_flag=True, help="Refuse fare files with errors instead of skipping bad rows."
)
def command(
    feed: Path,
    journey_path: Path,
    media: str | None,
    rider: str | None,
    as_json: bool,
    strict: bool,
) -> None:
    """Price the journey in FILE.json under the fare files of FEED (a GTFS zip or folder).

    Prints the cheapest valid total for each fare medium and rider category, with
    the products and transfer rules used and the legs each covers, or why the fare
    is unknown.
    """
    journey = journey_from_dict(_read_json(journey_path), label=journey_path.name)
    rules = load_fares(feed, strict=strict)
    _report_problems(rules)
    engine = FareEngine(rules)
    quote = engine.quote(journey, media=media, rider=rider)
    if as_json:
        data = {"feed": rules.feed_name, "legs": len(journey.legs), **quote.to_dict()}
        click.echo(json.dumps(data, ensure_ascii=False, indent=1))
        return
    _print_quote(rules, quote, len(journey.legs))


def _read_json(path: Path) -> object:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise FareError(f"{path}: cannot be read ({exc.strerror})") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise FareError(f"{path.name}:{exc.lineno}: not valid JSON ({exc.msg})") from exc


def _report_problems(rules: FareRules) -> None:
    errors = [p for p in rules.problems if p.severity is Severity.ERROR]
    for problem in errors[:_SHOWN_PROBLEMS]:
        click.echo(f"jjj: skipped: {format_notice(problem, rules.feed_name)}", err=True)
    if len(errors) > _SHOWN_PROBLEMS:
        click.echo(f"jjj: skipped {len(errors) - _SHOWN_PROBLEMS} more rows in error", err=True)


def _legs(indices: tuple[int, ...]) -> str:
    numbers = [i + 1 for i in indices]
    if len(numbers) > 1 and numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"legs {numbers[0]}-{numbers[-1]}"
    return ("legs " if len(numbers) > 1 else "leg ") + ",".join(str(n) for n in numbers)


def _print_quote(rules: FareRules, quote: FareQuote, leg_count: int) -> None:
    joined = [legs for legs in quote.effective_legs if len(legs) > 1]
    note = "; joined: " + ", ".join(_legs(legs) for legs in joined) if joined else ""
    click.echo(f"{rules.feed_name}: {leg_count} leg(s){note}")
    for result in quote.results:
        media = result.fare_media_id or "(any medium)"
        rider = result.rider_category_id or "(any rider)"
        if not isinstance(result, FareResult):
            click.echo(f"{media} / {rider}: fare unknown: {result.reason}")
            continue
        click.echo(f"{media} / {rider}: {result.total}")
        for charge in result.charges:
            amount = f"{Money(charge.amount, charge.currency)!s:>12}"
            where = _legs(charge.legs)
            if charge.kind is ChargeKind.TRANSFER:
                what = f"transfer {charge.from_leg_group_id} → {charge.to_leg_group_id}"
                if charge.fare_product_id:
                    what += f" ({charge.fare_product_id})"
            elif charge.kind is ChargeKind.DISCOUNT:
                what = "spending discount"
            else:
                what = charge.fare_product_id or ""
                if charge.count != 1:
                    what += f" × {charge.count}"
            click.echo(f"  {amount}  {where:10} {what}  [{charge.source}]")
