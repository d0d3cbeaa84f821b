"""Tiny GTFS feeds written from text inside tests.

``write_feed(folder, {"stops.txt": "...", ...})`` writes the given files over a
minimal valid base feed (one agency, a daily calendar for 2026), so a test states
only what it is about.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from pathlib import Path

BASE: dict[str, str] = {
    "agency.txt": """
        agency_id,agency_name,agency_url,agency_timezone
        A,Test Agency,https://example.org,Asia/Shanghai
    """,
    "calendar.txt": """
        service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date
        ALL,1,1,1,1,1,1,1,20260101,20261231
    """,
    "routes.txt": """
        route_id,agency_id,route_short_name,route_long_name,route_type
        R1,A,1,Line one,1
    """,
}


def clean(text: str) -> str:
    """Dedent and strip a CSV literal, ending it with a newline."""
    return textwrap.dedent(text).strip() + "\n"


def write_feed(folder: Path, files: Mapping[str, str | None]) -> Path:
    """Write BASE overridden by ``files`` (None removes a base file) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    merged: dict[str, str | None] = {**BASE, **files}
    for name, text in merged.items():
        if text is not None:
            (folder / name).write_text(clean(text), encoding="utf-8")
    return folder


def line_stops(*names: str, lat0: float = 39.9, lon0: float = 116.3, step: float = 0.01) -> str:
    """stops.txt for stops ``names`` placed every ``step`` degrees of longitude (~850 m)."""
    rows = ["stop_id,stop_name,stop_lat,stop_lon"]
    for i, name in enumerate(names):
        rows.append(f"{name},{name},{lat0:.6f},{lon0 + i * step:.6f}")
    return "\n".join(rows)
