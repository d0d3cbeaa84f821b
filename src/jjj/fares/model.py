"""The fare rules of a feed as plain, typed records (GTFS-Fares v2 plus regional extensions).

Every record keeps the file and line it came from so that results and errors can
point back at the feed. Ids are GTFS strings; an empty optional field is ``None``.
Money is an ``int`` in minor units with its currency beside it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum

from jjj.gtfs.notices import Notice

__all__ = [
    "DurationLimitType",
    "FareMedium",
    "FareProductRow",
    "FareRules",
    "FareTransferType",
    "JoinRule",
    "LegRule",
    "MeasureBand",
    "MeasureKind",
    "RiderCategory",
    "ServiceCalendar",
    "SpendingTier",
    "Timeframe",
    "TransferRule",
]


class FareTransferType(IntEnum):
    """How a transfer is charged (``fare_transfer_rules.fare_transfer_type``)."""

    #: A + AB: the from-leg's product plus the transfer product.
    A_PLUS_AB = 0
    #: A + AB + B: both legs' products plus the transfer product.
    A_PLUS_AB_PLUS_B = 1
    #: AB: the transfer product replaces the from-leg's product.
    AB = 2


class DurationLimitType(IntEnum):
    """Which validation events bound ``duration_limit`` (first leg → last leg)."""

    DEPARTURE_TO_ARRIVAL = 0
    DEPARTURE_TO_DEPARTURE = 1
    ARRIVAL_TO_DEPARTURE = 2
    ARRIVAL_TO_ARRIVAL = 3


class MeasureKind(StrEnum):
    """What a regional extension rule measures on a leg."""

    DISTANCE = "distance"
    STATIONS = "stations"


@dataclass(frozen=True, slots=True)
class FareMedium:
    """A row of ``fare_media.txt``."""

    fare_media_id: str
    name: str | None
    media_type: int
    line: int


@dataclass(frozen=True, slots=True)
class RiderCategory:
    """A row of ``rider_categories.txt``."""

    rider_category_id: str
    name: str
    is_default: bool
    line: int


@dataclass(frozen=True, slots=True)
class FareProductRow:
    """One priced row of ``fare_products.txt`` (a product for one medium and rider category).

    ``fare_media_id`` / ``rider_category_id`` are ``None`` when the row leaves them
    empty: the product is then usable with any medium / by any rider.
    """

    fare_product_id: str
    name: str | None
    fare_media_id: str | None
    rider_category_id: str | None
    amount: int
    currency: str
    line: int


@dataclass(frozen=True, slots=True)
class MeasureBand:
    """A distance or station-count band of a regional extension leg rule.

    A leg matches when ``low < value <= high`` (an empty ``low`` means 0 included,
    an empty ``high`` means no upper bound). Past ``low``, each started ``step`` adds
    one ``step_fare_product_id`` to the price when both are given.
    """

    kind: MeasureKind
    low: float | None
    high: float | None
    step: float | None
    step_fare_product_id: str | None

    def contains(self, value: float) -> bool:
        """Whether ``value`` lies in ``(low, high]`` (``[0, high]`` without ``low``)."""
        if self.low is not None and not value > self.low:
            return False
        if self.low is None and value < 0:
            return False
        return self.high is None or value <= self.high

    def steps(self, value: float) -> int:
        """How many step products a leg of ``value`` pays on top of the base product."""
        if self.step is None or self.step_fare_product_id is None:
            return 0
        excess = value - (self.low or 0.0)
        if excess <= 0:
            return 0
        whole = int(excess // self.step)
        return whole + (1 if excess - whole * self.step > 1e-9 else 0)


@dataclass(frozen=True, slots=True)
class LegRule:
    """A fare leg rule: a row of ``fare_leg_rules.txt`` or of an extension leg-rule file.

    ``band`` is set only for rows of ``fare_leg_distance_rules.txt`` and
    ``fare_leg_station_count_rules.txt``. ``transfer_only`` (MBTA's proposed field)
    restricts the rule to legs reached through a transfer rule.
    """

    rule_idx: int
    file: str
    line: int
    leg_group_id: str | None
    network_id: str | None
    from_area_id: str | None
    to_area_id: str | None
    from_timeframe_group_id: str | None
    to_timeframe_group_id: str | None
    fare_product_id: str
    rule_priority: int
    transfer_only: bool
    band: MeasureBand | None = None
    #: No timeframe and no band: the rule matches on network and areas alone.
    plain: bool = field(init=False, default=False, compare=False)

    @property
    def source(self) -> str:
        """``file:line`` of the row."""
        return f"{self.file}:{self.line}"

    def __post_init__(self) -> None:
        plain = (
            self.band is None
            and self.from_timeframe_group_id is None
            and self.to_timeframe_group_id is None
        )
        object.__setattr__(self, "plain", plain)


@dataclass(frozen=True, slots=True)
class TransferRule:
    """A row of ``fare_transfer_rules.txt``.

    ``filter_fare_product_id`` and ``same_product`` implement the proposed
    ``filter_fare_product_id`` / ``fare_product_behavior=1`` fields (google/transit
    PR #423, published by MBTA): the rule applies only when the from-leg's product is
    the filter product, and (``same_product``) when both legs use the same product.
    """

    rule_idx: int
    line: int
    from_leg_group_id: str | None
    to_leg_group_id: str | None
    transfer_count: int | None
    duration_limit: int | None
    duration_limit_type: DurationLimitType | None
    fare_transfer_type: FareTransferType
    fare_product_id: str | None
    filter_fare_product_id: str | None = None
    same_product: bool = False

    @property
    def source(self) -> str:
        """``file:line`` of the row."""
        return f"fare_transfer_rules.txt:{self.line}"


@dataclass(frozen=True, slots=True)
class JoinRule:
    """A row of ``fare_leg_join_rules.txt``."""

    line: int
    from_network_id: str
    to_network_id: str
    from_stop_id: str | None
    to_stop_id: str | None


@dataclass(frozen=True, slots=True)
class Timeframe:
    """A row of ``timeframes.txt``: ``[start_s, end_s)`` seconds of local time on service days."""

    timeframe_group_id: str
    start_s: int
    end_s: int
    service_id: str
    line: int


@dataclass(frozen=True, slots=True)
class SpendingTier:
    """A row of ``fare_spending_discounts.txt`` (regional extension).

    Once the rider has spent at least ``min_spent`` in the current period on the
    scheme, later journeys get ``discount_bp`` hundredths of a percent off the part
    of their fare on ``network_id`` (all networks when ``None``).
    """

    spending_discount_id: str
    network_id: str | None
    fare_media_id: str | None
    rider_category_id: str | None
    period: str
    min_spent: int
    currency: str
    discount_bp: int
    line: int


@dataclass
class ServiceCalendar:
    """Which dates each service_id runs (``calendar.txt`` and ``calendar_dates.txt``)."""

    weekly: dict[str, tuple[tuple[bool, ...], dt.date, dt.date]] = field(default_factory=dict)
    added: dict[str, set[dt.date]] = field(default_factory=dict)
    removed: dict[str, set[dt.date]] = field(default_factory=dict)
    _cache: dict[tuple[str, dt.date], bool] = field(default_factory=dict, repr=False)

    def knows(self, service_id: str) -> bool:
        """Whether ``service_id`` appears in either calendar file."""
        return service_id in self.weekly or service_id in self.added or service_id in self.removed

    def is_active(self, service_id: str, day: dt.date) -> bool:
        """Whether ``service_id`` runs on ``day``."""
        key = (service_id, day)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        active = False
        weekly = self.weekly.get(service_id)
        if weekly is not None:
            days, start, end = weekly
            active = start <= day <= end and days[day.weekday()]
        if day in self.added.get(service_id, ()):
            active = True
        if day in self.removed.get(service_id, ()):
            active = False
        self._cache[key] = active
        return active


@dataclass
class FareRules:
    """Everything the engine needs from one feed's fare files, validated.

    Built by :func:`jjj.fares.load.load_fares`; rows with errors were left out and
    are described in ``problems``.
    """

    feed_name: str
    agency_timezone: str | None
    media: dict[str, FareMedium]
    riders: dict[str, RiderCategory]
    products: dict[str, list[FareProductRow]]
    leg_rules: list[LegRule]
    has_rule_priority: bool
    transfer_rules: list[TransferRule]
    join_rules: list[JoinRule]
    timeframes: dict[str, list[Timeframe]]
    calendar: ServiceCalendar
    route_network: dict[str, str]
    networks: set[str]
    stop_areas: dict[str, tuple[str, ...]]
    stop_parent: dict[str, str]
    stop_timezone: dict[str, str]
    spending_tiers: list[SpendingTier]
    problems: list[Notice] = field(default_factory=list)

    @property
    def leg_group_ids(self) -> set[str]:
        """Every ``leg_group_id`` defined by a leg rule."""
        return {r.leg_group_id for r in self.leg_rules if r.leg_group_id is not None}

    def default_rider(self) -> str | None:
        """The rider category marked default, if exactly one is."""
        defaults = [r.rider_category_id for r in self.riders.values() if r.is_default]
        return defaults[0] if len(defaults) == 1 else None

    def areas_of_stop(self, stop_id: str) -> tuple[str, ...]:
        """The areas of a stop; a stop without areas of its own takes its parent station's."""
        current: str | None = stop_id
        for _ in range(4):  # boarding area → platform → station
            if current is None:
                break
            own = self.stop_areas.get(current)
            if own:
                return own
            current = self.stop_parent.get(current)
        return ()

    def station_of(self, stop_id: str) -> str:
        """The station a stop belongs to (walking up parents), or the stop itself."""
        current = stop_id
        for _ in range(4):
            parent = self.stop_parent.get(current)
            if parent is None:
                break
            current = parent
        return current
