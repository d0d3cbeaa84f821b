"""How often the engines' earliest arrivals agree with jjj's, and with the oracle.

Each comparison counts, over the queries both engines answered, equal travel times,
those where jjj is earlier and those where the peer is, plus destinations only one
of them reaches. Differences are expected from the engines' models (see
``docs/bench_routing.md``); the oracle, a plain connection scan in
``tests/routing/oracle.py``, must agree exactly.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from jjj.ids import UNREACHED
from jjj.streets.geo import haversine_m
from jjj.timetable.network import Network

__all__ = ["Agreement", "compare", "oracle_agreement", "pyraptor_agreement", "shared_names"]

REPO = Path(__file__).resolve().parents[1]


@dataclass
class Agreement:
    """Counts of one comparison (travel seconds; ``None`` = not reached)."""

    equal: int = 0
    ours_earlier: int = 0
    theirs_earlier: int = 0
    only_ours: int = 0
    only_theirs: int = 0
    neither: int = 0
    close: int = 0
    gaps: list[int] = field(default_factory=list)

    @property
    def both(self) -> int:
        return self.equal + self.ours_earlier + self.theirs_earlier

    def add(self, ours: int | None, theirs: int | None) -> None:
        if ours is None and theirs is None:
            self.neither += 1
        elif theirs is None:
            self.only_ours += 1
        elif ours is None:
            self.only_theirs += 1
        elif ours == theirs:
            self.equal += 1
        else:
            self.gaps.append(abs(ours - theirs))
            self.close += abs(ours - theirs) <= 60
            if ours < theirs:
                self.ours_earlier += 1
            else:
                self.theirs_earlier += 1

    def summary(self) -> str:
        """One line: shares of equal, earlier and one-sided answers."""
        both = self.both
        if both == 0 and not (self.only_ours or self.only_theirs):
            return "nothing to compare"
        median_gap = f"{statistics.median(self.gaps) / 60:.1f} min" if self.gaps else "-"
        within = self.equal + self.close
        return (
            f"equal {self.equal}/{both} ({100 * self.equal / max(both, 1):.0f} %), within "
            f"1 min {100 * within / max(both, 1):.0f} %; jjj earlier {self.ours_earlier}, "
            f"peer earlier {self.theirs_earlier} "
            f"(median gap {median_gap}); reached by jjj only {self.only_ours}, "
            f"by the peer only {self.only_theirs}"
        )


def compare(ours: Sequence[int | None], theirs: Sequence[int | None]) -> Agreement:
    """Pairwise agreement of two equally long answer lists."""
    result = Agreement()
    for a, b in zip(ours, theirs, strict=True):
        result.add(a, b)
    return result


def as_optional(values: np.ndarray) -> list[int | None]:
    """Integers with ``UNREACHED`` (or more) as ``None``."""
    return [None if int(v) >= UNREACHED else int(v) for v in values.tolist()]


def oracle_agreement(
    network: Network,
    date: dt.date,
    requests: list[tuple[dict[int, int], dict[int, int]]],
    answers: list[list[int | None]],
    *,
    departure: int,
    max_transfers: int,
    max_duration_s: int,
) -> tuple[int, int] | None:
    """``(agreeing, checked)`` requests whose earliest arrival for every transfer count
    equals the oracle's; ``None`` when the oracle (the tests) is not available."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    try:
        from tests.routing.oracle import Rules, connections_for, earliest_arrivals
    except ImportError:
        return None
    connections = connections_for(network, date)
    rules = Rules(network)
    agreeing = 0
    for (access, egress), answer in zip(requests, answers, strict=True):
        best = earliest_arrivals(
            network,
            connections,
            rules,
            access,
            egress,
            departure,
            max_transfers + 1,
            departure + max_duration_s + 1,
        )
        expected = [None if t >= UNREACHED else t for t in best[1:]]
        agreeing += expected == answer
    return agreeing, len(requests)


def station_access(network: Network, feed_name: str, stop_id: str) -> str:
    """The id to plan from for pyraptor's origin: the stop's parent station if any."""
    stop = network.stop_ids.index_of(f"{feed_name}:{stop_id}")
    parent = int(network.stop_parent_idx[stop])
    return network.stop_ids[parent] if parent >= 0 else network.stop_ids[stop]


def pyraptor_agreement(
    network: Network,
    arrivals_by_stop: list[np.ndarray],
    theirs: list[dict[str, int]],
    departure: int,
) -> Agreement:
    """jjj's earliest arrival per stop name (pyraptor's notion of a station) against
    pyraptor's, for each origin; travel seconds compared."""
    names = network.stop_names.to_list()
    result = Agreement()
    for arrival, their in zip(arrivals_by_stop, theirs, strict=True):
        best: dict[str, int] = {}
        for stop in np.flatnonzero(arrival < UNREACHED).tolist():
            name = names[stop]
            best[name] = min(best.get(name, UNREACHED), int(arrival[stop]))
        for name in sorted(set(best) | set(their)):
            ours = best.get(name)
            other = their.get(name)
            result.add(
                None if ours is None else ours - departure,
                None if other is None else other - departure,
            )
    return result


def shared_names(network: Network, stops: np.ndarray, spread_m: float = 1000.0) -> int:
    """How many stop names are shared by served stops more than ``spread_m`` apart
    (pyraptor treats each name as one station with 120 s transfers inside)."""
    names = network.stop_names.to_list()
    groups: dict[str, list[int]] = {}
    for stop in stops.tolist():
        groups.setdefault(names[stop], []).append(stop)
    count = 0
    for members in groups.values():
        if len(members) < 2:
            continue
        lat = network.stop_lat[members]
        lon = network.stop_lon[members]
        far = haversine_m(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
        count += bool(np.max(far) > spread_m)
    return count
