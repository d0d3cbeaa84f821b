"""Fares (v1 and v2): amounts representable in minor units, transfer rules, timeframes."""

from __future__ import annotations

import polars as pl

from jjj.gtfs.checks_context import CheckContext, fmt, is_blank
from jjj.gtfs.iso4217 import CURRENCY_DECIMALS
from jjj.gtfs.notices import Severity

__all__ = ["check_fares"]

_ERROR = Severity.ERROR
_DAY = 24 * 3600


def check_fares(ctx: CheckContext) -> None:
    """Every fares check that goes beyond single values and keys."""
    _check_amounts(ctx, "fare_products.txt", "amount", "currency")
    _check_amounts(ctx, "fare_attributes.txt", "price", "currency_type")
    _check_transfer_rules(ctx)
    _check_default_categories(ctx)
    _check_timeframes(ctx)
    _check_networks(ctx)


def _check_amounts(ctx: CheckContext, file: str, amount: str, currency: str) -> None:
    """An amount with more decimals than its currency has cannot be paid in minor units."""
    table = ctx.table(file)
    if table is None or not ctx.has(file, amount, currency):
        return
    decimals = (
        pl.col(currency)
        .str.strip_chars()
        .replace_strict(CURRENCY_DECIMALS, default=None, return_dtype=pl.Int64)
    )
    text = pl.col(amount).str.strip_chars()
    places = (
        pl.when(text.str.contains(r"\."))
        .then(text.str.extract(r"\.(\d*)$").str.strip_chars_end("0").str.len_chars())
        .otherwise(0)
    )
    parsed = ctx.values(file, amount).alias("__amount")
    rows = table.with_columns(parsed).filter(
        pl.col("__amount").is_not_null() & decimals.is_not_null() & (places > decimals)
    )
    ctx.sink.add_rows(
        "invalid_currency_amount",
        _ERROR,
        file,
        amount,
        rows,
        fmt(
            "{} has more decimal places than {} has ({})",
            pl.col(amount).str.strip_chars(),
            pl.col(currency).str.strip_chars(),
            decimals,
        ),
    )


def _check_transfer_rules(ctx: CheckContext) -> None:
    file = "fare_transfer_rules.txt"
    table = ctx.table(file)
    if table is None:
        return

    def given(column: str) -> pl.Expr:
        return ~is_blank(column) if column in table.columns else pl.lit(False)

    def value(column: str) -> pl.Expr:
        return pl.col(column).str.strip_chars() if column in table.columns else pl.lit(None)

    same_group = (
        given("from_leg_group_id")
        & given("to_leg_group_id")
        & (value("from_leg_group_id") == value("to_leg_group_id"))
    )
    for code, column, condition, message in (
        (
            "fare_transfer_rule_missing_transfer_count",
            "transfer_count",
            same_group & ~given("transfer_count"),
            "transfer_count is required when from_leg_group_id equals to_leg_group_id",
        ),
        (
            "fare_transfer_rule_with_forbidden_transfer_count",
            "transfer_count",
            ~same_group & given("transfer_count"),
            "transfer_count is forbidden unless from_leg_group_id equals to_leg_group_id",
        ),
        (
            "fare_transfer_rule_duration_limit_without_type",
            "duration_limit_type",
            given("duration_limit") & ~given("duration_limit_type"),
            "duration_limit_type is required when duration_limit is given",
        ),
        (
            "fare_transfer_rule_duration_limit_type_without_duration_limit",
            "duration_limit_type",
            ~given("duration_limit") & given("duration_limit_type"),
            "duration_limit_type is forbidden without a duration_limit",
        ),
    ):
        ctx.sink.add_rows(code, _ERROR, file, column, table.filter(condition), message)


def _check_default_categories(ctx: CheckContext) -> None:
    products = ctx.table("fare_products.txt")
    categories = ctx.table("rider_categories.txt")
    if products is None or categories is None:
        return
    if not ctx.has("fare_products.txt", "fare_product_id", "rider_category_id"):
        return
    if not ctx.has("rider_categories.txt", "rider_category_id", "is_default_fare_category"):
        return
    defaults = categories.filter(
        ctx.values("rider_categories.txt", "is_default_fare_category") == 1
    ).select("rider_category_id")
    rows = products.join(defaults, on="rider_category_id", how="semi")
    counts = rows.group_by("fare_product_id").agg(
        pl.col("rider_category_id").n_unique().alias("defaults")
    )
    bad = rows.join(counts.filter(pl.col("defaults") > 1), on="fare_product_id", how="semi").filter(
        pl.col("fare_product_id").is_first_distinct()
    )
    ctx.sink.add_rows(
        "fare_product_with_multiple_default_rider_categories",
        _ERROR,
        "fare_products.txt",
        "rider_category_id",
        bad,
        fmt("fare product `{}` has several default rider categories", "fare_product_id"),
    )


def _check_timeframes(ctx: CheckContext) -> None:
    file = "timeframes.txt"
    table = ctx.table(file)
    if table is None:
        return
    has_start = "start_time" in table.columns
    has_end = "end_time" in table.columns
    start = ~is_blank("start_time") if has_start else pl.lit(False)
    end = ~is_blank("end_time") if has_end else pl.lit(False)
    ctx.sink.add_rows(
        "timeframe_only_start_or_end_time_specified",
        _ERROR,
        file,
        "start_time" if has_start else "end_time",
        table.filter(start != end),
        "start_time and end_time must be given together",
    )
    for column, present in (("start_time", has_start), ("end_time", has_end)):
        if not present:
            continue
        late = table.filter((ctx.values(file, column) > _DAY).fill_null(False))
        ctx.sink.add_rows(
            "timeframe_start_or_end_time_greater_than_twenty_four_hours",
            _ERROR,
            file,
            column,
            late,
            fmt(f"{column} {{}} is after 24:00:00", column),
        )


def _check_networks(ctx: CheckContext) -> None:
    if not ctx.has("routes.txt", "network_id"):
        return
    for file in ("networks.txt", "route_networks.txt"):
        if ctx.feed.has(file):
            ctx.sink.add(
                "route_networks_specified_in_more_than_one_file",
                _ERROR,
                file,
                None,
                None,
                f"routes.txt has network_id, so {file} is forbidden",
            )
