"""Every real feed in ../shared/data/feeds validates as usable, with confirmed counts.

Each count the validator reports is re-derived by :mod:`tests.gtfs.oracle` from the
files and the GTFS reference; a notice code without an oracle fails the test, so no
count here is only "what the code said last time". Run with ``-s`` to see the table.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from jjj.gtfs.read import read_feed
from jjj.gtfs.validate import validate_report
from tests.conftest import SHARED_DATA, shared
from tests.gtfs import oracle

FEEDS = [
    "feeds/gtfs_kit_samples/cairns_gtfs.zip",
    "feeds/gtfs_kit_samples/nyc_subway_gtfs.zip",
    "feeds/nyc_mta/nyc_bus_bk.zip",
    "feeds/nyc_mta/nyc_subway.zip",
    "feeds/otp_test_feeds/caltrain_gtfs.zip",
    "feeds/otp_test_feeds/kcm_gtfs.zip",
    "feeds/otp_test_feeds/vvs-bus-751-only.gtfs.zip",
    "feeds/otp_test_feeds/vvs-bus-764-only.gtfs.zip",
    "feeds/santa_barbara_mtd/gtfs.zip",
    "feeds/sao_paulo_r5py/spo_gtfs.zip",
]
#: Above this many stop times the pure-Python oracles of trips would take too long.
PYTHON_ORACLE_LIMIT = 200_000


def test_the_list_covers_every_feed() -> None:
    folder = shared("feeds")
    found = {
        str(path.relative_to(SHARED_DATA))
        for path in folder.glob("*/*.zip")
        if not path.name.endswith(".gpkg.zip")  # a GeoPackage, not GTFS
    }
    assert found == set(FEEDS)


def _oracles(tables: oracle.Tables) -> dict[str, Callable[[], int]]:
    fk = oracle.foreign_key_violations(tables)
    big = tables["stop_times.txt"].height > PYTHON_ORACLE_LIMIT
    return {
        "unknown_column": lambda: oracle.unknown_columns(tables),
        "unknown_file": lambda: oracle.unknown_files(tables),
        "missing_recommended_file": lambda: int("feed_info.txt" not in tables),
        "unexpected_enum_value": lambda: oracle.unexpected_enum_values(tables),
        "foreign_key_violation": lambda: fk[0] + fk[1],
        "missing_required_field": lambda: oracle.fare_agency_missing(tables),
        "service_never_active": lambda: oracle.services_never_active(tables),
        "decreasing_shape_distance": lambda: oracle.shape_distance_problems(tables)[0],
        "equal_shape_distance_diff_coordinates": lambda: oracle.shape_distance_problems(tables)[1],
        "equal_shape_distance_same_coordinates": lambda: oracle.shape_distance_problems(tables)[2],
        **(
            {}
            if big
            else {
                "decreasing_or_equal_stop_time_distance": lambda: oracle.equal_stop_time_distances(
                    tables
                )[0],
                "equal_stop_time_distance": lambda: oracle.equal_stop_time_distances(tables)[1],
                "fast_travel_between_consecutive_stops": lambda: oracle.fast_consecutive(tables),
            }
        ),
    }


@pytest.mark.slow
@pytest.mark.parametrize("relative", FEEDS)
def test_real_feed_is_usable_with_confirmed_counts(relative: str) -> None:
    path = shared(relative)
    started = time.perf_counter()
    report = validate_report(read_feed(path), max_per_check=None)
    seconds = time.perf_counter() - started
    counts = report.by_code()
    print(
        f"\n{Path(relative).name}: {report.errors} errors, {report.warnings} warnings, "
        f"{seconds:.1f} s: {counts}"
    )
    assert report.errors == 0, [n for n in report.notices if n.severity.value == "ERROR"][:5]
    tables = oracle.read_tables(path)
    oracles = _oracles(tables)
    unconfirmed = sorted(set(counts) - set(oracles))
    assert unconfirmed == [], f"no oracle for {unconfirmed}"
    for code, expected in oracles.items():
        assert counts.get(code, 0) == expected(), code
    # Exactly the dangling zone references are warnings; every other one would be an error.
    assert oracle.foreign_key_violations(tables)[0] == 0
