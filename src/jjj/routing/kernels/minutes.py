"""Which departures of a range query need a search of their own.

Range RAPTOR runs departures latest first on reused labels. Leaving at ``d`` instead
of the next later departure ``d'`` only changes the answer if some vehicle can be
boarded from the access stops when leaving at ``d`` but not at ``d'``: a departure at
access stop ``s`` (walk ``w``) with ``d + w <= departure < d' + w``. Otherwise every
journey leaving at ``d`` is one leaving at ``d'`` with a longer wait at the start, so
the search at ``d`` would improve no ride label (R5 skips such minutes the same way).
Likewise, within a searched minute only the access stops with a new vehicle need to
start the search: the others board the trips the later minute's search boarded.
"""

from __future__ import annotations

import numba as nb
import numpy as np
import numpy.typing as npt

from jjj.routing.kernels.arrays import NO_PICKUP, ViewArrays, i64

__all__ = ["departures_to_search", "minutes_to_search", "new_departures"]

I32 = npt.NDArray[np.int32]
B1 = npt.NDArray[np.bool_]


@nb.njit(cache=True, nogil=True)
def new_departures(
    view: ViewArrays, access_stops: I32, access_seconds: I32, departures: I32
) -> npt.NDArray[np.bool_]:
    """``new[m, i]``: whether access stop ``i`` offers a vehicle when leaving at
    ``departures[m]`` (strictly latest first) that it did not when leaving at the next
    later departure ``departures[m - 1]``; every stop is new for the first (latest)."""
    n = departures.shape[0]
    new = np.zeros((n, access_stops.shape[0]), dtype=np.bool_)
    if n == 0:
        return new
    new[0, :] = True
    latest = i64(departures[0])
    earliest = i64(departures[n - 1])
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
                board = i64(pat.departures[row + q]) - w
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
                new[a, i] = True
    return new


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
