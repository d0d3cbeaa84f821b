"""Matching a fare leg to the rules of ``fare_leg_rules.txt`` (and the extension files).

Matching is precompiled: rules are indexed by ``(network, from_area, to_area)``
keys in which an empty field is the key ``""``. Both meanings of an empty field
are resolved when the index is built:

* **Without a ``rule_priority`` column**, an empty field stands for every value
  *not listed* in that column anywhere in the file. A leg's network (or area) is
  therefore looked up under its own value when that value is listed, and under
  ``""`` otherwise — one dictionary lookup per combination of the leg's areas.
* **With ``rule_priority``**, an empty field is a wildcard: the leg's own value
  and ``""`` are both looked up, and of the rules that match, those with the
  highest priority are kept.

Timeframes (local time of the boarding or alighting stop, on the days of the
timeframe's service) and the regional distance / station-count bands are checked
on the few candidates that remain.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from jjj.fares.journey import FareLeg
from jjj.fares.model import FareRules, LegRule, MeasureKind

__all__ = ["EffectiveLeg", "LegMatch", "LegMatcher"]

_EMPTY = ""


@dataclass(frozen=True, slots=True)
class EffectiveLeg:
    """A leg as matched against leg rules: one journey leg, or several joined ones.

    ``legs`` are the indices of the journey legs it covers. ``network_id`` is the
    network shared by all of them (``None`` when unknown or when they differ).
    """

    legs: tuple[int, ...]
    network_id: str | None
    from_stop_id: str
    to_stop_id: str
    departure: dt.datetime
    arrival: dt.datetime
    distance_m: float | None
    station_count: int | None


@dataclass(frozen=True, slots=True)
class LegMatch:
    """The rules a leg matches (``rules``), or why it matches none (``reason``)."""

    rules: tuple[LegRule, ...]
    reason: str | None = None


class LegMatcher:
    """Finds the leg rules that apply to a leg, using indices built once per feed."""

    def __init__(self, rules: FareRules) -> None:
        self._rules = rules
        self._priority = rules.has_rule_priority
        legs = rules.leg_rules
        self._listed_networks = {r.network_id for r in legs if r.network_id is not None}
        self._listed_from = {r.from_area_id for r in legs if r.from_area_id is not None}
        self._listed_to = {r.to_area_id for r in legs if r.to_area_id is not None}
        index: dict[str, dict[str, dict[str, list[LegRule]]]] = {}
        for rule in legs:
            by_from = index.setdefault(rule.network_id or _EMPTY, {})
            by_to = by_from.setdefault(rule.from_area_id or _EMPTY, {})
            by_to.setdefault(rule.to_area_id or _EMPTY, []).append(rule)
        self._index = {
            network: {
                from_area: {to_area: tuple(found) for to_area, found in by_to.items()}
                for from_area, by_to in by_from.items()
            }
            for network, by_from in index.items()
        }
        self._from_keys: dict[str, tuple[str, ...]] = {}
        self._to_keys: dict[str, tuple[str, ...]] = {}
        self._network_keys: dict[str | None, tuple[str, ...]] = {}
        self._zones: dict[str, ZoneInfo] = {}
        self._default_zone = ZoneInfo(rules.agency_timezone or "UTC")

    def network_of(self, route_id: str | None, network_id: str | None) -> str | None:
        """A leg's network: given directly, or through its route."""
        if network_id is not None:
            return network_id
        if route_id is None:
            return None
        return self._rules.route_network.get(route_id)

    def _stop_keys(self, stop_id: str, listed: set[str]) -> tuple[str, ...]:
        areas = self._rules.areas_of_stop(stop_id)
        if self._priority:
            return (*areas, _EMPTY)
        return tuple(a for a in areas if a in listed) or (_EMPTY,)

    def _keys_of_network(self, network_id: str | None) -> tuple[str, ...]:
        if self._priority:
            return (network_id, _EMPTY) if network_id is not None else (_EMPTY,)
        if network_id is not None and network_id in self._listed_networks:
            return (network_id,)
        return (_EMPTY,)

    def candidates_for(
        self, network_id: str | None, from_stop_id: str, to_stop_id: str
    ) -> list[LegRule]:
        """Rules whose network and areas match (before timeframes, bands and priority)."""
        network_keys = self._network_keys.get(network_id)
        if network_keys is None:
            network_keys = self._network_keys[network_id] = self._keys_of_network(network_id)
        from_keys = self._from_keys.get(from_stop_id)
        if from_keys is None:
            from_keys = self._from_keys[from_stop_id] = self._stop_keys(
                from_stop_id, self._listed_from
            )
        to_keys = self._to_keys.get(to_stop_id)
        if to_keys is None:
            to_keys = self._to_keys[to_stop_id] = self._stop_keys(to_stop_id, self._listed_to)
        found: list[LegRule] = []
        index = self._index
        for network in network_keys:
            by_from = index.get(network)
            if by_from is None:
                continue
            for from_area in from_keys:
                by_to = by_from.get(from_area)
                if by_to is None:
                    continue
                for to_area in to_keys:
                    hit = by_to.get(to_area)
                    if hit is not None:
                        found.extend(hit)
        return found

    def candidates(self, leg: EffectiveLeg) -> list[LegRule]:
        """Rules whose network and areas match the leg (before times and bands)."""
        return self.candidates_for(leg.network_id, leg.from_stop_id, leg.to_stop_id)

    def select(
        self,
        candidates: list[LegRule],
        leg: EffectiveLeg | FareLeg,
    ) -> tuple[list[LegRule], set[str]]:
        """The candidates whose timeframes and bands match the leg, highest priority only;
        and the leg fields (``distance_m``, ``station_count``) that rules needed but lacked."""
        kept: list[LegRule] = []
        missing: set[str] = set()
        for rule in candidates:
            if rule.plain:
                kept.append(rule)
                continue
            group = rule.from_timeframe_group_id
            if group is not None and not self.in_timeframe(group, leg.from_stop_id, leg.departure):
                continue
            group = rule.to_timeframe_group_id
            if group is not None and not self.in_timeframe(group, leg.to_stop_id, leg.arrival):
                continue
            band = rule.band
            if band is not None:
                value: float | None
                if band.kind is MeasureKind.DISTANCE:
                    value = leg.distance_m
                else:
                    value = None if leg.station_count is None else float(leg.station_count)
                if value is None:
                    missing.add(
                        "distance_m" if band.kind is MeasureKind.DISTANCE else "station_count"
                    )
                    continue
                if not band.contains(value):
                    continue
            kept.append(rule)
        if self._priority and len(kept) > 1:
            top = max(rule.rule_priority for rule in kept)
            kept = [rule for rule in kept if rule.rule_priority == top]
        return kept, missing

    def match(self, leg: EffectiveLeg) -> LegMatch:
        """The rules that apply to ``leg`` (highest priority only, when priorities exist)."""
        candidates = self.candidates(leg)
        if not candidates:
            return LegMatch((), "no fare leg rule matches its network and areas")
        kept, missing = self.select(candidates, leg)
        if not kept:
            if missing:
                needed = " and ".join(sorted(missing))
                return LegMatch((), f"its rules need {needed}, which the leg does not give")
            return LegMatch((), "no fare leg rule matches its times, distance or station count")
        return LegMatch(tuple(kept))

    def match_all(self, legs: Sequence[EffectiveLeg]) -> list[LegMatch]:
        """:meth:`match` for each leg."""
        return [self.match(leg) for leg in legs]

    def zone_of(self, stop_id: str) -> ZoneInfo:
        """A stop's timezone: its own or its station's ``stop_timezone``, else the agency's."""
        zone = self._zones.get(stop_id)
        if zone is None:
            name = self._rules.stop_timezone.get(stop_id)
            if name is None:
                name = self._rules.stop_timezone.get(self._rules.station_of(stop_id))
            zone = ZoneInfo(name) if name is not None else self._default_zone
            self._zones[stop_id] = zone
        return zone

    def local(self, stop_id: str, moment: dt.datetime) -> tuple[dt.date, int]:
        """``(current day, seconds since local midnight)`` of a fare event at a stop."""
        if moment.tzinfo is not None:
            moment = moment.astimezone(self.zone_of(stop_id))
        return moment.date(), moment.hour * 3600 + moment.minute * 60 + moment.second

    def in_timeframe(self, group: str, stop_id: str, moment: dt.datetime) -> bool:
        """Whether a fare event at ``stop_id`` and ``moment`` lies in timeframe ``group``."""
        frames = self._rules.timeframes.get(group)
        if not frames:
            return False
        day, seconds = self.local(stop_id, moment)
        calendar = self._rules.calendar
        return any(
            f.start_s <= seconds < f.end_s and calendar.is_active(f.service_id, day) for f in frames
        )
