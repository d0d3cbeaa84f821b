"""The breakdown of a priced journey: which products and transfer rules are paid,
and which journey legs each covers.

A sub-journey's opening product covers the legs reached from it through A + AB
transfers; an A + AB + B transfer charges the to-leg's own product, which then
carries on; an AB transfer out of the opening leg replaces that leg's product.
"""

from __future__ import annotations

from dataclasses import dataclass

from jjj.fares.model import FareProductRow, FareTransferType, LegRule, TransferRule
from jjj.fares.result import Charge, ChargeKind

__all__ = ["PricedOption", "Step", "breakdown", "leg_charges"]


@dataclass(frozen=True, slots=True)
class PricedOption:
    """A leg rule priced for one medium and rider category (with its band steps)."""

    rule: LegRule
    row: FareProductRow
    steps: int
    step_row: FareProductRow | None

    @property
    def amount(self) -> int:
        extra = self.step_row.amount * self.steps if self.step_row is not None else 0
        return self.row.amount + extra


@dataclass(frozen=True, slots=True)
class Step:
    """One effective leg of the chosen path: its priced rule, the leg that opened its
    sub-journey, and the transfer rule (with its priced product) that reached it."""

    option: PricedOption
    start: int
    transfer: TransferRule | None
    transfer_row: FareProductRow | None


def leg_charges(option: PricedOption, legs: tuple[int, ...]) -> list[Charge]:
    rule, row = option.rule, option.row
    charges = [
        Charge(
            ChargeKind.LEG,
            row.amount,
            row.currency,
            legs,
            rule.source,
            fare_product_id=row.fare_product_id,
            fare_product_name=row.name,
            leg_group_id=rule.leg_group_id,
        )
    ]
    if option.step_row is not None and option.steps:
        step = option.step_row
        charges.append(
            Charge(
                ChargeKind.STEP,
                step.amount * option.steps,
                step.currency,
                legs,
                rule.source,
                fare_product_id=step.fare_product_id,
                fare_product_name=step.name,
                leg_group_id=rule.leg_group_id,
                count=option.steps,
            )
        )
    return charges


def breakdown(legs: list[tuple[int, ...]], path: list[Step], currency: str) -> list[Charge]:
    """Charges of the chosen path; each covers the journey legs it pays for."""
    charges: list[Charge] = []
    carrier = -1  # index of the charge that carries the current sub-journey
    opened_at = -1  # index in ``charges`` where the current sub-journey's first leg charges start
    for leg_idx, step in enumerate(path):
        option, transfer, transfer_row = step.option, step.transfer, step.transfer_row
        covered = legs[leg_idx]
        if transfer is None:
            opened_at = len(charges)
            charges.extend(leg_charges(option, covered))
            carrier = opened_at
            continue
        previous = legs[leg_idx - 1]
        kind = transfer.fare_transfer_type
        transfer_charge = Charge(
            ChargeKind.TRANSFER,
            transfer_row.amount if transfer_row is not None else 0,
            transfer_row.currency if transfer_row is not None else currency,
            (*previous, *covered),
            transfer.source,
            fare_product_id=transfer.fare_product_id,
            fare_product_name=transfer_row.name if transfer_row is not None else None,
            from_leg_group_id=transfer.from_leg_group_id,
            to_leg_group_id=transfer.to_leg_group_id,
            fare_transfer_type=int(kind),
        )
        if kind is FareTransferType.A_PLUS_AB:
            carried = charges[carrier]
            charges[carrier] = _cover(carried, covered)
            charges.append(transfer_charge)
        elif kind is FareTransferType.A_PLUS_AB_PLUS_B:
            charges.append(transfer_charge)
            carrier = len(charges)
            charges.extend(leg_charges(option, covered))
        elif step.start == leg_idx - 1:  # AB replaces the opening leg's product
            first_legs = charges[opened_at].legs
            del charges[opened_at:]
            charges.append(_cover(transfer_charge, (), legs_override=(*first_legs, *covered)))
            carrier = len(charges) - 1
        else:
            charges.append(_cover(transfer_charge, (), legs_override=covered))
            carrier = len(charges) - 1
    return charges


def _cover(
    charge: Charge, more: tuple[int, ...], *, legs_override: tuple[int, ...] | None = None
) -> Charge:
    legs = legs_override if legs_override is not None else tuple(sorted({*charge.legs, *more}))
    return Charge(
        charge.kind,
        charge.amount,
        charge.currency,
        legs,
        charge.source,
        fare_product_id=charge.fare_product_id,
        fare_product_name=charge.fare_product_name,
        leg_group_id=charge.leg_group_id,
        from_leg_group_id=charge.from_leg_group_id,
        to_leg_group_id=charge.to_leg_group_id,
        fare_transfer_type=charge.fare_transfer_type,
        count=charge.count,
    )
