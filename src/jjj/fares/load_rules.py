"""Loading the rule files: leg rules (standard and extension), join rules, transfer rules
and spending-discount tiers, each checked against the tables they refer to.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from jjj.fares.model import (
    DurationLimitType,
    FareProductRow,
    FareTransferType,
    JoinRule,
    LegRule,
    MeasureBand,
    MeasureKind,
    SpendingTier,
    Timeframe,
    TransferRule,
)
from jjj.fares.rows import Row, RowReader, read_rows
from jjj.gtfs.read import Feed

__all__ = [
    "DISTANCE_RULES_FILE",
    "SPENDING_FILE",
    "STATION_RULES_FILE",
    "References",
    "load_join_rules",
    "load_leg_rules",
    "load_spending_tiers",
    "load_transfer_rules",
]

#: Regional extension: leg rules by distance travelled.
DISTANCE_RULES_FILE = "fare_leg_distance_rules.txt"
#: Regional extension: leg rules by number of stations travelled.
STATION_RULES_FILE = "fare_leg_station_count_rules.txt"
#: Regional extension: spending-based period discounts.
SPENDING_FILE = "fare_spending_discounts.txt"

_BAND_COLUMNS = {
    MeasureKind.DISTANCE: ("min_distance_m", "max_distance_m", "step_distance_m"),
    MeasureKind.STATIONS: ("min_stations", "max_stations", "step_stations"),
}


@dataclass(frozen=True)
class References:
    """What rule rows may refer to, for foreign-key checks."""

    products: dict[str, list[FareProductRow]]
    networks: set[str]
    areas: set[str]
    timeframes: dict[str, list[Timeframe]]
    media: set[str]
    riders: set[str]
    stops: set[str]
    has_stops: bool


def load_leg_rules(feed: Feed, reader: RowReader, refs: References) -> tuple[list[LegRule], bool]:
    """All leg rules (standard file, then the two extension files) and whether
    any of them has a ``rule_priority`` column (which switches empty-field semantics).
    """
    rules: list[LegRule] = []
    has_priority = False
    sources: tuple[tuple[str, MeasureKind | None], ...] = (
        ("fare_leg_rules.txt", None),
        (DISTANCE_RULES_FILE, MeasureKind.DISTANCE),
        (STATION_RULES_FILE, MeasureKind.STATIONS),
    )
    for file, kind in sources:
        rows, header = read_rows(feed, file)
        has_priority = has_priority or "rule_priority" in header
        for row in rows:
            rule = _leg_rule(row, reader, refs, len(rules), kind)
            if rule is not None:
                rules.append(rule)
    return rules, has_priority


def _leg_rule(
    row: Row, reader: RowReader, refs: References, rule_idx: int, kind: MeasureKind | None
) -> LegRule | None:
    product = reader.required(row, "fare_product_id")
    if product is not None and product not in refs.products:
        reader.fail(row, "fare_product_id", "foreign_key_violation", f"unknown product {product!r}")
        return None
    network = row.get("network_id")
    if network is not None and network not in refs.networks:
        reader.fail(row, "network_id", "foreign_key_violation", f"unknown network {network!r}")
        return None
    for name in ("from_area_id", "to_area_id"):
        area = row.get(name)
        if area is not None and area not in refs.areas:
            reader.fail(row, name, "foreign_key_violation", f"unknown area {area!r}")
            return None
    for name in ("from_timeframe_group_id", "to_timeframe_group_id"):
        group = row.get(name)
        if group is not None and group not in refs.timeframes:
            reader.warn(
                row,
                name,
                "foreign_key_violation",
                f"unknown timeframe group {group!r}: the rule can never match",
            )
    ok_priority, priority = reader.integer(row, "rule_priority", low=0)
    ok_only, transfer_only = reader.integer(row, "transfer_only", allowed=(0, 1))
    band = None
    ok_band = True
    if kind is not None:
        band = _band(row, reader, refs, kind)
        ok_band = band is not None
    if product is None or not (ok_priority and ok_only and ok_band):
        return None
    return LegRule(
        rule_idx=rule_idx,
        file=row.file,
        line=row.line,
        leg_group_id=row.get("leg_group_id"),
        network_id=network,
        from_area_id=row.get("from_area_id"),
        to_area_id=row.get("to_area_id"),
        from_timeframe_group_id=row.get("from_timeframe_group_id"),
        to_timeframe_group_id=row.get("to_timeframe_group_id"),
        fare_product_id=product,
        rule_priority=priority or 0,
        transfer_only=transfer_only == 1,
        band=band,
    )


def _band(row: Row, reader: RowReader, refs: References, kind: MeasureKind) -> MeasureBand | None:
    low_name, high_name, step_name = _BAND_COLUMNS[kind]
    ok_low, low = reader.number(row, low_name)
    ok_high, high = reader.number(row, high_name)
    ok_step, step = reader.number(row, step_name)
    if not (ok_low and ok_high and ok_step):
        return None
    if kind is MeasureKind.STATIONS:
        for name, value in ((low_name, low), (high_name, high), (step_name, step)):
            if value is not None and value != int(value):
                reader.fail(row, name, "invalid_integer", f"{name} must be a whole number")
                return None
    if low is not None and high is not None and not low < high:
        reader.fail(row, high_name, "number_out_of_range", f"{high_name} must exceed {low_name}")
        return None
    step_product = row.get("step_fare_product_id")
    if step is not None and step <= 0:
        reader.fail(row, step_name, "number_out_of_range", f"{step_name} must be positive")
        return None
    if (step is None) != (step_product is None):
        missing = step_name if step is None else "step_fare_product_id"
        reader.fail(
            row,
            missing,
            "missing_required_field",
            f"{step_name} and step_fare_product_id go together",
        )
        return None
    if step_product is not None and step_product not in refs.products:
        reader.fail(
            row,
            "step_fare_product_id",
            "foreign_key_violation",
            f"unknown product {step_product!r}",
        )
        return None
    return MeasureBand(kind, low, high, step, step_product)


def load_join_rules(feed: Feed, reader: RowReader, refs: References) -> list[JoinRule]:
    """``fare_leg_join_rules.txt``."""
    rows, _ = read_rows(feed, "fare_leg_join_rules.txt")
    rules: list[JoinRule] = []
    for row in rows:
        from_network = reader.required(row, "from_network_id")
        to_network = reader.required(row, "to_network_id")
        bad = from_network is None or to_network is None
        for name, network in (("from_network_id", from_network), ("to_network_id", to_network)):
            if network is not None and network not in refs.networks:
                reader.fail(row, name, "foreign_key_violation", f"unknown network {network!r}")
                bad = True
        from_stop, to_stop = row.get("from_stop_id"), row.get("to_stop_id")
        if (from_stop is None) != (to_stop is None):
            missing = "from_stop_id" if from_stop is None else "to_stop_id"
            reader.fail(
                row, missing, "missing_required_field", "from_stop_id and to_stop_id go together"
            )
            bad = True
        for name, stop in (("from_stop_id", from_stop), ("to_stop_id", to_stop)):
            if stop is not None and refs.has_stops and stop not in refs.stops:
                reader.fail(row, name, "foreign_key_violation", f"unknown stop {stop!r}")
                bad = True
        if bad or from_network is None or to_network is None:
            continue
        rules.append(JoinRule(row.line, from_network, to_network, from_stop, to_stop))
    return rules


def load_transfer_rules(
    feed: Feed, reader: RowReader, refs: References, leg_groups: set[str]
) -> list[TransferRule]:
    """``fare_transfer_rules.txt`` (with MBTA's proposed product-filter fields)."""
    rows, _ = read_rows(feed, "fare_transfer_rules.txt")
    rules: list[TransferRule] = []
    for row in rows:
        rule = _transfer_rule(row, reader, refs, leg_groups, len(rules))
        if rule is not None:
            rules.append(rule)
    return rules


def _transfer_rule(
    row: Row, reader: RowReader, refs: References, leg_groups: set[str], rule_idx: int
) -> TransferRule | None:
    bad = False
    from_group, to_group = row.get("from_leg_group_id"), row.get("to_leg_group_id")
    for name, group in (("from_leg_group_id", from_group), ("to_leg_group_id", to_group)):
        if group is not None and group not in leg_groups:
            reader.fail(row, name, "foreign_key_violation", f"unknown leg group {group!r}")
            bad = True
    for name in ("fare_product_id", "filter_fare_product_id"):
        product = row.get(name)
        if product is not None and product not in refs.products:
            reader.fail(row, name, "foreign_key_violation", f"unknown product {product!r}")
            bad = True
    ok_count, count = reader.integer(row, "transfer_count")
    if ok_count and count is not None and (count == 0 or count < -1):
        reader.fail(
            row, "transfer_count", "number_out_of_range", "transfer_count must be -1 or ≥ 1"
        )
        ok_count = False
    if ok_count and from_group == to_group and count is None:
        reader.fail(
            row,
            "transfer_count",
            "missing_required_field",
            "transfer_count is required when from_leg_group_id equals to_leg_group_id",
        )
        ok_count = False
    if ok_count and from_group != to_group and count is not None:
        reader.warn(
            row,
            "transfer_count",
            "forbidden_field",
            "transfer_count is forbidden when the leg groups differ; it is ignored",
        )
        count = None
    ok_limit, limit = reader.integer(row, "duration_limit", low=1)
    ok_type, limit_type = reader.integer(row, "duration_limit_type", allowed=(0, 1, 2, 3))
    if ok_limit and ok_type and (limit is None) != (limit_type is None):
        name = "duration_limit_type"
        reader.fail(
            row, name, "conditional_field", f"{name} is required exactly when duration_limit is set"
        )
        ok_type = False
    ok_kind, kind = reader.integer(row, "fare_transfer_type", allowed=(0, 1, 2))
    if ok_kind and kind is None:
        reader.required(row, "fare_transfer_type")
        ok_kind = False
    ok_behavior, behavior = reader.integer(row, "fare_product_behavior", allowed=(0, 1))
    if bad or not (ok_count and ok_limit and ok_type and ok_kind and ok_behavior) or kind is None:
        return None
    return TransferRule(
        rule_idx=rule_idx,
        line=row.line,
        from_leg_group_id=from_group,
        to_leg_group_id=to_group,
        transfer_count=count,
        duration_limit=limit,
        duration_limit_type=None if limit_type is None else DurationLimitType(limit_type),
        fare_transfer_type=FareTransferType(kind),
        fare_product_id=row.get("fare_product_id"),
        filter_fare_product_id=row.get("filter_fare_product_id"),
        same_product=behavior == 1,
    )


def load_spending_tiers(feed: Feed, reader: RowReader, refs: References) -> list[SpendingTier]:
    """``fare_spending_discounts.txt`` (regional extension)."""
    rows, _ = read_rows(feed, SPENDING_FILE)
    tiers: list[SpendingTier] = []
    seen: dict[tuple[str, int], int] = {}
    first: dict[str, SpendingTier] = {}
    for row in rows:
        tier = _spending_tier(row, reader, refs)
        if tier is None:
            continue
        scheme = first.setdefault(tier.spending_discount_id, tier)
        differing = next(
            (
                name
                for name in (
                    "network_id",
                    "fare_media_id",
                    "rider_category_id",
                    "period",
                    "currency",
                )
                if getattr(tier, name) != getattr(scheme, name)
            ),
            None,
        )
        if differing is not None:
            reader.fail(
                row,
                differing,
                "inconsistent_spending_scheme",
                f"{differing} differs from the scheme's first row (line {scheme.line})",
            )
            continue
        key = (tier.spending_discount_id, tier.min_spent)
        if key in seen:
            reader.fail(
                row,
                "min_spent",
                "duplicate_key",
                f"the scheme repeats this threshold (line {seen[key]})",
            )
            continue
        seen[key] = row.line
        tiers.append(tier)
    return tiers


def _spending_tier(row: Row, reader: RowReader, refs: References) -> SpendingTier | None:
    scheme = reader.required(row, "spending_discount_id")
    period = reader.required(row, "period")
    currency = reader.currency(row, "currency")
    min_spent = reader.amount(row, "min_spent", currency) if currency is not None else None
    bad = scheme is None or period is None or currency is None or min_spent is None
    if period is not None and period != "month":
        reader.fail(row, "period", "unexpected_enum_value", "period must be 'month'")
        bad = True
    network = row.get("network_id")
    if network is not None and network not in refs.networks:
        reader.fail(row, "network_id", "foreign_key_violation", f"unknown network {network!r}")
        bad = True
    media = row.get("fare_media_id")
    if media is not None and media not in refs.media:
        reader.fail(row, "fare_media_id", "foreign_key_violation", f"unknown medium {media!r}")
        bad = True
    rider = row.get("rider_category_id")
    if rider is not None and rider not in refs.riders:
        reader.fail(
            row, "rider_category_id", "foreign_key_violation", f"unknown category {rider!r}"
        )
        bad = True
    percent = reader.required(row, "discount_percent")
    basis_points = None
    if percent is not None:
        basis_points = _basis_points(percent)
        if basis_points is None:
            reader.fail(
                row,
                "discount_percent",
                "invalid_float",
                f"discount_percent is not a percentage with at most 2 decimals: {percent!r}",
            )
        else:
            if not 0 <= basis_points <= 10000:
                reader.fail(row, "discount_percent", "number_out_of_range", "must be within 0–100")
                basis_points = None
    if bad or basis_points is None:
        return None
    assert scheme is not None and period is not None and currency is not None
    assert min_spent is not None
    return SpendingTier(
        scheme, network, media, rider, period, min_spent, currency, basis_points, row.line
    )


def _basis_points(text: str) -> int | None:
    try:
        value = Decimal(text).scaleb(2)
    except InvalidOperation:
        return None
    if not value.is_finite() or value != value.to_integral_value():
        return None
    return int(value)
