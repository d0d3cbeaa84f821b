"""Assemble trains from per-station departure tables.

The source gives, for each line, direction and station, the departures of the day
with each train's destination. A train is rebuilt by following it from station to
station: at each next station, the departures toward the same destination are
matched in order (trains on one track do not overtake) to the trains coming from
the previous station, within a window around the run time between the two. That
run time is the most common gap between departures at the two stations (the lag
that pairs the most trains). Departures left unmatched start a train there;
trains whose destination is the station end there. Where a train reaches a station
that has no table for it (its terminus, or the loop station of Lines 2 and 10), the
time is the previous one plus the run time from ``interstation_time`` when that
value is plausible, else the run time measured in the opposite direction, else the
distance at 40 km/h.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from region.common import haversine_m
from region.subway_devices import resolve_devices
from region.subway_source import (
    RUUBYPAY_LINES,
    SubwaySource,
    ToolsLine,
)

__all__ = ["AIRPORT_EXPRESS", "Train", "TripStats", "airport_express_gap_m", "assemble_trains"]

_MIN_RUN_S = 20
_MAX_RUN_S = 1500
_WINDOW_BEFORE_S = 45
_WINDOW_AFTER_S = 75
_FALLBACK_SPEED_MPS = 40 / 3.6
_DOUBLE_LISTED_RATIO = 1.6
_ORIGIN_DWELL_S = 600

#: The Capital Airport Express runs one way round: Beixinqiao – Dongzhimen –
#: Sanyuanqiao – Terminal 3 – Terminal 2 – Sanyuanqiao – Dongzhimen – Beixinqiao.
#: Its tables are split by destination into the outbound and inbound halves.
AIRPORT_EXPRESS = "首都机场线"
_AIRPORT_OUTBOUND = ("北新桥", "东直门", "三元桥", "3号航站楼", "2号航站楼")
_AIRPORT_INBOUND = ("2号航站楼", "三元桥", "东直门", "北新桥")


@dataclass(frozen=True)
class _Row:
    seconds: int
    dest: str | None  # Tools station name, None when the destination is off the line
    is_half: bool


@dataclass
class Train:
    """One trip of one train: stations in running order with their times.

    ``pinned`` marks the times read from a station table; the others are derived.
    """

    line: str
    service: str
    ascending: bool
    dest: str | None
    is_half: bool
    stations: list[str] = field(default_factory=list)
    times: list[int] = field(default_factory=list)
    pinned: list[bool] = field(default_factory=list)
    missed: bool = False  # passed the last tabled station without a matching row
    positions: list[int] = field(default_factory=list)  # indices in the full path

    @property
    def pos(self) -> int:
        """Index in the direction's full path of the last station."""
        return self.positions[-1]


@dataclass
class TripStats:
    """Counts describing how the tables became trains (for the data notes)."""

    rows: int = 0
    matched: int = 0
    started: int = 0
    derived_times: int = 0
    dropped_single_stop: int = 0
    truncated: int = 0
    dropped_tables: list[str] = field(default_factory=list)


def _direction_groups(
    source: SubwaySource, devices: dict[tuple[str, str], str]
) -> dict[tuple[str, str, bool], dict[str, set[_Row]]]:
    """(service, Tools line, ascending) → station → rows, merging the ruubypay halves."""
    groups: dict[tuple[str, str, bool], dict[str, set[_Row]]] = defaultdict(
        lambda: defaultdict(set)
    )
    for (service, ruubypay_line, _direction), tables in sorted(source.timetables.items()):
        line = source.lines[RUUBYPAY_LINES[ruubypay_line]]
        stations: dict[str, set[_Row]] = defaultdict(set)
        for device, departures in tables.items():
            name = devices.get((line.name, device))
            if name is None:
                continue
            for dep in departures:
                dest = devices.get((line.name, dep.dest_device))
                stations[name].add(_Row(dep.seconds, dest, dep.is_half))
        if line.name == AIRPORT_EXPRESS:
            for name, rows in stations.items():
                for row in rows:
                    inbound = row.dest == _AIRPORT_INBOUND[-1]
                    groups[(service, line.name, inbound)][name].add(row)
            continue
        ascending = _is_ascending(line, stations)
        for name, rows in stations.items():
            groups[(service, line.name, ascending)][name] |= rows
    return groups


def _drop_double_listed(
    line: ToolsLine, stations: dict[str, set[_Row]], stats: TripStats
) -> dict[str, set[_Row]]:
    """Leave out a station table that lists far more departures than both neighbours.

    Line 10's Jijiamiao, next to the loop station, lists every train of a direction
    twice at irregular offsets; its times are derived like those of a station
    without a table.
    """
    order = [s.name for s in line.stations]
    kept = dict(stations)
    for index, name in enumerate(order):
        if name not in stations:
            continue
        neighbours = [order[i % len(order)] for i in (index - 1, index + 1)]
        counts = [len(stations[n]) for n in neighbours if n in stations]
        if counts and len(stations[name]) > _DOUBLE_LISTED_RATIO * max(counts):
            del kept[name]
            stats.dropped_tables.append(f"{line.name} {name}")
    return kept


def _position_map(line: ToolsLine) -> dict[str, int]:
    return {station.name: index for index, station in enumerate(line.stations)}


def _is_ascending(line: ToolsLine, stations: dict[str, set[_Row]]) -> bool:
    """Whether the trains of these tables run in the line definition's order."""
    positions = _position_map(line)
    if not line.is_loop:
        weights: dict[str, int] = defaultdict(int)
        for rows in stations.values():
            for row in rows:
                if row.dest is not None:
                    weights[row.dest] += 1
        dest = max(sorted(weights), key=lambda name: weights[name])
        tabled = sorted(positions[name] for name in stations)
        median = tabled[len(tabled) // 2]
        return positions[dest] > median
    return _lag_score(line, stations, ascending=True) >= _lag_score(line, stations, ascending=False)


def _lag_score(line: ToolsLine, stations: dict[str, set[_Row]], *, ascending: bool) -> float:
    """How steady the gap to the next departure downstream is (1.0: always the same)."""
    order = [s.name for s in line.stations]
    if not ascending:
        order.reverse()
    scores = []
    for first, second in itertools.pairwise(order):
        if first not in stations or second not in stations:
            continue
        a = np.array(sorted(r.seconds for r in stations[first]))
        b = np.array(sorted(r.seconds for r in stations[second]))
        index = np.searchsorted(b, a, side="right")
        valid = index < len(b)
        lags = b[index[valid]] - a[valid]
        lags = lags[lags < _MAX_RUN_S]
        if len(lags) < 10:
            continue
        median = np.median(lags)
        scores.append(float(np.mean(np.abs(lags - median) <= 20)))
    return float(np.mean(scores)) if scores else 0.0


def _run_time(a: list[int], b: list[int], prior: int) -> int:
    """The lag (s) that pairs the most departures at ``a`` with departures at ``b``.

    Only lags between half and 1.8 times ``prior`` (plus 30 s) count: with a regular
    headway, lags one headway longer pair almost as many trains.
    """
    low, high = max(_MIN_RUN_S, prior // 2), int(prior * 1.8) + 30
    if not a or not b:
        return prior
    lags = (np.array(b)[None, :] - np.array(a)[:, None]).ravel()
    lags = lags[(lags >= low) & (lags <= high)]
    if len(lags) == 0:
        return prior
    bins = np.bincount(lags // 5).astype(np.int64)
    smooth = bins.copy()
    smooth[1:] += bins[:-1]
    smooth[:-1] += bins[1:]
    best = int(np.argmax(smooth))
    window = lags[(lags >= best * 5 - 5) & (lags < best * 5 + 10)]
    return int(np.median(window))


@dataclass
class _Context:
    line: ToolsLine
    service: str
    ascending: bool
    full_path: list[str]  # every station passed, in order
    chain_path: list[str]  # the stations trains are followed through (tabled ones)
    stations: dict[str, set[_Row]]
    runs: dict[tuple[str, str], int]  # fallback run time between adjacent stations

    def run_between(self, first: str, second: str) -> int:
        """Fallback run time from ``first`` to ``second`` along the full path."""
        start = self.full_path.index(first)
        end = self.full_path.index(second, start + 1)
        return sum(
            self.runs[(a, b)]
            for a, b in zip(
                self.full_path[start:end], self.full_path[start + 1 : end + 1], strict=True
            )
        )


def _paths(
    line: ToolsLine, stations: dict[str, set[_Row]], ascending: bool
) -> tuple[list[str], list[str]]:
    """(full path, chain path) in running order; loops start and end at the loop station."""
    order = [s.name for s in line.stations]
    if not ascending:
        order.reverse()
    if line.name == AIRPORT_EXPRESS:
        full = list(_AIRPORT_INBOUND if ascending else _AIRPORT_OUTBOUND)
        chain = [n for n in full[:-1] if n in stations] + [full[-1]]
        return full, chain
    if line.is_loop:
        loop_station = _loop_station(stations)
        start = order.index(loop_station)
        full = order[start:] + order[:start] + [loop_station]
        chain = [full[0]] + [n for n in full[1:-1] if n in stations] + [full[-1]]
        return full, chain
    tabled = [i for i, name in enumerate(order) if name in stations]
    first, last = tabled[0], tabled[-1]
    dests = {r.dest for rows in stations.values() for r in rows}
    if last + 1 < len(order) and order[last + 1] in dests:
        last += 1
    full = order[first : last + 1]
    chain = [n for n in full if n in stations]
    if full[-1] not in stations:
        chain.append(full[-1])
    return full, chain


def _loop_station(stations: dict[str, set[_Row]]) -> str:
    weights: dict[str, int] = defaultdict(int)
    for rows in stations.values():
        for counted in rows:
            if not counted.is_half and counted.dest is not None:
                weights[counted.dest] += 1
    return max(sorted(weights), key=lambda name: weights[name])


def _chain(context: _Context, stats: TripStats) -> list[Train]:
    """Follow the trains through the tabled stations of one direction."""
    path = context.chain_path
    is_loop = context.line.is_loop
    positions = _chain_positions(context)
    finished: list[Train] = []
    active: list[Train] = []
    for index, station in enumerate(path):
        rows = sorted(context.stations.get(station, set()), key=lambda r: (r.seconds, r.dest or ""))
        if is_loop and index == len(path) - 1:
            rows = []  # the lap ends at the loop station; the next lap is a new trip
        stats.rows += len(rows)
        if index == 0:
            for first in rows:
                active.append(_new_train(context, first, station, positions[0]))
                stats.started += 1
            continue
        previous = path[index - 1]
        prior = context.run_between(previous, station)
        station_pos = positions[index]
        run = _run_time([t.times[-1] for t in active], [r.seconds for r in rows], prior)
        continuing: dict[str | None, list[Train]] = defaultdict(list)
        for running in active:
            if _ends_before(context, running, station_pos):
                finished.append(running)
            else:
                continuing[running.dest].append(running)
        by_dest: dict[str | None, list[_Row]] = defaultdict(list)
        for arriving in rows:
            by_dest[arriving.dest].append(arriving)
        active = []
        origin_slack = _ORIGIN_DWELL_S if index == 1 else 0
        for dest in sorted(set(continuing) | set(by_dest), key=lambda d: d or ""):
            trains = sorted(continuing.get(dest, []), key=lambda t: t.times[-1])
            for train, row in _match(trains, by_dest.get(dest, []), run, origin_slack):
                if train is None:
                    assert row is not None
                    active.append(_new_train(context, row, station, station_pos))
                    stats.started += 1
                elif row is None and train.dest == station and station_pos != positions[0]:
                    # arrival at the terminus: no departure row, time from the run time
                    train.stations.append(station)
                    train.times.append(train.times[-1] + run)
                    train.pinned.append(False)
                    train.positions.append(station_pos)
                    finished.append(train)
                elif row is None:
                    if rows and train.missed:
                        _truncate(train)
                        finished.append(train)
                        stats.truncated += 1
                        continue
                    train.missed = bool(rows)
                    train.stations.append(station)
                    train.times.append(train.times[-1] + prior)
                    train.pinned.append(False)
                    train.positions.append(station_pos)
                    active.append(train)
                else:
                    train.stations.append(station)
                    train.times.append(row.seconds)
                    train.pinned.append(True)
                    train.positions.append(station_pos)
                    train.missed = False
                    stats.matched += 1
                    active.append(train)
    finished.extend(active)
    for done in finished:
        _truncate_trailing_misses(context, done)
    return finished


def _ends_before(context: _Context, train: Train, station_pos: int) -> bool:
    """Whether ``train`` reaches its destination before the station at ``station_pos``."""
    full = context.full_path
    for position in range(train.pos, station_pos):
        if full[position] != train.dest:
            continue
        if position > train.pos or len(train.stations) > 1:
            return True
    return False


def _truncate_trailing_misses(context: _Context, train: Train) -> None:
    """A train whose last table station missed it ends at its last table time."""
    if train.missed:
        _truncate(train)


def _chain_positions(context: _Context) -> list[int]:
    """Index in the full path of each chain station (the loop station twice)."""
    positions: list[int] = []
    cursor = 0
    for station in context.chain_path:
        cursor = context.full_path.index(station, cursor if not positions else cursor + 1)
        positions.append(cursor)
    return positions


def _new_train(context: _Context, row: _Row, station: str, position: int) -> Train:
    return Train(
        line=context.line.name,
        service=context.service,
        ascending=context.ascending,
        dest=row.dest,
        is_half=row.is_half,
        stations=[station],
        times=[row.seconds],
        pinned=[True],
        positions=[position],
    )


def _match(
    trains: list[Train], rows: list[_Row], run: int, origin_slack: int
) -> list[tuple[Train | None, _Row | None]]:
    """Pair arriving trains with departures, in order (no overtaking).

    When both lists are as long and every pair's lag is plausible, they pair one to
    one. Otherwise a departure pairs with the next train if its lag lies within a
    window around ``run``; a departure too early for it starts a train, and a train
    with no departure in its window passes without a table time. ``origin_slack``
    widens the window after ``run`` when leaving the first station, whose table
    gives some trains' arrival at the terminus rather than their departure.
    """
    if len(trains) == len(rows) and trains:
        lags = [row.seconds - train.times[-1] for train, row in zip(trains, rows, strict=True)]
        high = run + _WINDOW_AFTER_S * 2 + origin_slack
        if all(run - _WINDOW_BEFORE_S * 2 <= lag <= high for lag in lags):
            return list(zip(trains, rows, strict=True))
    pairs: list[tuple[Train | None, _Row | None]] = []
    i = j = 0
    while i < len(trains) or j < len(rows):
        if j >= len(rows):
            pairs.append((trains[i], None))
            i += 1
        elif i >= len(trains):
            pairs.append((None, rows[j]))
            j += 1
        else:
            lag = rows[j].seconds - trains[i].times[-1]
            if lag < run - _WINDOW_BEFORE_S:
                pairs.append((None, rows[j]))
                j += 1
            elif lag > run + _WINDOW_AFTER_S:
                pairs.append((trains[i], None))
                i += 1
            else:
                pairs.append((trains[i], rows[j]))
                i += 1
                j += 1
    return pairs


def _truncate(train: Train) -> None:
    """Cut the derived times after the train's last table time (it left the tables)."""
    while train.pinned and not train.pinned[-1]:
        train.stations.pop()
        train.times.pop()
        train.pinned.pop()
        train.positions.pop()


def _fill_untabled(context: _Context, train: Train, stats: TripStats) -> Train:
    """Insert the stations between chain stations, timed in proportion to run times.

    On a loop, a lap that starts at the first tabled station after the loop station
    is given the stations back to the loop station, timed backwards with the
    fallback run times.
    """
    full = context.full_path
    stations: list[str] = []
    times: list[int] = []
    pinned: list[bool] = []
    if context.line.is_loop and train.positions[0] == _chain_positions(context)[1]:
        first = train.positions[0]
        back = 0
        for k in range(first, 0, -1):
            back += context.runs[(full[k - 1], full[k])]
            stations.insert(0, full[k - 1])
            times.insert(0, train.times[0] - back)
            pinned.insert(0, False)
            stats.derived_times += 1
    position = train.positions[0]
    for k, station in enumerate(train.stations):
        if k > 0:
            target = train.positions[k]
            if target - position > 1:
                legs = [context.runs[(full[m], full[m + 1])] for m in range(position, target)]
                total = sum(legs)
                span = train.times[k] - train.times[k - 1]
                elapsed = 0
                for m in range(position + 1, target):
                    elapsed += legs[m - position - 1]
                    stations.append(full[m])
                    times.append(train.times[k - 1] + round(span * elapsed / total))
                    pinned.append(False)
                    stats.derived_times += 1
            position = target
        stations.append(station)
        times.append(train.times[k])
        pinned.append(train.pinned[k])
        if not train.pinned[k]:
            stats.derived_times += 1
    return Train(
        line=train.line,
        service=train.service,
        ascending=train.ascending,
        dest=train.dest,
        is_half=train.is_half,
        stations=stations,
        times=times,
        pinned=pinned,
        positions=[],
    )


def assemble_trains(source: SubwaySource) -> tuple[list[Train], TripStats]:
    """Every train of every kept line, service day and direction, in a stable order."""
    devices = resolve_devices(source)
    groups = _direction_groups(source, devices)
    stats = TripStats()
    trains: list[Train] = []
    for (service, line_name, ascending), raw_stations in sorted(groups.items()):
        line = source.lines[line_name]
        stations = _drop_double_listed(line, raw_stations, stats)
        full, chain = _paths(line, stations, ascending)
        runs = _fallback_runs(source, devices, line, service)
        context = _Context(line, service, ascending, full, chain, stations, runs)
        for train in _chain(context, stats):
            if len(train.stations) < 2:
                stats.dropped_single_stop += 1
                continue
            trains.append(_fill_untabled(context, train, stats))
    trains.sort(key=lambda t: (t.line, t.service, not t.ascending, t.times[0], t.stations[0]))
    return trains, stats


def _fallback_runs(
    source: SubwaySource,
    devices: dict[tuple[str, str], str],
    line: ToolsLine,
    service: str,
) -> dict[tuple[str, str], int]:
    """Run times between adjacent stations: interstation_time when plausible, else distance.

    A source value is plausible between 20 s and 25 min and at 4–40 m/s.
    """
    distances = _pair_distances(line)
    runs: dict[tuple[str, str], int] = {}
    for (svc, ruubypay_line), pairs in sorted(source.interstation.items()):
        if svc != service or RUUBYPAY_LINES.get(ruubypay_line) != line.name:
            continue
        for (from_device, to_device), seconds in sorted(pairs.items()):
            a = devices.get((line.name, from_device))
            b = devices.get((line.name, to_device))
            if a is None or b is None or (a, b) not in distances:
                continue
            speed = distances[(a, b)] / seconds if seconds > 0 else 0
            if _MIN_RUN_S <= seconds <= _MAX_RUN_S and 4.0 <= speed <= 40.0:
                runs.setdefault((a, b), seconds)
    for pair, metres in distances.items():
        runs.setdefault(pair, max(_MIN_RUN_S, round(metres / _FALLBACK_SPEED_MPS) + 30))
    return runs


def _pair_distances(line: ToolsLine) -> dict[tuple[str, str], int]:
    result: dict[tuple[str, str], int] = {}
    stations = line.stations
    for first, second in itertools.pairwise(stations):
        result[(first.name, second.name)] = second.dist_from_prev_m
        result[(second.name, first.name)] = second.dist_from_prev_m
    if line.is_loop:
        result[(stations[-1].name, stations[0].name)] = line.loop_closing_m
        result[(stations[0].name, stations[-1].name)] = line.loop_closing_m
    if line.name == AIRPORT_EXPRESS:
        result[(_AIRPORT_OUTBOUND[2], _AIRPORT_OUTBOUND[3])] = airport_express_gap_m(line)
    return result


def airport_express_gap_m(line: ToolsLine) -> int:
    """Sanyuanqiao → Terminal 3, which the source does not give: 1.2 × straight line."""
    by_name = {s.name: s for s in line.stations}
    first, second = by_name[_AIRPORT_OUTBOUND[2]], by_name[_AIRPORT_OUTBOUND[3]]
    assert first.lat is not None and first.lon is not None
    assert second.lat is not None and second.lon is not None
    return round(1.2 * haversine_m(first.lat, first.lon, second.lat, second.lon))
