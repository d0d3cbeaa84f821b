"""Rules across rows and files, each on a tiny feed, asserting (code, file, line, field)."""

from __future__ import annotations

import math
from pathlib import Path

from jjj.gtfs.notices import Severity
from tests.gtfs.minifeed import check, keys, notices, severity_of

HEAD = "trip_id,arrival_time,departure_time,stop_id,stop_sequence"
T2 = ("T2,09:00:00,09:00:00,S1,1", "T2,09:10:00,09:10:00,S3,2")
E = Severity.ERROR
W = Severity.WARNING


def stop_times(*rows: str, head: str = HEAD) -> str:
    return "\n".join([head, *rows])


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance on a 6371 km sphere (the test's own oracle)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(a))


# --- agency, routes, stops -------------------------------------------------------------


def test_several_agencies_need_ids_and_one_timezone(tmp_path: Path) -> None:
    agency = """
        agency_id,agency_name,agency_url,agency_timezone
        A,Test Agency,https://example.org,Asia/Shanghai
        ,Other Agency,https://example.org,Asia/Tokyo
    """
    routes = """
        route_id,route_short_name,route_long_name,route_type
        R1,1,Line one,3
    """
    assert check(tmp_path, {"agency.txt": agency, "routes.txt": routes}) == [
        ("inconsistent_agency_timezone", "agency.txt", 3, "agency_timezone"),
        ("missing_required_field", "agency.txt", 3, "agency_id"),
        ("missing_required_field", "routes.txt", 2, "agency_id"),
    ]


def test_route_needs_a_name(tmp_path: Path) -> None:
    routes = """
        route_id,agency_id,route_short_name,route_long_name,route_type
        R1,A,,,3
    """
    assert check(tmp_path, {"routes.txt": routes}) == [
        ("route_both_short_and_long_name_missing", "routes.txt", 2, "route_short_name")
    ]


def test_station_hierarchy(tmp_path: Path) -> None:
    stops = """
        stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station
        S1,One,39.9,116.30,0,ST
        S2,Two,39.9,116.31,0,S3
        S3,Three,39.9,116.32,0,
        ST,Station,39.9,116.30,1,ST2
        ST2,Station 2,39.9,116.30,1,
        E1,Entrance,39.9,116.30,2,
        N1,,,,3,S3
    """
    assert check(tmp_path, {"stops.txt": stops}) == [
        ("location_without_parent_station", "stops.txt", 7, "parent_station"),
        ("station_with_parent_station", "stops.txt", 5, "parent_station"),
        ("wrong_parent_location_type", "stops.txt", 3, "parent_station"),
        ("wrong_parent_location_type", "stops.txt", 8, "parent_station"),
    ]


def test_stops_need_names_and_coordinates_nodes_do_not(tmp_path: Path) -> None:
    stops = """
        stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station
        S1,,39.9,116.30,0,
        S2,Two,,116.31,0,
        S3,Three,39.9,116.32,0,
        ST,Station,39.9,116.30,1,
        N1,,,,3,ST
    """
    assert check(tmp_path, {"stops.txt": stops}) == [
        ("missing_required_field", "stops.txt", 2, "stop_name"),
        ("missing_required_field", "stops.txt", 3, "stop_lat"),
    ]


def test_stop_at_null_island(tmp_path: Path) -> None:
    stops = """
        stop_id,stop_name,stop_lat,stop_lon
        S1,One,39.9,116.30
        S2,Two,0.0,0.0
        S3,Three,39.9,116.32
    """
    trips = "route_id,service_id,trip_id\nR1,ALL,T1"
    text = stop_times("T1,08:00:00,08:00:00,S1,1", "T1,08:10:00,08:10:00,S3,2")
    found = check(tmp_path, {"stops.txt": stops, "trips.txt": trips, "stop_times.txt": text})
    assert found == [("point_near_origin", "stops.txt", 3, "stop_lat")]


def test_trips_stop_only_at_stops_not_stations(tmp_path: Path) -> None:
    stops = """
        stop_id,stop_name,stop_lat,stop_lon,location_type
        S1,One,39.9,116.30,0
        S2,Two,39.9,116.31,1
        S3,Three,39.9,116.32,0
    """
    text = stop_times(
        "T1,08:00:00,08:00:00,S1,1", "T1,08:05:00,08:05:00,S2,2", "T1,08:10:00,08:10:00,S3,3", *T2
    )
    assert check(tmp_path, {"stops.txt": stops, "stop_times.txt": text}) == [
        ("location_with_unexpected_stop_time", "stop_times.txt", 3, "stop_id")
    ]


def test_transfer_rules(tmp_path: Path) -> None:
    stops = """
        stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station
        S1,One,39.9,116.30,0,
        S2,Two,39.9,116.31,0,
        S3,Three,39.9,116.32,0,
        ST,Station,39.9,116.30,1,
        E1,Entrance,39.9,116.30,2,ST
    """
    transfers = """
        from_stop_id,to_stop_id,from_trip_id,to_trip_id,transfer_type,min_transfer_time
        S1,S2,,,2,120
        S1,,,,0,
        ,,T1,,4,
        E1,S3,,,1,
    """
    assert check(tmp_path, {"stops.txt": stops, "transfers.txt": transfers}) == [
        ("missing_required_field", "transfers.txt", 3, "to_stop_id"),
        ("missing_required_field", "transfers.txt", 4, "to_trip_id"),
        ("transfer_with_invalid_stop_location_type", "transfers.txt", 5, "from_stop_id"),
    ]


def test_pathways_exit_gates_and_elevators(tmp_path: Path) -> None:
    stops = """
        stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station
        S1,One,39.9,116.30,0,ST
        S2,Two,39.9,116.31,0,
        S3,Three,39.9,116.32,0,
        ST,Station,39.9,116.30,1,
        E1,Entrance,39.9,116.30,2,ST
    """
    pathways = """
        pathway_id,from_stop_id,to_stop_id,pathway_mode,is_bidirectional
        P1,E1,S1,7,1
        P2,E1,S1,5,1
    """
    assert check(tmp_path, {"stops.txt": stops, "pathways.txt": pathways}) == [
        ("bidirectional_exit_gate", "pathways.txt", 2, "is_bidirectional"),
        ("missing_level_file", "levels.txt", None, None),
    ]


# --- along trips ---------------------------------------------------------------------------


def test_only_arrival_or_departure(tmp_path: Path) -> None:
    text = stop_times(
        "T1,08:00:00,08:00:00,S1,1", "T1,08:05:00,,S2,2", "T1,08:10:00,08:10:00,S3,3", *T2
    )
    assert check(tmp_path, {"stop_times.txt": text}) == [
        ("stop_time_with_only_arrival_or_departure_time", "stop_times.txt", 3, "departure_time")
    ]


def test_stop_times_without_time_or_stop_columns(tmp_path: Path) -> None:
    text = "trip_id,stop_sequence\nT1,1\nT1,2\nT2,1\nT2,2"
    assert check(tmp_path, {"stop_times.txt": text}) == [
        ("missing_required_column", "stop_times.txt", 1, "arrival_time"),
        ("missing_required_column", "stop_times.txt", 1, "departure_time"),
        ("missing_required_column", "stop_times.txt", 1, "stop_id"),
    ]


def test_stop_time_without_stop(tmp_path: Path) -> None:
    text = stop_times(
        "T1,08:00:00,08:00:00,S1,1", "T1,08:05:00,08:05:00,,2", "T1,08:10:00,08:10:00,S3,3", *T2
    )
    assert check(tmp_path, {"stop_times.txt": text}) == [
        ("missing_required_field", "stop_times.txt", 3, "stop_id")
    ]


def test_first_and_last_stops_need_times(tmp_path: Path) -> None:
    text = stop_times("T1,,,S1,1", "T1,08:05:00,08:05:00,S2,2", "T1,,,S3,3", *T2)
    assert check(tmp_path, {"stop_times.txt": text}) == [
        ("missing_trip_edge", "stop_times.txt", 2, "arrival_time"),
        ("missing_trip_edge", "stop_times.txt", 2, "departure_time"),
        ("missing_trip_edge", "stop_times.txt", 4, "arrival_time"),
        ("missing_trip_edge", "stop_times.txt", 4, "departure_time"),
    ]


def test_trip_edges_follow_stop_sequence_not_file_order(tmp_path: Path) -> None:
    # The file lists the last stop first; stop_sequence decides which is the edge.
    text = stop_times("T1,08:10:00,08:10:00,S3,30", "T1,08:00:00,08:00:00,S1,10", "T1,,,S2,20", *T2)
    assert check(tmp_path, {"stop_times.txt": text}) == []


def test_timepoint_without_times(tmp_path: Path) -> None:
    text = stop_times(
        "T1,08:00:00,08:00:00,S1,1,1",
        "T1,,,S2,2,1",
        "T1,08:10:00,08:10:00,S3,3,1",
        "T2,09:00:00,09:00:00,S1,1,1",
        "T2,,,S2,2,0",
        "T2,09:10:00,09:10:00,S3,3,1",
        head=HEAD + ",timepoint",
    )
    assert check(tmp_path, {"stop_times.txt": text}) == [
        ("stop_time_timepoint_without_times", "stop_times.txt", 3, "arrival_time")
    ]


def test_going_back_in_time(tmp_path: Path) -> None:
    # Line 5 arrives before the departure of line 3 (line 4 has no times).
    text = stop_times(
        "T1,08:00:00,08:00:00,S1,1",
        "T1,08:05:00,08:06:00,S2,2",
        "T1,,,S3,3",
        "T1,08:04:00,08:04:00,S1,4",
        "T2,09:00:00,09:00:00,S1,1",
        "T2,09:10:00,09:09:00,S3,2",
    )
    found = notices(tmp_path, {"stop_times.txt": text})
    assert keys(found) == [
        (
            "stop_time_with_arrival_before_previous_departure_time",
            "stop_times.txt",
            5,
            "arrival_time",
        ),
        ("stop_time_with_departure_before_arrival_time", "stop_times.txt", 7, "departure_time"),
    ]
    (early,) = [n for n in found if n.code.startswith("stop_time_with_arrival_before")]
    assert "line 3" in early.message


def test_equal_times_at_consecutive_stops_are_fine(tmp_path: Path) -> None:
    text = stop_times(
        "T1,08:00:00,08:00:00,S1,1", "T1,08:00:00,08:00:00,S2,2", "T1,08:10:00,08:10:00,S3,3", *T2
    )
    assert check(tmp_path, {"stop_times.txt": text}) == []


def test_shape_distances_along_trips(tmp_path: Path) -> None:
    text = stop_times(
        "T1,08:00:00,08:00:00,S1,1,0",
        "T1,08:05:00,08:05:00,S2,2,0.8",
        "T1,08:10:00,08:10:00,S3,3,0.7",
        "T2,09:00:00,09:00:00,S1,1,0",
        "T2,09:05:00,09:05:00,S2,2,0",
        "T2,09:10:00,09:10:00,S3,3,1.7",
        head=HEAD + ",shape_dist_traveled",
    )
    found = notices(tmp_path, {"stop_times.txt": text})
    assert keys(found) == [
        ("decreasing_or_equal_stop_time_distance", "stop_times.txt", 4, "shape_dist_traveled"),
        ("equal_stop_time_distance", "stop_times.txt", 6, "shape_dist_traveled"),
    ]
    assert severity_of(found, "decreasing_or_equal_stop_time_distance") is E
    assert severity_of(found, "equal_stop_time_distance") is W


def test_unused_and_unusable_trips(tmp_path: Path) -> None:
    trips = "route_id,service_id,trip_id\nR1,ALL,T1\nR1,ALL,T2\nR1,ALL,T3"
    text = stop_times(
        "T1,08:00:00,08:00:00,S1,1", "T1,08:10:00,08:10:00,S3,2", "T2,09:00:00,09:00:00,S1,1"
    )
    found = notices(tmp_path, {"trips.txt": trips, "stop_times.txt": text})
    assert keys(found) == [
        ("unusable_trip", "trips.txt", 3, "trip_id"),
        ("unused_trip", "trips.txt", 4, "trip_id"),
    ]
    assert {n.severity for n in found} == {W}


# --- speeds --------------------------------------------------------------------------------

FAR_STOPS = """
    stop_id,stop_name,stop_lat,stop_lon
    S1,One,39.9,116.30
    S2,Two,39.9,116.45
    S3,Three,39.9,116.60
"""


def test_fast_travel_between_consecutive_stops(tmp_path: Path) -> None:
    # S1 -> S2 is 0.02° of longitude in 30 s; S2 -> S3 is 0.01° in 5 minutes.
    stops = """
        stop_id,stop_name,stop_lat,stop_lon
        S1,One,39.9,116.30
        S2,Two,39.9,116.32
        S3,Three,39.9,116.33
    """
    km = haversine_km(39.9, 116.30, 39.9, 116.32)
    assert km * 3600 / 30 > 150  # the bus limit (route_type 3)
    assert km * 3600 / 30 < 500  # the rail limit (route_type 2)
    text = stop_times(
        "T1,08:00:00,08:00:00,S1,1", "T1,08:00:30,08:00:30,S2,2", "T1,08:05:30,08:05:30,S3,3", *T2
    )
    found = notices(tmp_path, {"stops.txt": stops, "stop_times.txt": text})
    assert keys(found) == [
        ("fast_travel_between_consecutive_stops", "stop_times.txt", 3, "arrival_time")
    ]
    assert severity_of(found, "fast_travel_between_consecutive_stops") is W
    assert f"{round(km * 3600 / 30)} km/h" in found[0].message
    rail = "route_id,agency_id,route_short_name,route_long_name,route_type\nR1,A,1,Line one,2"
    files = {"stops.txt": stops, "stop_times.txt": text, "routes.txt": rail}
    assert check(tmp_path / "rail", files) == []


def test_whole_minute_times_get_a_minute_of_slack(tmp_path: Path) -> None:
    # 2.55 km in one scheduled minute is 153 km/h, but minute-rounded times count as 2 minutes.
    stops = """
        stop_id,stop_name,stop_lat,stop_lon
        S1,One,39.9,116.30
        S2,Two,39.9,116.33
        S3,Three,39.9,116.34
    """
    km = haversine_km(39.9, 116.30, 39.9, 116.33)
    assert km * 60 > 150 > km * 30
    text = stop_times(
        "T1,08:00:00,08:00:00,S1,1", "T1,08:01:00,08:01:00,S2,2", "T1,08:05:00,08:05:00,S3,3", *T2
    )
    assert check(tmp_path, {"stops.txt": stops, "stop_times.txt": text}) == []


def test_fast_travel_between_far_stops(tmp_path: Path) -> None:
    # S1 -> S3 is over 25 km in 8 (+1) minutes with S2 untimed: no consecutive pair has both
    # times, so only the far-stops check sees it.
    km = haversine_km(39.9, 116.30, 39.9, 116.45) + haversine_km(39.9, 116.45, 39.9, 116.60)
    assert km > 10 and km * 3600 / (9 * 60) > 150
    text = stop_times(
        "T1,08:00:00,08:00:00,S1,1",
        "T1,,,S2,2",
        "T1,08:08:00,08:08:00,S3,3",
        "T2,09:00:00,09:00:00,S1,1",
        "T2,09:30:00,09:30:00,S3,2",
    )
    found = notices(tmp_path, {"stops.txt": FAR_STOPS, "stop_times.txt": text})
    assert keys(found) == [("fast_travel_between_far_stops", "stop_times.txt", 4, "arrival_time")]
    assert "line 2" in found[0].message


# --- services, frequencies, blocks --------------------------------------------------------


def test_service_never_active_and_no_service_at_all(tmp_path: Path) -> None:
    calendar = """
        service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date
        ALL,0,0,0,0,0,0,0,20260101,20261231
    """
    found = notices(tmp_path, {"calendar.txt": calendar})
    assert keys(found) == [
        ("no_service_active", "calendar.txt", None, "service_id"),
        ("service_never_active", "calendar.txt", 2, "service_id"),
    ]
    assert severity_of(found, "no_service_active") is E
    assert severity_of(found, "service_never_active") is W


def test_service_removed_on_its_only_day(tmp_path: Path) -> None:
    calendar = """
        service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date
        ALL,1,1,1,1,1,1,1,20260101,20261231
        MON,1,0,0,0,0,0,0,20260105,20260105
    """
    dates = "service_id,date,exception_type\nMON,20260105,2\nXMAS,20261225,1"
    found = check(tmp_path, {"calendar.txt": calendar, "calendar_dates.txt": dates})
    # 2026-01-05 is a Monday; XMAS exists only in calendar_dates.txt and runs once.
    assert found == [("service_never_active", "calendar.txt", 3, "service_id")]


def test_date_ranges_out_of_order(tmp_path: Path) -> None:
    calendar = """
        service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date
        ALL,1,1,1,1,1,1,1,20260101,20261231
        OLD,1,1,1,1,1,1,1,20261231,20260101
    """
    info = """
        feed_publisher_name,feed_publisher_url,feed_lang,feed_start_date,feed_end_date
        Test,https://example.org,zh,20261231,20260101
    """
    assert check(tmp_path, {"calendar.txt": calendar, "feed_info.txt": info}) == [
        ("service_never_active", "calendar.txt", 3, "service_id"),
        ("start_and_end_range_out_of_order", "calendar.txt", 3, "end_date"),
        ("start_and_end_range_out_of_order", "feed_info.txt", 2, "feed_end_date"),
    ]


def test_frequencies(tmp_path: Path) -> None:
    frequencies = """
        trip_id,start_time,end_time,headway_secs
        T1,06:00:00,08:00:00,600
        T1,08:00:00,10:00:00,300
        T1,09:30:00,11:00:00,300
        T2,07:00:00,07:00:00,600
        T2,09:00:00,08:00:00,600
    """
    assert check(tmp_path, {"frequencies.txt": frequencies}) == [
        ("overlapping_frequency", "frequencies.txt", 4, "start_time"),
        ("start_and_end_range_equal", "frequencies.txt", 5, "end_time"),
        ("start_and_end_range_out_of_order", "frequencies.txt", 6, "end_time"),
    ]


def test_block_trips_overlapping_on_a_shared_day(tmp_path: Path) -> None:
    calendar = """
        service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date
        ALL,1,1,1,1,1,1,1,20260101,20261231
        WKND,0,0,0,0,0,1,1,20260101,20261231
        WKDY,1,1,1,1,1,0,0,20260101,20261231
    """
    trips = """
        route_id,service_id,trip_id,block_id
        R1,ALL,T1,B1
        R1,ALL,T2,B1
        R1,WKND,T3,B2
        R1,WKDY,T4,B2
        R1,ALL,T5,B3
        R1,ALL,T6,B3
    """
    text = stop_times(
        "T1,08:00:00,08:00:00,S1,1",
        "T1,08:10:00,08:10:00,S3,2",
        "T2,08:05:00,08:05:00,S3,1",
        "T2,08:15:00,08:15:00,S1,2",
        "T3,08:00:00,08:00:00,S1,1",
        "T3,08:10:00,08:10:00,S3,2",
        "T4,08:05:00,08:05:00,S3,1",
        "T4,08:15:00,08:15:00,S1,2",
        "T5,08:00:00,08:00:00,S1,1",
        "T5,08:10:00,08:10:00,S3,2",
        "T6,08:10:00,08:10:00,S3,1",
        "T6,08:20:00,08:20:00,S1,2",
    )
    found = notices(
        tmp_path, {"calendar.txt": calendar, "trips.txt": trips, "stop_times.txt": text}
    )
    # B1 overlaps every day; B2 never (weekend vs weekdays); B3 only touches at 08:10.
    assert keys(found) == [("block_trips_with_overlapping_stop_times", "trips.txt", 3, "block_id")]
    assert "20260101" in found[0].message and "line 2" in found[0].message


# --- shapes and fares -------------------------------------------------------------------------


def test_shapes(tmp_path: Path) -> None:
    shapes = """
        shape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence,shape_dist_traveled
        SH1,39.9,116.30,1,0
        SH1,39.9,116.30,2,0
        SH1,39.9,116.31,3,0.85
        SH1,39.9,116.32,4,0.80
        SH2,39.9,116.30,1,0
    """
    trips = "route_id,service_id,trip_id,shape_id\nR1,ALL,T1,SH1\nR1,ALL,T2,SH1"
    assert check(tmp_path, {"shapes.txt": shapes, "trips.txt": trips}) == [
        ("decreasing_shape_distance", "shapes.txt", 5, "shape_dist_traveled"),
        ("equal_shape_distance_same_coordinates", "shapes.txt", 3, "shape_dist_traveled"),
        ("unused_shape", "shapes.txt", 6, "shape_id"),
    ]


def test_fares_v2(tmp_path: Path) -> None:
    media = "fare_media_id,fare_media_name,fare_media_type\ncard,Card,2"
    categories = """
        rider_category_id,rider_category_name,is_default_fare_category
        adult,Adult,1
        senior,Senior,1
        child,Child,
    """
    products = """
        fare_product_id,rider_category_id,fare_media_id,amount,currency
        single,adult,card,2.00,CNY
        single,senior,card,1.005,CNY
        pass,child,,10,CNY
        ticket,adult,paper,3.00,CNY
    """
    legs = """
        leg_group_id,fare_product_id
        g1,single
        g2,nothing
    """
    transfers = """
        from_leg_group_id,to_leg_group_id,transfer_count,duration_limit,duration_limit_type,fare_transfer_type
        g1,g1,,,,0
        g1,g2,1,3600,,0
        g2,g9,,,1,0
    """
    timeframes = """
        timeframe_group_id,start_time,end_time,service_id
        peak,07:00:00,,ALL
        late,22:00:00,25:00:00,ALL
    """
    found = check(
        tmp_path,
        {
            "fare_media.txt": media,
            "rider_categories.txt": categories,
            "fare_products.txt": products,
            "fare_leg_rules.txt": legs,
            "fare_transfer_rules.txt": transfers,
            "timeframes.txt": timeframes,
        },
    )
    assert found == [
        (
            "fare_product_with_multiple_default_rider_categories",
            "fare_products.txt",
            2,
            "rider_category_id",
        ),
        (
            "fare_transfer_rule_duration_limit_type_without_duration_limit",
            "fare_transfer_rules.txt",
            4,
            "duration_limit_type",
        ),
        (
            "fare_transfer_rule_duration_limit_without_type",
            "fare_transfer_rules.txt",
            3,
            "duration_limit_type",
        ),
        (
            "fare_transfer_rule_missing_transfer_count",
            "fare_transfer_rules.txt",
            2,
            "transfer_count",
        ),
        (
            "fare_transfer_rule_with_forbidden_transfer_count",
            "fare_transfer_rules.txt",
            3,
            "transfer_count",
        ),
        ("foreign_key_violation", "fare_leg_rules.txt", 3, "fare_product_id"),
        ("foreign_key_violation", "fare_products.txt", 5, "fare_media_id"),
        ("foreign_key_violation", "fare_transfer_rules.txt", 4, "to_leg_group_id"),
        ("invalid_currency_amount", "fare_products.txt", 3, "amount"),
        ("timeframe_only_start_or_end_time_specified", "timeframes.txt", 2, "start_time"),
        (
            "timeframe_start_or_end_time_greater_than_twenty_four_hours",
            "timeframes.txt",
            3,
            "end_time",
        ),
    ]


def test_network_id_in_routes_forbids_networks_file(tmp_path: Path) -> None:
    routes = """
        route_id,agency_id,route_short_name,route_long_name,route_type,network_id
        R1,A,1,Line one,3,N1
    """
    networks = "network_id,network_name\nN1,City"
    assert check(tmp_path, {"routes.txt": routes, "networks.txt": networks}) == [
        ("route_networks_specified_in_more_than_one_file", "networks.txt", None, None)
    ]
