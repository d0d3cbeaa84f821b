"""Journeys as people read them: legs of walking and of riding a vehicle.

:func:`build_journey` turns forward-frame steps (:mod:`jjj.routing.paths`) into legs
with names and times: a ride becomes one leg per timetable trip (the vehicle's next
trip, ridden on seated, is its own leg marked ``stay_seated``); the first walk leaves
as late as the first vehicle allows, later walks start on alighting.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from jjj.routing.clock import format_time
from jjj.routing.dayview import DayView
from jjj.routing.locations import Location
from jjj.routing.paths import Access, Egress, Ride, Step, Transfer
from jjj.timetable.network import Network

__all__ = ["Journey", "Leg", "NetworkNames", "Place", "build_journey", "walking_journey"]


@dataclass(frozen=True)
class Place:
    """A leg's end: a stop (with its id) or the origin/destination."""

    name: str
    lat: float
    lon: float
    stop_id: str | None = None

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"name": self.name, "lat": self.lat, "lon": self.lon}
        if self.stop_id is not None:
            out["stop_id"] = self.stop_id
        return out


@dataclass(frozen=True)
class Leg:
    """One walk or one ride; times are seconds of the query date's service day."""

    mode: str
    origin: Place
    destination: Place
    departure: int
    arrival: int
    agency: str | None = None
    route: str | None = None
    route_id: str | None = None
    trip_id: str | None = None
    headsign: str | None = None
    stay_seated: bool = False
    stops: int = 0

    def to_dict(self, date: dt.date, timezone: str) -> dict[str, object]:
        out: dict[str, object] = {
            "mode": self.mode,
            "from": self.origin.to_dict(),
            "to": self.destination.to_dict(),
            "departure": format_time(date, self.departure, timezone),
            "arrival": format_time(date, self.arrival, timezone),
            "duration_s": self.arrival - self.departure,
        }
        if self.mode == "transit":
            out.update(
                {
                    "agency": self.agency,
                    "route": self.route,
                    "route_id": self.route_id,
                    "trip_id": self.trip_id,
                    "headsign": self.headsign,
                    "stops": self.stops,
                    "stay_seated": self.stay_seated,
                }
            )
        return out


@dataclass(frozen=True)
class Journey:
    """A journey: legs in order, with its departure, arrival and transfers."""

    date: dt.date
    timezone: str
    legs: tuple[Leg, ...] = field(default_factory=tuple)

    @property
    def departure(self) -> int:
        return self.legs[0].departure

    @property
    def arrival(self) -> int:
        return self.legs[-1].arrival

    @property
    def rides(self) -> int:
        """Vehicles boarded (staying seated is not a new boarding)."""
        return sum(1 for leg in self.legs if leg.mode == "transit" and not leg.stay_seated)

    @property
    def transfers(self) -> int:
        return max(self.rides - 1, 0)

    def to_dict(self) -> dict[str, object]:
        """``{"departure", "arrival", "transfers", "legs"}`` with ISO 8601 times."""
        return {
            "departure": format_time(self.date, self.departure, self.timezone),
            "arrival": format_time(self.date, self.arrival, self.timezone),
            "transfers": self.transfers,
            "legs": [leg.to_dict(self.date, self.timezone) for leg in self.legs],
        }


class NetworkNames:
    """The network's names and stop coordinates as Python lists, decoded on first use
    (reading a memory-mapped string table item by item is slow)."""

    def __init__(self, network: Network) -> None:
        self.network = network
        self._lists: dict[str, list[str]] = {}
        self.stop_lat: list[float] = np.asarray(network.stop_lat, dtype=np.float64).tolist()
        self.stop_lon: list[float] = np.asarray(network.stop_lon, dtype=np.float64).tolist()
        self.trip_route: list[int] = np.asarray(network.trip_route_idx).tolist()
        self.route_agency: list[int] = np.asarray(network.route_agency_idx).tolist()
        self._places: dict[int, Place] = {}

    def __getitem__(self, field_name: str) -> list[str]:
        """The decoded strings of a :class:`StringTable` field, e.g. ``"stop_names"``."""
        if field_name not in self._lists:
            self._lists[field_name] = getattr(self.network, field_name).to_list()
        return self._lists[field_name]

    def stop_place(self, stop: int) -> Place:
        place = self._places.get(stop)
        if place is None:
            place = Place(
                name=self["stop_names"][stop],
                lat=self.stop_lat[stop],
                lon=self.stop_lon[stop],
                stop_id=self["stop_ids"][stop],
            )
            self._places[stop] = place
        return place


def _location_place(location: Location, network: Network | None = None) -> Place:
    stop_id = None
    if location.is_stop and network is not None:
        given = location.text.strip()
        stop_id = given if network.stop_ids.get_index(given) is not None else None
    return Place(name=location.label, lat=location.lat, lon=location.lon, stop_id=stop_id)


def _footpath_seconds(network: Network, a: int, b: int) -> int:
    lo, hi = int(network.footpaths_offsets[a]), int(network.footpaths_offsets[a + 1])
    for u, w in zip(
        network.footpath_to_stop[lo:hi].tolist(),
        network.footpath_seconds[lo:hi].tolist(),
        strict=True,
    ):
        if u == b:
            return int(w)
    return 0


def _ride_legs(names: NetworkNames, view: DayView, ride: Ride) -> list[Leg]:
    pat = view.arrays.pat
    vp = view.vp_of_vtrip(ride.vtrip)
    s0 = int(pat.vp_stops_offsets[vp])
    first = int(pat.vp_trips_offsets[vp])
    n_trips = int(pat.vp_trips_offsets[vp + 1]) - first
    q = ride.vtrip - first
    seg_base = int(pat.vp_segments_offsets[vp])
    legs: list[Leg] = []
    # the ridden positions' segments and stops as lists (numpy item by item is slow)
    segments = pat.vp_pos_segment[s0 : s0 + ride.alight_pos + 1].tolist()
    stops = pat.vp_stops[s0 : s0 + ride.alight_pos + 1].tolist()
    start = ride.board_pos
    while start < ride.alight_pos:
        segment = segments[start]
        end = start
        while end + 1 <= ride.alight_pos and segments[end + 1] == segment:
            end += 1
        if end > start:
            trip = int(pat.segment_trip[seg_base + segment * n_trips + q])
            route = names.trip_route[trip]
            agency = names.route_agency[route]
            short, long = names["route_short_names"][route], names["route_long_names"][route]
            legs.append(
                Leg(
                    mode="transit",
                    origin=names.stop_place(stops[start]),
                    destination=names.stop_place(stops[end]),
                    departure=view.departure(ride.vtrip, start),
                    arrival=view.arrival(ride.vtrip, end),
                    agency=names["agency_names"][agency],
                    route=short or long or names["route_ids"][route],
                    route_id=names["route_ids"][route],
                    trip_id=names["trip_ids"][trip],
                    headsign=names["trip_headsigns"][trip] or None,
                    stay_seated=bool(legs),
                    stops=end - start,
                )
            )
        start = end + 1
    return legs


def build_journey(
    network: Network,
    view: DayView,
    steps: list[Step],
    *,
    origin: Location,
    destination: Location,
    access: dict[int, int],
    egress: dict[int, int],
    names: NetworkNames | None = None,
) -> Journey:
    """Legs of a journey from forward-frame steps (``view`` is the forward view)."""
    names = names or NetworkNames(network)
    legs: list[Leg] = []
    pending_access: Access | None = None
    for step in steps:
        if isinstance(step, Access):
            pending_access = step
        elif isinstance(step, Ride):
            ride_legs = _ride_legs(names, view, step)
            if pending_access is not None:
                seconds = access[pending_access.stop]
                if seconds > 0 or not origin.is_stop:
                    first = ride_legs[0]
                    legs.append(
                        Leg(
                            mode="walk",
                            origin=_location_place(origin, network),
                            destination=first.origin,
                            departure=first.departure - seconds,
                            arrival=first.departure,
                        )
                    )
                pending_access = None
            legs.extend(ride_legs)
        elif isinstance(step, Transfer):
            if step.from_stop != step.to_stop:
                start = legs[-1].arrival
                legs.append(
                    Leg(
                        mode="walk",
                        origin=names.stop_place(step.from_stop),
                        destination=names.stop_place(step.to_stop),
                        departure=start,
                        arrival=start + _footpath_seconds(network, step.from_stop, step.to_stop),
                    )
                )
        elif isinstance(step, Egress):
            seconds = egress[step.stop]
            if seconds > 0 or not destination.is_stop:
                start = legs[-1].arrival
                legs.append(
                    Leg(
                        mode="walk",
                        origin=names.stop_place(step.stop),
                        destination=_location_place(destination, network),
                        departure=start,
                        arrival=start + seconds,
                    )
                )
    return Journey(date=view.date, timezone=network.timezone, legs=tuple(legs))


def walking_journey(
    date: dt.date,
    timezone: str,
    origin: Location,
    destination: Location,
    *,
    departure: int,
    seconds: int,
) -> Journey:
    """A journey on foot only."""
    leg = Leg(
        mode="walk",
        origin=_location_place(origin),
        destination=_location_place(destination),
        departure=departure,
        arrival=departure + seconds,
    )
    return Journey(date=date, timezone=timezone, legs=(leg,))
