"""Money as integer minor units (fen for CNY, cents for USD); never floats."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

__all__ = ["MINOR_UNIT_DIGITS", "Money", "parse_amount"]

#: ISO 4217 minor-unit digits for the currencies seen in feeds; others default to 2.
MINOR_UNIT_DIGITS: dict[str, int] = {"JPY": 0, "KRW": 0, "CLP": 0, "ISK": 0, "BHD": 3, "KWD": 3}


@dataclass(frozen=True, order=True)
class Money:
    """An amount in integer minor units of one currency."""

    minor: int
    currency: str

    def __add__(self, other: Money) -> Money:
        if other.currency != self.currency:
            raise ValueError(f"cannot add {other.currency} to {self.currency}")
        return Money(self.minor + other.minor, self.currency)

    def __str__(self) -> str:
        digits = MINOR_UNIT_DIGITS.get(self.currency, 2)
        value = Decimal(self.minor).scaleb(-digits)
        return f"{value:.{digits}f} {self.currency}"


def parse_amount(text: str, currency: str) -> int:
    """Parse a decimal amount such as ``"2.50"`` into minor units of ``currency``.

    Raises ``ValueError`` for non-numeric text or more decimals than the currency has.
    """
    digits = MINOR_UNIT_DIGITS.get(currency, 2)
    try:
        value = Decimal(text.strip())
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {text!r}") from exc
    if not value.is_finite():
        raise ValueError(f"not a finite amount: {text!r}")
    scaled = value.scaleb(digits)
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{text!r} has more than {digits} decimals for {currency}")
    return int(scaled)
