"""Effective fare legs: consecutive legs joined by ``fare_leg_join_rules.txt``.

Two consecutive legs are joined when a join rule names the pre-transfer leg's
network and the post-transfer leg's network and either names the transfer stops
(the pre-transfer leg ends at ``from_stop_id``, the post-transfer leg starts at
``to_stop_id``, a station standing for its platforms) or, without stops, the two
legs meet at the same station. A chain of such transfers forms one effective leg;
joining is applied whenever a rule matches.
"""

from __future__ import annotations

from collections.abc import Sequence

from jjj.fares.journey import FareLeg
from jjj.fares.match import EffectiveLeg, LegMatcher
from jjj.fares.model import FareRules, JoinRule

__all__ = ["effective_legs"]


def _at(rules: FareRules, stop_id: str, wanted: str) -> bool:
    return stop_id == wanted or rules.station_of(stop_id) == wanted


def _joins(rules: FareRules, join: JoinRule, before: FareLeg, after: FareLeg) -> bool:
    if join.from_stop_id is not None and join.to_stop_id is not None:
        return _at(rules, before.to_stop_id, join.from_stop_id) and _at(
            rules, after.from_stop_id, join.to_stop_id
        )
    return rules.station_of(before.to_stop_id) == rules.station_of(after.from_stop_id)


def _merge(legs: Sequence[FareLeg], indices: list[int], networks: list[str | None]) -> EffectiveLeg:
    first, last = legs[indices[0]], legs[indices[-1]]
    shared = {networks[i] for i in indices}
    distances = [legs[i].distance_m for i in indices]
    stations = [legs[i].station_count for i in indices]
    return EffectiveLeg(
        legs=tuple(indices),
        network_id=networks[indices[0]] if len(shared) == 1 else None,
        from_stop_id=first.from_stop_id,
        to_stop_id=last.to_stop_id,
        departure=first.departure,
        arrival=last.arrival,
        distance_m=None if any(d is None for d in distances) else sum(d or 0.0 for d in distances),
        station_count=None if any(s is None for s in stations) else sum(s or 0 for s in stations),
    )


def effective_legs(
    legs: Sequence[FareLeg], rules: FareRules, matcher: LegMatcher
) -> list[EffectiveLeg]:
    """The journey's effective fare legs, in order (one per leg when nothing joins)."""
    networks = [matcher.network_of(leg.route_id, leg.network_id) for leg in legs]
    by_networks: dict[tuple[str, str], list[JoinRule]] = {}
    for join in rules.join_rules:
        by_networks.setdefault((join.from_network_id, join.to_network_id), []).append(join)
    groups: list[list[int]] = []
    for index, leg in enumerate(legs):
        if groups:
            before_idx = groups[-1][-1]
            before_network, after_network = networks[before_idx], networks[index]
            if before_network is not None and after_network is not None:
                candidates = by_networks.get((before_network, after_network), [])
                if any(_joins(rules, join, legs[before_idx], leg) for join in candidates):
                    groups[-1].append(index)
                    continue
        groups.append([index])
    return [_merge(legs, group, networks) for group in groups]
