"""Which departures of a range query need a search of their own.

Range RAPTOR runs departures latest first on reused labels. Leaving at ``d`` instead
of the next later departure ``d'`` only changes the answer if some vehicle can be
boarded from the access stops when leaving at ``d`` but not at ``d'``: a departure at
access stop ``s`` (walk ``w``) with ``d + w <= departure < d' + w``. Otherwise every
journey leaving at ``d`` is one leaving at ``d'`` with a longer wait at the start, so
the search at ``d`` would improve no ride label (R5 skips such minutes the same way).
Likewise, within a searched minute only the access stops with a new vehicle need to
start the search: the others board the trips the later minute's search boarded.
Towards a destination, with lower bounds known, a new vehicle that leaves too late to
beat the best arrival so far starts nothing either (:func:`starts_within_bound`).
"""

from __future__ import annotations

import numba as nb
import numpy as np
import numpy.typing as npt

from jjj.routing.kernels.arrays import NO_PICKUP, ViewArrays, i64

__all__ = [
    "NO_NEW",
    "departures_to_search",
    "first_new_departures",
    "minutes_to_search",
    "new_departures",
    "starts_within_bound",
]

I32 = npt.NDArray[np.int32]
B1 = npt.NDArray[np.bool_]


#: ``first_new_departures``: no new vehicle at this access stop for this departure
NO_NEW = np.iinfo(np.int32).max


@nb.njit(cache=True, nogil=True)
def first_new_departures(
    view: ViewArrays, access_stops: I32, access_seconds: I32, departures: I32
) -> I32:
    """``first[m, i]``: when the earliest vehicle leaves access stop ``i`` that can be
    boarded leaving at ``departures[m]`` (strictly latest first) but not at the next
    later departure ``departures[m - 1]``, :data:`NO_NEW` if none. Every stop is new
    for the first (latest) departure, with the time one reaches it then."""
    n = departures.shape[0]
    first = np.full((n, access_stops.shape[0]), NO_NEW, dtype=np.int32)
    if n == 0:
        return first
    latest = i64(departures[0])
    earliest = i64(departures[n - 1])
    for i in range(access_stops.shape[0]):
        first[0, i] = latest + access_seconds[i]
    pat = view.pat
    links = view.links
    for i in range(access_stops.shape[0]):
        s = i64(access_stops[i])
        w = i64(access_seconds[i])
        for x in range(links.stop_vps_offsets[s], links.stop_vps_offsets[s + 1]):
            vp = i64(links.stop_vps[x])
            j = i64(links.stop_vps_pos[x])
            if pat.vp_pos_flags[pat.vp_stops_offsets[vp] + j] & NO_PICKUP:
                continue
            t0 = pat.vp_trips_offsets[vp]
            n_trips = pat.vp_trips_offsets[vp + 1] - t0
            row = pat.vp_times_offsets[vp] + j * n_trips
            # first trip leaving at or after the earliest departure's arrival at s
            lo = i64(0)
            hi = n_trips
            while lo < hi:
                mid = (lo + hi) // 2
                if pat.departures[row + mid] >= earliest + w:
                    hi = mid
                else:
                    lo = mid + 1
            for q in range(lo, n_trips):
                leaves = i64(pat.departures[row + q])
                board = leaves - w
                if board >= latest:
                    break
                # the departure m with departures[m] <= board < departures[m - 1]
                a = i64(1)
                b = n - 1
                while a < b:
                    mid = (a + b) // 2
                    if departures[mid] <= board:
                        b = mid
                    else:
                        a = mid + 1
                if leaves < first[a, i]:
                    first[a, i] = leaves
    return first


@nb.njit(cache=True, nogil=True)
def new_departures(
    view: ViewArrays, access_stops: I32, access_seconds: I32, departures: I32
) -> npt.NDArray[np.bool_]:
    """``new[m, i]``: whether access stop ``i`` offers a vehicle when leaving at
    ``departures[m]`` (strictly latest first) that it did not when leaving at the next
    later departure ``departures[m - 1]``; every stop is new for the first (latest)."""
    new: npt.NDArray[np.bool_] = (
        first_new_departures(view, access_stops, access_seconds, departures) != NO_NEW
    )
    return new


@nb.njit(cache=True, nogil=True)
def starts_within_bound(
    first: I32, access_stops: I32, lower_bound: I32, limit: int, new: B1
) -> bool:
    """Clear ``new[i]`` where the first new vehicle (``first[i]``) leaves too late to
    reach the destination before ``limit`` (it leaves at ``first[i]`` and no journey
    from its stop takes less than ``lower_bound``); returns whether any start is left.
    Later vehicles leave later still, and ``limit`` only falls as departures get
    earlier, so a start cleared here could improve no earlier departure either."""
    left = False
    for i in range(access_stops.shape[0]):
        if new[i]:
            if i64(first[i]) + lower_bound[access_stops[i]] >= limit:
                new[i] = False
            else:
                left = True
    return left


@nb.njit(cache=True, nogil=True)
def departures_to_search(
    view: ViewArrays, access_stops: I32, access_seconds: I32, departures: I32
) -> B1:
    """``searched[m]``: whether ``departures[m]`` (strictly latest first) needs its own
    search; the first (latest) always does. A departure not searched has the answer
    of the next later one (plus the wait) as far as rides go."""
    return minutes_to_search(new_departures(view, access_stops, access_seconds, departures))


@nb.njit(cache=True, nogil=True)
def minutes_to_search(new: npt.NDArray[np.bool_]) -> B1:
    """``searched[m]``: whether row ``m`` of :func:`new_departures` needs a search (the
    first always does, the others when some access stop offers a new vehicle)."""
    searched = np.zeros(new.shape[0], dtype=np.bool_)
    for m in range(new.shape[0]):
        searched[m] = m == 0 or new[m].any()
    return searched
