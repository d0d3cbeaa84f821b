"""Fare legs priced per second on MBTA's fare files (677 leg rules, 37 transfer rules).

Beside jjj's engine runs a straightforward pure-Python matcher of the same rules,
written here from the spec's wording: for each leg it scans every row of
``fare_leg_rules.txt`` (empty network and areas meaning "any value not listed in
the column", timeframes checked on the calendar) and then the rows of
``fare_products.txt`` for the medium. Both price the same random legs — MBTA stops
with and without fare areas, random routes, departures from mid-September to
late December 2024, partly outside MBTA's fare timeframe — and must agree on
every leg. Prints medians of several runs and the ratio.

    python benchmarks/bench_fares.py --runs 5 --legs 50000
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from jjj.fares import FareEngine, FareLeg, load_fares
from jjj.money import parse_amount

REPO = Path(__file__).resolve().parents[1]
MBTA = REPO.parent / "shared" / "data" / "fares_v2" / "mbta_fares_v2_partial"


def _rows(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / name).open(encoding="utf-8-sig", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


class NaiveMatcher:
    """The spec read literally: every rule row is tested against every leg.

    Covers what MBTA's files use: networks from ``routes.network_id``, areas with
    station inheritance, the empty-means-not-listed semantics (MBTA has no
    ``rule_priority``), ``from_timeframe_group_id`` / ``to_timeframe_group_id``
    on ``calendar.txt`` days, and MBTA's ``transfer_only`` (such rules cannot
    price a leg on its own).
    """

    def __init__(self, folder: Path) -> None:
        self.rules = _rows(folder, "fare_leg_rules.txt")
        self.products = _rows(folder, "fare_products.txt")
        self.timeframes = _rows(folder, "timeframes.txt")
        self.calendar = {row["service_id"]: row for row in _rows(folder, "calendar.txt")}
        self.route_network = {r["route_id"]: r["network_id"] for r in _rows(folder, "routes.txt")}
        self.parent = {
            r["stop_id"]: r["parent_station"]
            for r in _rows(folder, "stops.txt")
            if r["parent_station"]
        }
        self.stop_areas: dict[str, list[str]] = {}
        for row in _rows(folder, "stop_areas.txt"):
            self.stop_areas.setdefault(row["stop_id"], []).append(row["area_id"])
        self.listed_networks = {r["network_id"] for r in self.rules if r["network_id"]}
        self.listed_from = {r["from_area_id"] for r in self.rules if r["from_area_id"]}
        self.listed_to = {r["to_area_id"] for r in self.rules if r["to_area_id"]}

    def areas(self, stop_id: str) -> list[str]:
        own = self.stop_areas.get(stop_id)
        if own:
            return own
        parent = self.parent.get(stop_id)
        return self.stop_areas.get(parent, []) if parent else []

    def service_runs(self, service_id: str, day: dt.date) -> bool:
        row = self.calendar.get(service_id)
        if row is None:
            return False
        start = dt.datetime.strptime(row["start_date"], "%Y%m%d").date()
        end = dt.datetime.strptime(row["end_date"], "%Y%m%d").date()
        weekday = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        return start <= day <= end and row[weekday[day.weekday()]] == "1"

    def in_timeframe(self, group: str, moment: dt.datetime) -> bool:
        seconds = moment.hour * 3600 + moment.minute * 60 + moment.second
        for row in self.timeframes:
            if row["timeframe_group_id"] != group:
                continue
            start = _clock(row["start_time"]) if row["start_time"] else 0
            end = _clock(row["end_time"]) if row["end_time"] else 86400
            if start <= seconds < end and self.service_runs(row["service_id"], moment.date()):
                return True
        return False

    def field_matches(self, value: str, leg_values: list[str], listed: set[str]) -> bool:
        if value:
            return value in leg_values
        return not any(v in listed for v in leg_values)

    def price(self, leg: FareLeg, media: str) -> int | None:
        network = leg.network_id or self.route_network.get(leg.route_id or "", "")
        from_areas = self.areas(leg.from_stop_id)
        to_areas = self.areas(leg.to_stop_id)
        best: int | None = None
        for rule in self.rules:
            if rule.get("transfer_only") == "1":
                continue
            if not self.field_matches(
                rule["network_id"], [network] if network else [], self.listed_networks
            ):
                continue
            if not self.field_matches(rule["from_area_id"], from_areas, self.listed_from):
                continue
            if not self.field_matches(rule["to_area_id"], to_areas, self.listed_to):
                continue
            group = rule["from_timeframe_group_id"]
            if group and not self.in_timeframe(group, leg.departure):
                continue
            group = rule["to_timeframe_group_id"]
            if group and not self.in_timeframe(group, leg.arrival):
                continue
            for product in self.products:
                if product["fare_product_id"] != rule["fare_product_id"]:
                    continue
                if product["fare_media_id"] not in ("", media):
                    continue
                amount = parse_amount(product["amount"], product["currency"])
                if best is None or amount < best:
                    best = amount
        return best


def _clock(text: str) -> int:
    hours, minutes, seconds = (int(part) for part in text.split(":"))
    return hours * 3600 + minutes * 60 + seconds


def random_legs(folder: Path, count: int, seed: int = 7) -> list[FareLeg]:
    """Legs between MBTA stops (half of them in fare areas) on random routes and times."""
    rng = random.Random(seed)
    in_areas = sorted({row["stop_id"] for row in _rows(folder, "stop_areas.txt")})
    all_stops = [row["stop_id"] for row in _rows(folder, "stops.txt")]
    routes = [row["route_id"] for row in _rows(folder, "routes.txt")]
    first_day = dt.datetime(2024, 9, 15)
    legs = []
    for _ in range(count):
        pool_from = in_areas if rng.random() < 0.5 else all_stops
        pool_to = in_areas if rng.random() < 0.5 else all_stops
        start = first_day + dt.timedelta(days=rng.randrange(96), seconds=rng.randrange(86400))
        legs.append(
            FareLeg(
                rng.choice(pool_from),
                rng.choice(pool_to),
                start,
                start + dt.timedelta(minutes=rng.randrange(5, 90)),
                route_id=rng.choice(routes),
            )
        )
    return legs


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("inf")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--legs", type=int, default=50_000, help="legs per run for jjj")
    parser.add_argument("--naive-legs", type=int, default=3_000, help="legs per run, naive")
    parser.add_argument("--media", default="charlieticket")
    args = parser.parse_args()

    started = time.perf_counter()
    rules = load_fares(MBTA, strict=False)
    engine = FareEngine(rules)
    load_seconds = time.perf_counter() - started
    naive = NaiveMatcher(MBTA)
    legs = random_legs(MBTA, args.legs)
    print(
        f"MBTA fare files: {len(rules.leg_rules)} leg rules, {len(rules.transfer_rules)} "
        f"transfer rules; loaded and indexed in {load_seconds:.2f} s"
    )

    # Agreement first: every leg of the naive sample, on every medium.
    sample = legs[: args.naive_legs]
    media = [m for m in engine.media_ids if m is not None]
    for medium in media:
        for leg in sample:
            mine, theirs = engine.price_leg(leg, medium, None), naive.price(leg, medium)
            if mine != theirs:
                raise SystemExit(f"disagreement on {leg} ({medium}): jjj {mine}, naive {theirs}")
    priced = sum(engine.price_leg(leg, args.media, None) is not None for leg in legs)
    print(
        f"both agree on all {len(sample):,} sample legs × {len(media)} media; "
        f"{priced:,} of {len(legs):,} legs have a {args.media} fare"
    )

    def timed(work: Callable[[], None], count: int) -> tuple[float, float]:
        """Median (CPU-time, wall-clock) rates of ``work`` over the runs."""
        cpu, wall = [], []
        for _ in range(args.runs):
            cpu_start, wall_start = time.process_time(), time.perf_counter()
            work()
            cpu.append(rate(count, time.process_time() - cpu_start))
            wall.append(rate(count, time.perf_counter() - wall_start))
        return statistics.median(cpu), statistics.median(wall)

    def run_fast() -> None:
        fresh = FareEngine(rules)  # cold caches each run
        for leg in legs:
            fresh.price_leg(leg, args.media, None)

    def run_naive() -> None:
        for leg in sample:
            naive.price(leg, args.media)

    journeys = [legs[i : i + 3] for i in range(0, min(len(legs), 15_000), 3)]

    def run_quotes() -> None:
        for journey in journeys:
            engine.quote(journey)

    fast = timed(run_fast, len(legs))
    slow = timed(run_naive, len(sample))
    quotes = timed(run_quotes, len(journeys))
    print(f"medians of {args.runs} runs; rates per CPU second (per wall-clock second)")
    print(
        f"  jjj FareEngine.price_leg   {fast[0]:>10,.0f} legs/s ({fast[1]:,.0f})"
        f"   {len(legs):,} legs, medium {args.media}"
    )
    print(
        f"  straightforward matcher    {slow[0]:>10,.0f} legs/s ({slow[1]:,.0f})"
        f"   {len(sample):,} legs"
    )
    print(f"  ratio                      {fast[0] / slow[0]:>10,.1f} ×")
    print(
        f"  jjj FareEngine.quote       {quotes[0]:>10,.0f} journeys/s ({quotes[1]:,.0f})"
        f"   3-leg journeys, all {len(engine.media_ids)} media, transfers included"
    )


if __name__ == "__main__":
    main()
