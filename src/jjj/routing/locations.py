"""Where a journey starts or ends, and the stops one walks to or from there.

A location is ``lat,lon`` (WGS84 degrees), a stop id ``FEED:stop_id`` (a station
stands for all its platforms), or a place name when the caller supplies a resolver.
Until a street network is used, walking is the footpaths' model: straight-line
distance × detour factor at walking speed, up to a radius.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from jjj.errors import RoutingError
from jjj.routing.kernels.walking import by_latitude, stops_within, stops_within_many
from jjj.streets.geo import EARTH_RADIUS_M
from jjj.timetable.footpaths import WalkingModel
from jjj.timetable.network import Network

__all__ = [
    "DEFAULT_ACCESS_RADIUS_M",
    "Location",
    "NamedPlace",
    "PlaceResolver",
    "access_links",
    "coordinate_links",
    "parse_location",
    "walk_seconds",
]

I32 = npt.NDArray[np.int32]

#: Walking radius to and from coordinates. Wider than the 400 m footpath radius: a
#: trip's first and last walks are commonly longer than a change between vehicles
#: (R5 and OpenTripPlanner default to about 1 km of walking access).
DEFAULT_ACCESS_RADIUS_M = 1000.0


@dataclass(frozen=True)
class NamedPlace:
    """What a place resolver finds: a name, coordinates and the stops it stands for
    (``FEED:stop_id``; those present in the network are used, else the coordinates)."""

    name: str
    lat: float
    lon: float
    stop_ids: tuple[str, ...] = ()


#: Resolves a place name, or returns ``None`` when it does not know it.
PlaceResolver = Callable[[str], NamedPlace | None]

_COORDINATES = re.compile(r"^\s*([-+]?\d+(?:\.\d+)?)\s*,\s*([-+]?\d+(?:\.\d+)?)\s*$")


@dataclass(frozen=True)
class Location:
    """A parsed origin or destination.

    Attributes
    ----------
    text:
        What was given.
    label:
        A name to show (the stop's name, the place's name, or the coordinates).
    lat, lon:
        Coordinates (a stop's own when it is a stop).
    stop_idx:
        The stops this location is (a station's platforms), empty for coordinates.
    """

    text: str
    label: str
    lat: float
    lon: float
    stop_idx: tuple[int, ...] = ()

    @property
    def is_stop(self) -> bool:
        return bool(self.stop_idx)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready description."""
        out: dict[str, object] = {"name": self.label, "lat": self.lat, "lon": self.lon}
        return out


def parse_location(
    network: Network, text: str, *, resolver: PlaceResolver | None = None, option: str = "--from"
) -> Location:
    """Read ``text`` as coordinates, a stop id or (with ``resolver``) a place name.

    Raises
    ------
    RoutingError
        For coordinates out of range, an unknown stop id or an unknown place.
    """
    value = text.strip()
    match = _COORDINATES.match(value)
    if match:
        lat, lon = float(match.group(1)), float(match.group(2))
        if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
            raise RoutingError(f"{option} {text!r}: latitude must be within ±90 and longitude ±180")
        return Location(text=text, label=f"{lat:.6f},{lon:.6f}", lat=lat, lon=lon)
    stop_idx = network.stop_ids.get_index(value)
    if stop_idx is not None:
        return Location(
            text=text,
            label=network.stop_names[stop_idx] or value,
            lat=float(network.stop_lat[stop_idx]),
            lon=float(network.stop_lon[stop_idx]),
            stop_idx=_platforms(network, [stop_idx]),
        )
    if resolver is not None:
        found = resolver(value)
        if found is not None:
            known = [network.stop_ids.get_index(stop_id) for stop_id in found.stop_ids]
            return Location(
                text=text,
                label=found.name,
                lat=float(found.lat),
                lon=float(found.lon),
                stop_idx=_platforms(network, [s for s in known if s is not None]),
            )
    feeds = [feed["name"] for feed in network.meta.get("feeds", [])]
    example = f"{feeds[0]}:STOP_ID" if feeds else "FEED:STOP_ID"
    what = "stop id or place" if resolver is not None else "stop id"
    raise RoutingError(
        f"{option} {text!r}: unknown {what}; give LAT,LON or a stop id such as {example}"
    )


def _platforms(network: Network, stops: list[int]) -> tuple[int, ...]:
    """The stops themselves, a station standing for its platforms."""
    out: list[int] = []
    for stop in stops:
        platforms = np.flatnonzero(network.stop_parent_idx == stop).tolist()
        for s in platforms or [stop]:
            if s not in out:
                out.append(int(s))
    return tuple(out)


def _stop_coordinates(
    network: Network,
) -> tuple[I32, npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """The stops one can walk to, sorted by latitude (:func:`by_latitude`; cached per
    network)."""
    cached = network._extra.get("routing.stop_coordinates")
    if cached is None:
        kinds = np.asarray(network.stop_location_type)
        cached = by_latitude(
            np.asarray(network.stop_lat, dtype=np.float64),
            np.asarray(network.stop_lon, dtype=np.float64),
            (kinds == 0) | (kinds == 4),
        )
        network._extra["routing.stop_coordinates"] = cached
    return cached


def coordinate_links(
    network: Network,
    lat: npt.ArrayLike,
    lon: npt.ArrayLike,
    *,
    model: WalkingModel,
    radius_m: float,
) -> tuple[npt.NDArray[np.int64], I32, I32]:
    """The stops :func:`access_links` finds from (or to) each of many coordinates, in
    one compiled call: ``(offsets, stop_idx, walk_seconds)``, point ``p``'s stops at
    ``offsets[p]:offsets[p + 1]`` (none when no stop is within reach: no error here)."""
    order, stop_lat, stop_lon = _stop_coordinates(network)
    return stops_within_many(
        order, stop_lat, stop_lon, np.ascontiguousarray(lat, dtype=np.float64),
        np.ascontiguousarray(lon, dtype=np.float64), float(radius_m), EARTH_RADIUS_M,
        model.detour_factor / model.speed_mps,
    )  # fmt: skip


def walk_seconds(model: WalkingModel, lat1: float, lon1: float, lat2: float, lon2: float) -> int:
    """Walking time between two points under ``model``."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    distance = 2 * EARTH_RADIUS_M * math.asin(math.sqrt(min(max(a, 0.0), 1.0)))
    return math.ceil(distance * model.detour_factor / model.speed_mps)


def access_links(
    network: Network,
    location: Location,
    *,
    model: WalkingModel,
    radius_m: float,
    leaving: bool,
    option: str = "--from",
) -> tuple[I32, I32]:
    """``(stop_idx, walk_seconds)`` from the location (``leaving``) or to it.

    A stop location is its platforms at 0 s plus their footpaths (out of them when
    leaving, into them otherwise); coordinates reach every stop within ``radius_m``.

    Raises
    ------
    RoutingError
        If no stop is within reach of the coordinates.
    """
    if location.is_stop:
        best: dict[int, int] = {s: 0 for s in location.stop_idx}
        offsets = network.footpaths_offsets
        if leaving:
            for s in location.stop_idx:
                lo, hi = int(offsets[s]), int(offsets[s + 1])
                for u, w in zip(
                    network.footpath_to_stop[lo:hi].tolist(),
                    network.footpath_seconds[lo:hi].tolist(),
                    strict=True,
                ):
                    best[u] = min(best.get(u, w), w)
        else:
            targets = np.flatnonzero(np.isin(network.footpath_to_stop, location.stop_idx))
            sources = np.searchsorted(offsets, targets, side="right") - 1
            for u, w in zip(
                sources.tolist(), network.footpath_seconds[targets].tolist(), strict=True
            ):
                best[u] = min(best.get(u, w), w)
        stops = np.array(sorted(best), dtype=np.int32)
        return stops, np.array([best[s] for s in stops.tolist()], dtype=np.int32)
    order, lat, lon = _stop_coordinates(network)
    near, seconds = stops_within(
        order, lat, lon, location.lat, location.lon, float(radius_m), EARTH_RADIUS_M,
        model.detour_factor / model.speed_mps,
    )  # fmt: skip
    if len(near) == 0:
        where = "leave from" if leaving else "arrive at"
        raise RoutingError(
            f"{option} {location.text!r}: no stop within {radius_m:.0f} m to {where}"
        )
    return near, seconds
