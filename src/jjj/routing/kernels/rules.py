"""transfers.txt rules inside the kernels: which alightings they touch, and the
transfer time they give between two particular trips.

A rule applies to a transfer from trip ``A`` (route ``RA``) alighting at stop ``s`` to
trip ``B`` (route ``RB``) boarding at stop ``s2`` when each of its columns is -1 or
equal. Of the rules that apply, the most specific wins (GTFS ranking: both trips,
then a trip and a route, one trip, both routes, one route, stops only; ties: first
listed). A rule with any ``from`` or ``to`` stop only applies between stops that are
already connected (the same stop or a footpath). Type 1 gives 0 s, type 2 its
``min_transfer_time``, type 3 forbids. Without a rule the ordinary time applies:
the stop's minimum transfer time at the same stop, the footpath otherwise.
"""

from __future__ import annotations

import numpy as np

from jjj.routing.kernels.arrays import RuleArrays, i64, inner

__all__ = ["FORBIDDEN", "rule_matches_from", "special_level", "transfer_seconds"]

#: Returned by :func:`transfer_seconds` when the transfer is not allowed.
FORBIDDEN = -1


@inner
def rule_matches_from(rules: RuleArrays, rule: int, trip: int, route: int) -> bool:
    """Whether ``rule``'s from-route and from-trip columns accept ``trip``/``route``."""
    from_route = rules.rule_from_route[rule]
    from_trip = rules.rule_from_trip[rule]
    return bool((from_route < 0 or from_route == route) and (from_trip < 0 or from_trip == trip))


@inner
def special_level(rules: RuleArrays, stop: int, trip: int, route: int) -> int:
    """0: no rule applies to alighting ``trip`` at ``stop``; 1: only rules naming this
    trip; 2: a rule that applies to every trip of the route there."""
    level = i64(0)
    for i in range(rules.stop_rules_offsets[stop], rules.stop_rules_offsets[stop + 1]):
        rule = i64(rules.stop_rules[i])
        if rule_matches_from(rules, rule, trip, route):
            if rules.rule_from_trip[rule] < 0:
                return 2
            level = i64(1)
    if rules.route_has_rules[route]:
        for i in range(rules.any_stop_rules.shape[0]):
            rule = i64(rules.any_stop_rules[i])
            if rule_matches_from(rules, rule, trip, route):
                if rules.rule_from_trip[rule] < 0:
                    return 2
                level = i64(1)
    return level


@inner
def _consider(
    rules: RuleArrays,
    rule: int,
    stop: int,
    trip: int,
    route: int,
    stop2: int,
    trip2: int,
    route2: int,
    connected: bool,
) -> bool:
    if rules.rule_from_stop[rule] >= 0 and rules.rule_from_stop[rule] != stop:
        return False
    to_stop = rules.rule_to_stop[rule]
    if to_stop >= 0 and to_stop != stop2:
        return False
    if (rules.rule_from_stop[rule] < 0 or to_stop < 0) and not connected:
        return False
    if not rule_matches_from(rules, rule, trip, route):
        return False
    to_route = rules.rule_to_route[rule]
    to_trip = rules.rule_to_trip[rule]
    return bool((to_route < 0 or to_route == route2) and (to_trip < 0 or to_trip == trip2))


@inner
def transfer_seconds(
    rules: RuleArrays,
    stop: int,
    trip: int,
    route: int,
    stop2: int,
    trip2: int,
    route2: int,
    ordinary: int,
) -> int:
    """Seconds needed from alighting ``trip`` at ``stop`` to boarding ``trip2`` at
    ``stop2`` (``ordinary``: the time without rules, -1 if the stops are not
    connected), or :data:`FORBIDDEN`. ``trip2 = -2`` stands for a trip no rule names."""
    connected = ordinary >= 0
    best = i64(-1)
    best_rank = np.int32(-1)
    for i in range(rules.stop_rules_offsets[stop], rules.stop_rules_offsets[stop + 1]):
        rule = i64(rules.stop_rules[i])
        if rules.rule_rank[rule] > best_rank and _consider(
            rules, rule, stop, trip, route, stop2, trip2, route2, connected
        ):
            best = rule
            best_rank = rules.rule_rank[rule]
    if rules.route_has_rules[route]:
        for i in range(rules.any_stop_rules.shape[0]):
            rule = i64(rules.any_stop_rules[i])
            if rules.rule_rank[rule] > best_rank and _consider(
                rules, rule, stop, trip, route, stop2, trip2, route2, connected
            ):
                best = rule
                best_rank = rules.rule_rank[rule]
    if best < 0:
        return ordinary if connected else FORBIDDEN
    kind = rules.rule_type[best]
    if kind == 1:
        return 0
    if kind == 2:
        return i64(rules.rule_seconds[best])
    return FORBIDDEN
