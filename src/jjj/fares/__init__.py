"""GTFS-Fares v2 fare engine with the region's extensions.

Load a feed's fare files once, then price journeys::

    from jjj.fares import FareEngine, FareLeg, load_fares

    engine = FareEngine(load_fares("feed.zip"))
    quote = engine.quote([FareLeg("A", "B", departure, arrival, route_id="1")])
    quote.cheapest()  # a FareResult with total and breakdown, or None

Results come per fare medium and rider category: a :class:`FareResult` (cheapest
valid total, with the products, transfer rules and legs each covers) or a
:class:`FareUnknown` with the reason. The file formats, including the regional
extension files, are described in ``docs/fares.md``.
"""

from jjj.fares.engine import FareEngine
from jjj.fares.journey import FareJourney, FareLeg, journey_from_dict
from jjj.fares.load import load_fares
from jjj.fares.model import FareRules
from jjj.fares.problems import FareRulesError
from jjj.fares.result import (
    Charge,
    ChargeKind,
    FareQuote,
    FareResult,
    FareUnknown,
    SpendingDiscount,
)
from jjj.fares.spending import apply_spending
from jjj.fares.tracker import SpendingTracker

__all__ = [
    "Charge",
    "ChargeKind",
    "FareEngine",
    "FareJourney",
    "FareLeg",
    "FareQuote",
    "FareResult",
    "FareRules",
    "FareRulesError",
    "FareUnknown",
    "SpendingDiscount",
    "SpendingTracker",
    "apply_spending",
    "journey_from_dict",
    "load_fares",
]
