"""Every real Fares v2 feed in ../shared/data/fares_v2 loads and prices hand-checked journeys.

Each expected price is derived in a comment from the feed's own rows
(``file:line``, the header being line 1).
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import pytest

from jjj.fares import FareEngine, FareLeg, FareResult, FareUnknown, load_fares
from jjj.gtfs.notices import Severity
from tests.conftest import shared
from tests.fares.helpers import total

FEEDS = {
    "bc": "fares_v2/bc_inland_ferries_fares_v2/inland-ferries-bc-gtfs.zip",
    "nelson": "fares_v2/nelson_streetcar_fares_v2/nelson-streetcar-gtfs.zip",
    "zakroczym": "fares_v2/zakroczym_fares_v2/gtfs.zip",
    "svrta": "fares_v2/svrta_fares_v2/svrta_fares_v2_394b144.zip",
    "transcollines": "fares_v2/transcollines_fares_v2/transcollines-qc-ca-fares.zip",
    "mbta": "fares_v2/mbta_fares_v2_partial",
}


@cache
def _engine(name: str) -> FareEngine:
    return FareEngine(load_fares(shared(FEEDS[name])))


def engine(name: str) -> FareEngine:
    shared(FEEDS[name])  # skips with the reason when the data is absent
    return _engine(name)


def ride(from_stop: str, to_stop: str, route: str, departure: str, minutes: int = 15) -> FareLeg:
    start = dt.datetime.fromisoformat(departure)
    return FareLeg(from_stop, to_stop, start, start + dt.timedelta(minutes=minutes), route_id=route)


@pytest.mark.parametrize("name", sorted(FEEDS))
def test_every_real_feed_loads_without_error(name: str) -> None:
    rules = engine(name).rules
    assert not [p for p in rules.problems if p.severity is Severity.ERROR]
    assert rules.leg_rules


def test_mbta_counts_and_its_unknown_timeframe() -> None:
    """MBTA: 677 leg rules and 37 transfer rules. 185 rules name ``timeframe_systemwide_free``,
    which this partial feed's timeframes.txt lacks: warnings (those rules never match)."""
    rules = engine("mbta").rules
    assert len(rules.leg_rules) == 677
    assert len(rules.transfer_rules) == 37
    unknown = [p for p in rules.problems if p.field == "from_timeframe_group_id"]
    assert len(unknown) == 185
    assert all(p.severity is Severity.WARNING for p in unknown)


# --- BC inland ferries -------------------------------------------------------------------


def test_bc_ferries_are_free() -> None:
    # fare_leg_rules.txt:2 gives every leg product "free"; fare_products.txt:2: free 0.00 CAD.
    quote = engine("bc").quote([ride("KOOTLK_1", "KOOTLK_2", "KOOTLK", "2025-07-01T09:00:00")])
    assert total(quote) == "0.00"


# --- Nelson streetcar --------------------------------------------------------------------


def test_nelson_donation_and_day_long_transfer() -> None:
    nelson = engine("nelson")
    # fare_leg_rules.txt:2: group lg-default, product donation; fare_products.txt:2: 5.00 CAD.
    one = nelson.quote([ride("S1", "S2", "SC", "2025-07-01T11:00:00")])
    assert total(one) == "5.00"
    # fare_transfer_rules.txt:2: lg-default → lg-default, unlimited (-1), within 86400 s from
    # departure to departure (type 1), A + AB with "transfer" at 0.00 CAD: 5.00 + 0.00.
    same_day = nelson.quote(
        [
            ride("S1", "S2", "SC", "2025-07-01T11:00:00"),
            ride("S2", "S1", "SC", "2025-07-01T15:00:00"),
        ]
    )
    assert total(same_day) == "5.00"
    # 25 hours later is past the 86400 s limit: two donations, 10.00 CAD.
    next_day = nelson.quote(
        [
            ride("S1", "S2", "SC", "2025-07-01T11:00:00"),
            ride("S2", "S1", "SC", "2025-07-02T12:00:00"),
        ]
    )
    assert total(next_day) == "10.00"


# --- Zakroczym ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("from_stop", "to_stop", "price"),
    [
        # stop_areas: 100 (Czarna) is in area 1, 117 (Modlin) in 2, 120 (Nowy Dwór) in 3.
        ("100", "101", "0.00"),  # fare_leg_rules.txt:2 flr_1 (1→1) single_ride_zone1_normal 0.00
        ("100", "117", "4.00"),  # :5 flr_12 (1→2) single_ride_zones12_normal 4.00 PLN
        ("117", "100", "4.00"),  # :6 flr_21 (2→1) single_ride_zones12_normal 4.00 PLN
        ("100", "120", "5.00"),  # :7 flr_13 (1→3) single_ride_zones13_normal 5.00 PLN
        ("117", "120", "4.00"),  # :9 flr_23 (2→3) single_ride_zones23_normal 4.00 PLN
    ],
)
def test_zakroczym_zone_fares(from_stop: str, to_stop: str, price: str) -> None:
    # The single-ride products exist for fare medium 0 (ticket from the driver) and rider
    # category 0 (normal ticket) only.
    quote = engine("zakroczym").quote([ride(from_stop, to_stop, "Z1", "2025-03-04T07:00:00")])
    assert total(quote, "0", "0") == price
    assert total(quote, "0", "2") is None  # no single-ride product for category 2
    assert total(quote, "1", "0") is None  # the monthly medium has no single-ride product


def test_zakroczym_two_rides_without_transfer_rules_add_up() -> None:
    # No fare_transfer_rules.txt: 1→2 (4.00) then 2→3 (4.00) are separate, 8.00 PLN.
    quote = engine("zakroczym").quote(
        [
            ride("100", "117", "Z1", "2025-03-04T07:00:00"),
            ride("117", "120", "Z2", "2025-03-04T07:30:00"),
        ]
    )
    assert total(quote, "0", "0") == "8.00"


# --- SVRTA -------------------------------------------------------------------------------


def test_svrta_networks_and_free_local_transfers() -> None:
    svrta = engine("svrta")
    # route_networks.txt: Blue and Red are in network "local"; fare_leg_rules.txt:2 gives
    # local legs local_adult (fare_products.txt:4: 0.50 USD cash).
    assert total(svrta.quote([ride("1", "2", "Blue", "2025-03-04T09:00:00")]), "cash") == "0.50"
    # fare_transfer_rules.txt:2: local → local, unlimited, no time limit, A + AB with
    # free_transfer (0.00 USD, any medium): three local legs cost 0.50.
    three = svrta.quote(
        [
            ride("1", "2", "Blue", "2025-03-04T09:00:00"),
            ride("2", "3", "Red", "2025-03-04T09:30:00"),
            ride("3", "4", "Green", "2025-03-04T11:30:00"),
        ]
    )
    assert total(three, "cash") == "0.50"
    # RaylandTripper is in network rayland (fare_leg_rules.txt:3, product rayland 3.00 USD);
    # no transfer rule from local to rayland: 0.50 + 3.00.
    mixed = svrta.quote(
        [
            ride("1", "2", "Blue", "2025-03-04T09:00:00"),
            ride("2", "5", "RaylandTripper", "2025-03-04T09:20:00"),
        ]
    )
    assert total(mixed, "cash") == "3.50"
    # RobinsonW is in network robinson (fare_leg_rules.txt:4, product robinson 5.00 USD).
    assert (
        total(svrta.quote([ride("1", "9", "RobinsonW", "2025-03-04T09:00:00")]), "cash") == "5.00"
    )


# --- Transcollines -----------------------------------------------------------------------

# stop_areas: F401-10 is in GAT (Gatineau), 411-56 in COL (Collines), F103-06 in PNT (Pontiac).
# routes.txt gives every route network REG; timeframes.txt:2 GT-2026 covers all day on the
# days of service FARES-GT-2026-1 (calendar.txt: daily, 2026-01-05 to 2026-08-23).


@pytest.mark.parametrize(
    ("from_stop", "to_stop", "day", "price"),
    [
        ("F401-10", "411-56", "2026-03-10", "5.00"),  # fare_leg_rules.txt:2 REG-GAT-COL PS-500
        ("F401-10", "F103-06", "2026-03-10", "20.00"),  # :3 REG-GAT-PNT PS-2000 (20.00 CAD)
        ("F103-06", "F401-10", "2026-03-10", "20.00"),  # :8 REG-PNT-GAT PS-2000
        ("411-56", "F103-06", "2026-03-10", "5.00"),  # :6 REG-COL-PNT PS-500
        ("F103-06", "F103-07", "2026-03-10", "5.00"),  # :9 REG-PNT-PNT PS-500
        ("F401-10", "F401-14", "2026-03-10", None),  # no GAT → GAT rule
        ("F401-10", "411-56", "2026-01-05", "5.00"),  # first day of FARES-GT-2026-1
        ("F401-10", "411-56", "2026-01-04", None),  # the day before: no timeframe applies
        ("F401-10", "411-56", "2026-08-24", None),  # the day after it ends
    ],
)
def test_transcollines_area_fares_with_timeframe(
    from_stop: str, to_stop: str, day: str, price: str | None
) -> None:
    quote = engine("transcollines").quote([ride(from_stop, to_stop, "921", f"{day}T07:10:00")])
    assert total(quote) == price


# --- MBTA --------------------------------------------------------------------------------

# Rows used below (fare_leg_rules.txt, fare_products.txt, fare_transfer_rules.txt of MBTA):
#   leg :467  leg_rapid_transit_quick_subway, rapid_transit, any areas, timeframe_regular,
#             product prod_rapid_transit_quick_subway
#   leg :462/:463 the rapid_transit cash and free rules, both transfer_only=1
#   leg :2    leg_airport_rapid_transit_quick_subway from area_bl_airport, timeframe_regular
#   leg :253  leg_local_bus_cash, local_bus, any areas → prod_local_bus
#   leg :357  leg_local_bus_quick_subway, local_bus, any areas → prod_rapid_transit_quick_subway
#   leg :173  leg_express_bus_cash, express_bus, 354 downtown → 354 outside → prod_express_bus
#   leg :199  leg_local_bus_cash, express_bus, 354 downtown → 354 downtown → prod_local_bus
#   leg :49   leg_commuter_rail_cash, zone 1A → zone 3 → prod_cr_zone_3
#   products :97 prod_rapid_transit_quick_subway charlieticket 2.40; :95 prod_local_bus cash
#             1.70; :83 prod_express_bus cash 4.25; :62-64 prod_cr_zone_3 cash/credit/mticket 8.00
#   transfer :20 leg_rapid_transit_quick_subway → leg_local_bus_quick_subway, 7200 s from
#             departure to departure, A + AB, no product (free)
#   transfer :3  leg_airport_rapid_transit_quick_subway → leg_rapid_transit_quick_subway, free
#   timeframes.txt:2 timeframe_regular all day on fare_regular (calendar.txt:108: daily,
#   2024-09-20 to 2024-12-14).
# Stops 70075 (Park Street) and 70068 (Harvard) are Red Line platforms in no area; 70047 is
# Airport (area_bl_airport), 70038 Bowdoin (area_bl); 2 and 64 are bus stops in no area.


def test_mbta_subway_on_charlieticket() -> None:
    mbta = engine("mbta")
    quote = mbta.quote([ride("70075", "70068", "Red", "2024-10-01T08:00:00")])
    assert total(quote, "charlieticket") == "2.40"  # leg :467, product :97
    assert total(quote, "cash") is None  # only the transfer-only rules :462/:463 allow cash
    unknown = quote.result("cash", None)
    assert isinstance(unknown, FareUnknown) and "transfer-only" in unknown.reason
    assert total(quote, "mticket") is None  # the Quick Ticket is on CharlieTicket only


def test_mbta_subway_outside_the_regular_timeframe() -> None:
    # 2025-01-15 is after fare_regular ends (2024-12-14): rule :467 no longer matches.
    quote = engine("mbta").quote([ride("70075", "70068", "Red", "2025-01-15T08:00:00")])
    assert total(quote, "charlieticket") is None


def test_mbta_subway_then_bus_within_two_hours_is_one_fare() -> None:
    # Red (2.40) then bus route 1 30 minutes later: transfer :20 applies, free: 2.40.
    quote = engine("mbta").quote(
        [
            ride("70075", "70068", "Red", "2024-10-01T08:00:00"),
            ride("2", "64", "1", "2024-10-01T08:30:00"),
        ]
    )
    assert total(quote, "charlieticket") == "2.40"
    result = quote.result("charlieticket", None)
    assert isinstance(result, FareResult)
    first, transfer = result.charges
    assert first.legs == (0, 1) and first.fare_product_id == "prod_rapid_transit_quick_subway"
    assert transfer.source == "fare_transfer_rules.txt:20" and transfer.amount == 0


def test_mbta_subway_then_bus_after_two_hours_pays_twice() -> None:
    # The bus departs 2 h 5 min after the subway: past transfer :20's 7200 s. 2.40 + 2.40
    # (leg :357, the bus on the Quick Ticket product).
    quote = engine("mbta").quote(
        [
            ride("70075", "70068", "Red", "2024-10-01T08:00:00"),
            ride("2", "64", "1", "2024-10-01T10:05:00"),
        ]
    )
    assert total(quote, "charlieticket") == "4.80"


def test_mbta_bus_then_subway_has_no_transfer_rule() -> None:
    # No transfer rule starts from a bus leg group: 2.40 (leg :357) + 2.40 (leg :467).
    quote = engine("mbta").quote(
        [
            ride("2", "64", "1", "2024-10-01T08:00:00"),
            ride("70075", "70068", "Red", "2024-10-01T08:30:00"),
        ]
    )
    assert total(quote, "charlieticket") == "4.80"
    # In cash the bus is 1.70 (leg :253) but the subway has only transfer-only cash rules and
    # no transfer rule reaches it from the bus: unknown.
    assert total(quote, "cash") is None


def test_mbta_bus_in_cash() -> None:
    quote = engine("mbta").quote([ride("2", "64", "1", "2024-10-01T08:00:00")])
    assert total(quote, "cash") == "1.70"  # leg :253, product :95


def test_mbta_express_bus_by_area() -> None:
    # Route 354 is in network express_bus; stop 4510 is in area_route_354_downtown, 1684 in
    # area_route_354_outside_downtown, 4511 in area_route_354_downtown.
    mbta = engine("mbta")
    inbound = mbta.quote([ride("4510", "1684", "354", "2024-10-01T08:00:00")])
    assert total(inbound, "cash") == "4.25"  # leg :173, product :83
    downtown = mbta.quote([ride("4510", "4511", "354", "2024-10-01T08:00:00")])
    assert total(downtown, "cash") == "1.70"  # leg :199, product :95


def test_mbta_commuter_rail_zone_fare() -> None:
    # BNT-0000 (North Station) is in zone 1A; ER-0128 (Swampscott) is in zone 3 and in the
    # Sumner tunnel zone 1A, for which no rule from zone 1A exists: leg :49, 8.00 USD in cash,
    # credit/debit and mTicket (:62-64), none on CharlieTicket.
    quote = engine("mbta").quote(
        [ride("BNT-0000", "ER-0128", "CR-Newburyport", "2024-10-01T08:00:00")]
    )
    assert total(quote, "cash") == "8.00"
    assert total(quote, "mticket") == "8.00"
    assert total(quote, "charlieticket") is None


def test_mbta_airport_station_and_free_transfer_to_the_subway() -> None:
    mbta = engine("mbta")
    # From Airport (area_bl_airport, listed in from_area_id) only leg :2 applies: 2.40.
    airport = mbta.quote([ride("70047", "70038", "Blue", "2024-10-01T08:00:00")])
    result = airport.result("charlieticket", None)
    assert isinstance(result, FareResult) and str(result.total) == "2.40 USD"
    assert result.charges[0].source == "fare_leg_rules.txt:2"
    # Then the Red Line: transfer :3 (airport group → rapid transit group) is free: 2.40.
    onward = mbta.quote(
        [
            ride("70047", "70038", "Blue", "2024-10-01T08:00:00"),
            ride("70075", "70068", "Red", "2024-10-01T08:30:00"),
        ]
    )
    assert total(onward, "charlieticket") == "2.40"
