"""What pricing a journey returns: per fare medium and rider category, the cheapest valid
total with its breakdown, or why the fare is unknown.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from jjj.money import Money

__all__ = [
    "Charge",
    "ChargeKind",
    "FareQuote",
    "FareResult",
    "FareUnknown",
    "SpendingDiscount",
]


class ChargeKind(StrEnum):
    """What a line of the breakdown pays for."""

    #: The fare product of a leg rule (paid for one or more legs).
    LEG = "leg"
    #: Step products of a distance or station-count band (``count`` of them).
    STEP = "step"
    #: The fare product of a transfer rule (zero when the rule has none).
    TRANSFER = "transfer"
    #: A spending-based period discount (negative).
    DISCOUNT = "discount"


@dataclass(frozen=True, slots=True)
class Charge:
    """One line of a fare breakdown.

    Attributes
    ----------
    kind:
        What the line pays for.
    amount:
        Minor units (negative for discounts); already multiplied by ``count``.
    legs:
        Indices (0-based) of the journey legs the line covers.
    source:
        ``file:line`` of the rule row that produced the line.
    """

    kind: ChargeKind
    amount: int
    currency: str
    legs: tuple[int, ...]
    source: str
    fare_product_id: str | None = None
    fare_product_name: str | None = None
    leg_group_id: str | None = None
    from_leg_group_id: str | None = None
    to_leg_group_id: str | None = None
    fare_transfer_type: int | None = None
    count: int = 1

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready values (amount as a decimal string)."""
        data: dict[str, Any] = {
            "kind": self.kind.value,
            "amount": _decimal(self.amount, self.currency),
            "currency": self.currency,
            "legs": list(self.legs),
            "source": self.source,
        }
        optional = {
            "fare_product_id": self.fare_product_id,
            "fare_product_name": self.fare_product_name,
            "leg_group_id": self.leg_group_id,
            "from_leg_group_id": self.from_leg_group_id,
            "to_leg_group_id": self.to_leg_group_id,
            "fare_transfer_type": self.fare_transfer_type,
        }
        data.update({k: v for k, v in optional.items() if v is not None})
        if self.count != 1:
            data["count"] = self.count
        return data


@dataclass(frozen=True, slots=True)
class SpendingDiscount:
    """A spending-based period discount as applied to one journey.

    ``spent_before`` is the rider's spending on the scheme in the period before
    this journey; ``eligible`` the part of this journey's fare the scheme covers;
    ``tier_min_spent`` the threshold of the tier reached (``None`` below all tiers).
    """

    spending_discount_id: str
    spent_before: int
    tier_min_spent: int | None
    discount_bp: int
    eligible: int
    discount: int
    currency: str
    source: str | None

    @property
    def paid(self) -> int:
        """What the rider pays on the scheme for this journey (adds to the period's spending)."""
        return self.eligible - self.discount

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready values."""
        return {
            "spending_discount_id": self.spending_discount_id,
            "spent_before": _decimal(self.spent_before, self.currency),
            "tier_min_spent": None
            if self.tier_min_spent is None
            else _decimal(self.tier_min_spent, self.currency),
            "discount_percent": self.discount_bp / 100,
            "eligible": _decimal(self.eligible, self.currency),
            "discount": _decimal(self.discount, self.currency),
            "currency": self.currency,
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class FareResult:
    """The cheapest valid total for one fare medium and rider category."""

    fare_media_id: str | None
    rider_category_id: str | None
    total: Money
    charges: tuple[Charge, ...]
    discounts: tuple[SpendingDiscount, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready values."""
        return {
            "fare_media_id": self.fare_media_id,
            "rider_category_id": self.rider_category_id,
            "known": True,
            "total": _decimal(self.total.minor, self.total.currency),
            "currency": self.total.currency,
            "charges": [c.to_dict() for c in self.charges],
            "spending_discounts": [d.to_dict() for d in self.discounts],
        }


@dataclass(frozen=True, slots=True)
class FareUnknown:
    """No valid fare for one fare medium and rider category, and why."""

    fare_media_id: str | None
    rider_category_id: str | None
    reason: str
    leg: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready values."""
        return {
            "fare_media_id": self.fare_media_id,
            "rider_category_id": self.rider_category_id,
            "known": False,
            "reason": self.reason,
            "leg": self.leg,
        }


@dataclass(frozen=True, slots=True)
class FareQuote:
    """Every (fare medium, rider category) result for one journey.

    ``effective_legs`` lists the journey legs each effective fare leg covers
    (legs joined by ``fare_leg_join_rules.txt`` share one).
    """

    effective_legs: tuple[tuple[int, ...], ...]
    results: tuple[FareResult | FareUnknown, ...]

    def known(self) -> list[FareResult]:
        """The priced results."""
        return [r for r in self.results if isinstance(r, FareResult)]

    def cheapest(
        self, *, fare_media_id: str | None = None, rider_category_id: str | None = None
    ) -> FareResult | None:
        """The lowest known total, optionally among one medium's or one category's results."""
        known = [
            r
            for r in self.known()
            if (fare_media_id is None or r.fare_media_id == fare_media_id)
            and (rider_category_id is None or r.rider_category_id == rider_category_id)
        ]
        return min(known, key=lambda r: r.total.minor) if known else None

    def result(
        self, fare_media_id: str | None, rider_category_id: str | None
    ) -> FareResult | FareUnknown:
        """The result for one medium and rider category.

        Raises
        ------
        KeyError
            If the quote has no result for that pair.
        """
        for found in self.results:
            if (
                found.fare_media_id == fare_media_id
                and found.rider_category_id == rider_category_id
            ):
                return found
        raise KeyError((fare_media_id, rider_category_id))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready values."""
        return {
            "effective_legs": [list(legs) for legs in self.effective_legs],
            "results": [r.to_dict() for r in self.results],
        }


def _decimal(minor: int, currency: str) -> str:
    text = str(Money(minor, currency))
    return text.rsplit(" ", 1)[0]
