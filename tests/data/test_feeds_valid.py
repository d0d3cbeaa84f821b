"""The bundled feeds pass the validator without errors, and stay small."""

from __future__ import annotations

import pytest

from jjj.data import feed_paths, region_dir
from jjj.gtfs.notices import Severity
from jjj.gtfs.read import read_feed
from jjj.gtfs.validate import validate_feed


@pytest.mark.parametrize("name", sorted(feed_paths()))
def test_feed_has_no_errors(name: str) -> None:
    notices = validate_feed(read_feed(feed_paths()[name]))
    errors = [n for n in notices if n.severity is Severity.ERROR]
    assert errors == [], errors[:5]


def test_region_is_a_few_megabytes() -> None:
    total = sum(p.stat().st_size for p in region_dir().rglob("*") if p.is_file())
    assert total < 6_000_000
