"""jjj's indexed matcher agrees with a literal reading of the spec on random MBTA legs.

The oracle is the straightforward matcher of ``benchmarks/bench_fares.py``: it scans
every row of fare_leg_rules.txt and fare_products.txt for every leg.
"""

from __future__ import annotations

import importlib.util
from types import ModuleType
from typing import Any

import pytest

from jjj.fares import FareEngine, FareResult, load_fares
from tests.conftest import REPO, shared


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "bench_fares", REPO / "benchmarks" / "bench_fares.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def mbta() -> tuple[FareEngine, Any, list[Any]]:
    folder = shared("fares_v2/mbta_fares_v2_partial")
    bench = _bench()
    legs = bench.random_legs(folder, 1000, seed=11)
    return FareEngine(load_fares(folder)), bench.NaiveMatcher(folder), legs


def test_indexed_matching_agrees_with_the_literal_reading(
    mbta: tuple[FareEngine, Any, list[Any]],
) -> None:
    engine, naive, legs = mbta
    priced = 0
    for media in ("cash", "credit_debit", "charlieticket", "mticket"):
        for leg in legs:
            expected = naive.price(leg, media)
            assert engine.price_leg(leg, media, None) == expected, (leg, media)
            priced += expected is not None
    assert priced > 500  # the sample exercises priced legs, not only unknown fares


def test_single_leg_quote_equals_the_fast_path(
    mbta: tuple[FareEngine, Any, list[Any]],
) -> None:
    engine, _, legs = mbta
    for leg in legs[:300]:
        quote = engine.quote([leg])
        for result in quote.results:
            fast = engine.price_leg(leg, result.fare_media_id, result.rider_category_id)
            slow = result.total.minor if isinstance(result, FareResult) else None
            assert fast == slow
