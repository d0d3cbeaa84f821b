"""The bundled fare files price published fares (fares_and_card_facts.md)."""

from __future__ import annotations

import datetime as dt

import pytest

from jjj.data import feed_path
from jjj.fares import FareEngine, FareLeg, load_fares


def _leg(origin: str, destination: str, route_id: str, distance_m: float | None) -> FareLeg:
    day = dt.datetime(2026, 3, 4, 8, 0)
    return FareLeg(
        origin,
        destination,
        day,
        day + dt.timedelta(minutes=20),
        route_id=route_id,
        distance_m=distance_m,
    )


@pytest.fixture(scope="module")
def subway_engine() -> FareEngine:
    return FareEngine(load_fares(feed_path("beijing_subway")))


@pytest.mark.parametrize(
    ("km", "yuan"),
    # ¥3 ≤ 6 km, ¥4 ≤ 12, ¥5 ≤ 22, ¥6 ≤ 32, then +¥1 per started 20 km.
    [(5.9, 300), (6.1, 400), (21.9, 500), (31.9, 600), (32.1, 700), (52.1, 800)],
)
def test_subway_distance_bands(subway_engine: FareEngine, km: float, yuan: int) -> None:
    leg = _leg("tiananmendong_01_u", "guomao_01_u", "01", km * 1000)
    assert subway_engine.price_leg(leg, "yikatong", None) == yuan


def test_capital_airport_express_is_flat(subway_engine: FareEngine) -> None:
    leg = _leg("dongzhimen_ca_u", "3haohangzhanlou_ca_d", "ca", 28000)
    assert subway_engine.price_leg(leg, "single_ticket", None) == 2500


def test_beijing_south_to_tianjin_second_class() -> None:
    engine = FareEngine(load_fares(feed_path("intercity_rail")))
    quote = engine.quote([_leg("beijing_south", "tianjin", "jingjin", None)])
    cheapest = quote.cheapest()
    assert cheapest is not None
    assert cheapest.total.minor == 5450
    assert cheapest.total.currency == "CNY"
