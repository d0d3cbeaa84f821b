"""The GTFS reference (../shared/specs/gtfs_reference.md) parsed for the tests: an oracle
independent of :mod:`jjj.gtfs.schema`.
"""

from __future__ import annotations

import re
from functools import cache

import pytest

from tests.conftest import SHARED_DATA

SPEC = SHARED_DATA.parent / "specs" / "gtfs_reference.md"


@cache
def _read_spec() -> str:
    return SPEC.read_text(encoding="utf-8")


def spec_text() -> str:
    """The reference's text, or skip the test when it is absent."""
    if not SPEC.exists():
        pytest.skip(f"specification not present: {SPEC}")
    return _read_spec()


@cache
def _spec_files() -> dict[str, dict[str, object]]:
    """file → {"fields": [(name, type, presence)], "key": text}."""
    text = _read_spec()
    start = text.index("## Field Definitions")
    sections = re.split(r"^### ", text[start:], flags=re.M)[1:]
    out: dict[str, dict[str, object]] = {}
    for section in sections:
        title = section.splitlines()[0].strip()
        if not title.endswith(".txt"):
            continue
        fields = []
        for line in section.splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) >= 3 and re.fullmatch(r"`[a-z_]+`", cells[0]):
                fields.append((cells[0].strip("`"), cells[1], cells[2]))
        key = re.search(r"Primary [Kk]ey \(([^)]*)\)", section)
        out[title] = {"fields": fields, "key": key.group(1) if key else None}
    return out


def spec_files() -> dict[str, dict[str, object]]:
    """file → {"fields": [(name, type, presence)], "key": primary key text}."""
    spec_text()
    return _spec_files()


def enum_values(file: str, name: str) -> set[int]:
    """The values an Enum field lists in the reference (empty if it lists none)."""
    text = spec_text()
    section = text[text.index(f"### {file}") :]
    row = next(
        line
        for line in section.splitlines()
        if line.strip().startswith("|") and f"`{name}`" in line.split("|")[1]
    )
    description = row.split("|")[4]
    values = {int(v) for v in re.findall(r"<br>\s*`(-?\d+)`", description)}
    values |= {int(v) for v in re.findall(r"^\s*`(-?\d+)`", description)}
    return values


def references(spec_type: str) -> set[tuple[str, str]]:
    """The (file, column) pairs a "Foreign ID referencing ..." type names."""
    targets = re.findall(r"`([a-z_]+)\.([a-z_]+)`", spec_type)
    return {(f"{t}.txt", c) for t, c in targets if t != "locations"}
