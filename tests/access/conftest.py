"""Fixtures for the accessibility tests: networks built once per session, the census."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from jjj.data import feed_paths, population_path
from jjj.gtfs.read import read_feed
from jjj.timetable import Network
from jjj.timetable.build import build_network
from jjj.timetable.store import save_network
from tests.conftest import shared

#: A Tuesday inside every network used here.
REGION_DAY = dt.date(2026, 9, 15)
SUBWAY_DAY = dt.date(2026, 6, 3)


@pytest.fixture(scope="session")
def region_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled region (Beijing Subway + intercity rail) compiled to a file."""
    feeds = [read_feed(path, name) for name, path in feed_paths().items()]
    network = build_network(feeds, validate=False)
    return save_network(network, tmp_path_factory.mktemp("region") / "region.jjj")


@pytest.fixture(scope="session")
def region(region_file: Path) -> Network:
    from jjj.timetable.store import load_network

    return load_network(region_file)


@pytest.fixture(scope="session")
def subway_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """MTA NYC Subway (shared data) compiled to a file."""
    source = shared("feeds/nyc_mta/nyc_subway.zip")
    network = build_network([read_feed(source, "nyc_subway")], validate=False)
    return save_network(network, tmp_path_factory.mktemp("subway") / "subway.jjj")


@pytest.fixture(scope="session")
def subway(subway_file: Path) -> Network:
    from jjj.timetable.store import load_network

    return load_network(subway_file)


@pytest.fixture(scope="session")
def census() -> Path:
    """The county census the region ships (the shared original when not bundled)."""
    bundled = population_path()
    return bundled if bundled.exists() else shared("jjj/bth_counties_2020census.geojson")
