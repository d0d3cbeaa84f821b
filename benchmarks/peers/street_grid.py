"""Write a synthetic, fully walkable street grid as an OSM PBF file (run with pyosmium).

ferrobus builds its walking network from OpenStreetMap. No extract in the shared
data covers New York, so the benchmark gives it a square grid of residential
streets (foot allowed) over the feed's extent: one way per row and per column,
crossing at shared nodes every ``--spacing`` metres. With ``--stops`` (a JSON file of
``[lat, lon]`` pairs) each distinct stop position also gets a node joined by a short
footway to the nearest grid corner, as a stop on a real street would be reachable:
a point given at a stop's coordinates then snaps to the stop itself, not to a corner
up to ``spacing / √2`` metres away.

    python street_grid.py --bbox MINLON,MINLAT,MAXLON,MAXLAT --spacing 150 --out grid.osm.pbf
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import Any

import osmium
from osmium.osm.mutable import Node, Way

METRES_PER_DEGREE = 111_320.0
TIMESTAMP = "2026-01-01T00:00:00Z"


def write_grid(
    bbox: tuple[float, float, float, float],
    spacing_m: float,
    out: Path,
    stops: list[tuple[float, float]] | None = None,
) -> dict[str, int]:
    """Write the grid (and stop connectors); returns its node, way and edge counts."""
    min_lon, min_lat, max_lon, max_lat = bbox
    mid_lat = math.radians((min_lat + max_lat) / 2)
    step_lat = spacing_m / METRES_PER_DEGREE
    step_lon = spacing_m / (METRES_PER_DEGREE * math.cos(mid_lat))
    rows = math.ceil((max_lat - min_lat) / step_lat) + 1
    cols = math.ceil((max_lon - min_lon) / step_lon) + 1

    def node_id(row: int, col: int) -> int:
        return row * cols + col + 1

    out.unlink(missing_ok=True)
    attrs: dict[str, Any] = {
        "version": 1,
        "changeset": 1,
        "timestamp": TIMESTAMP,
        "uid": 1,
        "user": "grid",
    }
    with osmium.SimpleWriter(str(out)) as writer:
        for row in range(rows):
            lat = min_lat + row * step_lat
            for col in range(cols):
                lon = min_lon + col * step_lon
                writer.add_node(Node(id=node_id(row, col), location=(lon, lat), **attrs))
        way = 1
        street = {"highway": "residential", "foot": "yes"}
        for row in range(rows):
            nodes = [node_id(row, col) for col in range(cols)]
            writer.add_way(Way(id=way, nodes=nodes, tags=street, **attrs))
            way += 1
        for col in range(cols):
            nodes = [node_id(row, col) for row in range(rows)]
            writer.add_way(Way(id=way, nodes=nodes, tags=street, **attrs))
            way += 1
        footway = {"highway": "footway", "foot": "yes"}
        next_node = rows * cols + 1
        for lat, lon in sorted(set(stops or [])):
            row = min(max(round((lat - min_lat) / step_lat), 0), rows - 1)
            col = min(max(round((lon - min_lon) / step_lon), 0), cols - 1)
            writer.add_node(Node(id=next_node, location=(lon, lat), **attrs))
            writer.add_way(Way(id=way, nodes=[next_node, node_id(row, col)], tags=footway, **attrs))
            next_node += 1
            way += 1
    connectors = next_node - rows * cols - 1
    edges = rows * (cols - 1) + cols * (rows - 1) + connectors
    return {
        "nodes": rows * cols + connectors,
        "ways": way - 1,
        "edges": edges,
        "rows": rows,
        "cols": cols,
        "stop_nodes": connectors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bbox", required=True, help="min_lon,min_lat,max_lon,max_lat")
    parser.add_argument("--spacing", type=float, default=150.0, help="metres between streets")
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--stops", type=Path, help="JSON list of [lat, lon] to connect")
    args = parser.parse_args()
    min_lon, min_lat, max_lon, max_lat = (float(v) for v in args.bbox.split(","))
    stops = None
    if args.stops:
        stops = [(float(a), float(b)) for a, b in json.loads(args.stops.read_text())]
    counts = write_grid((min_lon, min_lat, max_lon, max_lat), args.spacing, args.out, stops)
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
