"""Fares v2 semantics on tiny hand-written feeds; each expected total follows from the spec
text quoted or paraphrased beside it (../shared/specs/gtfs_reference.md)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from jjj.fares import ChargeKind, FareEngine, FareLeg, FareResult
from tests.fares.helpers import engine_for, leg, total

BASE = {
    "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\nA,A,https://a.example,Europe/Paris",
    "routes.txt": """
        route_id,route_type,network_id
        b1,3,bus
        b2,3,bus
        r1,2,rail
        f1,4,ferry
    """,
    "fare_products.txt": """
        fare_product_id,amount,currency
        bus,2.00,EUR
        rail,5.00,EUR
        rail_after_bus,1.00,EUR
        ab,1.00,EUR
        combo,6.00,EUR
        rebate,-1.50,EUR
        generic,3.00,EUR
    """,
    "fare_leg_rules.txt": """
        leg_group_id,network_id,fare_product_id
        bus,bus,bus
        rail,rail,rail
    """,
}


def journey(*rides: tuple[str, str, str]) -> list[FareLeg]:
    """Rides as (route, departure HH:MM, arrival HH:MM) on 2025-03-04 between stops s0, s1 ..."""
    legs = []
    for index, (route, departs, arrives) in enumerate(rides):
        start = dt.datetime.fromisoformat(f"2025-03-04T{departs}:00")
        end = dt.datetime.fromisoformat(f"2025-03-04T{arrives}:00")
        legs.append(FareLeg(f"s{index}", f"s{index + 1}", start, end, route_id=route))
    return legs


def engine(tmp_path: Path, **files: str) -> FareEngine:
    return engine_for(tmp_path, {**BASE, **{f"{name}.txt": text for name, text in files.items()}})


# --- fare_transfer_type --------------------------------------------------------------------


def test_type_1_pays_both_legs_and_the_transfer(tmp_path: Path) -> None:
    """Type 1, A + AB + B: 2.00 + (−1.50) + 5.00 = 5.50 (a negative product is a discount)."""
    fares = engine(
        tmp_path,
        fare_transfer_rules="from_leg_group_id,to_leg_group_id,fare_transfer_type,fare_product_id\n"
        "bus,rail,1,rebate",
    )
    quote = fares.quote(journey(("b1", "08:00", "08:20"), ("r1", "08:30", "09:00")))
    result = quote.result(None, None)
    assert isinstance(result, FareResult) and result.total.minor == 550
    kinds = [(c.kind, c.fare_product_id, c.legs) for c in result.charges]
    assert kinds == [
        (ChargeKind.LEG, "bus", (0,)),
        (ChargeKind.TRANSFER, "rebate", (0, 1)),
        (ChargeKind.LEG, "rail", (1,)),
    ]


def test_type_2_replaces_the_first_leg(tmp_path: Path) -> None:
    """Type 2, AB: bus → rail costs combo (6.00) instead of 2.00 + 5.00."""
    fares = engine(
        tmp_path,
        fare_transfer_rules="from_leg_group_id,to_leg_group_id,fare_transfer_type,fare_product_id\n"
        "bus,rail,2,combo",
    )
    two = fares.quote(journey(("b1", "08:00", "08:20"), ("r1", "08:30", "09:00")))
    result = two.result(None, None)
    assert isinstance(result, FareResult) and result.total.minor == 600
    ((kind, legs),) = [(c.kind, c.legs) for c in result.charges]
    assert (kind, legs) == (ChargeKind.TRANSFER, (0, 1))


def test_type_2_after_a_transfer_adds_its_product(tmp_path: Path) -> None:
    """The spec's 3-leg table for type 2: A > B costs AB, B > C costs S + BC. With AB = BC =
    1.00: 1.00 + 1.00 = 2.00 (cheaper than bus 2.00 + rail→bus 1.00, or anything else)."""
    fares = engine(
        tmp_path,
        fare_transfer_rules="""
            from_leg_group_id,to_leg_group_id,fare_transfer_type,fare_product_id
            bus,rail,2,ab
            rail,bus,2,ab
        """,
    )
    three = fares.quote(
        journey(("b1", "08:00", "08:20"), ("r1", "08:30", "09:00"), ("b2", "09:10", "09:20"))
    )
    assert total(three) == "2.00"


def test_transfer_count_selects_the_smallest_count_that_covers(tmp_path: Path) -> None:
    """ "The rule with the minimum transfer_count that is greater than or equal to the current
    transfer count is selected": the first transfer takes the count-1 rule (1.00) although a
    free unlimited rule exists; the second transfer (count 2) takes the unlimited one."""
    fares = engine(
        tmp_path,
        fare_transfer_rules="""
            from_leg_group_id,to_leg_group_id,transfer_count,fare_transfer_type,fare_product_id
            bus,bus,1,0,ab
            bus,bus,-1,0,
        """,
    )
    two = fares.quote(journey(("b1", "08:00", "08:10"), ("b2", "08:20", "08:30")))
    assert total(two) == "3.00"  # 2.00 + 1.00
    three = fares.quote(
        journey(("b1", "08:00", "08:10"), ("b2", "08:20", "08:30"), ("b1", "08:40", "08:50"))
    )
    assert total(three) == "3.00"  # 2.00 + 1.00 + 0.00


def test_transfer_count_limits_the_sub_journey(tmp_path: Path) -> None:
    """transfer_count 1: one transfer is free; the third bus starts a new fare: 2 + 0 + 2."""
    fares = engine(
        tmp_path,
        fare_transfer_rules="from_leg_group_id,to_leg_group_id,transfer_count,fare_transfer_type\n"
        "bus,bus,1,0",
    )
    three = fares.quote(
        journey(("b1", "08:00", "08:10"), ("b2", "08:20", "08:30"), ("b1", "08:40", "08:50"))
    )
    assert total(three) == "4.00"


@pytest.mark.parametrize(
    ("limit_type", "second", "price"),
    [
        # first leg 08:00–08:30; limit 3600 s between the events named by the type
        (0, ("08:50", "09:05"), "4.00"),  # departure → arrival: 65 min, too long
        (1, ("08:50", "09:05"), "2.00"),  # departure → departure: 50 min
        (1, ("09:10", "09:20"), "4.00"),  # departure → departure: 70 min
        (2, ("09:10", "09:20"), "2.00"),  # arrival → departure: 40 min
        (3, ("09:10", "09:20"), "2.00"),  # arrival → arrival: 50 min
        (3, ("09:10", "09:40"), "4.00"),  # arrival → arrival: 70 min
        (1, ("09:00", "09:20"), "2.00"),  # exactly 3600 s is within the limit
    ],
)
def test_duration_limit_types(
    tmp_path: Path, limit_type: int, second: tuple[str, str], price: str
) -> None:
    fares = engine(
        tmp_path,
        fare_transfer_rules="from_leg_group_id,to_leg_group_id,transfer_count,duration_limit,"
        f"duration_limit_type,fare_transfer_type\nbus,bus,-1,3600,{limit_type},0",
    )
    quote = fares.quote(journey(("b1", "08:00", "08:30"), ("b2", *second)))
    assert total(quote) == price


def test_duration_is_measured_from_the_first_leg_of_the_sub_journey(tmp_path: Path) -> None:
    """ "When a transfer rule ... is matched multiple times consecutively ... the
    duration_limit ... should be measured starting from the first matched leg": the third
    bus departs 80 min after the first, past the 60-minute limit: 2.00 + 0 + 2.00."""
    fares = engine(
        tmp_path,
        fare_transfer_rules="from_leg_group_id,to_leg_group_id,transfer_count,duration_limit,"
        "duration_limit_type,fare_transfer_type\nbus,bus,-1,3600,1,0",
    )
    quote = fares.quote(
        journey(("b1", "08:00", "08:10"), ("b2", "08:40", "08:50"), ("b1", "09:20", "09:30"))
    )
    assert total(quote) == "4.00"


def test_empty_transfer_groups_mean_every_group_not_listed(tmp_path: Path) -> None:
    """An empty to_leg_group_id stands for the groups not listed in that column: with a rule
    bus → (empty) and one bus → rail, bus → bus uses the empty one (free), bus → rail its own."""
    fares = engine(
        tmp_path,
        fare_transfer_rules="""
            from_leg_group_id,to_leg_group_id,fare_transfer_type,fare_product_id
            bus,,0,
            bus,rail,0,ab
        """,
    )
    buses = fares.quote(journey(("b1", "08:00", "08:10"), ("b2", "08:20", "08:30")))
    assert total(buses) == "2.00"
    rail = fares.quote(journey(("b1", "08:00", "08:10"), ("r1", "08:20", "08:30")))
    assert total(rail) == "3.00"  # 2.00 + 1.00, cheaper than 2.00 + 5.00


# --- MBTA's proposed fields ------------------------------------------------------------------


def test_transfer_only_rule_needs_a_transfer(tmp_path: Path) -> None:
    """transfer_only=1 (proposal used by MBTA): rail_after_bus (1.00) applies only when a
    transfer rule reaches the rail leg. Rail alone: 5.00; bus then rail (type 1, no
    product): 2.00 + 0.00 + 1.00."""
    fares = engine(
        tmp_path,
        fare_leg_rules="""
            leg_group_id,network_id,fare_product_id,transfer_only
            bus,bus,bus,
            rail,rail,rail,
            rail_after_bus,rail,rail_after_bus,1
        """,
        fare_transfer_rules="from_leg_group_id,to_leg_group_id,fare_transfer_type\n"
        "bus,rail_after_bus,1",
    )
    assert total(fares.quote(journey(("r1", "08:00", "08:30")))) == "5.00"
    both = fares.quote(journey(("b1", "08:00", "08:10"), ("r1", "08:20", "08:50")))
    assert total(both) == "3.00"


def test_filter_product_and_same_product_behaviour(tmp_path: Path) -> None:
    """filter_fare_product_id / fare_product_behavior=1 (google/transit PR #423): the free
    transfer holds only for a rider who paid the first leg with bus_card and rides the next
    leg on it too. Card: 1.50; cash: 2.00 + 2.00."""
    fares = engine_for(
        tmp_path,
        {
            **BASE,
            "fare_media.txt": "fare_media_id,fare_media_type\ncash,0\ncard,2",
            "fare_products.txt": """
                fare_product_id,fare_media_id,amount,currency
                bus_cash,cash,2.00,EUR
                bus_card,card,1.50,EUR
            """,
            "fare_leg_rules.txt": """
                leg_group_id,network_id,fare_product_id
                bus,bus,bus_cash
                bus,bus,bus_card
            """,
            "fare_transfer_rules.txt": """
                from_leg_group_id,to_leg_group_id,transfer_count,fare_transfer_type,filter_fare_product_id,fare_product_behavior
                bus,bus,-1,0,bus_card,1
            """,
        },
    )
    quote = fares.quote(journey(("b1", "08:00", "08:10"), ("b2", "08:20", "08:30")))
    assert total(quote, "card") == "1.50"
    assert total(quote, "cash") == "4.00"


# --- empty fields in fare_leg_rules --------------------------------------------------------


def test_empty_network_without_rule_priority_means_networks_not_listed(tmp_path: Path) -> None:
    """Without rule_priority an empty network_id "corresponds to all networks ... excluding
    the ones listed": a bus leg gets only the bus rule (2.00), a ferry leg (network not listed)
    and a leg with no known route the generic one (3.00)."""
    fares = engine(
        tmp_path,
        fare_leg_rules="""
            leg_group_id,network_id,fare_product_id
            bus,bus,bus
            any,,generic
        """,
    )
    assert total(fares.quote(journey(("b1", "08:00", "08:10")))) == "2.00"
    assert total(fares.quote(journey(("f1", "08:00", "08:10")))) == "3.00"
    assert total(fares.quote(journey(("nowhere", "08:00", "08:10")))) == "3.00"


@pytest.mark.parametrize(("generic_priority", "price"), [("0", "2.00"), ("1", "3.00")])
def test_empty_network_with_rule_priority_is_a_wildcard(
    tmp_path: Path, generic_priority: str, price: str
) -> None:
    """With rule_priority an empty network_id does not affect matching: a bus leg matches both
    rules; at equal priority the cheaper applies, a higher priority on the generic rule wins."""
    fares = engine(
        tmp_path,
        fare_leg_rules=f"""
            leg_group_id,network_id,fare_product_id,rule_priority
            bus,bus,bus,0
            any,,generic,{generic_priority}
        """,
    )
    assert total(fares.quote(journey(("b1", "08:00", "08:10")))) == price


AREA_FILES = {
    "stops.txt": """
        stop_id,stop_name,location_type,parent_station,stop_timezone
        central,Central,1,,
        central_p1,Central platform 1,0,central,
        central_p2,Central platform 2,0,central,
        annex,Annex,0,,
        far,Far,0,,
        tokyo,Tokyo office,0,,Asia/Tokyo
    """,
    "areas.txt": "area_id\ncentre\nsuburb\noutskirts",
    "stop_areas.txt": """
        area_id,stop_id
        centre,central
        outskirts,central_p2
        suburb,annex
        suburb,far
        outskirts,far
    """,
}


@pytest.mark.parametrize(
    ("from_stop", "to_stop", "price"),
    [
        ("central_p1", "annex", "2.00"),  # the station's area covers its platform
        ("central_p2", "annex", "5.00"),  # ... unless the platform has its own area
        ("central_p1", "far", "2.00"),  # a stop in two areas matches rules of either
        ("annex", "central", None),  # no rule from suburb
    ],
)
def test_areas_of_stations_platforms_and_several_areas(
    tmp_path: Path, from_stop: str, to_stop: str, price: str | None
) -> None:
    fares = engine(
        tmp_path,
        **{name.removesuffix(".txt"): text for name, text in AREA_FILES.items()},
        fare_leg_rules="""
            leg_group_id,network_id,from_area_id,to_area_id,fare_product_id
            short,bus,centre,suburb,bus
            long,bus,outskirts,suburb,rail
            long,bus,centre,outskirts,combo
        """,
    )
    quote = fares.quote([leg(from_stop, to_stop, "2025-03-04T08:00:00", route_id="b1")])
    assert total(quote) == price


def test_timeframes_use_the_stops_timezone(tmp_path: Path) -> None:
    """The event time is "computed in local time ... as determined by the stop_timezone ...
    of the stop": 00:30 UTC is 09:30 in Tokyo (peak) but 01:30 in Paris (the agency's)."""
    fares = engine(
        tmp_path,
        **{name.removesuffix(".txt"): text for name, text in AREA_FILES.items()},
        calendar="service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,"
        "start_date,end_date\nall,1,1,1,1,1,1,1,20250101,20251231",
        timeframes="timeframe_group_id,start_time,end_time,service_id\npeak,08:00:00,10:00:00,all",
        fare_leg_rules="""
            leg_group_id,network_id,from_timeframe_group_id,fare_product_id,rule_priority
            peak,bus,peak,combo,1
            bus,bus,,bus,0
        """,
    )
    tokyo = fares.quote([leg("tokyo", "far", "2025-03-04T00:30:00+00:00", route_id="b1")])
    assert total(tokyo) == "6.00"
    paris = fares.quote([leg("annex", "far", "2025-03-04T00:30:00+00:00", route_id="b1")])
    assert total(paris) == "2.00"


# --- fare_leg_join_rules ---------------------------------------------------------------------

JOIN_AREAS = {
    "stops.txt": """
        stop_id,stop_name,location_type,parent_station
        a,A,0,
        x,X,0,
        y,Y,0,
        b,B,0,
    """,
    "areas.txt": "area_id\nzone1\nzone2",
    "stop_areas.txt": "area_id,stop_id\nzone1,a\nzone1,x\nzone2,y\nzone2,b",
    "fare_leg_rules.txt": """
        leg_group_id,network_id,from_area_id,to_area_id,fare_product_id
        z11,rail,zone1,zone1,bus
        z22,rail,zone2,zone2,bus
        z12,rail,zone1,zone2,rail
    """,
}


def test_join_rule_with_transfer_stops(tmp_path: Path) -> None:
    """A join rule naming X → Y makes rail A→X then rail Y→B one effective leg from zone 1 to
    zone 2 (5.00) instead of 2.00 + 2.00; a transfer elsewhere is not joined."""
    fares = engine(
        tmp_path,
        **{name.removesuffix(".txt"): text for name, text in JOIN_AREAS.items()},
        fare_leg_join_rules="from_network_id,to_network_id,from_stop_id,to_stop_id\nrail,rail,x,y",
    )
    joined = fares.quote(
        [
            leg("a", "x", "2025-03-04T08:00:00", route_id="r1"),
            leg("y", "b", "2025-03-04T08:20:00", route_id="r1"),
        ]
    )
    assert joined.effective_legs == ((0, 1),)
    assert total(joined) == "5.00"
    apart = fares.quote(
        [
            leg("a", "x", "2025-03-04T08:00:00", route_id="r1"),
            leg("x", "a", "2025-03-04T08:20:00", route_id="r1"),
        ]
    )
    assert apart.effective_legs == ((0,), (1,))
    assert total(apart) == "4.00"


def test_join_rule_without_stops_needs_the_same_station(tmp_path: Path) -> None:
    fares = engine(
        tmp_path,
        **{name.removesuffix(".txt"): text for name, text in JOIN_AREAS.items()},
        fare_leg_join_rules="from_network_id,to_network_id\nrail,rail",
    )
    same = fares.quote(
        [
            leg("a", "x", "2025-03-04T08:00:00", route_id="r1"),
            leg("x", "b", "2025-03-04T08:20:00", route_id="r1"),
        ]
    )
    assert same.effective_legs == ((0, 1),) and total(same) == "5.00"
    walked = fares.quote(
        [
            leg("a", "x", "2025-03-04T08:00:00", route_id="r1"),
            leg("y", "b", "2025-03-04T08:20:00", route_id="r1"),
        ]
    )
    assert walked.effective_legs == ((0,), (1,)) and total(walked) == "4.00"
