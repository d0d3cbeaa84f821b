"""NOTES.md and the licence files that ship beside the data."""

from __future__ import annotations

import shutil
from pathlib import Path

from region.rail_feed import RailFeed
from region.rail_specs import CALL_PENALTY_MIN, FIRST_DEPARTURE, LAST_DEPARTURE, LINES
from region.subway_feed import SubwayFeed

__all__ = ["write_notes"]

_TEMPLATE = Path(__file__).with_name("NOTES.template.md")
_ODBL = """Parts of this data (the Beijing Subway station, platform and entrance
coordinates) are derived from OpenStreetMap.

(c) OpenStreetMap contributors. Available under the Open Database License (ODbL) 1.0:
https://opendatacommons.org/licenses/odbl/1-0/ . The derived database is shared under
the same licence.
"""


def write_notes(
    source: Path,
    subway: SubwayFeed,
    rail: RailFeed,
    counts: dict[str, dict[str, int]],
    out: Path,
) -> None:
    """Write NOTES.md (from the template, with the build's figures) and the licences."""
    licences = out / "licenses"
    licences.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(
        source / "beijing_subway_gtfs_partial" / "LICENSE",
        licences / "beijing-subway-gtfs.MPL-2.0.txt",
    )
    shutil.copyfile(
        source / "beijing_subway_lines" / "raw" / "tools_LICENSE",
        licences / "Beijing-Subway-Tools.MIT.txt",
    )
    (licences / "OpenStreetMap.ODbL-1.0.txt").write_text(_ODBL, encoding="utf-8")
    stats = subway.stats
    derived = [c for c in subway.complexes if c.coord_source != "osm"]
    rail_lines = "\n".join(
        f"| `{line.route_id}` | {line.name_en} | {line.fixed_source} | {line.frequency_source} |"
        for line in LINES
    )
    rail_coords = "\n".join(
        f"| {s.name_en} | {s.name_zh} | {s.coord_source} |"
        for s in sorted(rail.stations.values(), key=lambda s: s.name_en)
    )
    subway_coords = "\n".join(f"| {c.name_en} | {c.name_zh} | {c.coord_source} |" for c in derived)
    figures = {
        "subway_stops": counts["beijing_subway"]["stops"],
        "subway_stations": len(subway.complexes),
        "subway_routes": counts["beijing_subway"]["routes"],
        "subway_trips": counts["beijing_subway"]["trips"],
        "subway_stop_times": counts["beijing_subway"]["stop_times"],
        "subway_transfers": counts["beijing_subway"]["transfers"],
        "rows": stats.rows,
        "matched": stats.matched,
        "started": stats.started,
        "derived": stats.derived_times,
        "truncated": stats.truncated,
        "dropped": stats.dropped_single_stop,
        "dropped_tables": ", ".join(stats.dropped_tables) or "none",
        "rail_stops": counts["intercity_rail"]["stops"],
        "rail_routes": counts["intercity_rail"]["routes"],
        "rail_trips": counts["intercity_rail"]["trips"],
        "rail_stop_times": counts["intercity_rail"]["stop_times"],
        "connections": counts["region"]["connections"],
        "places": counts["region"]["places"],
        "rail_lines": rail_lines,
        "rail_coords": rail_coords,
        "subway_coords": subway_coords,
        "call_penalty": f"{CALL_PENALTY_MIN:g}",
        "first": FIRST_DEPARTURE[:5],
        "last": LAST_DEPARTURE[:5],
    }
    text = _TEMPLATE.read_text(encoding="utf-8").format(**figures)
    (out / "NOTES.md").write_text(text, encoding="utf-8")
