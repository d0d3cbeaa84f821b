"""The regional extensions on the hand-written region feed (tests/fixtures/fares/jjj_region).

Expected fares come from ../shared/data/jjj/fares_and_card_facts.md, section 4:
Beijing Subway ¥3 up to 6 km, ¥4 to 12, ¥5 to 22, ¥6 to 32, then +¥1 per 20 km;
the Yikatong monthly discount of 20 % from ¥100, 50 % from ¥150, none from ¥400;
Tianjin Metro ¥2 up to 5 stations, ¥3 up to 10, ¥4 up to 16, ¥5 beyond.
"""

from __future__ import annotations

import datetime as dt
import shutil
from functools import cache
from pathlib import Path

import pytest

from jjj.fares import (
    FareEngine,
    FareJourney,
    FareLeg,
    FareResult,
    FareUnknown,
    SpendingTracker,
    load_fares,
)
from tests.conftest import FIXTURES
from tests.fares.helpers import total

REGION = FIXTURES / "fares" / "jjj_region"


@cache
def region() -> FareEngine:
    return FareEngine(load_fares(REGION))


def subway(distance_km: float, departure: str = "2025-03-04T08:00:00", **extra: object) -> FareLeg:
    start = dt.datetime.fromisoformat(departure)
    return FareLeg(
        str(extra.get("from_stop", "bj_pingguoyuan")),
        str(extra.get("to_stop", "bj_guomao")),
        start,
        start + dt.timedelta(minutes=40),
        route_id=str(extra.get("route", "bj_L1")),
        distance_m=distance_km * 1000,
    )


@pytest.mark.parametrize(
    ("km", "price"),
    [
        (0.5, "3.00"),
        (6.0, "3.00"),  # "≤6 km ¥3"
        (6.001, "4.00"),
        (12.0, "4.00"),
        (12.001, "5.00"),
        (22.0, "5.00"),
        (22.001, "6.00"),
        (32.0, "6.00"),
        (32.001, "7.00"),  # beyond 32 km: +¥1 for each started 20 km
        (52.0, "7.00"),
        (52.001, "8.00"),
        (72.0, "8.00"),
        (72.5, "9.00"),
    ],
)
def test_beijing_distance_bands(km: float, price: str) -> None:
    quote = region().quote([subway(km)])
    assert total(quote, "yikatong") == price
    assert total(quote, "single_ticket") == price


def test_beijing_step_is_shown_in_the_breakdown() -> None:
    result = region().quote([subway(60.0)]).result("yikatong", None)
    assert isinstance(result, FareResult)
    base, step = result.charges
    assert (base.fare_product_id, base.amount) == ("bj_subway_6", 600)
    assert (step.fare_product_id, step.count, step.amount) == ("bj_subway_plus_1", 2, 200)
    assert base.source == "fare_leg_distance_rules.txt:6"


def test_beijing_transfer_in_the_paid_area_is_one_fare() -> None:
    """Line 1 for 4 km then Line 2 for 5 km, changing at one station: one 9 km leg, ¥4
    (not ¥3 + ¥3), because fare_leg_join_rules.txt joins bj_subway to bj_subway."""
    legs = [
        subway(4.0, from_stop="bj_pingguoyuan", to_stop="bj_fuxingmen", route="bj_L1"),
        subway(
            5.0,
            "2025-03-04T08:45:00",
            from_stop="bj_fuxingmen",
            to_stop="bj_xizhimen",
            route="bj_L2",
        ),
    ]
    quote = region().quote(legs)
    assert quote.effective_legs == ((0, 1),)
    assert total(quote, "yikatong") == "4.00"


def test_beijing_transfer_between_platforms_of_one_station_is_joined() -> None:
    # bj_xizhimen_l2 and bj_xizhimen_l4 are platforms of station bj_xizhimen.
    legs = [
        subway(7.0, to_stop="bj_xizhimen_l2", route="bj_L2"),
        subway(
            6.0,
            "2025-03-04T08:45:00",
            from_stop="bj_xizhimen_l4",
            to_stop="bj_beijingnan",
            route="bj_L4",
        ),
    ]
    quote = region().quote(legs)
    assert quote.effective_legs == ((0, 1),)
    assert total(quote, "yikatong") == "5.00"  # 13 km


def test_beijing_subway_then_airport_express_are_separate_fares() -> None:
    # 10 km of subway (¥4) then the Airport Express (fare_leg_rules.txt:2, ¥25 flat).
    legs = [
        subway(10.0, to_stop="bj_dongzhimen"),
        subway(
            28.0, "2025-03-04T08:50:00", from_stop="bj_dongzhimen", to_stop="bj_t3", route="bj_CAE"
        ),
    ]
    quote = region().quote(legs)
    assert quote.effective_legs == ((0,), (1,))
    assert total(quote, "yikatong") == "29.00"


def test_distance_rules_need_a_distance() -> None:
    start = dt.datetime(2025, 3, 4, 8)
    leg = FareLeg("bj_pingguoyuan", "bj_guomao", start, start, route_id="bj_L1")
    result = region().quote([leg]).result("yikatong", None)
    assert isinstance(result, FareUnknown)
    assert "distance_m" in result.reason


def tianjin(stations: int) -> FareLeg:
    start = dt.datetime(2025, 3, 4, 8)
    return FareLeg(
        "tj_xinanjiao",
        "tj_tianjinzhan",
        start,
        start + dt.timedelta(minutes=2 * stations),
        route_id="tj_L1",
        station_count=stations,
    )


@pytest.mark.parametrize(
    ("stations", "single", "card"),
    [
        (1, "2.00", "1.80"),
        (5, "2.00", "1.80"),  # "¥2 up to 5 stations"; stored-value card 10 % off
        (6, "3.00", "2.70"),
        (10, "3.00", "2.70"),
        (11, "4.00", "3.60"),
        (16, "4.00", "3.60"),
        (17, "5.00", "4.50"),
        (40, "5.00", "4.50"),
    ],
)
def test_tianjin_station_count_bands(stations: int, single: str, card: str) -> None:
    quote = region().quote([tianjin(stations)])
    assert total(quote, "single_ticket") == single
    assert total(quote, "tj_card") == card


def test_a_standard_reader_ignores_the_extension_files(tmp_path: Path) -> None:
    """Without the extension files the feed is plain Fares v2: it loads, the Airport
    Express keeps its fare and the distance-priced subway has none."""
    plain = tmp_path / "plain"
    shutil.copytree(REGION, plain)
    for name in (
        "fare_leg_distance_rules.txt",
        "fare_leg_station_count_rules.txt",
        "fare_spending_discounts.txt",
    ):
        (plain / name).unlink()
    engine = FareEngine(load_fares(plain))
    assert total(engine.quote([subway(10.0)]), "yikatong") is None
    express = subway(28.0, from_stop="bj_dongzhimen", to_stop="bj_t3", route="bj_CAE")
    assert total(engine.quote([express]), "yikatong") == "25.00"


# --- monthly spending discount --------------------------------------------------------------


def spent(amount: str) -> int:
    yuan, fen = amount.split(".")
    return int(yuan) * 100 + int(fen)


@pytest.mark.parametrize(
    ("before", "price"),
    [
        ("0.00", "5.00"),
        ("99.99", "5.00"),  # below ¥100: full fare
        ("100.00", "4.00"),  # from ¥100: 20 % off
        ("149.99", "4.00"),
        ("150.00", "2.50"),  # from ¥150: 50 % off
        ("399.99", "2.50"),
        ("400.00", "5.00"),  # from ¥400: no discount
    ],
)
def test_monthly_discount_tiers(before: str, price: str) -> None:
    quote = region().quote([subway(15.0)], spent_in_period=spent(before))  # 15 km: ¥5
    assert total(quote, "yikatong") == price
    assert total(quote, "single_ticket") == "5.00"  # the discount is the card's


@pytest.mark.parametrize(
    ("before", "first", "after"),
    [
        # ¥98 spent: this ¥5 trip still pays full (¥103 after), the next one 20 % off.
        ("98.00", "5.00", "4.00"),
        # ¥148 spent: this trip pays ¥4 at 20 % (¥152 after), the next one 50 % off.
        ("148.00", "4.00", "2.50"),
        # ¥398.50 spent: this trip pays ¥2.50 at 50 % (¥401 after), the next one full.
        ("398.50", "2.50", "5.00"),
    ],
)
def test_monthly_discount_when_a_trip_crosses_a_threshold(
    before: str, first: str, after: str
) -> None:
    engine = region()
    quote = engine.quote([subway(15.0)], media="yikatong", spent_in_period=spent(before))
    result = quote.result("yikatong", None)
    assert isinstance(result, FareResult)
    assert total(quote, "yikatong") == first
    (applied,) = result.discounts
    assert applied.spent_before == spent(before)
    now = spent(before) + applied.paid
    later = engine.quote(
        [subway(15.0, "2025-03-04T18:00:00")], media="yikatong", spent_in_period=now
    )
    assert total(later, "yikatong") == after


def test_monthly_discount_over_a_month_of_commuting() -> None:
    """44 trips of ¥5 in March: trips 1–20 pay ¥5 (¥100 reached), trips 21–33 pay ¥4
    (100 + 13 × 4 = 152 ≥ 150), trips 34–44 pay ¥2.50: 100 + 52 + 27.50 = ¥179.50.
    A trip on 1 April starts a new month at full fare."""
    tracker = SpendingTracker(region(), media="yikatong", rider=None)
    paid = []
    for trip in range(44):
        day, half = divmod(trip, 2)
        departure = f"2025-03-{day + 1:02d}T{'08' if half == 0 else '18'}:00:00"
        result = tracker.price(FareJourney((subway(15.0, departure),)))
        assert isinstance(result, FareResult)
        paid.append(result.total.minor)
    assert paid[:20] == [500] * 20
    assert paid[20:33] == [400] * 13
    assert paid[33:] == [250] * 11
    assert sum(paid) == 17950
    assert tracker.spent("bj_subway_monthly", 2025, 3) == 17950
    april = tracker.price(FareJourney((subway(15.0, "2025-04-01T08:00:00"),)))
    assert isinstance(april, FareResult) and april.total.minor == 500


def test_airport_express_is_outside_the_discount() -> None:
    # Subway 15 km (¥5) and the Airport Express (¥25) after ¥150 spent: only the
    # subway's ¥5 is halved: 2.50 + 25.00.
    legs = [
        subway(15.0, to_stop="bj_dongzhimen"),
        subway(
            28.0, "2025-03-04T08:50:00", from_stop="bj_dongzhimen", to_stop="bj_t3", route="bj_CAE"
        ),
    ]
    quote = region().quote(legs, spent_in_period=spent("150.00"))
    result = quote.result("yikatong", None)
    assert isinstance(result, FareResult)
    assert str(result.total) == "27.50 CNY"
    (applied,) = result.discounts
    assert (applied.eligible, applied.discount) == (500, 250)
