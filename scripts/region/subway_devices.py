"""Which station of which line each ruubypay device number stands for.

Most device numbers are named in the relations table. The others (stations opened
or renumbered after that table was made, and both ends of the Batong section) are
placed by their station code: codes run along the line, so a run of unnamed codes
between two named ones takes the stations the line definition lists between them.
"""

from __future__ import annotations

import itertools
from collections import defaultdict

from region.subway_source import (
    RUUBYPAY_LINES,
    SubwaySource,
    ToolsLine,
    device_stop_code,
    strip_qualifier,
)

__all__ = ["resolve_devices"]


def _line_devices(source: SubwaySource, ruubypay_line: str) -> set[str]:
    """Devices with a station table on the line, and destinations with the same prefix."""
    tabled: set[str] = set()
    destinations: set[str] = set()
    for (_, line, _), stations in source.timetables.items():
        if line != ruubypay_line:
            continue
        for device, departures in stations.items():
            tabled.add(device)
            destinations.update(d.dest_device for d in departures)
    prefixes = {device_stop_code(d)[:2] for d in tabled}
    return tabled | {d for d in destinations if device_stop_code(d)[:2] in prefixes}


def _named_position(line: ToolsLine, name: str) -> int | None:
    for index, station in enumerate(line.stations):
        if strip_qualifier(station.name) == name:
            return index
    return None


def resolve_devices(source: SubwaySource) -> dict[tuple[str, str], str]:
    """``(Tools line, device) → Tools station name`` for every device of a kept line.

    Devices whose station lies on another line (destinations of through trains) are
    left out. Raises ``ValueError`` when an unnamed run of codes cannot be placed.
    """
    result: dict[tuple[str, str], str] = {}
    for ruubypay_line in sorted(RUUBYPAY_LINES, key=int):
        line = source.lines[RUUBYPAY_LINES[ruubypay_line]]
        devices = sorted(_line_devices(source, ruubypay_line), key=int)
        known: dict[str, int] = {}
        for device in devices:
            name = source.device_names.get(device)
            if name is None:
                continue
            position = _named_position(line, name)
            if position is None:
                raise ValueError(f"device {device} ({name}) is not on {line.name}")
            known[device] = position
        if len(known) < 2:
            raise ValueError(f"line {ruubypay_line}: fewer than two named devices")
        ordered_known = sorted(known, key=int)
        size = len(line.stations)
        steps = 0
        for first, second in itertools.pairwise(ordered_known):
            diff = known[second] - known[first]
            if line.is_loop and abs(diff) > size // 2:
                diff -= size if diff > 0 else -size
            steps += 1 if diff > 0 else -1 if diff < 0 else 0
        sign = 1 if steps >= 0 else -1
        runs: dict[tuple[str | None, str | None], list[str]] = defaultdict(list)
        previous: str | None = None
        pending: list[str] = []
        for device in devices:
            if device in known:
                if pending:
                    runs[(previous, device)] = pending
                    pending = []
                previous = device
            else:
                pending.append(device)
        if pending:
            runs[(previous, None)] = pending
        for (before, after), unnamed in runs.items():
            if before is not None and after is not None:
                start, end = known[before], known[after]
                step = sign
                between: list[int] = []
                position = (start + step) % size
                while position != end and len(between) <= size:
                    between.append(position)
                    position = (position + step) % size
                if len(between) != len(unnamed):
                    raise ValueError(
                        f"line {ruubypay_line}: {len(unnamed)} unnamed devices but "
                        f"{len(between)} stations between {before} and {after}"
                    )
                positions = between
            elif after is not None:
                end = known[after]
                positions = [end - sign * k for k in range(len(unnamed), 0, -1)]
            else:
                assert before is not None
                start = known[before]
                positions = [start + sign * k for k in range(1, len(unnamed) + 1)]
            for device, position in zip(unnamed, positions, strict=True):
                if line.is_loop:
                    position %= size
                if not 0 <= position < size:
                    raise ValueError(f"line {ruubypay_line}: cannot place device {device}")
                known[device] = position
        for device, position in known.items():
            result[(line.name, device)] = line.stations[position].name
    return result
