"""ISO 4217 active currency codes and their number of decimal places (minor units).

Used to check ``currency_type`` / ``currency`` fields and the decimal places of
``fare_products.amount``. Funds codes and precious metals without minor units
are valid codes with ``None`` decimals.
"""

from __future__ import annotations

__all__ = ["CURRENCY_DECIMALS", "currency_decimals", "is_currency"]

_ZERO = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"
_THREE = "BHD IQD JOD KWD LYD OMR TND"
_FOUR = "CLF UYW"
_NONE = "XAG XAU XBA XBB XBC XBD XDR XPD XPT XSU XTS XUA XXX"
_TWO = (
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN "
    "BWP BYN BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUC CUP CVE CZK DKK DOP DZD EGP ERN "
    "ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES "
    "KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK "
    "MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR "
    "SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD "
    "TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG ZWL"
)

#: Currency code → number of decimal places (``None`` when ISO 4217 defines none).
CURRENCY_DECIMALS: dict[str, int | None] = {
    **dict.fromkeys(_TWO.split(), 2),
    **dict.fromkeys(_ZERO.split(), 0),
    **dict.fromkeys(_THREE.split(), 3),
    **dict.fromkeys(_FOUR.split(), 4),
    **dict.fromkeys(_NONE.split(), None),
}


def is_currency(code: str) -> bool:
    """Whether ``code`` is an active ISO 4217 alphabetic code (case-sensitive, e.g. ``"CNY"``)."""
    return code in CURRENCY_DECIMALS


def currency_decimals(code: str) -> int | None:
    """The decimal places of ``code`` (``2`` for CNY, ``0`` for JPY), ``None`` if undefined."""
    return CURRENCY_DECIMALS.get(code)
