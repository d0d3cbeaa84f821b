"""Loading the tables fare rules refer to: stops, routes, networks, areas, media, riders,
products, timeframes and service calendars.

Each function reads one concern, appends its findings to the reader and returns
plain dictionaries; rows in error are left out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from jjj.fares.model import FareMedium, FareProductRow, RiderCategory, ServiceCalendar, Timeframe
from jjj.fares.rows import Row, RowReader, read_rows
from jjj.gtfs.read import Feed

__all__ = [
    "Places",
    "load_areas",
    "load_calendar",
    "load_media",
    "load_networks",
    "load_places",
    "load_products",
    "load_riders",
    "load_timeframes",
]

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass
class Places:
    """Stops (with parents and timezones), routes and the agency timezone."""

    agency_timezone: str | None = None
    stops: set[str] = field(default_factory=set)
    has_stops: bool = False
    stop_parent: dict[str, str] = field(default_factory=dict)
    stop_timezone: dict[str, str] = field(default_factory=dict)
    routes: set[str] = field(default_factory=set)
    route_network_column: dict[str, str] = field(default_factory=dict)


def load_places(feed: Feed, reader: RowReader) -> Places:
    """Read agency timezone, stops (id, parent, timezone) and routes (id, network_id)."""
    places = Places()
    agencies, _ = read_rows(feed, "agency.txt", ["agency_timezone"])
    for row in agencies:
        zone = reader.timezone(row, "agency_timezone")
        if zone is not None:
            places.agency_timezone = zone
            break
    stops, header = read_rows(feed, "stops.txt", ["stop_id", "parent_station", "stop_timezone"])
    places.has_stops = bool(header)
    for row in stops:
        stop_id = row.get("stop_id")
        if stop_id is None:
            continue
        places.stops.add(stop_id)
        parent = row.get("parent_station")
        if parent is not None:
            places.stop_parent[stop_id] = parent
        zone = row.get("stop_timezone")
        if zone is not None:
            checked = reader.timezone(row, "stop_timezone")
            if checked is not None:
                places.stop_timezone[stop_id] = checked
    routes, _ = read_rows(feed, "routes.txt", ["route_id", "network_id"])
    for row in routes:
        route_id = row.get("route_id")
        if route_id is None:
            continue
        places.routes.add(route_id)
        network = row.get("network_id")
        if network is not None:
            places.route_network_column[route_id] = network
    return places


def load_networks(feed: Feed, reader: RowReader, places: Places) -> tuple[set[str], dict[str, str]]:
    """``(network ids, route → network)``.

    Networks come from ``networks.txt`` with ``route_networks.txt``, or from
    ``routes.network_id`` (the spec forbids using both; ``route_networks.txt`` wins).
    """
    rows, _ = read_rows(feed, "networks.txt")
    networks: set[str] = set()
    for row in rows:
        network = reader.required(row, "network_id")
        if network is None:
            continue
        if network in networks:
            reader.fail(row, "network_id", "duplicate_key", f"network {network!r} is repeated")
            continue
        networks.add(network)
    listed = set(networks)
    route_network = dict(places.route_network_column)
    networks.update(route_network.values())
    link_rows, link_header = read_rows(feed, "route_networks.txt")
    if link_header and places.route_network_column:
        reader.warn(
            link_rows[0] if link_rows else Row("route_networks.txt", 1, {}),
            None,
            "route_networks_specified_in_more_than_one_file",
            "routes.txt has network_id too; route_networks.txt is used",
        )
    seen_routes: set[str] = set()
    for row in link_rows:
        network = reader.required(row, "network_id")
        route = reader.required(row, "route_id")
        if network is None or route is None:
            continue
        if network not in listed:
            reader.fail(row, "network_id", "foreign_key_violation", f"unknown network {network!r}")
            continue
        if route in seen_routes:
            reader.fail(row, "route_id", "duplicate_key", f"route {route!r} is in two networks")
            continue
        if places.routes and route not in places.routes:
            reader.warn(row, "route_id", "foreign_key_violation", f"unknown route {route!r}")
        seen_routes.add(route)
        route_network[route] = network
    return networks, route_network


def load_areas(
    feed: Feed, reader: RowReader, places: Places
) -> tuple[set[str], dict[str, tuple[str, ...]]]:
    """``(area ids, stop → its areas)`` from ``areas.txt`` and ``stop_areas.txt``."""
    rows, _ = read_rows(feed, "areas.txt")
    areas: set[str] = set()
    for row in rows:
        area = reader.required(row, "area_id")
        if area is None:
            continue
        if area in areas:
            reader.fail(row, "area_id", "duplicate_key", f"area {area!r} is repeated")
            continue
        areas.add(area)
    stop_areas: dict[str, list[str]] = {}
    link_rows, _ = read_rows(feed, "stop_areas.txt")
    for row in link_rows:
        area = reader.required(row, "area_id")
        stop = reader.required(row, "stop_id")
        if area is None or stop is None:
            continue
        if area not in areas:
            reader.fail(row, "area_id", "foreign_key_violation", f"unknown area {area!r}")
            continue
        if places.has_stops and stop not in places.stops:
            reader.warn(row, "stop_id", "foreign_key_violation", f"unknown stop {stop!r}")
        listed = stop_areas.setdefault(stop, [])
        if area not in listed:
            listed.append(area)
    return areas, {stop: tuple(listed) for stop, listed in stop_areas.items()}


def load_media(feed: Feed, reader: RowReader) -> dict[str, FareMedium]:
    """``fare_media.txt`` by id."""
    rows, _ = read_rows(feed, "fare_media.txt")
    media: dict[str, FareMedium] = {}
    for row in rows:
        media_id = reader.required(row, "fare_media_id")
        ok, media_type = reader.integer(row, "fare_media_type", allowed=(0, 1, 2, 3, 4))
        if media_type is None and ok:
            reader.required(row, "fare_media_type")
        if media_id is None or media_type is None:
            continue
        if media_id in media:
            reader.fail(row, "fare_media_id", "duplicate_key", f"medium {media_id!r} is repeated")
            continue
        media[media_id] = FareMedium(media_id, row.get("fare_media_name"), media_type, row.line)
    return media


def load_riders(feed: Feed, reader: RowReader) -> dict[str, RiderCategory]:
    """``rider_categories.txt`` by id."""
    rows, _ = read_rows(feed, "rider_categories.txt")
    riders: dict[str, RiderCategory] = {}
    for row in rows:
        rider_id = reader.required(row, "rider_category_id")
        name = row.get("rider_category_name") or rider_id
        ok, default = reader.integer(row, "is_default_fare_category", allowed=(0, 1))
        if rider_id is None or name is None or not ok:
            continue
        if rider_id in riders:
            reader.fail(row, "rider_category_id", "duplicate_key", f"{rider_id!r} is repeated")
            continue
        riders[rider_id] = RiderCategory(rider_id, name, default == 1, row.line)
    return riders


def load_products(
    feed: Feed,
    reader: RowReader,
    media: dict[str, FareMedium],
    riders: dict[str, RiderCategory],
) -> dict[str, list[FareProductRow]]:
    """``fare_products.txt`` rows grouped by ``fare_product_id``."""
    rows, _ = read_rows(feed, "fare_products.txt")
    products: dict[str, list[FareProductRow]] = {}
    keys: set[tuple[str, str | None, str | None]] = set()
    for row in rows:
        product_id = reader.required(row, "fare_product_id")
        currency = reader.currency(row, "currency")
        amount = reader.amount(row, "amount", currency) if currency is not None else None
        media_id = row.get("fare_media_id")
        rider_id = row.get("rider_category_id")
        if product_id is None or currency is None or amount is None:
            continue
        if media_id is not None and media_id not in media:
            reader.fail(
                row, "fare_media_id", "foreign_key_violation", f"unknown medium {media_id!r}"
            )
            continue
        if rider_id is not None and rider_id not in riders:
            reader.fail(
                row, "rider_category_id", "foreign_key_violation", f"unknown category {rider_id!r}"
            )
            continue
        key = (product_id, media_id, rider_id)
        if key in keys:
            reader.fail(
                row,
                "fare_product_id",
                "duplicate_key",
                f"product {product_id!r} repeats a medium and rider category",
            )
            continue
        keys.add(key)
        products.setdefault(product_id, []).append(
            FareProductRow(
                product_id,
                row.get("fare_product_name"),
                media_id,
                rider_id,
                amount,
                currency,
                row.line,
            )
        )
    return products


def load_timeframes(feed: Feed, reader: RowReader) -> dict[str, list[Timeframe]]:
    """``timeframes.txt`` by group; overlapping intervals of one group and service are errors."""
    rows, _ = read_rows(feed, "timeframes.txt")
    groups: dict[str, list[Timeframe]] = {}
    for row in rows:
        group = reader.required(row, "timeframe_group_id")
        service = reader.required(row, "service_id")
        ok_start, start = reader.clock(row, "start_time", 0)
        ok_end, end = reader.clock(row, "end_time", 24 * 3600)
        if group is None or service is None or not (ok_start and ok_end):
            continue
        if (row.get("start_time") is None) != (row.get("end_time") is None):
            missing = "start_time" if row.get("start_time") is None else "end_time"
            reader.warn(
                row, missing, "missing_required_field", f"{missing} should be given with the other"
            )
        if start >= end:
            reader.fail(row, "end_time", "invalid_time", "end_time must be after start_time")
            continue
        overlap = next(
            (
                t
                for t in groups.get(group, [])
                if t.service_id == service and t.start_s < end and start < t.end_s
            ),
            None,
        )
        if overlap is not None:
            reader.fail(
                row,
                "start_time",
                "overlapping_timeframes",
                f"timeframe {group!r} on service {service!r} overlaps line {overlap.line}",
            )
            continue
        groups.setdefault(group, []).append(Timeframe(group, start, end, service, row.line))
    return groups


def load_calendar(feed: Feed, reader: RowReader, wanted: set[str]) -> ServiceCalendar:
    """The service calendar of the service_ids in ``wanted`` (those timeframes use)."""
    calendar = ServiceCalendar()
    if not wanted:
        return calendar
    rows, _ = read_rows(feed, "calendar.txt")
    for row in rows:
        service = row.get("service_id")
        if service not in wanted or service is None:
            continue
        days = tuple(row.get(day) == "1" for day in _WEEKDAYS)
        start = _date(reader, row, "start_date")
        end = _date(reader, row, "end_date")
        if start is None or end is None:
            continue
        calendar.weekly[service] = (days, start, end)
    rows, _ = read_rows(feed, "calendar_dates.txt")
    for row in rows:
        service = row.get("service_id")
        if service not in wanted or service is None:
            continue
        day = _date(reader, row, "date")
        kind = row.get("exception_type")
        if day is None:
            continue
        if kind == "1":
            calendar.added.setdefault(service, set()).add(day)
        elif kind == "2":
            calendar.removed.setdefault(service, set()).add(day)
        else:
            reader.warn(row, "exception_type", "unexpected_enum_value", "must be 1 or 2")
    return calendar


def _date(reader: RowReader, row: Row, name: str) -> dt.date | None:
    text = row.get(name)
    if text is None:
        reader.warn(row, name, "missing_required_field", f"{name} is required")
        return None
    try:
        return dt.datetime.strptime(text, "%Y%m%d").date()
    except ValueError:
        reader.warn(row, name, "invalid_date", f"{name} is not YYYYMMDD: {text!r}")
        return None
