"""File-level checks on tiny hand-written feeds: presence, emptiness, headers, encoding."""

from __future__ import annotations

from pathlib import Path

from jjj.gtfs.notices import Severity
from jjj.gtfs.read import read_feed
from jjj.gtfs.validate import validate_report
from tests.feedtext import clean
from tests.gtfs.minifeed import BASE, check, keys, notices, severity_of, write

E = Severity.ERROR


def test_the_base_feed_is_clean(tmp_path: Path) -> None:
    assert check(tmp_path, {}) == []


def test_missing_required_file_is_one_error_without_cascade(tmp_path: Path) -> None:
    # trips.txt points at routes.txt, but the missing file is reported once, not per trip.
    found = notices(tmp_path, {"routes.txt": None})
    assert keys(found, E) == [("missing_required_file", "routes.txt", None, None)]


def test_missing_calendar_and_calendar_dates(tmp_path: Path) -> None:
    found = notices(tmp_path, {"calendar.txt": None})
    assert keys(found, E) == [
        ("missing_calendar_and_calendar_date_files", "calendar.txt", None, None)
    ]


def test_calendar_without_rows_is_one_error(tmp_path: Path) -> None:
    header = (
        "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date"
    )
    found = notices(tmp_path, {"calendar.txt": header})
    # Not also one foreign_key_violation per trip for its unknown service_id.
    assert keys(found, E) == [
        ("missing_calendar_and_calendar_date_files", "calendar.txt", None, None)
    ]


def test_calendar_dates_alone_is_enough(tmp_path: Path) -> None:
    dates = "service_id,date,exception_type\nALL,20260105,1"
    assert check(tmp_path, {"calendar.txt": None, "calendar_dates.txt": dates}) == []


def test_missing_feed_info_is_a_warning(tmp_path: Path) -> None:
    found = notices(tmp_path, {"feed_info.txt": None})
    assert keys(found) == [("missing_recommended_file", "feed_info.txt", None, None)]
    assert severity_of(found, "missing_recommended_file") is Severity.WARNING


def test_empty_required_file_is_one_error(tmp_path: Path) -> None:
    header_only = "trip_id,arrival_time,departure_time,stop_id,stop_sequence"
    for name, content in (("header", header_only), ("zero_bytes", b"")):
        found = notices(tmp_path / name, {"stop_times.txt": content})
        assert keys(found, E) == [("empty_file", "stop_times.txt", None, None)], name
        # Nor warnings about every trip having no stop times.
        assert keys(found, Severity.WARNING) == [], name


def test_empty_optional_files_are_accepted(tmp_path: Path) -> None:
    found = notices(
        tmp_path,
        {"frequencies.txt": "trip_id,start_time,end_time,headway_secs", "transfers.txt": b""},
    )
    assert keys(found) == [
        ("empty_file", "frequencies.txt", None, None),
        ("empty_file", "transfers.txt", None, None),
    ]
    assert severity_of(found, "empty_file") is Severity.INFO


def test_unknown_files_and_columns_are_infos(tmp_path: Path) -> None:
    stops = """
        stop_id,stop_name,stop_lat,stop_lon,platform_colour
        S1,One,39.9,116.30,red
        S2,Two,39.9,116.31,
        S3,Three,39.9,116.32,
    """
    found = notices(tmp_path, {"stops.txt": stops, "notes.txt": "a,b\n1,2"})
    assert keys(found) == [
        ("unknown_column", "stops.txt", 1, "platform_colour"),
        ("unknown_file", "notes.txt", None, None),
    ]
    assert {n.severity for n in found} == {Severity.INFO}


def test_missing_required_column(tmp_path: Path) -> None:
    trips = """
        route_id,trip_id
        R1,T1
        R1,T2
    """
    assert check(tmp_path, {"trips.txt": trips}) == [
        ("missing_required_column", "trips.txt", 1, "service_id")
    ]


def test_bom_crlf_quotes_and_extra_spaces_in_header_are_accepted(tmp_path: Path) -> None:
    stops = (
        "\ufeffstop_id,stop_name ,stop_lat,stop_lon\r\n"
        'S1,"One, the ""first""",39.9,116.30\r\n'
        'S2,"Two",39.9,116.31\r\n'
        "S3,Three,39.9,116.32\r\n"
    ).encode()
    assert check(tmp_path, {"stops.txt": stops}) == []


def test_blank_line_is_a_warning_and_keeps_line_numbers(tmp_path: Path) -> None:
    stop_times = (
        b"trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
        b"T1,08:00:00,08:00:00,S1,1\n"
        b"\n"
        b"T1,08:05:00,08:05:00,S2,2\n"
        b"T1,08:10:00,08:10:00,S3,x\n"
        b"T2,09:00:00,09:00:00,S1,1\n"
        b"T2,09:10:00,09:10:00,S3,3\n"
    )
    assert check(tmp_path, {"stop_times.txt": stop_times}) == [
        ("empty_row", "stop_times.txt", 3, None),
        ("invalid_integer", "stop_times.txt", 5, "stop_sequence"),
    ]


def test_row_with_more_fields_than_the_header(tmp_path: Path) -> None:
    stops = """
        stop_id,stop_name,stop_lat,stop_lon
        S1,One,39.9,116.30
        S2,Two, East,39.9,116.31
        S3,Three,39.9,116.32
    """
    found = check(tmp_path, {"stops.txt": stops})
    assert ("invalid_row_length", "stops.txt", 3, None) in found


def test_duplicated_column(tmp_path: Path) -> None:
    stops = """
        stop_id,stop_name,stop_lat,stop_lon,stop_name
        S1,One,39.9,116.30,Uno
        S2,Two,39.9,116.31,Dos
        S3,Three,39.9,116.32,Tres
    """
    assert check(tmp_path, {"stops.txt": stops}) == [
        ("duplicated_column", "stops.txt", 1, "stop_name")
    ]


def test_not_utf8_names_line_and_field(tmp_path: Path) -> None:
    stops = clean_bytes(BASE["stops.txt"]).replace(b"Two", b"Tw\xe9")  # Latin-1 é
    found = notices(tmp_path, {"stops.txt": stops})
    assert keys(found, E) == [("invalid_encoding", "stops.txt", 3, "stop_name")]


def test_unterminated_quote_is_csv_parsing_failed(tmp_path: Path) -> None:
    stops = b'stop_id,stop_name,stop_lat,stop_lon\nS1,"One,39.9,116.30\nS2,Two,39.9,116.31\n'
    found = notices(tmp_path, {"stops.txt": stops})
    # The stops are unreadable: one error, and no cascade of unknown stop_ids.
    assert keys(found, E) == [("csv_parsing_failed", "stops.txt", None, None)]


def test_report_counts_beyond_the_listed_notices(tmp_path: Path) -> None:
    stops = """
        stop_id,stop_name,stop_lat,stop_lon,a,b,c,d,e
        S1,One,39.9,116.30,,,,,
        S2,Two,39.9,116.31,,,,,
        S3,Three,39.9,116.32,,,,,
    """
    stop_times = "\n".join(
        ["trip_id,arrival_time,departure_time,stop_id,stop_sequence"]
        + [f"T1,08:0{i}:00,08:0{i}:00,S1,{i}" for i in range(1, 4)]
        + [f"NOPE{i},08:00:00,08:00:00,S1,1" for i in range(5)]
    )
    folder = write(tmp_path / "feed", {"stops.txt": stops, "stop_times.txt": stop_times})
    report = validate_report(read_feed(folder), max_per_check=2)
    listed = [n for n in report.notices if n.code == "foreign_key_violation"]
    assert [n.line for n in listed] == [5, 6, None]  # two listed, then the summary
    assert "3 more" in listed[-1].message
    assert report.by_code()["foreign_key_violation"] == 5
    assert report.by_code()["unknown_column"] == 5
    assert report.errors == 5


def clean_bytes(text: str) -> bytes:
    return clean(text).encode()
