"""Spending-based period discounts (regional extension ``fare_spending_discounts.txt``).

A scheme (one ``spending_discount_id``) has tiers: once the rider has spent at
least a tier's ``min_spent`` in the current calendar month on the scheme, each
*later* journey gets the tier's percentage off the part of its fare on the
scheme's network. The journey that crosses a threshold is charged at the tier it
started in (Beijing's "满100元以后的乘次": the trips after reaching ¥100).

The rider's history enters as ``spent_in_period``: what was paid on the scheme in
the period before this journey. :class:`jjj.fares.tracker.SpendingTracker` keeps
that history for a sequence of journeys; the card back office keeps it in its ledger.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from zoneinfo import ZoneInfo

from jjj.fares.journey import FareJourney
from jjj.fares.model import FareRules, SpendingTier
from jjj.fares.result import Charge, ChargeKind, FareResult, SpendingDiscount
from jjj.money import Money

__all__ = ["apply_spending", "period_of"]


def _schemes(rules: FareRules, result: FareResult) -> dict[str, list[SpendingTier]]:
    schemes: dict[str, list[SpendingTier]] = {}
    for tier in rules.spending_tiers:
        if tier.fare_media_id is not None and tier.fare_media_id != result.fare_media_id:
            continue
        if (
            tier.rider_category_id is not None
            and tier.rider_category_id != result.rider_category_id
        ):
            continue
        if tier.currency != result.total.currency:
            continue
        schemes.setdefault(tier.spending_discount_id, []).append(tier)
    return schemes


def apply_spending(
    rules: FareRules,
    result: FareResult,
    leg_networks: Sequence[str | None],
    spent_in_period: int | Mapping[str, int],
) -> FareResult:
    """``result`` with the spending discounts of the feed's schemes applied.

    Parameters
    ----------
    rules:
        The feed's rules (its ``spending_tiers``).
    result:
        A priced result (one medium and rider category).
    leg_networks:
        The network of each journey leg (a charge is eligible when all the legs it
        covers are on the scheme's network).
    spent_in_period:
        Spending before this journey in the current period, in minor units: one
        value for every scheme, or a value per ``spending_discount_id``.
    """
    applied: list[SpendingDiscount] = []
    charges = list(result.charges)
    for scheme_id, tiers in _schemes(rules, result).items():
        network = tiers[0].network_id
        spent = (
            spent_in_period.get(scheme_id, 0)
            if isinstance(spent_in_period, Mapping)
            else spent_in_period
        )
        eligible_legs: set[int] = set()
        eligible = 0
        for charge in result.charges:
            if charge.kind is ChargeKind.DISCOUNT:
                continue
            if network is None or all(leg_networks[i] == network for i in charge.legs):
                eligible += charge.amount
                eligible_legs.update(charge.legs)
        reached = [t for t in tiers if t.min_spent <= spent]
        tier = max(reached, key=lambda t: t.min_spent) if reached else None
        basis_points = tier.discount_bp if tier is not None else 0
        discount = max(eligible, 0) * basis_points // 10000
        applied.append(
            SpendingDiscount(
                scheme_id,
                spent,
                tier.min_spent if tier is not None else None,
                basis_points,
                eligible,
                discount,
                result.total.currency,
                f"fare_spending_discounts.txt:{tier.line}" if tier is not None else None,
            )
        )
        if discount:
            charges.append(
                Charge(
                    ChargeKind.DISCOUNT,
                    -discount,
                    result.total.currency,
                    tuple(sorted(eligible_legs)),
                    f"fare_spending_discounts.txt:{tier.line}" if tier is not None else "",
                )
            )
    if not applied:
        return result
    total = sum(c.amount for c in charges)
    return replace(
        result,
        total=Money(total, result.total.currency),
        charges=tuple(charges),
        discounts=(*result.discounts, *applied),
    )


def period_of(journey: FareJourney, timezone: str | None) -> tuple[int, int]:
    """The calendar month ``(year, month)`` of a journey's first boarding, in local time."""
    moment = journey.legs[0].departure
    if moment.tzinfo is not None:
        moment = moment.astimezone(ZoneInfo(timezone or "UTC"))
    return moment.year, moment.month
