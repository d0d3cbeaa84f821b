"""MobilityData's worked Fares v2 examples give the prices they state.

Each feed below is transcribed from a page of ../shared/data/fares_v2/gtfs_org_examples
(named in the test's docstring); the expected prices are the ones the page states.
Where a page elides rows ("…") or needs a file it does not show (agency timezone,
calendar), the addition is marked in a comment.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from jjj.fares import FareEngine, FareRulesError, load_fares
from tests.fares.helpers import engine_for, leg, total, write_feed

# --- fares.md ----------------------------------------------------------------------------


def test_fare_products_single_ride(tmp_path: Path) -> None:
    """fares.md, "Fare Products": a single ride is 2.75 USD."""
    engine = engine_for(
        tmp_path,
        {
            "fare_products.txt": """
                fare_product_id,fare_product_name,amount,currency
                single_ride,Single Ride Fare,2.75,USD
            """,
            "fare_leg_rules.txt": """
                fare_product_id
                single_ride
            """,
        },
    )
    assert total(engine.quote([leg("a", "b", "2025-03-04T09:00:00")])) == "2.75"


def test_fare_media_munimobile(tmp_path: Path) -> None:
    """fares.md, "Fare Media": the single ride is held on SFMTA MuniMobile at 2.75 USD."""
    engine = engine_for(
        tmp_path,
        {
            "fare_media.txt": """
                fare_media_id,fare_media_name,fare_media_type
                clipper,Clipper,2
                munimobile,SFMTA MuniMobile,4
                cash,Cash,0
            """,
            "fare_products.txt": """
                fare_product_id,fare_product_name,amount,currency,fare_media_id
                single_ride,Single Ride Fare,2.75,USD,munimobile
            """,
            # The leg rule of the "Fare Products" section, which this one builds on.
            "fare_leg_rules.txt": """
                fare_product_id
                single_ride
            """,
        },
    )
    quote = engine.quote([leg("a", "b", "2025-03-04T09:00:00")])
    assert total(quote, "munimobile") == "2.75"
    assert total(quote, "cash") is None  # no product is held on cash


def test_rider_categories_adult_and_student(tmp_path: Path) -> None:
    """fares.md, "Rider Categories": adult 2.75 USD, student 1.50 USD."""
    engine = engine_for(
        tmp_path,
        {
            "rider_categories.txt": """
                rider_category_id,rider_category_name,is_default_fare_category,eligibility_url
                rc01-adult,Adult,1,
                rc02-senior,Senior (65+),0,https://www.agency-abcd.org/info/reduced-fare-65
                rc03-student,Student,0,https://www.agency-abcd.org/info/reduced-fare-students
            """,
            "fare_products.txt": """
                fare_product_id,fare_product_name,rider_category_id,amount,currency
                single_ride,Single Ride Fare,rc01-adult,2.75,USD
                single_ride,Single Ride Fare - Student,rc03-student,1.50,USD
            """,
            "fare_leg_rules.txt": """
                fare_product_id
                single_ride
            """,
        },
    )
    quote = engine.quote([leg("a", "b", "2025-03-04T09:00:00")])
    assert total(quote, None, "rc01-adult") == "2.75"
    assert total(quote, None, "rc03-student") == "1.50"
    assert total(quote, None, "rc02-senior") is None
    assert engine.rules.default_rider() == "rc01-adult"


# --- TransLink guide: route-based-fares.md, rider-categories.md, zone-based-fares.md ---------

TRANSLINK_MEDIA = """
    fare_media_id,fare_media_name,fare_media_type
    cash,Cash,0
    contactless,Contactless,3
    compass_card,Compass Card,2
    compass_ticket,Compass Ticket,1
    wallet,Mobile Wallet,3
"""
# The guide's examples need the agency's timezone (TransLink is in Vancouver).
TRANSLINK_AGENCY = """
    agency_id,agency_name,agency_url,agency_timezone
    TL,TransLink,https://www.translink.ca,America/Vancouver
"""


def test_route_based_bus_flat_fare_by_medium(tmp_path: Path) -> None:
    """route-based-fares.md: a bus leg is 3.20 CAD contactless or cash, 2.60 on Compass Card."""
    engine = engine_for(
        tmp_path,
        {
            "agency.txt": TRANSLINK_AGENCY,
            "fare_media.txt": TRANSLINK_MEDIA,
            "fare_products.txt": """
                fare_product_id,fare_product_name,amount,currency,fare_media_id
                bus_flat_fare,Bus Flat Fare,3.20,CAD,contactless
                bus_flat_fare,Bus Flat Fare,3.20,CAD,cash
                bus_flat_fare,Bus Flat Fare,2.60,CAD,compass_card
            """,
            "networks.txt": """
                network_id,network_name
                translink_bus,Translink Buses
            """,
            "route_networks.txt": """
                route_id,network_id
                10232,translink_bus
                11201,translink_bus
            """,
            "fare_leg_rules.txt": """
                leg_group_id,network_id,fare_product_id
                flat_fare_leg,translink_bus,bus_flat_fare
            """,
        },
    )
    quote = engine.quote([leg("8039", "8066", "2025-03-04T09:00:00", route_id="10232")])
    assert total(quote, "contactless") == "3.20"
    assert total(quote, "cash") == "3.20"
    assert total(quote, "compass_card") == "2.60"
    # A route outside the network matches no rule: the fare is unknown, with the reason.
    other = engine.quote([leg("8039", "8066", "2025-03-04T09:00:00", route_id="99")])
    unknown = other.result("cash", None)
    assert total(other, "cash") is None
    assert "no fare leg rule matches" in unknown.reason  # type: ignore[union-attr]


def test_rider_categories_adult_and_concession(tmp_path: Path) -> None:
    """rider-categories.md: a bus leg is 3.20 CAD for adults, 2.15 CAD for concessions."""
    engine = engine_for(
        tmp_path,
        {
            "fare_media.txt": TRANSLINK_MEDIA,
            "rider_categories.txt": """
                rider_category_id,rider_category_name,is_default_fare_category,eligibility_url
                adult,Adult,1,
                concession,Concession,,https://www.translink.ca/transit-fares/pricing-and-fare-zones#fare-pricing
            """,
            "fare_products.txt": """
                fare_product_id,fare_product_name,amount,currency,fare_media_id,rider_category_id
                bus_flat_fare,Bus Flat Fare,3.20,CAD,contactless,adult
                bus_flat_fare,Bus Flat Fare,2.15,CAD,contactless,concession
            """,
            "networks.txt": "network_id,network_name\ntranslink_bus,Translink Buses",
            "route_networks.txt": "route_id,network_id\n10232,translink_bus",
            "fare_leg_rules.txt": """
                leg_group_id,network_id,fare_product_id
                flat_fare_leg,translink_bus,bus_flat_fare
            """,
        },
    )
    quote = engine.quote(
        [leg("8039", "8066", "2025-03-04T09:00:00", route_id="10232")], media="contactless"
    )
    assert total(quote, "contactless", "adult") == "3.20"
    assert total(quote, "contactless", "concession") == "2.15"


ZONE_FILES = {
    "agency.txt": TRANSLINK_AGENCY,
    "fare_media.txt": TRANSLINK_MEDIA,
    "areas.txt": """
        area_id,area_name
        ZN1,Zone 1 - Vancouver
        ZN2,"Zone 2 - Burnaby, Richmond and North Vancouver"
        ZN3,Zone 3 - Surrey and Coquitlam
        sea_island,"Sea Island (Vancouver Airport YVR Airport, Sea Island Centre, Templeton)"
    """,
    # The guide elides the other stops ("…"); zn3_stop stands for a Zone 3 station.
    "stop_areas.txt": """
        stop_id,area_id
        8039,ZN1
        8066,ZN2
        99901,ZN2
        99902,ZN2
        99903,ZN2
        99901,sea_island
        99902,sea_island
        99903,sea_island
        zn3_stop,ZN3
    """,
    "fare_products.txt": """
        fare_product_id,fare_product_name,amount,currency,fare_media_id
        bus_flat_fare,Bus Flat Fare,3.20,CAD,contactless
        1_zone_fare,1-Zone Fare,3.20,CAD,contactless
        2_zone_fare,2-Zone Fare,4.65,CAD,contactless
        3_zone_fare,3-Zone Fare,6.35,CAD,contactless
        sea_island_1_zone_fare,Sea Island travel + 1-zone Fare,8.20,CAD,contactless
        sea_island_2_zone_fare,Sea Island travel + 2-zone fare,9.65,CAD,contactless
        sea_island_sea_island_fare,Free fare inside Sea Island,0,CAD,contactless
    """,
    "networks.txt": """
        network_id,network_name
        translink_bus,Translink Buses
        skytrain_seabus,SkyTrain and SeaBus
    """,
    "route_networks.txt": """
        route_id,network_id
        10232,translink_bus
        13686,skytrain_seabus
        30052,skytrain_seabus
    """,
}

ZONE_LEG_RULES = """
    leg_group_id,network_id,fare_product_id,from_area_id,to_area_id,rule_priority
    flat_fare_leg,translink_bus,bus_flat_fare,,,
    sea_island_ZN1,skytrain_seabus,sea_island_2_zone_fare,sea_island,ZN1,1
    sea_island_ZN2,skytrain_seabus,sea_island_1_zone_fare,sea_island,ZN2,1
    sea_island_ZN3,skytrain_seabus,sea_island_2_zone_fare,sea_island,ZN3,1
    sea_island_sea_island,skytrain_seabus,sea_island_sea_island_fare,sea_island,sea_island,2
    ZN1_ZN1,skytrain_seabus,1_zone_fare,ZN1,ZN1,
    ZN2_ZN2,skytrain_seabus,1_zone_fare,ZN2,ZN2,
    ZN3_ZN3,skytrain_seabus,1_zone_fare,ZN3,ZN3,
    ZN1_ZN2,skytrain_seabus,2_zone_fare,ZN1,ZN2,
    ZN1_ZN2,skytrain_seabus,2_zone_fare,ZN2,ZN1,
    ZN2_ZN3,skytrain_seabus,2_zone_fare,ZN2,ZN3,
    ZN2_ZN3,skytrain_seabus,2_zone_fare,ZN3,ZN2,
    ZN1_ZN3,skytrain_seabus,3_zone_fare,ZN1,ZN3,
    ZN1_ZN3,skytrain_seabus,3_zone_fare,ZN3,ZN1,
"""


@pytest.mark.parametrize(
    ("from_stop", "to_stop", "price"),
    [
        ("8039", "8039", "3.20"),  # 1-zone fare
        ("8039", "8066", "4.65"),  # 2-zone fare
        ("8066", "8039", "4.65"),  # ZN1_ZN2 matches both directions
        ("8039", "zn3_stop", "6.35"),  # 3-zone fare
        ("99901", "8039", "9.65"),  # Sea Island to Zone 1: 5.00 + 2-zone fare
        ("99901", "zn3_stop", "9.65"),  # Sea Island to Zone 3: 5.00 + 2-zone fare
        ("99901", "8066", "8.20"),  # Sea Island to Zone 2: 5.00 + 1-zone fare
        ("99901", "99903", "0.00"),  # free inside Sea Island (priority 2)
        ("8066", "99902", "3.20"),  # ending in Sea Island costs as ending in Zone 2
    ],
)
def test_zone_based_fares_with_priorities(
    tmp_path: Path, from_stop: str, to_stop: str, price: str
) -> None:
    """zone-based-fares.md: zone fares 3.20 / 4.65 / 6.35 CAD, Sea Island 8.20 / 9.65 / free."""
    engine = engine_for(tmp_path, {**ZONE_FILES, "fare_leg_rules.txt": ZONE_LEG_RULES})
    quote = engine.quote([leg(from_stop, to_stop, "2025-03-04T09:00:00", route_id="13686")])
    assert total(quote, "contactless") == price


# --- time-based-fares.md -------------------------------------------------------------------

TIME_FILES = {
    **ZONE_FILES,
    "timeframes.txt": """
        timeframe_group_id,start_time,end_time,service_id
        weekday_daytime,03:00:00,18:30:00,weekday_service
        weekday_evening,18:30:00,24:00:00,weekday_service
        weekday_evening,00:00:00,03:00:00,weekday_service
        weekend,,,weekend_service
    """,
    "calendar.txt": """
        service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date
        weekday_service,1,1,1,1,1,0,0,20250101,20251231
        weekend_service,0,0,0,0,0,1,1,20250101,20251231
    """,
}

TIME_LEG_RULES_FULL = """
    leg_group_id,network_id,fare_product_id,from_area_id,to_area_id,from_timeframe_group_id,to_timeframe_group_id,rule_priority
    flat_fare_leg,translink_bus,bus_flat_fare,,,,,
    ZN1_ZN1,skytrain_seabus,1_zone_fare,ZN1,ZN1,weekday_daytime,,
    ZN2_ZN2,skytrain_seabus,1_zone_fare,ZN2,ZN2,weekday_daytime,,
    ZN3_ZN3,skytrain_seabus,1_zone_fare,ZN3,ZN3,weekday_daytime,,
    ZN1_ZN2,skytrain_seabus,2_zone_fare,ZN1,ZN2,weekday_daytime,,
    ZN2_ZN3,skytrain_seabus,2_zone_fare,ZN2,ZN3,weekday_daytime,,
    ZN1_ZN2,skytrain_seabus,2_zone_fare,ZN2,ZN1,weekday_daytime,,
    ZN2_ZN3,skytrain_seabus,2_zone_fare,ZN3,ZN2,weekday_daytime,,
    ZN1_ZN3,skytrain_seabus,3_zone_fare,ZN1,ZN3,weekday_daytime,,
    ZN1_ZN3,skytrain_seabus,3_zone_fare,ZN3,ZN1,weekday_daytime,,
    sea_island_ZN1,skytrain_seabus,sea_island_2_zone_fare,sea_island,ZN1,weekday_daytime,,1
    sea_island_ZN2,skytrain_seabus,sea_island_1_zone_fare,sea_island,ZN2,weekday_daytime,,1
    sea_island_ZN3,skytrain_seabus,sea_island_2_zone_fare,sea_island,ZN3,weekday_daytime,,1
    sea_island_sea_island,skytrain_seabus,sea_island_sea_island_fare,sea_island,sea_island,,,2
    flat_fare_leg,skytrain_seabus,1_zone_fare,,,weekday_evening,,
    flat_fare_leg,skytrain_seabus,1_zone_fare,,,weekend,,
    flat_fare_sea_island_leg,skytrain_seabus,sea_island_1_zone_fare,sea_island,,weekday_evening,,1
    flat_fare_sea_island_leg,skytrain_seabus,sea_island_1_zone_fare,sea_island,,weekend,,1
"""

TIME_LEG_RULES_SIMPLIFIED = """
    leg_group_id,network_id,fare_product_id,from_area_id,to_area_id,from_timeframe_group_id,to_timeframe_group_id,rule_priority
    flat_fare_leg,translink_bus,bus_flat_fare,,,,,
    ZN1_ZN1,skytrain_seabus,1_zone_fare,ZN1,ZN1,,,
    ZN2_ZN2,skytrain_seabus,1_zone_fare,ZN2,ZN2,,,
    ZN3_ZN3,skytrain_seabus,1_zone_fare,ZN3,ZN3,,,
    ZN1_ZN2,skytrain_seabus,2_zone_fare,ZN1,ZN2,,,
    ZN2_ZN3,skytrain_seabus,2_zone_fare,ZN2,ZN3,,,
    ZN1_ZN2,skytrain_seabus,2_zone_fare,ZN2,ZN1,,,
    ZN2_ZN3,skytrain_seabus,2_zone_fare,ZN3,ZN2,,,
    ZN1_ZN3,skytrain_seabus,3_zone_fare,ZN1,ZN3,,,
    ZN1_ZN3,skytrain_seabus,3_zone_fare,ZN3,ZN1,,,
    sea_island_ZN1,skytrain_seabus,sea_island_2_zone_fare,sea_island,ZN1,,,1
    sea_island_ZN2,skytrain_seabus,sea_island_1_zone_fare,sea_island,ZN2,,,1
    sea_island_ZN3,skytrain_seabus,sea_island_2_zone_fare,sea_island,ZN3,,,1
    sea_island_sea_island,skytrain_seabus,sea_island_sea_island_fare,sea_island,sea_island,,,3
    flat_fare_leg,skytrain_seabus,1_zone_fare,,,weekday_evening,,1
    flat_fare_leg,skytrain_seabus,1_zone_fare,,,weekend,,1
    flat_fare_sea_island_leg,skytrain_seabus,sea_island_1_zone_fare,sea_island,,weekday_evening,,2
    flat_fare_sea_island_leg,skytrain_seabus,sea_island_1_zone_fare,sea_island,,weekend,,2
"""

# 2025-03-04 is a Tuesday, 2025-03-08 a Saturday.
TIME_CASES = [
    ("8039", "zn3_stop", "2025-03-04T10:00:00", "6.35"),  # weekday daytime: 3-zone fare
    ("8039", "8066", "2025-03-04T10:00:00", "4.65"),  # weekday daytime: 2-zone fare
    ("8039", "zn3_stop", "2025-03-04T19:00:00", "3.20"),  # evening: every fare is 1-zone
    ("8039", "zn3_stop", "2025-03-05T01:30:00", "3.20"),  # evening past midnight (00:00–03:00)
    ("8039", "zn3_stop", "2025-03-04T03:00:00", "6.35"),  # 03:00 starts the daytime timeframe
    ("8039", "zn3_stop", "2025-03-08T10:00:00", "3.20"),  # weekend: 1-zone fare
    ("99901", "8039", "2025-03-04T10:00:00", "9.65"),  # Sea Island, daytime: 5.00 + 2-zone
    ("99901", "8039", "2025-03-04T20:00:00", "8.20"),  # Sea Island, evening: 5.00 + 3.20
    ("99901", "zn3_stop", "2025-03-08T12:00:00", "8.20"),  # Sea Island, weekend: 5.00 + 3.20
    ("99901", "99902", "2025-03-04T20:00:00", "0.00"),  # inside Sea Island: free at all times
]


@pytest.mark.parametrize("rules", [TIME_LEG_RULES_FULL, TIME_LEG_RULES_SIMPLIFIED])
@pytest.mark.parametrize(("from_stop", "to_stop", "departure", "price"), TIME_CASES)
def test_time_based_fares(
    tmp_path: Path, rules: str, from_stop: str, to_stop: str, departure: str, price: str
) -> None:
    """time-based-fares.md: evenings (18:30–03:00) and weekends every SkyTrain fare is one
    zone (3.20 CAD), 8.20 CAD from Sea Island; both versions of the guide's file agree."""
    engine = engine_for(tmp_path, {**TIME_FILES, "fare_leg_rules.txt": rules})
    quote = engine.quote([leg(from_stop, to_stop, departure, route_id="13686")])
    assert total(quote, "contactless") == price


def test_time_based_fares_in_local_time(tmp_path: Path) -> None:
    """Aware times are converted to the agency's local time (Vancouver, UTC-8 in March):
    03:00 UTC on Wednesday is 19:00 on Tuesday, an evening fare."""
    engine = engine_for(tmp_path, {**TIME_FILES, "fare_leg_rules.txt": TIME_LEG_RULES_FULL})
    quote = engine.quote([leg("8039", "zn3_stop", "2025-03-05T03:00:00+00:00", route_id="13686")])
    assert total(quote, "contactless") == "3.20"


# --- fare-transfers.md ---------------------------------------------------------------------

TRANSFER_PRODUCTS = """
    fare_product_id,fare_product_name,amount,currency,fare_media_id
    bus_flat_fare,Bus Flat Fare,3.20,CAD,contactless
    1_zone_fare,1-Zone Fare,3.20,CAD,contactless
    2_zone_fare,2-Zone Fare,4.65,CAD,contactless
    3_zone_fare,3-Zone Fare,6.35,CAD,contactless
    1_zone_to_2_zone_upgrade,1 zone  to 2 zones upgrade,1.45,CAD,contactless
    2_zone_to_3_zone_upgrade,2 zones  to 3 zones upgrade,1.70,CAD,contactless
    1_zone_to_3_zone_upgrade,1 zone  to 3 zones upgrade,3.15,CAD,contactless
"""

# The guide's table heads both group columns "from_leg_group_id"; the second is the to-group.
# Its rows with -1 between different groups break the spec (transfer_count is forbidden
# there: a warning, ignored) and ZN1_ZN2 → ZN1_ZN2 lacks its required transfer_count (an
# error: that row is left out).
TRANSFER_RULES = """
    from_leg_group_id,to_leg_group_id,duration_limit,duration_limit_type,transfer_count,fare_transfer_type,fare_product_id
    flat_fare_leg,flat_fare_leg,5400,1,-1,0,
    ZN1_ZN1,flat_fare_leg,5400,1,-1,0,
    flat_fare_leg,ZN1_ZN1,5400,1,-1,0,
    ZN1_ZN2,flat_fare_leg,5400,1,-1,0,
    flat_fare_leg,ZN1_ZN2,5400,1,-1,0,1_zone_to_2_zone_upgrade
    ZN2_ZN2,flat_fare_leg,5400,1,-1,0,
    flat_fare_leg,ZN2_ZN2,5400,1,-1,0,
    ZN1_ZN1,ZN1_ZN2,5400,1,-1,0,1_zone_to_2_zone_upgrade
    ZN1_ZN1,ZN1_ZN3,5400,1,,0,1_zone_to_3_zone_upgrade
    ZN1_ZN2,ZN2_ZN2,5400,1,,0,
    ZN1_ZN2,ZN1_ZN2,5400,1,,0,
    ZN1_ZN2,ZN2_ZN3,5400,1,,0,2_zone_to_3_zone_upgrade
"""


def _transfer_engine(tmp_path: Path) -> FareEngine:
    files = {
        **ZONE_FILES,
        "fare_products.txt": TRANSFER_PRODUCTS,
        "fare_leg_rules.txt": ZONE_LEG_RULES,
        "fare_transfer_rules.txt": TRANSFER_RULES,
    }
    with pytest.raises(FareRulesError) as caught:
        load_fares(write_feed(tmp_path, files))
    return FareEngine(caught.value.usable)


def test_fare_transfers_report_the_guides_invalid_rows(tmp_path: Path) -> None:
    """The guide's transfer table breaks two conditional rules; each is named by line."""
    rules = _transfer_engine(tmp_path).rules
    found = {(p.file, p.line, p.field, p.code) for p in rules.problems}
    assert ("fare_transfer_rules.txt", 12, "transfer_count", "missing_required_field") in found
    assert ("fare_transfer_rules.txt", 3, "transfer_count", "forbidden_field") in found
    assert len(rules.transfer_rules) == 11


@pytest.mark.parametrize(
    ("legs", "price"),
    [
        # bus then a 2-zone SkyTrain leg: 3.20 + the 1.45 upgrade (4.65 − 3.20)
        ([("8039", "8039", "10232", 0), ("8039", "8066", "13686", 20)], "4.65"),
        # 1-zone then 3-zone: 3.20 + the 3.15 upgrade (6.35 − 3.20)
        ([("8039", "8039", "13686", 0), ("8039", "zn3_stop", "13686", 20)], "6.35"),
        # 2-zone then 2-zone ZN2→ZN3: 4.65 + the 1.70 upgrade (6.35 − 4.65)
        ([("8039", "8066", "13686", 0), ("8066", "zn3_stop", "13686", 30)], "6.35"),
        # bus to bus within 90 minutes is free
        ([("8039", "8039", "10232", 0), ("8066", "8066", "10232", 60)], "3.20"),
        # ... and past 90 minutes (5400 s between departures) it is a new fare
        ([("8039", "8039", "10232", 0), ("8066", "8066", "10232", 91)], "6.40"),
    ],
)
def test_fare_transfers(tmp_path: Path, legs: list[tuple[str, str, str, int]], price: str) -> None:
    """fare-transfers.md: A + AB transfers within 90 minutes of the first departure."""
    engine = _transfer_engine(tmp_path)
    start = dt.datetime(2025, 3, 4, 10, 0)
    journey = [
        leg(a, b, (start + dt.timedelta(minutes=offset)).isoformat(), minutes=5, route_id=route)
        for a, b, route, offset in legs
    ]
    assert total(engine.quote(journey), "contactless") == price


# --- archived-fares-examples.md ------------------------------------------------------------


def test_maryland_one_way_fare_and_free_transfer(tmp_path: Path) -> None:
    """Maryland MTA: a one-way fare is 2.00 USD with unlimited free transfers for 90 minutes."""
    engine = engine_for(
        tmp_path,
        {
            # The page needs the core network on a route to be usable.
            "routes.txt": """
                route_id,route_type,network_id
                local_1,3,core
                subway,1,core
            """,
            "fare_products.txt": """
                fare_product_id,fare_product_name,amount,currency
                core_local_oneway_fare,One Way Full Fare,2.00,USD
                core_local_1_day_fare,1-Day Pass - Core Service,4.60,USD
                core_local_31_day_fare,31-Day Pass - Core Service,77.00,USD
                core_local_7_day_fare,7-Day Pass - Core Service,22.00,USD
            """,
            "fare_leg_rules.txt": """
                leg_group_id,network_id,fare_product_id
                core_local_one_way_trip,core,core_local_oneway_fare
                core_local_one_way_trip,core,core_local_1_day_fare
                core_local_one_way_trip,core,core_local_31_day_fare
                core_local_one_way_trip,core,core_local_7_day_fare
            """,
            "fare_transfer_rules.txt": """
                from_leg_group_id,to_leg_group_id,duration_limit,duration_limit_type,fare_transfer_type,transfer_count
                core_local_one_way_trip,core_local_one_way_trip,5400,1,0,-1
            """,
        },
    )
    one = engine.quote([leg("a", "b", "2025-03-04T08:00:00", route_id="local_1")])
    assert total(one) == "2.00"
    three = engine.quote(
        [
            leg("a", "b", "2025-03-04T08:00:00", route_id="local_1"),
            leg("b", "c", "2025-03-04T08:30:00", route_id="subway"),
            leg("c", "d", "2025-03-04T09:20:00", route_id="local_1"),
        ]
    )
    assert total(three) == "2.00"


BART_FILES = {
    "areas.txt": """
        area_id,area_name
        ASHB,
        GLEN,
        OAKL,
    """,
    "stop_areas.txt": """
        area_id,stop_id
        ASHB,ASHB
        GLEN,GLEN
        OAKL,OAKL
    """,
    "fare_products.txt": """
        fare_product_id,fare_product_name,amount,currency
        BA:matrix:ASHB-GLEN,generated,4.75,USD
        BA:matrix:ASHB-OAKL,generated,9.45,USD
    """,
}


def test_bart_area_fares_and_the_pages_typo(tmp_path: Path) -> None:
    """BART: ASHB → GLEN is 4.75 USD. The page's second rule says ``ASKB`` (a typo for
    ASHB): an unknown area, reported with file, line and field, the first rule still usable."""
    files = {
        **BART_FILES,
        "fare_leg_rules.txt": """
            leg_group_id,from_area_id,to_area_id,fare_product_id
            BA,ASHB,GLEN,BA:matrix:ASHB-GLEN
            BA,ASKB,OAKL,BA:matrix:ASHB-OAKL
        """,
    }
    with pytest.raises(FareRulesError, match=r"fare_leg_rules.txt:3 from_area_id") as caught:
        load_fares(write_feed(tmp_path / "typo", files))
    engine = FareEngine(caught.value.usable)
    assert total(engine.quote([leg("ASHB", "GLEN", "2025-03-04T08:00:00")])) == "4.75"
    fixed = dict(
        files, **{"fare_leg_rules.txt": files["fare_leg_rules.txt"].replace("ASKB", "ASHB")}
    )
    engine = engine_for(tmp_path / "fixed", fixed)
    assert total(engine.quote([leg("ASHB", "OAKL", "2025-03-04T08:00:00")])) == "9.45"


def test_muni_price_by_medium(tmp_path: Path) -> None:
    """Muni: a local fare is 3 USD in cash and 2.50 USD on Clipper."""
    engine = engine_for(
        tmp_path,
        {
            "fare_media.txt": """
                fare_media_id,fare_media_name,fare_media_type
                clipper,Clipper,2
                cash,Cash,0
            """,
            "fare_products.txt": """
                fare_product_id,fare_product_name,amount,currency,fare_media_id
                SF:local:single,Muni single local fare,3,USD,cash
                SF:local:single,Muni single local fare,2.5,USD,clipper
            """,
            "fare_leg_rules.txt": "fare_product_id\nSF:local:single",
        },
    )
    quote = engine.quote([leg("a", "b", "2025-03-04T08:00:00")])
    assert total(quote, "cash") == "3.00"
    assert total(quote, "clipper") == "2.50"


def test_clean_air_express_contactless_is_a_dollar_cheaper(tmp_path: Path) -> None:
    """Clean Air Express: 6 USD with tap-to-ride, 7 USD otherwise (medium unknown)."""
    engine = engine_for(
        tmp_path,
        {
            "fare_media.txt": """
                fare_media_id,fare_media_name,fare_media_type
                tap_to_ride,Tap to Ride,3
            """,
            "fare_products.txt": """
                fare_product_id,fare_product_name,fare_media_id,amount,currency
                single-ride,Single Ride,tap_to_ride,6,USD
                single-ride,Single Ride,,7,USD
            """,
            "fare_leg_rules.txt": "fare_product_id\nsingle-ride",
        },
    )
    quote = engine.quote([leg("a", "b", "2025-03-04T08:00:00")])
    assert total(quote, "tap_to_ride") == "6.00"
    assert total(quote, None) == "7.00"


@pytest.mark.parametrize(
    ("departure", "price"),
    [
        ("2022-09-13T07:30:00", "5.00"),  # the page: departing 7:30 AM pays the peak fare
        ("2022-09-13T11:30:00", "3.00"),  # the page: departing 11:30 AM pays off-peak
        ("2022-09-13T22:00:00", "2.00"),  # late night (21:30–24:00)
        ("2022-09-17T11:30:00", "2.00"),  # Saturday: weekend fare
    ],
)
def test_wmata_time_variable_fares(tmp_path: Path, departure: str, price: str) -> None:
    """WMATA (fictional, spring 2023): peak 5.00, off-peak 3.00, weekend and late night 2.00."""
    engine = engine_for(
        tmp_path,
        {
            # Metrorail's timezone and a route of network 1, which the page leaves out.
            "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\n"
            "WMATA,WMATA,https://wmata.com,America/New_York",
            "routes.txt": "route_id,route_type,network_id\nRED,1,1",
            "calendar.txt": """
                service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date
                weekday_service,1,1,1,1,1,0,0,20220708,20221231
                saturday_service,0,0,0,0,0,1,0,20220708,20221231
                sunday_service,0,0,0,0,0,0,1,20220708,20221231
            """,
            "timeframes.txt": """
                timeframe_group_id,start_time,end_time,service_id
                weekday_peak,5:00:00,9:30:00,weekday_service
                weekday_offpeak,9:30:00,15:00:00,weekday_service
                weekday_peak,15:00:00,19:00:00,weekday_service
                weekday_offpeak,19:00:00,21:30:00,weekday_service
                weekday_late_night,21:30:00,24:00:00,weekday_service
                weekday_late_night,00:00:00,5:00:00,weekday_service
                weekend,,,saturday_service
                weekend,,,sunday_service
            """,
            "fare_products.txt": """
                fare_product_id,fare_product_name,amount,currency
                peak_fare,Peak fare,5,USD
                regular_fare,Off-peak fare,3,USD
                weekend_fare,Weekend Metrorail one-way fare,2,USD
                late_night_fare,Late Night flat fare (Mon - Fri after 9:30pm),2,USD
            """,
            "fare_leg_rules.txt": """
                network_id,fare_product_id,from_timeframe_group_id,to_timeframe_group_id
                1,weekend_fare,weekend,
                1,late_night_fare,weekday_late_night,
                1,peak_fare,weekday_peak,
                1,regular_fare,weekday_offpeak,
            """,
        },
    )
    quote = engine.quote([leg("A01", "C05", departure, minutes=25, route_id="RED")])
    assert total(quote) == price


@pytest.mark.parametrize(("departure", "price"), [("18:45", "20.00"), ("21:04", "15.00")])
def test_metro_north_peak_and_off_peak(tmp_path: Path, departure: str, price: str) -> None:
    """Metro-North: Grand Central → Cold Spring is 20.00 USD at 6:45 pm (train #869, peak)
    and 15.00 USD at 9:04 pm (train #883, off-peak)."""
    engine = engine_for(
        tmp_path,
        {
            # The railroad's timezone and the paper medium, which the page's tables assume.
            "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\n"
            "MNR,Metro-North,https://new.mta.info,America/New_York",
            "fare_media.txt": "fare_media_id,fare_media_name,fare_media_type\npaper,Paper,1",
            "stops.txt": """
                stop_id,stop_name,stop_lat,stop_lon
                ITO1669,Peekskill,41.285103,-73.930916
                ITO1777,Beacon,41.505814,-73.984474
                ITO1789,New Hamburg,41.58691,-73.947624
                ITO1804,Croton-Harmon,41.190002,-73.882393
                ITO1824,Cortlandt,41.246258,-73.921783
                ITO1856,Garrison,41.381126,-73.947334
                ITO1887,Harlem-125th Street,40.805256,-73.939148
                ITO1897,Cold Spring,41.415382,-73.958092
                ITO2096,Poughkeepsie,41.707058,-73.93792
                ITO2383,Grand Central,40.752823,-73.977196
            """,
            "areas.txt": "area_id\nmnr_1\nmnr_HUD-5\nmnr_HUD-6\nmnr_HUD-7\nmnr_HUD-8\nmnr_HUD-9",
            "stop_areas.txt": """
                area_id,stop_id
                mnr_1,ITO1887
                mnr_1,ITO2383
                mnr_HUD-5,ITO1804
                mnr_HUD-6,ITO1669
                mnr_HUD-6,ITO1824
                mnr_HUD-7,ITO1856
                mnr_HUD-7,ITO1897
                mnr_HUD-8,ITO1777
                mnr_HUD-8,ITO1789
                mnr_HUD-9,ITO2096
            """,
            "networks.txt": "network_id,network_name\nmnr_hudson,MNR Hudson Line",
            "route_networks.txt": "network_id,route_id\nmnr_hudson,669",
            "calendar.txt": """
                service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date
                13,1,1,1,1,1,0,0,20230612,20231006
                3,1,1,1,1,1,0,0,20230609,20231006
                weekdays,1,1,1,1,1,0,0,20220101,20240101
                weekends,0,0,0,0,0,1,1,20220101,20240101
                anyday,1,1,1,1,1,1,1,20220101,20240101
            """,
            "timeframes.txt": """
                timeframe_group_id,start_time,end_time,service_id
                anytime,00:00:00,24:00:00,anyday
                weekdays,00:00:00,24:00:00,weekdays
                weekends,00:00:00,24:00:00,weekends
                mnr_ampeak,06:00:00,10:00:00,weekdays
                mnr_notampeak,00:00:00,06:00:00,weekdays
                mnr_notampeak,10:00:00,24:00:00,weekdays
                mnr_am2pmpeak,06:00:00,09:00:00,weekdays
                mnr_am2pmpeak,16:00:00,20:00:00,weekdays
                mnr_notam2pmpeak,00:00:00,06:00:00,weekdays
                mnr_notam2pmpeak,09:00:00,16:00:00,weekdays
                mnr_notam2pmpeak,20:00:00,24:00:00,weekdays
            """,
            "fare_products.txt": """
                fare_product_id,fare_product_name,fare_media_id,amount,currency
                mnr_1:HUD-7_adult_peak,Outbound Adult Peak Zonal Fare,paper,20.00,USD
                mnr_1:HUD-7_adult,Outbound Adult Off Peak Zonal Fare,paper,15.00,USD
                mnr_HUD-7:1_adult_peak,Inbound Adult Peak Zonal Fare,paper,20.00,USD
                mnr_HUD-7:1_adult,Inbound Adult Off Peak Zonal Fare,paper,15.00,USD
            """,
            "fare_leg_rules.txt": """
                network_id,from_area_id,to_area_id,fare_product_id,from_timeframe_group_id,to_timeframe_group_id
                mnr_hudson,mnr_1,mnr_HUD-7,mnr_1:HUD-7_adult,mnr_notam2pmpeak,anytime
                mnr_hudson,mnr_1,mnr_HUD-7,mnr_1:HUD-7_adult,weekends,anytime
                mnr_hudson,mnr_1,mnr_HUD-7,mnr_1:HUD-7_adult_peak,mnr_am2pmpeak,anytime
                mnr_hudson,mnr_HUD-7,mnr_1,mnr_HUD-7:1_adult,weekdays,mnr_notampeak
                mnr_hudson,mnr_HUD-7,mnr_1,mnr_HUD-7:1_adult,weekends,anytime
                mnr_hudson,mnr_HUD-7,mnr_1,mnr_HUD-7:1_adult_peak,weekdays,mnr_ampeak
            """,
        },
    )
    # 2023-06-13 is a Tuesday within both trains' service; the ride takes about an hour.
    journey = [leg("ITO2383", "ITO1897", f"2023-06-13T{departure}:00", minutes=70, route_id="669")]
    assert total(engine.quote(journey), "paper") == price
