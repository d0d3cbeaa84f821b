"""Fixtures for the bundled-region tests: the shipped feeds, read once."""

from __future__ import annotations

import pytest

from jjj.data import feed_path
from jjj.gtfs.read import Feed, read_feed


@pytest.fixture(scope="session")
def subway() -> Feed:
    """The shipped Beijing Subway feed."""
    return read_feed(feed_path("beijing_subway"))


@pytest.fixture(scope="session")
def rail() -> Feed:
    """The shipped intercity rail feed."""
    return read_feed(feed_path("intercity_rail"))
