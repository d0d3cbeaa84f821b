"""The fare engine: the cheapest valid total of a journey for each fare medium and rider
category, by dynamic programming over its effective fare legs.

A journey is cut into *sub-journeys*: the first leg of each is paid with the
product of one of its matching leg rules; every later leg of a sub-journey is
reached through a transfer rule from the leg before it, and is charged according
to the rule's ``fare_transfer_type``:

* ``0`` (A + AB): the transfer product only;
* ``1`` (A + AB + B): the transfer product and the leg's own product;
* ``2`` (AB): the transfer product, which replaces the from-leg's product when the
  from-leg opened the sub-journey (otherwise S + BC, as in the spec's table).

``transfer_count`` counts the transfers since the sub-journey opened and
``duration_limit`` is measured from the leg that opened it. The state after a leg
is (the leg rule used, the leg that opened the sub-journey); every later choice
depends on nothing else, so keeping the cheapest cost per state is exact.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from jjj.errors import FareError
from jjj.fares.breakdown import PricedOption, Step, breakdown
from jjj.fares.joins import effective_legs
from jjj.fares.journey import FareJourney, FareLeg
from jjj.fares.match import EffectiveLeg, LegMatch, LegMatcher
from jjj.fares.model import (
    DurationLimitType,
    FareProductRow,
    FareRules,
    FareTransferType,
    LegRule,
    MeasureKind,
    TransferRule,
)
from jjj.fares.prices import PriceTable
from jjj.fares.result import FareQuote, FareResult, FareUnknown
from jjj.fares.spending import apply_spending
from jjj.fares.transfers import TransferIndex
from jjj.money import Money

__all__ = ["FareEngine"]


@dataclass(frozen=True, slots=True)
class _State:
    cost: int
    currency_row: FareProductRow | None
    back: tuple[int, int] | None
    transfer: TransferRule | None
    transfer_row: FareProductRow | None


class FareEngine:
    """Prices journeys under one feed's fare rules.

    Build it once per feed (it precompiles the rule indices) and call
    :meth:`quote` for each journey.
    """

    def __init__(self, rules: FareRules) -> None:
        self.rules = rules
        self.matcher = LegMatcher(rules)
        self._transfers = TransferIndex(rules)
        self._prices = PriceTable(rules)
        self.media_ids = _media_keys(rules)
        self.rider_ids = _rider_keys(rules)
        self._route_network = rules.route_network
        self._rule_prices: dict[tuple[str | None, str | None], list[int | None]] = {}

    # -- public API -------------------------------------------------------------------------

    def quote(
        self,
        journey: FareJourney | list[FareLeg] | tuple[FareLeg, ...],
        *,
        media: str | None = None,
        rider: str | None = None,
        spent_in_period: int | Mapping[str, int] | None = None,
    ) -> FareQuote:
        """Price a journey for every fare medium and rider category (or the ones given).

        Parameters
        ----------
        journey:
            The legs in travel order (a :class:`FareJourney` or a sequence of legs).
        media, rider:
            Restrict the results to one ``fare_media_id`` / ``rider_category_id``.
        spent_in_period:
            The rider's spending so far in the period of the feed's spending-discount
            schemes (minor units; one value for all schemes or one per scheme id).
            Defaults to the journey's ``spent_in_period``; without it no discount.

        Raises
        ------
        FareError
            On an empty journey, an unknown medium or category, times that mix
            aware and naive datetimes, or a total that would mix two currencies.
        """
        legs = journey.legs if isinstance(journey, FareJourney) else tuple(journey)
        if spent_in_period is None and isinstance(journey, FareJourney):
            spent_in_period = journey.spent_in_period
        if not legs:
            raise FareError("a journey needs at least one leg")
        _check_times(legs)
        media_ids = self._select(media, self.media_ids, self.rules.media, "fare_media_id")
        rider_ids = self._select(rider, self.rider_ids, self.rules.riders, "rider_category_id")
        effective = effective_legs(legs, self.rules, self.matcher)
        matches = self.matcher.match_all(effective)
        networks = [self.matcher.network_of(leg.route_id, leg.network_id) for leg in legs]
        results: list[FareResult | FareUnknown] = []
        for media_id in media_ids:
            for rider_id in rider_ids:
                result = self._solve(effective, matches, media_id, rider_id)
                if isinstance(result, FareResult) and spent_in_period is not None:
                    result = apply_spending(self.rules, result, networks, spent_in_period)
                results.append(result)
        return FareQuote(tuple(e.legs for e in effective), tuple(results))

    def price_leg(self, leg: FareLeg, media: str | None, rider: str | None) -> int | None:
        """The cheapest single-leg fare (minor units) for one medium and rider, or ``None``.

        The fast path for pricing taps one by one: one match, no transfers, no
        breakdown. Equal to the total of :meth:`quote` for a one-leg journey.
        """
        network = leg.network_id
        if network is None and leg.route_id is not None:
            network = self._route_network.get(leg.route_id)
        matcher = self.matcher
        candidates = matcher.candidates_for(network, leg.from_stop_id, leg.to_stop_id)
        if not candidates:
            return None
        kept, _ = matcher.select(candidates, leg)
        prices = self._rule_prices.get((media, rider))
        if prices is None:
            prices = self._price_rules(media, rider)
        best: int | None = None
        for rule in kept:
            if rule.transfer_only:
                continue
            amount = prices[rule.rule_idx]
            if amount is None:
                continue
            if rule.band is not None and rule.band.step_fare_product_id is not None:
                option = self._option(rule, leg, media, rider)
                if option is None:
                    continue
                amount = option.amount
            if best is None or amount < best:
                best = amount
        return best

    def _price_rules(self, media: str | None, rider: str | None) -> list[int | None]:
        """Each leg rule's product price for a medium and rider (``None``: not sold)."""
        prices: list[int | None] = []
        for rule in self.rules.leg_rules:
            row = self._prices.get(rule.fare_product_id, media, rider)
            prices.append(None if row is None else row.amount)
        self._rule_prices[(media, rider)] = prices
        return prices

    # -- internals ---------------------------------------------------------------------------

    def _select(
        self, wanted: str | None, keys: list[str | None], known: Mapping[str, object], field: str
    ) -> list[str | None]:
        if wanted is None:
            return keys
        if wanted not in known and wanted not in keys:
            options = ", ".join(sorted(k for k in keys if k is not None)) or "none"
            raise FareError(
                f"{self.rules.feed_name}: unknown {field} {wanted!r} (known: {options})"
            )
        return [wanted]

    def _option(
        self, rule: LegRule, leg: EffectiveLeg | FareLeg, media: str | None, rider: str | None
    ) -> PricedOption | None:
        row = self._prices.get(rule.fare_product_id, media, rider)
        if row is None:
            return None
        band = rule.band
        if band is None or band.step_fare_product_id is None:
            return PricedOption(rule, row, 0, None)
        value = leg.distance_m if band.kind is MeasureKind.DISTANCE else leg.station_count
        steps = band.steps(float(value or 0))
        if steps == 0:
            return PricedOption(rule, row, 0, None)
        step_row = self._prices.get(band.step_fare_product_id, media, rider)
        if step_row is None:
            return None
        _same_currency(row, step_row)
        return PricedOption(rule, row, steps, step_row)

    def _options(
        self,
        legs: list[EffectiveLeg],
        matches: list[LegMatch],
        media: str | None,
        rider: str | None,
    ) -> list[list[PricedOption]] | FareUnknown:
        options: list[list[PricedOption]] = []
        for leg, match in zip(legs, matches, strict=True):
            where = _describe(leg)
            if not match.rules:
                return FareUnknown(media, rider, f"{where}: {match.reason}", leg.legs[0])
            priced = [
                option
                for rule in match.rules
                if (option := self._option(rule, leg, media, rider)) is not None
            ]
            if not priced:
                products = ", ".join(sorted({r.fare_product_id for r in match.rules}))
                return FareUnknown(
                    media,
                    rider,
                    f"{where}: its products ({products}) have no price for fare_media_id "
                    f"{media!r} and rider_category_id {rider!r}",
                    leg.legs[0],
                )
            options.append(priced)
        return options

    def _solve(
        self,
        legs: list[EffectiveLeg],
        matches: list[LegMatch],
        media: str | None,
        rider: str | None,
    ) -> FareResult | FareUnknown:
        options = self._options(legs, matches, media, rider)
        if isinstance(options, FareUnknown):
            return options
        layers: list[dict[tuple[int, int], _State]] = []
        first: dict[tuple[int, int], _State] = {}
        for option_idx, option in enumerate(options[0]):
            if not option.rule.transfer_only:
                _relax(first, (option_idx, 0), _State(option.amount, option.row, None, None, None))
        if not first:
            return FareUnknown(
                media, rider, f"{_describe(legs[0])}: only transfer-only rules match", 0
            )
        layers.append(first)
        for leg_idx in range(1, len(legs)):
            layer = self._step(legs, options, layers[-1], leg_idx, media, rider)
            if not layer:
                return FareUnknown(
                    media,
                    rider,
                    f"{_describe(legs[leg_idx])}: only transfer-only rules match "
                    "and no transfer rule reaches it",
                    legs[leg_idx].legs[0],
                )
            layers.append(layer)
        return self._result(legs, options, layers, media, rider)

    def _step(
        self,
        legs: list[EffectiveLeg],
        options: list[list[PricedOption]],
        previous: dict[tuple[int, int], _State],
        leg_idx: int,
        media: str | None,
        rider: str | None,
    ) -> dict[tuple[int, int], _State]:
        layer: dict[tuple[int, int], _State] = {}
        for (prev_idx, start), state in previous.items():
            prev = options[leg_idx - 1][prev_idx]
            for option_idx, option in enumerate(options[leg_idx]):
                if not option.rule.transfer_only:
                    row = _same_currency(state.currency_row, option.row)
                    cost = state.cost + option.amount
                    opened = _State(cost, row, (prev_idx, start), None, None)
                    _relax(layer, (option_idx, leg_idx), opened)
                rules = self._transfers.between(
                    prev.rule.leg_group_id, option.rule.leg_group_id, leg_idx - start
                )
                for rule in rules:
                    delta = self._transfer_cost(
                        rule, prev, option, start == leg_idx - 1, media, rider
                    )
                    if delta is None or not _within(rule, legs[start], legs[leg_idx]):
                        continue
                    amount, row, transfer_row = delta
                    row = _same_currency(state.currency_row, row)
                    moved = _State(state.cost + amount, row, (prev_idx, start), rule, transfer_row)
                    _relax(layer, (option_idx, start), moved)
        return layer

    def _transfer_cost(
        self,
        rule: TransferRule,
        prev: PricedOption,
        option: PricedOption,
        prev_opened: bool,
        media: str | None,
        rider: str | None,
    ) -> tuple[int, FareProductRow | None, FareProductRow | None] | None:
        wanted = rule.filter_fare_product_id
        if wanted is not None and prev.rule.fare_product_id != wanted:
            return None
        if rule.same_product and prev.rule.fare_product_id != option.rule.fare_product_id:
            return None
        amount, row = 0, None
        if rule.fare_product_id is not None:
            row = self._prices.get(rule.fare_product_id, media, rider)
            if row is None:
                return None
            amount = row.amount
        transfer_row = row
        if rule.fare_transfer_type is FareTransferType.A_PLUS_AB_PLUS_B:
            _same_currency(row, option.row)
            amount += option.amount
            row = row or option.row
        elif rule.fare_transfer_type is FareTransferType.AB and prev_opened:
            _same_currency(row, prev.row)
            amount -= prev.amount
            row = row or prev.row
        return amount, row, transfer_row

    def _result(
        self,
        legs: list[EffectiveLeg],
        options: list[list[PricedOption]],
        layers: list[dict[tuple[int, int], _State]],
        media: str | None,
        rider: str | None,
    ) -> FareResult:
        key = min(layers[-1], key=lambda k: (layers[-1][k].cost, k))
        best = layers[-1][key]
        path: list[Step] = []
        for leg_idx in range(len(legs) - 1, -1, -1):
            state = layers[leg_idx][key]
            option = options[leg_idx][key[0]]
            path.append(Step(option, key[1], state.transfer, state.transfer_row))
            if state.back is not None:
                key = state.back
        path.reverse()
        currency = best.currency_row.currency if best.currency_row is not None else "XXX"
        charges = breakdown([leg.legs for leg in legs], path, currency)
        total = sum(c.amount for c in charges)
        if total != best.cost:  # pragma: no cover - an internal invariant
            raise AssertionError(f"breakdown {total} differs from optimum {best.cost}")
        return FareResult(media, rider, Money(total, currency), tuple(charges))


def _relax(layer: dict[tuple[int, int], _State], key: tuple[int, int], state: _State) -> None:
    current = layer.get(key)
    if current is None or state.cost < current.cost:
        layer[key] = state


def _same_currency(
    anchor: FareProductRow | None, other: FareProductRow | None
) -> FareProductRow | None:
    if anchor is None:
        return other
    if other is not None and other.currency != anchor.currency:
        raise FareError(
            f"fare_products.txt:{other.line} currency: {other.currency} cannot be added to "
            f"{anchor.currency} (fare_products.txt:{anchor.line} currency) in one journey total"
        )
    return anchor


def _within(rule: TransferRule, first: EffectiveLeg, last: EffectiveLeg) -> bool:
    if rule.duration_limit is None or rule.duration_limit_type is None:
        return True
    kind = rule.duration_limit_type
    start = (
        first.departure
        if kind
        in (DurationLimitType.DEPARTURE_TO_ARRIVAL, DurationLimitType.DEPARTURE_TO_DEPARTURE)
        else first.arrival
    )
    end = (
        last.arrival
        if kind in (DurationLimitType.DEPARTURE_TO_ARRIVAL, DurationLimitType.ARRIVAL_TO_ARRIVAL)
        else last.departure
    )
    return (end - start).total_seconds() <= rule.duration_limit


def _describe(leg: EffectiveLeg) -> str:
    legs = "+".join(str(i + 1) for i in leg.legs)
    network = f", network {leg.network_id}" if leg.network_id is not None else ""
    return f"leg {legs} ({leg.from_stop_id} → {leg.to_stop_id}{network})"


def _check_times(legs: tuple[FareLeg, ...]) -> None:
    aware = {leg.departure.tzinfo is not None for leg in legs}
    aware |= {leg.arrival.tzinfo is not None for leg in legs}
    if len(aware) > 1:
        raise FareError("leg times must all carry a UTC offset or all be local times")


def _media_keys(rules: FareRules) -> list[str | None]:
    """``fare_media.txt`` in file order, then ``None`` when a leg rule's product has a row
    without a medium (or when no medium is defined at all)."""
    keys: list[str | None] = list(rules.media)
    leg_products = {rule.fare_product_id for rule in rules.leg_rules}
    open_rows = any(
        row.fare_media_id is None
        for product in leg_products
        for row in rules.products.get(product, ())
    )
    if open_rows or not keys:
        keys.append(None)
    return keys


def _rider_keys(rules: FareRules) -> list[str | None]:
    keys: list[str | None] = list(rules.riders)
    for rows in rules.products.values():
        for row in rows:
            if row.rider_category_id is not None and row.rider_category_id not in keys:
                keys.append(row.rider_category_id)
    return keys or [None]
