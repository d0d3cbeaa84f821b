"""Load a feed's fare files into validated :class:`~jjj.fares.model.FareRules`.

Reads GTFS-Fares v2 (``fare_media``, ``fare_products``, ``rider_categories``,
``fare_leg_rules``, ``fare_leg_join_rules``, ``fare_transfer_rules``, ``areas``,
``stop_areas``, ``networks``, ``route_networks``, ``timeframes`` with the service
calendar) and the regional extension files (``fare_leg_distance_rules.txt``,
``fare_leg_station_count_rules.txt``, ``fare_spending_discounts.txt``).

A row with an error (an unknown product, area or network, a malformed amount,
overlapping timeframes ...) is left out and reported with its file, line and
field; the rest stays usable. With ``strict=True`` (the default) any error raises
:class:`~jjj.fares.problems.FareRulesError`, which carries the usable rules.
"""

from __future__ import annotations

from pathlib import Path

from jjj.errors import FareError
from jjj.fares.load_base import (
    load_areas,
    load_calendar,
    load_media,
    load_networks,
    load_places,
    load_products,
    load_riders,
    load_timeframes,
)
from jjj.fares.load_rules import (
    References,
    load_join_rules,
    load_leg_rules,
    load_spending_tiers,
    load_transfer_rules,
)
from jjj.fares.model import FareRules
from jjj.fares.problems import FareRulesError
from jjj.fares.rows import Row, RowReader
from jjj.gtfs.notices import Severity
from jjj.gtfs.read import Feed, read_feed

__all__ = ["load_fares"]


def load_fares(source: Feed | str | Path, *, strict: bool = True) -> FareRules:
    """Read and check the fare files of a feed (a :class:`Feed`, zip or folder).

    Parameters
    ----------
    source:
        The feed, or the path of a GTFS zip or folder.
    strict:
        Raise on any error (default). With ``False`` the rows in error are left
        out, the findings are in ``rules.problems`` and the rules are returned.

    Raises
    ------
    FareRulesError
        With ``strict`` and an error in the fare files; ``.usable`` holds the rest.
    FareError
        If the feed has no ``fare_products.txt``.
    FeedError
        If the feed cannot be read.
    """
    feed = source if isinstance(source, Feed) else read_feed(source)
    if not feed.has("fare_products.txt"):
        raise FareError(f"{feed.name}: no fare_products.txt: the feed has no GTFS-Fares v2 files")
    reader = RowReader()
    places = load_places(feed, reader)
    networks, route_network = load_networks(feed, reader, places)
    areas, stop_areas = load_areas(feed, reader, places)
    media = load_media(feed, reader)
    riders = load_riders(feed, reader)
    products = load_products(feed, reader, media, riders)
    timeframes = load_timeframes(feed, reader)
    services = {t.service_id for group in timeframes.values() for t in group}
    calendar = load_calendar(feed, reader, services)
    for group in timeframes.values():
        for timeframe in group:
            if not calendar.knows(timeframe.service_id):
                row = Row("timeframes.txt", timeframe.line, {})
                reader.warn(
                    row,
                    "service_id",
                    "foreign_key_violation",
                    f"service {timeframe.service_id!r} is in neither calendar file: never active",
                )
    refs = References(
        products=products,
        networks=networks,
        areas=areas,
        timeframes=timeframes,
        media=set(media),
        riders=set(riders),
        stops=places.stops,
        has_stops=places.has_stops,
    )
    leg_rules, has_priority = load_leg_rules(feed, reader, refs)
    leg_groups = {r.leg_group_id for r in leg_rules if r.leg_group_id is not None}
    transfer_rules = load_transfer_rules(feed, reader, refs, leg_groups)
    join_rules = load_join_rules(feed, reader, refs)
    tiers = load_spending_tiers(feed, reader, refs)
    rules = FareRules(
        feed_name=feed.name,
        agency_timezone=places.agency_timezone,
        media=media,
        riders=riders,
        products=products,
        leg_rules=leg_rules,
        has_rule_priority=has_priority,
        transfer_rules=transfer_rules,
        join_rules=join_rules,
        timeframes=timeframes,
        calendar=calendar,
        route_network=route_network,
        networks=networks,
        stop_areas=stop_areas,
        stop_parent=places.stop_parent,
        stop_timezone=places.stop_timezone,
        spending_tiers=tiers,
        problems=reader.problems,
    )
    if strict and any(p.severity is Severity.ERROR for p in reader.problems):
        raise FareRulesError(feed.name, reader.problems, rules)
    return rules
