"""Schema-driven checks on tiny feeds: values, primary keys and foreign keys."""

from __future__ import annotations

from pathlib import Path

from jjj.gtfs.notices import Severity
from tests.gtfs.minifeed import check, notices, severity_of

STOP_TIMES_HEAD = "trip_id,arrival_time,departure_time,stop_id,stop_sequence"


def stop_times(*rows: str) -> str:
    return "\n".join([STOP_TIMES_HEAD, *rows])


T2 = ("T2,09:00:00,09:00:00,S1,1", "T2,09:10:00,09:10:00,S3,2")


def test_invalid_time_names_line_and_field(tmp_path: Path) -> None:
    text = stop_times(
        "T1,08:00:00,08:00:00,S1,1", "T1,25:61:00,08:05:00,S2,2", "T1,08:10:00,08:10:00,S3,3", *T2
    )
    assert check(tmp_path, {"stop_times.txt": text}) == [
        ("invalid_time", "stop_times.txt", 3, "arrival_time")
    ]


def test_times_past_midnight_and_single_digit_hours_are_valid(tmp_path: Path) -> None:
    text = stop_times(
        "T1,23:55:00,23:55:00,S1,1",
        "T1,24:00:00,24:01:00,S2,2",
        "T1,25:10:00,25:10:00,S3,3",
        "T2,9:00:00,9:00:00,S1,1",
        "T2,9:10:00,9:10:00,S3,2",
    )
    assert check(tmp_path, {"stop_times.txt": text}) == []


def test_untimed_intermediate_stops_are_valid(tmp_path: Path) -> None:
    text = stop_times("T1,08:00:00,08:00:00,S1,1", "T1,,,S2,2", "T1,08:10:00,08:10:00,S3,3", *T2)
    assert check(tmp_path, {"stop_times.txt": text}) == []


def test_invalid_date_float_and_integer(tmp_path: Path) -> None:
    calendar = """
        service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date
        ALL,1,1,1,1,1,1,1,20260101,2026-12-31
    """
    stops = """
        stop_id,stop_name,stop_lat,stop_lon
        S1,One,39.9,116.30
        S2,Two,north,116.31
        S3,Three,39.9,116.32
    """
    text = stop_times(
        "T1,08:00:00,08:00:00,S1,1", "T1,08:05:00,08:05:00,S2,2.5", "T1,08:10:00,08:10:00,S3,3", *T2
    )
    assert check(
        tmp_path, {"calendar.txt": calendar, "stops.txt": stops, "stop_times.txt": text}
    ) == [
        ("invalid_date", "calendar.txt", 2, "end_date"),
        ("invalid_float", "stops.txt", 3, "stop_lat"),
        ("invalid_integer", "stop_times.txt", 3, "stop_sequence"),
    ]


def test_number_out_of_range(tmp_path: Path) -> None:
    stops = """
        stop_id,stop_name,stop_lat,stop_lon
        S1,One,39.9,116.30
        S2,Two,39.9,196.31
        S3,Three,39.9,116.32
    """
    routes = """
        route_id,agency_id,route_short_name,route_long_name,route_type,route_sort_order
        R1,A,1,Line one,3,-1
    """
    assert check(tmp_path, {"stops.txt": stops, "routes.txt": routes}) == [
        ("number_out_of_range", "routes.txt", 2, "route_sort_order"),
        ("number_out_of_range", "stops.txt", 3, "stop_lon"),
    ]


def test_unexpected_enum_value_is_a_warning(tmp_path: Path) -> None:
    routes = """
        route_id,agency_id,route_short_name,route_long_name,route_type
        R1,A,1,Line one,8
        R2,A,2,Line two,715
    """
    trips = "route_id,service_id,trip_id\nR1,ALL,T1\nR2,ALL,T2"
    found = notices(tmp_path, {"routes.txt": routes, "trips.txt": trips})
    # 8 is no route type; 715 is an extended (HVT) bus type, accepted.
    assert [(n.code, n.file, n.line, n.field) for n in found] == [
        ("unexpected_enum_value", "routes.txt", 2, "route_type")
    ]
    assert severity_of(found, "unexpected_enum_value") is Severity.WARNING


def test_text_formats(tmp_path: Path) -> None:
    agency = """
        agency_id,agency_name,agency_url,agency_timezone,agency_lang,agency_email
        A,Test Agency,www.example.org,Asia/Beijing,chinese!,nobody
    """
    routes = """
        route_id,agency_id,route_short_name,route_long_name,route_type,route_color
        R1,A,1,Line one,3,#FF0000
    """
    fares = """
        fare_id,price,currency_type,payment_method,transfers
        F1,2.00,RMB,0,
    """
    found = notices(
        tmp_path, {"agency.txt": agency, "routes.txt": routes, "fare_attributes.txt": fares}
    )
    assert sorted((n.code, n.file, n.line, n.field) for n in found) == [
        ("invalid_color", "routes.txt", 2, "route_color"),
        ("invalid_currency", "fare_attributes.txt", 2, "currency_type"),
        ("invalid_email", "agency.txt", 2, "agency_email"),
        ("invalid_language_code", "agency.txt", 2, "agency_lang"),
        ("invalid_timezone", "agency.txt", 2, "agency_timezone"),
        ("invalid_url", "agency.txt", 2, "agency_url"),
    ]
    assert severity_of(found, "invalid_timezone") is Severity.ERROR
    assert severity_of(found, "invalid_currency") is Severity.ERROR
    assert severity_of(found, "invalid_url") is Severity.WARNING


def test_missing_required_field(tmp_path: Path) -> None:
    trips = "route_id,service_id,trip_id\nR1,ALL,T1\n,ALL,T2"
    assert check(tmp_path, {"trips.txt": trips}) == [
        ("missing_required_field", "trips.txt", 3, "route_id")
    ]


def test_duplicate_keys(tmp_path: Path) -> None:
    stops = """
        stop_id,stop_name,stop_lat,stop_lon
        S1,One,39.9,116.30
        S2,Two,39.9,116.31
        S3,Three,39.9,116.32
        S2,Two again,39.9,116.31
    """
    # stop_sequence 02 is the same number as 2.
    text = stop_times(
        "T1,08:00:00,08:00:00,S1,1",
        "T1,08:05:00,08:05:00,S2,2",
        "T1,08:06:00,08:06:00,S2,02",
        "T1,08:10:00,08:10:00,S3,3",
        *T2,
    )
    found = notices(tmp_path, {"stops.txt": stops, "stop_times.txt": text})
    assert sorted((n.code, n.file, n.line, n.field) for n in found) == [
        ("duplicate_key", "stop_times.txt", 4, "trip_id, stop_sequence"),
        ("duplicate_key", "stops.txt", 5, "stop_id"),
    ]
    messages = {n.file: n.message for n in found}
    assert "line 3" in messages["stops.txt"]
    assert "line 3" in messages["stop_times.txt"]


def test_feed_info_must_have_one_row(tmp_path: Path) -> None:
    info = """
        feed_publisher_name,feed_publisher_url,feed_lang
        Test,https://example.org,zh
        Other,https://example.org,en
    """
    assert check(tmp_path, {"feed_info.txt": info}) == [
        ("more_than_one_entity", "feed_info.txt", 3, None)
    ]


def test_stop_time_naming_no_trip(tmp_path: Path) -> None:
    text = stop_times(
        "T1,08:00:00,08:00:00,S1,1",
        "T1,08:05:00,08:05:00,S2,2",
        "T9,08:10:00,08:10:00,S3,3",
        *T2,
    )
    assert check(tmp_path, {"stop_times.txt": text}) == [
        ("foreign_key_violation", "stop_times.txt", 4, "trip_id")
    ]


def test_broken_references(tmp_path: Path) -> None:
    stops = """
        stop_id,stop_name,stop_lat,stop_lon,parent_station
        S1,One,39.9,116.30,ST9
        S2,Two,39.9,116.31,
        S3,Three,39.9,116.32,
    """
    trips = """
        route_id,service_id,trip_id,shape_id
        R9,ALL,T1,
        R1,WEEKDAY,T2,SH1
    """
    text = stop_times(
        "T1,08:00:00,08:00:00,S1,1",
        "T1,08:05:00,08:05:00,S4,2",
        "T1,08:10:00,08:10:00,S3,3",
        *T2,
    )
    transfers = "from_stop_id,to_stop_id,transfer_type\nS1,S8,0"
    frequencies = "trip_id,start_time,end_time,headway_secs\nT7,08:00:00,09:00:00,600"
    found = check(
        tmp_path,
        {
            "stops.txt": stops,
            "trips.txt": trips,
            "stop_times.txt": text,
            "transfers.txt": transfers,
            "frequencies.txt": frequencies,
        },
    )
    assert found == [
        ("foreign_key_violation", "frequencies.txt", 2, "trip_id"),
        ("foreign_key_violation", "stop_times.txt", 3, "stop_id"),
        ("foreign_key_violation", "stops.txt", 2, "parent_station"),
        ("foreign_key_violation", "transfers.txt", 2, "to_stop_id"),
        ("foreign_key_violation", "trips.txt", 2, "route_id"),
        ("foreign_key_violation", "trips.txt", 3, "service_id"),
        ("foreign_key_violation", "trips.txt", 3, "shape_id"),
    ]


def test_fare_rule_for_an_unknown_zone_is_only_a_warning(tmp_path: Path) -> None:
    fares = "fare_id,price,currency_type,payment_method,transfers\nF1,2.00,CNY,0,"
    rules = "fare_id,origin_id\nF1,Z9\nF2,"
    found = notices(tmp_path, {"fare_attributes.txt": fares, "fare_rules.txt": rules})
    assert sorted((n.code, n.severity, n.line, n.field) for n in found) == [
        ("foreign_key_violation", Severity.ERROR, 3, "fare_id"),
        ("foreign_key_violation", Severity.WARNING, 2, "origin_id"),
    ]
