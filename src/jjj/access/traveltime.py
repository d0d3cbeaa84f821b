"""Travel times from origins to fixed destinations over a departure window.

:class:`TravelTimeComputer` holds what every origin shares (the router over the
day's timetable, the destinations' walking links) and answers one origin at a time:
percentiles of the per-minute travel times to each destination, and how many minutes
of the window reach it. The walk straight to a destination counts when it is
faster; it takes the same time every minute, so it can be applied after the
percentiles (``min(w, ·)`` keeps the order of the minutes).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from jjj.access.kernels import nearest_rank_indices, per_minute_times, reduce_to_percentiles
from jjj.access.links import DirectWalks, Walk, WalkLinks, point_links
from jjj.access.router import DEFAULT_MAX_ROUNDS, OneToAll, Window
from jjj.errors import AccessError
from jjj.ids import UNREACHED
from jjj.timetable.network import Network

__all__ = ["DEFAULT_PERCENTILES", "OriginResult", "TravelTimeComputer", "TravelTimeSpec"]

I32 = npt.NDArray[np.int32]
I16 = npt.NDArray[np.int16]
F64 = npt.NDArray[np.float64]

DEFAULT_PERCENTILES = (5.0, 25.0, 50.0, 75.0, 95.0)


@dataclass(frozen=True)
class TravelTimeSpec:
    """What to compute: the window, the percentiles, the limits and the walking model."""

    window: Window
    percentiles: tuple[float, ...] = DEFAULT_PERCENTILES
    max_minutes: int = 120
    walk: Walk = field(default_factory=Walk)
    max_rounds: int = DEFAULT_MAX_ROUNDS

    def __post_init__(self) -> None:
        if not self.percentiles:
            raise AccessError("percentiles: at least one")
        for p in self.percentiles:
            if not 0 < p <= 100:
                raise AccessError(f"percentiles: {p} is not in (0, 100]")
        if self.max_minutes <= 0:
            raise AccessError(f"max minutes: must be positive, got {self.max_minutes}")

    @property
    def max_seconds(self) -> int:
        return self.max_minutes * 60

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready description."""
        return {
            "window": self.window.to_dict(),
            "percentiles": list(self.percentiles),
            "max_minutes": self.max_minutes,
            "max_rounds": self.max_rounds,
            "max_walk_minutes": self.walk.max_walk_seconds / 60,
            "walk_speed_mps": self.walk.model.speed_mps,
            "walk_detour_factor": self.walk.model.detour_factor,
        }


@dataclass(frozen=True)
class OriginResult:
    """Travel times from one origin: ``times[d, p]`` seconds (UNREACHED if none) for
    percentile ``p``; ``reached[d]`` minutes of the window that reach ``d``;
    ``linked``: whether the origin reaches any stop on foot."""

    times: I32
    reached: I16
    linked: bool


class TravelTimeComputer:
    """Origins → fixed destinations (points or grid cells) over one window.

    Parameters
    ----------
    network:
        The compiled network (a scenario may have changed it).
    spec:
        Window, percentiles, limits, walking.
    dest_links:
        Each destination's walking links to stops (egress).
    dest_lat, dest_lon:
        Destination coordinates (for the walk straight from the origin), or ``None``
        when the caller applies direct walks itself (grid surfaces).
    build_router:
        Prepare the day's timetable now (else on first use).
    """

    def __init__(
        self,
        network: Network,
        spec: TravelTimeSpec,
        dest_links: WalkLinks,
        dest_lat: F64 | None = None,
        dest_lon: F64 | None = None,
        *,
        build_router: bool = True,
    ) -> None:
        self.network = network
        self.spec = spec
        self.dest_links = dest_links
        self.dest_lat = dest_lat
        self.dest_lon = dest_lon
        self._router: OneToAll | None = (
            OneToAll(network, spec.window, max_seconds=spec.max_seconds, max_rounds=spec.max_rounds)
            if build_router
            else None
        )
        self.ranks = nearest_rank_indices(spec.percentiles, spec.window.minutes)
        self._no_direct = np.full(len(dest_links), -1, dtype=np.int32)
        self._walks = (
            DirectWalks(dest_lat, dest_lon, spec.walk)
            if dest_lat is not None and dest_lon is not None
            else None
        )

    @property
    def router(self) -> OneToAll:
        """The one-to-all router (built on first use when not at construction)."""
        if self._router is None:
            spec = self.spec
            self._router = OneToAll(
                self.network,
                spec.window,
                max_seconds=spec.max_seconds,
                max_rounds=spec.max_rounds,
            )
        return self._router

    @property
    def n_destinations(self) -> int:
        return len(self.dest_links)

    def origin_links(self, lat: F64, lon: F64) -> WalkLinks:
        """Access links of many origins at once."""
        return point_links(self.network, lat, lon, self.spec.walk)

    def direct_links(self, lat: F64, lon: F64) -> WalkLinks:
        """Per origin, the destinations within walking reach and the walk straight
        there (none when the caller applies direct walks itself)."""
        if self._walks is None:
            empty = np.zeros(0, dtype=np.int32)
            return WalkLinks(np.zeros(len(lat) + 1, dtype=np.int64), empty, empty)
        return self._walks.links(lat, lon)

    def _direct(self, lat: float, lon: float) -> I32:
        if self._walks is None:
            return self._no_direct
        return self._walks.seconds(lat, lon)

    def stop_arrivals(self, access_stops: I32, access_seconds: I32) -> I32:
        """``(minutes, n_stops)`` arrivals for one origin's access links."""
        return self.router.arrivals(access_stops, access_seconds)

    def from_origin(
        self, lat: float, lon: float, access_stops: I32, access_seconds: I32
    ) -> OriginResult:
        """Percentile travel times from one origin to every destination."""
        n_dest = self.n_destinations
        times = np.full((n_dest, len(self.ranks)), UNREACHED, dtype=np.int32)
        reached = np.zeros(n_dest, dtype=np.int16)
        linked = len(access_stops) > 0
        links = self.dest_links
        if linked:
            arrivals = self.stop_arrivals(access_stops, access_seconds)
            reduce_to_percentiles(
                arrivals,
                self.router.departures,
                links.offsets,
                links.stops,
                links.seconds,
                self._no_direct,
                self.spec.max_seconds,
                self.ranks,
                times,
                reached,
            )
        direct = self._direct(lat, lon)
        walkable = direct >= 0
        if walkable.any():
            times[walkable] = np.minimum(times[walkable], direct[walkable, None])
            reached[walkable] = self.spec.window.minutes
        return OriginResult(times=times, reached=reached, linked=linked)

    def minutes_from_origin(
        self, lat: float, lon: float, access_stops: I32, access_seconds: I32
    ) -> I32:
        """``(n_destinations, minutes)`` travel times of every minute (for checks)."""
        links = self.dest_links
        if len(access_stops) == 0:
            arrivals = np.full(
                (self.spec.window.minutes, self.network.n_stops), UNREACHED, dtype=np.int32
            )
        else:
            arrivals = self.stop_arrivals(access_stops, access_seconds)
        result: I32 = per_minute_times(
            arrivals,
            self.router.departures,
            links.offsets,
            links.stops,
            links.seconds,
            self._direct(lat, lon),
            self.spec.max_seconds,
        )
        return result
