"""Bad fare input gives a clear error naming file, line and field; the rest stays usable."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from jjj.errors import FareError
from jjj.fares import FareEngine, FareLeg, FareRulesError, journey_from_dict, load_fares
from tests.fares.helpers import engine_for, leg, total, write_feed

BASE = {
    "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\nA,A,https://a.example,Europe/Paris",
    "routes.txt": "route_id,route_type,network_id\nbus1,3,bus\ntram1,0,tram",
    "areas.txt": "area_id\ncentre\nsuburb",
    "stop_areas.txt": "area_id,stop_id\ncentre,c1\nsuburb,s1",
}


def failing(tmp_path: Path, files: dict[str, str]) -> FareRulesError:
    with pytest.raises(FareRulesError) as caught:
        load_fares(write_feed(tmp_path, {**BASE, **files}))
    return caught.value


def problem_at(error: FareRulesError) -> set[tuple[str, int | None, str | None]]:
    return {(p.file, p.line, p.field) for p in error.problems if p.severity.value == "ERROR"}


PRODUCTS = """
    fare_product_id,amount,currency
    bus_fare,1.50,EUR
    tram_fare,2.00,EUR
"""


@pytest.mark.parametrize(
    ("row", "field", "words"),
    [
        ("x,bus,,,no_such_product", "fare_product_id", "unknown product 'no_such_product'"),
        ("x,metro,,,tram_fare", "network_id", "unknown network 'metro'"),
        ("x,tram,airport,,tram_fare", "from_area_id", "unknown area 'airport'"),
        ("x,tram,,harbour,tram_fare", "to_area_id", "unknown area 'harbour'"),
    ],
)
def test_leg_rule_with_an_unknown_reference(
    tmp_path: Path, row: str, field: str, words: str
) -> None:
    error = failing(
        tmp_path,
        {
            "fare_products.txt": PRODUCTS,
            "fare_leg_rules.txt": f"""
                leg_group_id,network_id,from_area_id,to_area_id,fare_product_id
                bus,bus,,,bus_fare
                {row}
            """,
        },
    )
    assert ("fare_leg_rules.txt", 3, field) in problem_at(error)
    assert f"fare_leg_rules.txt:3 {field}" in str(error)
    assert words in str(error)
    # The rest of the feed is usable: the bus rule on line 2 still prices bus legs.
    quote = FareEngine(error.usable).quote(
        [leg("c1", "s1", "2025-03-04T09:00:00", route_id="bus1")]
    )
    assert total(quote) == "1.50"


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("1,45", "not a number"),  # verbatim from the TransLink guide (fare-transfers.md)
        ("abc", "not a number"),
        ("2.755", "more than 2 decimals"),
        ("", "amount is required"),
    ],
)
def test_malformed_or_non_numeric_amount(tmp_path: Path, amount: str, words: str) -> None:
    error = failing(
        tmp_path,
        {
            "fare_products.txt": f"""
                fare_product_id,amount,currency
                bus_fare,1.50,EUR
                upgrade,"{amount}",EUR
            """,
            "fare_leg_rules.txt": "network_id,fare_product_id\nbus,bus_fare",
        },
    )
    assert ("fare_products.txt", 3, "amount") in problem_at(error)
    assert words in str(error)
    quote = FareEngine(error.usable).quote(
        [leg("c1", "s1", "2025-03-04T09:00:00", route_id="bus1")]
    )
    assert total(quote) == "1.50"


def test_malformed_currency(tmp_path: Path) -> None:
    error = failing(
        tmp_path,
        {
            "fare_products.txt": "fare_product_id,amount,currency\nbus_fare,1.50,euro",
            "fare_leg_rules.txt": "fare_product_id\nbus_fare",
        },
    )
    assert ("fare_products.txt", 2, "currency") in problem_at(error)


def test_two_currencies_in_one_total(tmp_path: Path) -> None:
    engine = engine_for(
        tmp_path,
        {
            **BASE,
            "fare_products.txt": """
                fare_product_id,amount,currency
                bus_fare,1.50,EUR
                tram_fare,2.00,CHF
            """,
            "fare_leg_rules.txt": """
                network_id,fare_product_id
                bus,bus_fare
                tram,tram_fare
            """,
        },
    )
    # Each leg alone is fine ...
    assert total(engine.quote([leg("c1", "s1", "2025-03-04T09:00:00", route_id="tram1")])) == "2.00"
    # ... but one journey cannot add francs to euros.
    journey = [
        leg("c1", "s1", "2025-03-04T09:00:00", route_id="bus1"),
        leg("s1", "c1", "2025-03-04T09:30:00", route_id="tram1"),
    ]
    with pytest.raises(FareError, match=r"fare_products.txt:3 currency: CHF .* EUR"):
        engine.quote(journey)


def test_overlapping_timeframes(tmp_path: Path) -> None:
    error = failing(
        tmp_path,
        {
            "calendar.txt": """
                service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date
                weekdays,1,1,1,1,1,0,0,20250101,20251231
            """,
            "timeframes.txt": """
                timeframe_group_id,start_time,end_time,service_id
                peak,07:00:00,09:30:00,weekdays
                peak,09:00:00,10:00:00,weekdays
                peak,16:00:00,19:00:00,weekdays
            """,
            "fare_products.txt": """
                fare_product_id,amount,currency
                peak_fare,3.00,EUR
                fare,2.00,EUR
            """,
            "fare_leg_rules.txt": """
                network_id,from_timeframe_group_id,fare_product_id
                bus,peak,peak_fare
            """,
        },
    )
    assert ("timeframes.txt", 3, "start_time") in problem_at(error)
    assert "overlaps line 2" in str(error)
    # The other peak intervals still apply: 08:00 and 17:00 are peak, 09:45 is not.
    engine = FareEngine(error.usable)
    assert total(engine.quote([leg("c1", "s1", "2025-03-04T08:00:00", route_id="bus1")])) == "3.00"
    assert total(engine.quote([leg("c1", "s1", "2025-03-04T17:00:00", route_id="bus1")])) == "3.00"
    assert total(engine.quote([leg("c1", "s1", "2025-03-04T09:45:00", route_id="bus1")])) is None


def test_timeframe_past_midnight_is_forbidden(tmp_path: Path) -> None:
    error = failing(
        tmp_path,
        {
            "timeframes.txt": """
                timeframe_group_id,start_time,end_time,service_id
                night,22:00:00,26:00:00,x
            """,
            "fare_products.txt": "fare_product_id,amount,currency\nfare,2.00,EUR",
            "fare_leg_rules.txt": "fare_product_id\nfare",
        },
    )
    assert ("timeframes.txt", 2, "end_time") in problem_at(error)


def test_transfer_rule_with_an_unknown_leg_group(tmp_path: Path) -> None:
    error = failing(
        tmp_path,
        {
            "fare_products.txt": PRODUCTS,
            "fare_leg_rules.txt": "leg_group_id,network_id,fare_product_id\nbus,bus,bus_fare",
            "fare_transfer_rules.txt": """
                from_leg_group_id,to_leg_group_id,transfer_count,fare_transfer_type
                bus,bus,-1,0
                bus,ferry,,0
                bus,bus,-1,7
            """,
        },
    )
    found = problem_at(error)
    assert ("fare_transfer_rules.txt", 3, "to_leg_group_id") in found
    assert ("fare_transfer_rules.txt", 4, "fare_transfer_type") in found
    assert len(error.usable.transfer_rules) == 1


def test_spending_discount_file_errors(tmp_path: Path) -> None:
    error = failing(
        tmp_path,
        {
            "fare_products.txt": PRODUCTS,
            "fare_leg_rules.txt": "network_id,fare_product_id\nbus,bus_fare",
            "fare_spending_discounts.txt": """
                spending_discount_id,network_id,period,min_spent,currency,discount_percent
                monthly,bus,month,0.00,EUR,0
                monthly,bus,week,10.00,EUR,20
                monthly,bus,month,20.00,EUR,120
                monthly,tram,month,30.00,EUR,50
            """,
        },
    )
    found = problem_at(error)
    assert ("fare_spending_discounts.txt", 3, "period") in found
    assert ("fare_spending_discounts.txt", 4, "discount_percent") in found
    assert ("fare_spending_discounts.txt", 5, "network_id") in found


def test_lenient_loading_returns_the_usable_rules(tmp_path: Path) -> None:
    rules = load_fares(
        write_feed(
            tmp_path,
            {
                **BASE,
                "fare_products.txt": PRODUCTS,
                "fare_leg_rules.txt": "network_id,fare_product_id\nbus,bus_fare\ntram,nope",
            },
        ),
        strict=False,
    )
    assert len(rules.leg_rules) == 1
    assert [(p.line, p.field) for p in rules.problems] == [(3, "fare_product_id")]


def test_a_feed_without_fare_files(tmp_path: Path) -> None:
    with pytest.raises(FareError, match=r"no fare_products\.txt"):
        load_fares(write_feed(tmp_path, BASE))


def test_unknown_medium_or_rider_category(tmp_path: Path) -> None:
    engine = engine_for(
        tmp_path,
        {**BASE, "fare_products.txt": PRODUCTS, "fare_leg_rules.txt": "fare_product_id\nbus_fare"},
    )
    journey = [leg("c1", "s1", "2025-03-04T09:00:00", route_id="bus1")]
    with pytest.raises(FareError, match="unknown fare_media_id 'card'"):
        engine.quote(journey, media="card")
    with pytest.raises(FareError, match="unknown rider_category_id 'senior'"):
        engine.quote(journey, rider="senior")


def test_times_must_all_be_aware_or_all_local(tmp_path: Path) -> None:
    engine = engine_for(
        tmp_path,
        {**BASE, "fare_products.txt": PRODUCTS, "fare_leg_rules.txt": "fare_product_id\nbus_fare"},
    )
    local = dt.datetime(2025, 3, 4, 9)
    aware = dt.datetime(2025, 3, 4, 9, 30, tzinfo=dt.UTC)
    with pytest.raises(FareError, match="UTC offset"):
        engine.quote([FareLeg("c1", "s1", local, local), FareLeg("s1", "c1", aware, aware)])
    with pytest.raises(FareError, match="at least one leg"):
        engine.quote([])


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({}, "'legs' must be a non-empty list"),
        (
            {"legs": [{"to_stop_id": "b", "departure": "2025-03-04T09:00:00"}]},
            "legs[0]: missing 'from_stop_id'",
        ),
        (
            {
                "legs": [
                    {
                        "from_stop_id": "a",
                        "to_stop_id": "b",
                        "departure": "09:00:00",
                        "arrival": "09:10:00",
                    }
                ]
            },
            "needs a 'date'",
        ),
        (
            {
                "legs": [
                    {"from_stop_id": "a", "to_stop_id": "b", "departure": "tuesday", "arrival": "x"}
                ]
            },
            "not an ISO datetime",
        ),
        (
            {
                "legs": [
                    {
                        "from_stop_id": "a",
                        "to_stop_id": "b",
                        "departure": "2025-03-04T09:10:00",
                        "arrival": "2025-03-04T09:00:00",
                    }
                ]
            },
            "before departure",
        ),
        (
            {
                "date": "2025-03-04",
                "legs": [
                    {
                        "from_stop_id": "a",
                        "to_stop_id": "b",
                        "departure": "09:00:00",
                        "arrival": "09:10:00",
                        "distance_m": "far",
                    }
                ],
            },
            "'distance_m' must be a number",
        ),
    ],
)
def test_malformed_journey_json(data: dict[str, object], words: str) -> None:
    with pytest.raises(FareError) as caught:
        journey_from_dict(data, label="trip.json")
    assert words in str(caught.value)
    assert str(caught.value).startswith("trip.json")
