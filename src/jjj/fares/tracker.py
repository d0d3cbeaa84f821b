"""A rider's journeys priced in order, with the spending history their discounts need."""

from __future__ import annotations

from jjj.fares.engine import FareEngine
from jjj.fares.journey import FareJourney
from jjj.fares.result import FareResult, FareUnknown
from jjj.fares.spending import period_of

__all__ = ["SpendingTracker"]


class SpendingTracker:
    """Prices one rider's journeys in order, keeping what they paid per scheme and month.

    Parameters
    ----------
    engine:
        The fare engine of the feed.
    media, rider:
        The rider's ``fare_media_id`` and ``rider_category_id``.
    """

    def __init__(self, engine: FareEngine, *, media: str | None, rider: str | None) -> None:
        self._engine = engine
        self._media = media
        self._rider = rider
        self._spent: dict[tuple[str, int, int], int] = {}

    def spent(self, scheme_id: str, year: int, month: int) -> int:
        """What was paid on a scheme in a calendar month so far (minor units)."""
        return self._spent.get((scheme_id, year, month), 0)

    def price(self, journey: FareJourney) -> FareResult | FareUnknown:
        """Price the next journey with the discount its month's spending earns."""
        rules = self._engine.rules
        year, month = period_of(journey, rules.agency_timezone)
        schemes = {tier.spending_discount_id for tier in rules.spending_tiers}
        spent = {scheme: self.spent(scheme, year, month) for scheme in schemes}
        quote = self._engine.quote(
            journey, media=self._media, rider=self._rider, spent_in_period=spent
        )
        result = quote.result(self._media, self._rider)
        if isinstance(result, FareResult):
            for applied in result.discounts:
                key = (applied.spending_discount_id, year, month)
                self._spent[key] = self._spent.get(key, 0) + applied.paid
        return result
