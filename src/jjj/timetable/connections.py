"""Extra walking links between stops of different feeds, read from a small CSV file.

Operators' feeds rarely say how their stations connect to each other's. A
connections file lists such links with namespaced ids, one direction per row::

    from_stop_id,to_stop_id,seconds[,note]
    beijing_subway:beijingnanzhan_04_d,intercity_rail:beijing_south,927,...

Its times replace generated footpath times for the same pair.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from jjj.errors import FeedError

__all__ = ["Connection", "read_connections"]


@dataclass(frozen=True)
class Connection:
    """A directed walking link between two stops (namespaced ids) and its time."""

    from_stop_id: str
    to_stop_id: str
    seconds: int
    line: int


def read_connections(path: str | Path) -> list[Connection]:
    """Read a connections file; any bad row raises FeedError naming its line and field."""
    source = Path(path)
    try:
        text = source.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise FeedError(f"{source}: cannot be read ({exc})") from exc
    reader = csv.DictReader(text.splitlines())
    missing = {"from_stop_id", "to_stop_id", "seconds"} - set(reader.fieldnames or [])
    if missing:
        raise FeedError(f"{source.name}:1: missing column(s) {', '.join(sorted(missing))}")
    connections: list[Connection] = []
    for line, row in enumerate(reader, start=2):
        from_stop = (row.get("from_stop_id") or "").strip()
        to_stop = (row.get("to_stop_id") or "").strip()
        for field, value in (("from_stop_id", from_stop), ("to_stop_id", to_stop)):
            if ":" not in value:
                raise FeedError(
                    f"{source.name}:{line} {field}: {value!r} is not a namespaced id (FEED:stop_id)"
                )
        text_seconds = (row.get("seconds") or "").strip()
        if not text_seconds.isdigit():
            raise FeedError(
                f"{source.name}:{line} seconds: {text_seconds!r} is not a whole number of seconds"
            )
        connections.append(Connection(from_stop, to_stop, int(text_seconds), line))
    return connections
