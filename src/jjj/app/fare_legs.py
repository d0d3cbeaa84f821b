"""A planner journey as the fare engine's input: fare legs grouped by feed.

Each run of consecutive rides on one feed's vehicles (walks between them do not break
it) is one :class:`FeedRides` group, priced by that feed's rules: ids lose their
``FEED:`` prefix, times become local datetimes in the network's timezone, and each
leg carries its route, agency, distance along the ridden pattern and the number of
stations passed (adjacent stations = 1). A leg ridden on seated (the vehicle's next
trip) is the same fare leg as the one before it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

import numpy as np

from jjj.app.fare_sources import METRES_RATIO_MAX, METRES_RATIO_MIN, TripDistances
from jjj.fares import FareLeg
from jjj.routing.clock import service_day_start
from jjj.routing.itinerary import Journey, Leg
from jjj.timetable.network import Network

__all__ = [
    "FeedRides",
    "LegDistance",
    "fare_legs",
    "feed_of_id",
    "group_rides",
    "leg_distance",
    "local_time",
]

#: Where a leg's distance came from.
SHAPE = "shape_dist_traveled"
GREAT_CIRCLE = "great_circle"


@dataclass(frozen=True)
class FeedRides:
    """Consecutive rides on one feed's vehicles.

    Attributes
    ----------
    feed:
        The feed's name (the namespace of its ids).
    leg_indices:
        For each ride, the journey's transit legs it covers (0-based positions in
        ``journey.legs``; a leg ridden on seated joins the one before).
    legs:
        The journey's transit legs of this group, in order.
    """

    feed: str
    leg_indices: tuple[tuple[int, ...], ...]
    legs: tuple[Leg, ...]


@dataclass(frozen=True)
class LegDistance:
    """A ride's distance in metres, where it came from, and the stations passed."""

    metres: float | None
    source: str | None
    stations: int


def feed_of_id(network: Network, namespaced_id: str) -> tuple[str, str]:
    """``"FEED:local"`` → ``("FEED", "local")`` using the network's feed names."""
    for feed in network.meta.get("feeds", []):
        prefix = f"{feed['name']}:"
        if namespaced_id.startswith(prefix):
            return str(feed["name"]), namespaced_id[len(prefix) :]
    name, _, local = namespaced_id.partition(":")
    return name, local


def local_time(date: dt.date, seconds: int, timezone: str) -> dt.datetime:
    """Seconds of ``date``'s service day as a naive local datetime in ``timezone``."""
    instant = service_day_start(date, timezone) + dt.timedelta(seconds=int(seconds))
    return instant.astimezone(ZoneInfo(timezone)).replace(tzinfo=None)


def group_rides(network: Network, journey: Journey) -> list[FeedRides]:
    """The journey's rides in runs of one feed each (walks do not break a run)."""
    groups: list[FeedRides] = []
    feed: str | None = None
    indices: list[tuple[int, ...]] = []
    legs: list[Leg] = []
    for position, leg in enumerate(journey.legs):
        if leg.mode != "transit" or leg.route_id is None:
            continue
        leg_feed = feed_of_id(network, leg.route_id)[0]
        if leg_feed != feed and legs:
            groups.append(FeedRides(str(feed), tuple(indices), tuple(legs)))
            indices, legs = [], []
        feed = leg_feed
        if leg.stay_seated and indices:
            indices[-1] = (*indices[-1], position)
        else:
            indices.append((position,))
        legs.append(leg)
    if legs:
        groups.append(FeedRides(str(feed), tuple(indices), tuple(legs)))
    return groups


def _pattern_positions(network: Network, leg: Leg) -> tuple[int, int, int] | None:
    """(trip_idx, first stop row of the pattern, boarding position) of a ride."""
    if leg.trip_id is None or leg.origin.stop_id is None or leg.destination.stop_id is None:
        return None
    trip = network.trip_ids.get_index(leg.trip_id)
    board = network.stop_ids.get_index(leg.origin.stop_id)
    alight = network.stop_ids.get_index(leg.destination.stop_id)
    if trip is None or board is None or alight is None:
        return None
    pattern = int(network.trip_pattern_idx[trip])
    lo, hi = (
        int(network.pattern_stops_offsets[pattern]),
        int(network.pattern_stops_offsets[pattern + 1]),
    )
    stops = network.pattern_stops[lo:hi]
    for pos in np.flatnonzero(stops == board).tolist():
        if pos + leg.stops < len(stops) and int(stops[pos + leg.stops]) == alight:
            return trip, lo, int(pos)
    return None


def _shape_metres(
    distances: TripDistances,
    trip_id: str,
    board_id: str,
    alight_id: str,
    stations: int,
    great_circle_trip_m: float,
) -> float | None:
    found = distances.of_trip(trip_id.split("@", 1)[0])
    if found is None:
        return None
    stop_ids, values = found
    length = float(values[-1] - values[0])
    if great_circle_trip_m <= 0 or not (
        METRES_RATIO_MIN <= length / great_circle_trip_m <= METRES_RATIO_MAX
    ):
        return None
    for pos, stop_id in enumerate(stop_ids):
        end = pos + stations
        if stop_id == board_id and end < len(stop_ids) and stop_ids[end] == alight_id:
            return float(values[end] - values[pos])
    return None


def leg_distance(network: Network, leg: Leg, distances: TripDistances | None) -> LegDistance:
    """The ride's distance: ``shape_dist_traveled`` (metres) if the feed gives it for the
    trip, else great-circle metres along the ridden pattern; and its station count."""
    found = _pattern_positions(network, leg)
    if found is None:
        return LegDistance(None, None, leg.stops)
    trip, lo, pos = found
    along = network.pattern_stop_distance_m
    great_circle = float(along[lo + pos + leg.stops]) - float(along[lo + pos])
    if distances is not None and leg.trip_id is not None:
        pattern = int(network.trip_pattern_idx[trip])
        last = int(network.pattern_stops_offsets[pattern + 1]) - 1
        trip_length = float(along[last]) - float(along[lo])
        shape = _shape_metres(
            distances,
            feed_of_id(network, leg.trip_id)[1],
            feed_of_id(network, leg.origin.stop_id or "")[1],
            feed_of_id(network, leg.destination.stop_id or "")[1],
            leg.stops,
            trip_length,
        )
        if shape is not None:
            return LegDistance(shape, SHAPE, leg.stops)
    return LegDistance(great_circle, GREAT_CIRCLE, leg.stops)


def _agency_id(network: Network, route_id: str) -> str | None:
    route = network.route_ids.get_index(route_id)
    if route is None:
        return None
    return feed_of_id(network, network.agency_ids[int(network.route_agency_idx[route])])[1]


def fare_legs(
    network: Network, journey: Journey, rides: FeedRides, distances: TripDistances | None
) -> tuple[list[FareLeg], list[LegDistance]]:
    """The fare legs of one group, with the distance behind each."""
    out: list[FareLeg] = []
    measured: list[LegDistance] = []
    for leg in rides.legs:
        distance = leg_distance(network, leg, distances)
        if leg.stay_seated and out:
            before, seen = out[-1], measured[-1]
            metres = (
                None
                if before.distance_m is None or distance.metres is None
                else before.distance_m + distance.metres
            )
            source = seen.source if seen.source == distance.source else GREAT_CIRCLE
            out[-1] = replace(
                before,
                to_stop_id=feed_of_id(network, leg.destination.stop_id or "")[1],
                arrival=local_time(journey.date, leg.arrival, journey.timezone),
                distance_m=metres,
                station_count=(before.station_count or 0) + distance.stations,
            )
            measured[-1] = LegDistance(metres, source, seen.stations + distance.stations)
            continue
        route_id = leg.route_id or ""
        out.append(
            FareLeg(
                from_stop_id=feed_of_id(network, leg.origin.stop_id or "")[1],
                to_stop_id=feed_of_id(network, leg.destination.stop_id or "")[1],
                departure=local_time(journey.date, leg.departure, journey.timezone),
                arrival=local_time(journey.date, leg.arrival, journey.timezone),
                route_id=feed_of_id(network, route_id)[1],
                agency_id=_agency_id(network, route_id),
                distance_m=distance.metres,
                station_count=distance.stations,
            )
        )
        measured.append(distance)
    return out, measured
