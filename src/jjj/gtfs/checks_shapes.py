"""Shapes: distances increasing along each shape; shapes no trip uses."""

from __future__ import annotations

import polars as pl

from jjj.gtfs.checks_context import ROW, CheckContext, fmt
from jjj.gtfs.notices import Severity

__all__ = ["check_shapes"]

_FILE = "shapes.txt"


def check_shapes(ctx: CheckContext) -> None:
    """``decreasing_shape_distance``, ``equal_shape_distance_*`` and ``unused_shape``."""
    shapes = ctx.table(_FILE)
    if shapes is None or not ctx.has(_FILE, "shape_id", "shape_pt_sequence"):
        return
    _check_unused(ctx, shapes)
    if "shape_dist_traveled" not in shapes.columns:
        return
    frame = (
        shapes.select(
            pl.col(ROW),
            pl.col("shape_id"),
            ctx.values(_FILE, "shape_pt_sequence").alias("sequence"),
            ctx.values(_FILE, "shape_dist_traveled").alias("distance"),
            ctx.values(_FILE, "shape_pt_lat").alias("lat"),
            ctx.values(_FILE, "shape_pt_lon").alias("lon"),
        )
        .filter(pl.col("sequence").is_not_null())
        .sort("shape_id", "sequence", ROW)
    )
    same = pl.col("shape_id") == pl.col("shape_id").shift(1)
    frame = frame.with_columns(
        pl.when(same).then(pl.col("distance").shift(1)).alias("previous"),
        pl.col(ROW).shift(1).alias("previous_row"),
        ((pl.col("lat") == pl.col("lat").shift(1)) & (pl.col("lon") == pl.col("lon").shift(1)))
        .fill_null(False)
        .alias("same_point"),
    )
    message = fmt(
        "shape_dist_traveled {} after {} on line {}",
        "distance",
        "previous",
        pl.col("previous_row") + 2,
    )
    for code, severity, condition in (
        # Warnings in jjj (errors in gtfs-validator): shapes only draw trips on a map.
        ("decreasing_shape_distance", Severity.WARNING, pl.col("distance") < pl.col("previous")),
        (
            "equal_shape_distance_diff_coordinates",
            Severity.WARNING,
            (pl.col("distance") == pl.col("previous")) & ~pl.col("same_point"),
        ),
        (
            "equal_shape_distance_same_coordinates",
            Severity.WARNING,
            (pl.col("distance") == pl.col("previous")) & pl.col("same_point"),
        ),
    ):
        ctx.sink.add_rows(
            code, severity, _FILE, "shape_dist_traveled", frame.filter(condition), message
        )


def _check_unused(ctx: CheckContext, shapes: pl.DataFrame) -> None:
    if not ctx.has("trips.txt", "shape_id"):
        used = pl.Series("shape_id", [], dtype=pl.String)
    else:
        trips = ctx.table("trips.txt")
        assert trips is not None
        used = trips.get_column("shape_id").drop_nulls().unique()
    firsts = shapes.select(pl.col(ROW), pl.col("shape_id")).filter(
        pl.col("shape_id").is_not_null() & pl.col("shape_id").is_first_distinct()
    )
    ctx.sink.add_rows(
        "unused_shape",
        Severity.WARNING,
        _FILE,
        "shape_id",
        firsts.filter(~pl.col("shape_id").is_in(used.implode())),
        fmt("shape `{}` is used by no trip", "shape_id"),
    )
