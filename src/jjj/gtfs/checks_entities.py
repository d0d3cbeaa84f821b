"""Conditional rules within agency, routes, stops, transfers and pathways."""

from __future__ import annotations

import polars as pl

from jjj.gtfs.checks_context import ROW, CheckContext, fmt, is_blank
from jjj.gtfs.notices import Severity

__all__ = ["check_agencies", "check_routes", "check_stops", "check_transfers_and_pathways"]

_ERROR = Severity.ERROR
_WARNING = Severity.WARNING

#: location_type → the location_type its parent_station must have.
_PARENT_TYPE = {0: 1, 2: 1, 3: 1, 4: 0}
_TYPE_NAME = {
    0: "stop/platform",
    1: "station",
    2: "entrance/exit",
    3: "generic node",
    4: "boarding area",
}


def _blank_or_absent(table: pl.DataFrame, column: str) -> pl.Expr:
    return is_blank(column) if column in table.columns else pl.lit(True)


def _require_if_many_agencies(ctx: CheckContext, file: str, severity: Severity) -> None:
    table = ctx.table(file)
    if table is None:
        return
    rows = table.filter(_blank_or_absent(table, "agency_id"))
    ctx.sink.add_rows(
        "missing_required_field",
        severity,
        file,
        "agency_id",
        rows,
        "agency_id is required when agency.txt defines several agencies",
    )


def check_agencies(ctx: CheckContext) -> None:
    """agency_id with several agencies; one timezone for all agencies."""
    agency = ctx.table("agency.txt")
    if agency is None or agency.height < 2:
        return
    _require_if_many_agencies(ctx, "agency.txt", _ERROR)
    _require_if_many_agencies(ctx, "routes.txt", _ERROR)
    # A v1 fare without agency still applies through fare_rules.txt route_id.
    _require_if_many_agencies(ctx, "fare_attributes.txt", _WARNING)
    if "agency_timezone" in agency.columns:
        zones = agency.get_column("agency_timezone").str.strip_chars()
        first = zones[0]
        rows = agency.filter(zones != first)
        ctx.sink.add_rows(
            "inconsistent_agency_timezone",
            _ERROR,
            "agency.txt",
            "agency_timezone",
            rows,
            fmt(
                f"`{{}}` differs from `{first}` on line 2: all agencies must share one timezone",
                pl.col("agency_timezone"),
            ),
        )


def check_routes(ctx: CheckContext) -> None:
    """Each route needs a short or a long name."""
    routes = ctx.table("routes.txt")
    if routes is None:
        return
    rows = routes.filter(
        _blank_or_absent(routes, "route_short_name") & _blank_or_absent(routes, "route_long_name")
    )
    ctx.sink.add_rows(
        "route_both_short_and_long_name_missing",
        _ERROR,
        "routes.txt",
        "route_short_name",
        rows,
        "route_short_name and route_long_name are both empty; one is required",
    )


def stop_types(ctx: CheckContext) -> pl.DataFrame | None:
    """``stop_id``, ``location_type`` (0 when empty) and ``parent_station`` of every stop."""
    stops = ctx.table("stops.txt")
    if stops is None or "stop_id" not in stops.columns:
        return None
    location_type = (
        ctx.values("stops.txt", "location_type").fill_null(0)
        if "location_type" in stops.columns
        else pl.repeat(0, stops.height, eager=True, dtype=pl.Int64)
    )
    parent = (
        ctx.values("stops.txt", "parent_station")
        if "parent_station" in stops.columns
        else pl.repeat(None, stops.height, eager=True, dtype=pl.String)
    )
    return stops.select(
        pl.col(ROW),
        pl.col("stop_id"),
        location_type.alias("location_type"),
        parent.alias("parent_station"),
    )


def check_stops(ctx: CheckContext) -> None:
    """Names and coordinates where required; the station hierarchy."""
    stops = ctx.table("stops.txt")
    types = stop_types(ctx)
    if stops is None or types is None:
        return
    located = types.get_column("location_type").is_in([0, 1, 2])
    for column in ("stop_name", "stop_lat", "stop_lon"):
        if column not in stops.columns:
            if located.any():
                ctx.sink.add(
                    "missing_required_column",
                    _ERROR,
                    "stops.txt",
                    1,
                    column,
                    f"the header has no {column} column, which stops, stations and "
                    "entrances require",
                )
            continue
        rows = stops.filter(pl.lit(located) & is_blank(column))
        ctx.sink.add_rows(
            "missing_required_field",
            _ERROR,
            "stops.txt",
            column,
            rows,
            f"{column} is required for stops, stations and entrances (location_type 0, 1, 2)",
        )
    _check_parents(ctx, types)
    if "stop_lat" in stops.columns and "stop_lon" in stops.columns:
        lat = ctx.values("stops.txt", "stop_lat")
        lon = ctx.values("stops.txt", "stop_lon")
        near = (lat.abs() <= 1.0) & (lon.abs() <= 1.0)
        rows = stops.filter(near.fill_null(False))
        ctx.sink.add_rows(
            "point_near_origin",
            _ERROR,
            "stops.txt",
            "stop_lat",
            rows,
            fmt("({}, {}) is near (0, 0): a missing coordinate?", "stop_lat", "stop_lon"),
        )


def _check_parents(ctx: CheckContext, types: pl.DataFrame) -> None:
    kind = pl.col("location_type")
    has_parent = pl.col("parent_station").is_not_null()
    orphans = types.filter(kind.is_in([2, 3, 4]) & ~has_parent)
    ctx.sink.add_rows(
        "location_without_parent_station",
        _ERROR,
        "stops.txt",
        "parent_station",
        orphans,
        fmt("location_type {} needs a parent_station", kind),
    )
    stations = types.filter((kind == 1) & has_parent)
    ctx.sink.add_rows(
        "station_with_parent_station",
        _ERROR,
        "stops.txt",
        "parent_station",
        stations,
        "a station (location_type 1) must not have a parent_station",
    )
    parents = types.select(
        pl.col("stop_id").alias("parent_station"),
        pl.col("location_type").alias("parent_type"),
    ).unique("parent_station", keep="first")
    expected = pl.col("location_type").replace_strict(_PARENT_TYPE, default=None)
    joined = types.filter(has_parent).join(parents, on="parent_station", how="inner")
    wrong = joined.with_columns(expected.alias("expected")).filter(
        pl.col("expected").is_not_null() & (pl.col("parent_type") != pl.col("expected"))
    )
    names = pl.col("parent_type").replace_strict(_TYPE_NAME, default="?")
    wanted = pl.col("expected").replace_strict(_TYPE_NAME, default="?")
    ctx.sink.add_rows(
        "wrong_parent_location_type",
        _ERROR,
        "stops.txt",
        "parent_station",
        wrong,
        fmt("parent `{}` is a {}; it must be a {}", "parent_station", names, wanted),
    )


def check_transfers_and_pathways(ctx: CheckContext) -> None:
    """Conditionally required ids in transfers.txt; stop types they use; exit gates."""
    transfers = ctx.table("transfers.txt")
    if transfers is not None:
        _check_transfers(ctx, transfers)
    pathways = ctx.table("pathways.txt")
    if pathways is not None and ctx.has("pathways.txt", "pathway_mode", "is_bidirectional"):
        mode = ctx.values("pathways.txt", "pathway_mode")
        both = ctx.values("pathways.txt", "is_bidirectional")
        rows = pathways.filter(((mode == 7) & (both == 1)).fill_null(False))
        ctx.sink.add_rows(
            "bidirectional_exit_gate",
            _ERROR,
            "pathways.txt",
            "is_bidirectional",
            rows,
            "an exit gate (pathway_mode 7) must not be bidirectional",
        )


def _check_transfers(ctx: CheckContext, transfers: pl.DataFrame) -> None:
    kind = (
        ctx.values("transfers.txt", "transfer_type").fill_null(0)
        if "transfer_type" in transfers.columns
        else pl.repeat(0, transfers.height, eager=True, dtype=pl.Int64)
    )
    linked = kind.is_in([4, 5])
    for column, needed, why in (
        ("from_stop_id", ~linked, "transfer_type 0 to 3"),
        ("to_stop_id", ~linked, "transfer_type 0 to 3"),
        ("from_trip_id", linked, "in-seat transfers (transfer_type 4, 5)"),
        ("to_trip_id", linked, "in-seat transfers (transfer_type 4, 5)"),
    ):
        rows = transfers.filter(pl.lit(needed) & _blank_or_absent(transfers, column))
        ctx.sink.add_rows(
            "missing_required_field",
            _ERROR,
            "transfers.txt",
            column,
            rows,
            f"{column} is required for {why}",
        )
    types = stop_types(ctx)
    if types is None:
        return
    by_id = types.select("stop_id", "location_type").unique("stop_id", keep="first")
    for column in ("from_stop_id", "to_stop_id"):
        if column not in transfers.columns:
            continue
        joined = transfers.join(by_id, left_on=column, right_on="stop_id", how="inner")
        rows = joined.filter(~pl.col("location_type").is_in([0, 1]))
        ctx.sink.add_rows(
            "transfer_with_invalid_stop_location_type",
            _ERROR,
            "transfers.txt",
            column,
            rows,
            fmt(
                "`{}` has location_type {}; it must be a stop or a station",
                column,
                "location_type",
            ),
        )
