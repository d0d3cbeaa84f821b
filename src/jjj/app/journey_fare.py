"""The fare of a planned journey: each operator's rides priced by its own rules, summed.

A journey across operators (feeds) pays each operator separately: every run of rides
on one feed (:func:`jjj.app.fare_legs.group_rides`) is priced by that feed's
GTFS-Fares v2 rules with :meth:`jjj.fares.FareEngine.quote`, the cheapest known total
over its fare media (for the feed's default rider category, or any rider) is taken,
and the parts are summed per currency. No fare product spans two feeds, so that sum
is the journey's fare. When one part cannot be priced the journey's fare is unknown,
with the reasons; the priced parts are still listed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jjj.app.fare_legs import FeedRides, LegDistance, fare_legs, group_rides
from jjj.app.fare_sources import FeedFares, feed_fares
from jjj.errors import JjjError
from jjj.fares import FareQuote, FareResult, FareUnknown
from jjj.money import Money
from jjj.routing.itinerary import Journey
from jjj.timetable.network import Network

__all__ = ["FarePart", "JourneyFare", "UnknownPart", "format_money", "price_journey"]

#: Currency signs used in text output; other currencies print as ``5.00 XYZ``.
SIGNS = {"CNY": "¥", "USD": "$", "EUR": "€", "GBP": "£"}


def format_money(money: Money) -> str:
    """``¥5.00`` for CNY (and $, €, £), ``5.00 XYZ`` otherwise."""
    text = str(money)
    sign = SIGNS.get(money.currency)
    return f"{sign}{text.rsplit(' ', 1)[0]}" if sign else text


def _money_dict(money: Money) -> dict[str, Any]:
    return {"amount_minor": money.minor, "currency": money.currency, "text": str(money)}


@dataclass(frozen=True)
class FarePart:
    """One feed's rides, priced."""

    feed: str
    name: str
    legs: tuple[int, ...]
    result: FareResult
    distances: tuple[LegDistance, ...]
    ride_legs: tuple[tuple[int, ...], ...] = ()

    def _journey_legs(self, fare_legs: list[int]) -> list[int]:
        """Fare-leg positions (as the engine numbers them) → the journey's leg positions."""
        if not self.ride_legs:
            return fare_legs
        return sorted({j for k in fare_legs if k < len(self.ride_legs) for j in self.ride_legs[k]})

    def to_dict(self) -> dict[str, Any]:
        """JSON form (schema in ``docs/fares.md``)."""
        charges = []
        for charge in self.result.charges:
            entry = charge.to_dict()
            entry["legs"] = self._journey_legs(list(entry.get("legs", [])))
            charges.append(entry)
        return {
            "feed": self.feed,
            "name": self.name,
            "legs": list(self.legs),
            "price": _money_dict(self.result.total),
            "fare_media_id": self.result.fare_media_id,
            "rider_category_id": self.result.rider_category_id,
            "rides": [
                {
                    "legs": list(self.ride_legs[k]) if k < len(self.ride_legs) else [],
                    "distance_m": d.metres,
                    "distance_source": d.source,
                    "station_count": d.stations,
                }
                for k, d in enumerate(self.distances)
            ],
            "charges": charges,
        }


@dataclass(frozen=True)
class UnknownPart:
    """One feed's rides that could not be priced, and why."""

    feed: str
    name: str
    legs: tuple[int, ...]
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """JSON form (schema in ``docs/fares.md``)."""
        return {
            "feed": self.feed,
            "name": self.name,
            "legs": list(self.legs),
            "reason": self.reason,
        }


@dataclass(frozen=True)
class JourneyFare:
    """A journey's fare: the priced parts, the unpriced ones, and the totals."""

    parts: tuple[FarePart, ...] = ()
    unknown: tuple[UnknownPart, ...] = ()
    totals: tuple[Money, ...] = field(default=())

    @property
    def known(self) -> bool:
        """Whether every ride is priced."""
        return not self.unknown

    @property
    def total(self) -> Money | None:
        """The fare, when every ride is priced in one currency."""
        if self.unknown or len(self.totals) != 1:
            return None
        return self.totals[0]

    def text(self) -> str:
        """``Fare: ¥5.00 (Beijing Subway ¥5.00)`` or ``Fare: unknown (reason)``."""
        if not self.parts and not self.unknown:
            return "Fare: none (no rides)"
        if self.unknown:
            reasons = "; ".join(f"{u.name}: {u.reason}" for u in self.unknown)
            priced = ", ".join(f"{p.name} {format_money(p.result.total)}" for p in self.parts)
            return f"Fare: unknown ({reasons})" + (f"; priced: {priced}" if priced else "")
        total = " + ".join(format_money(m) for m in self.totals)
        parts = ", ".join(f"{p.name} {format_money(p.result.total)}" for p in self.parts)
        return f"Fare: {total} ({parts})"

    def to_dict(self) -> dict[str, Any]:
        """``{"total", "totals", "parts", "unknown"}`` (schema in ``docs/fares.md``)."""
        total = self.total
        return {
            "total": None if total is None else _money_dict(total),
            "totals": [_money_dict(m) for m in self.totals],
            "parts": [p.to_dict() for p in self.parts],
            "unknown": [u.to_dict() for u in self.unknown],
        }


def _cheapest(quote: FareQuote, fares: FeedFares) -> FareResult | FareUnknown:
    """The lowest known total for the default rider (or any rider), else a reason."""
    default = fares.rules.default_rider() if fares.rules is not None else None
    results = [r for r in quote.results if r.rider_category_id == default]
    if not results:
        results = list(quote.results)
    known = [r for r in results if isinstance(r, FareResult)]
    if known:
        return min(known, key=lambda r: r.total.minor)
    unknown = [r for r in results if isinstance(r, FareUnknown)]
    if unknown:
        return unknown[0]
    return FareUnknown(None, None, "no fare medium or rider category gives a fare")


def _part_name(fares: FeedFares, routes: list[str | None]) -> str:
    rules = fares.rules
    names: list[str] = []
    for route in routes:
        network = rules.route_network.get(route or "") if rules is not None else None
        name = fares.network_names.get(network or "", network or "")
        if name and name not in names:
            names.append(name)
    return " + ".join(names) if names else fares.name


def _feed_paths(network: Network) -> dict[str, str]:
    return {str(f["name"]): str(f.get("path", "")) for f in network.meta.get("feeds", [])}


def _price_group(
    network: Network, journey: Journey, rides: FeedRides, paths: dict[str, str]
) -> FarePart | UnknownPart:
    legs = tuple(i for ride in rides.leg_indices for i in ride)
    path = paths.get(rides.feed)
    if not path:
        reason = "fare rules not available: the network does not record the feed's file"
        return UnknownPart(rides.feed, rides.feed, legs, reason)
    fares = feed_fares(rides.feed, path)
    if fares.engine is None:
        reason = fares.reason or "fare rules not available"
        return UnknownPart(rides.feed, rides.feed, legs, reason)
    try:
        fare_input, distances = fare_legs(network, journey, rides, fares.trip_distances())
        name = _part_name(fares, [leg.route_id for leg in fare_input])
        best = _cheapest(fares.engine.quote(fare_input), fares)
    except JjjError as exc:
        return UnknownPart(rides.feed, rides.feed, legs, str(exc))
    if isinstance(best, FareUnknown):
        return UnknownPart(rides.feed, name, legs, best.reason)
    return FarePart(rides.feed, name, legs, best, tuple(distances), rides.leg_indices)


def price_journey(network: Network, journey: Journey) -> JourneyFare:
    """Price ``journey`` (planned on ``network``) under each of its feeds' fare rules.

    Never raises for missing rules: such parts are listed in ``unknown`` with the reason.
    """
    paths = _feed_paths(network)
    parts: list[FarePart] = []
    unknown: list[UnknownPart] = []
    for rides in group_rides(network, journey):
        priced = _price_group(network, journey, rides, paths)
        if isinstance(priced, FarePart):
            parts.append(priced)
        else:
            unknown.append(priced)
    sums: dict[str, Money] = {}
    for part in parts:
        money = part.result.total
        sums[money.currency] = sums[money.currency] + money if money.currency in sums else money
    return JourneyFare(tuple(parts), tuple(unknown), tuple(sums.values()))
