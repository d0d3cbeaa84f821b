"""Travel-time matrices: origins × destinations, computed in batches of origins.

A :class:`MatrixJob` is everything a worker needs (picklable: the network or its
file, the destinations, the spec). :func:`compute_batch` answers one batch of
origins; the worker keeps its router and destination links between batches of the
same job, so a process (or a Dask worker) prepares them once.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from jjj.access.links import WalkLinks, point_links
from jjj.access.one_departure import OneDeparture
from jjj.access.points import Points
from jjj.access.traveltime import TravelTimeComputer, TravelTimeSpec
from jjj.timetable.network import Network
from jjj.timetable.store import load_network

__all__ = ["MatrixBatch", "MatrixJob", "compute_batch", "unlinked_points"]

I32 = npt.NDArray[np.int32]
I16 = npt.NDArray[np.int16]
I64 = npt.NDArray[np.int64]


@dataclass(frozen=True)
class MatrixJob:
    """One matrix: ``network`` is a :class:`Network` or the path of a compiled one."""

    network: Network | str
    origins: Points
    destinations: Points
    spec: TravelTimeSpec
    key: str = field(default_factory=lambda: uuid.uuid4().hex)

    def load_network(self) -> Network:
        """The network (mapped from its file when given by path)."""
        if isinstance(self.network, Network):
            return self.network
        return load_network(Path(self.network))


@dataclass(frozen=True)
class MatrixBatch:
    """Rows ``start..stop`` of the origins: ``times[b, d, p]`` seconds (UNREACHED if
    none), ``reached[b, d]`` minutes reaching, ``linked[b]`` origin reaches a stop."""

    start: int
    stop: int
    times: I32
    reached: I16
    linked: npt.NDArray[np.bool_]


_CACHE: dict[str, tuple[TravelTimeComputer, OneDeparture | None]] = {}
_CACHE_LOCK = threading.Lock()


def _computer(job: MatrixJob) -> tuple[TravelTimeComputer, OneDeparture | None]:
    with _CACHE_LOCK:  # batches of one job may run in several threads
        cached = _CACHE.get(job.key)
        if cached is None:
            _CACHE.clear()  # one job at a time per worker
            network = job.load_network()
            destinations = job.destinations
            links = point_links(network, destinations.lat, destinations.lon, job.spec.walk)
            computer = TravelTimeComputer(
                network, job.spec, links, destinations.lat, destinations.lon
            )
            single = OneDeparture(computer) if job.spec.window.minutes == 1 else None
            cached = _CACHE[job.key] = (computer, single)
        return cached


def compute_batch(job: MatrixJob, start: int, stop: int) -> MatrixBatch:
    """Travel times from origins ``start..stop`` (positions in ``job.origins``).

    Safe to call from several threads for the same job; at one departure time the
    work runs in compiled code that releases the GIL.
    """
    computer, single = _computer(job)
    origins = job.origins
    lat = origins.lat[start:stop]
    lon = origins.lon[start:stop]
    if single is not None:
        times, reached, linked = single.rows(lat, lon, len(job.spec.percentiles))
        return MatrixBatch(start=start, stop=stop, times=times, reached=reached, linked=linked)
    access: WalkLinks = computer.origin_links(lat, lon)
    n = stop - start
    times = np.empty((n, computer.n_destinations, len(job.spec.percentiles)), dtype=np.int32)
    reached = np.empty((n, computer.n_destinations), dtype=np.int16)
    linked = np.zeros(n, dtype=np.bool_)
    for b in range(n):
        lo, hi = int(access.offsets[b]), int(access.offsets[b + 1])
        result = computer.from_origin(
            float(lat[b]), float(lon[b]), access.stops[lo:hi], access.seconds[lo:hi]
        )
        times[b] = result.times
        reached[b] = result.reached
        linked[b] = result.linked
    return MatrixBatch(start=start, stop=stop, times=times, reached=reached, linked=linked)


def unlinked_points(network: Network, points: Points, spec: TravelTimeSpec) -> list[str]:
    """Ids of the points with no served stop within walking reach."""
    links = point_links(network, points.lat, points.lon, spec.walk)
    return [points.ids[i] for i in np.flatnonzero(links.counts() == 0).tolist()]
