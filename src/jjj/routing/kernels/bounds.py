"""Lower bounds on the time from each stop to the destination (target pruning).

A one-to-one search may drop a label at stop ``s`` reached at ``t`` as soon as
``t + lower_bound[s]`` is no earlier than the best arrival at the destination found
so far: no journey through that label can beat it. The bound is the shortest time
from ``s`` to the destination in a graph that ignores waiting: an edge for each pair
of consecutive stops of a view-pattern weighted by the quickest ride between them on
the day, each footpath, and each transfer rule linking two stops (weight 0), all
reversed and searched from the egress stops (weighted by their walks) by Dijkstra.
Since every real journey's ride, walk and transfer times are at least these weights,
the bound never exceeds the truth, and pruning by it changes no answer. It is
computed once per destination; range searches reuse it for every departure.

A view may also carry a table of such bounds between areas (cells of a grid over
the stops, :mod:`jjj.routing.bound_table`): ``area_bounds[c, o]`` is the least bound
from any stop of area ``o`` to any stop of area ``c``. A search then takes its
bounds from the table at once (:func:`bounds_from_areas`: a few rows folded, no
Dijkstra), slightly looser than the exact ones but there from the first round.
"""

from __future__ import annotations

from typing import Any

import numba as nb
import numpy as np
import numpy.typing as npt

from jjj.routing.kernels.arrays import BOUND_RING, U16, Labels, StopLinks, WorkLists, i64, inner

__all__ = [
    "AREA_UNBOUNDED",
    "NO_AREA_BOUNDS",
    "NO_BOUND",
    "RING",
    "area_bound_rows",
    "bound_graph",
    "bounds_from_areas",
    "compute_lower_bounds",
    "destination_area_bounds",
    "destination_bounds",
]

I64 = npt.NDArray[np.int64]
I32 = npt.NDArray[np.int32]

#: The bound of a stop from which the destination cannot be reached at all.
NO_BOUND = 1 << 30
#: Buckets in Dijkstra's ring; edge weights are clipped below it.
RING = BOUND_RING
#: The largest entry of an area table (seconds): bounds beyond it are clipped to it,
#: which keeps them bounds.
AREA_UNBOUNDED = 65535
#: The area fields of a view without an area table.
NO_AREA_BOUNDS: dict[str, Any] = {
    "stop_area": np.zeros(0, dtype=np.int32),
    "area_bounds": np.zeros((0, 0), dtype=np.uint16),
}


@nb.njit(cache=True)
def _quickest_hops(
    vp_stops_offsets: I64,
    vp_trips_offsets: I64,
    vp_times_offsets: I64,
    vp_stops: I32,
    arrivals: I32,
    departures: I32,
) -> tuple[I32, I32, I32]:
    """(tail stop, head stop, quickest ride seconds) for each pair of consecutive
    positions of every view-pattern."""
    n = max(vp_stops.shape[0] - (vp_stops_offsets.shape[0] - 1), 0)  # positions less patterns
    tail = np.empty(n, dtype=np.int32)
    head = np.empty(n, dtype=np.int32)
    seconds = np.empty(n, dtype=np.int32)
    e = 0
    for vp in range(vp_stops_offsets.shape[0] - 1):
        s0 = vp_stops_offsets[vp]
        n_pos = vp_stops_offsets[vp + 1] - s0
        n_trips = vp_trips_offsets[vp + 1] - vp_trips_offsets[vp]
        base = vp_times_offsets[vp]
        for j in range(n_pos - 1):
            quickest = np.iinfo(np.int32).max
            for q in range(n_trips):
                # arrivals trip by trip, departures position by position
                ride = arrivals[base + q * n_pos + j + 1] - departures[base + j * n_trips + q]
                quickest = min(quickest, ride)
            tail[e] = vp_stops[s0 + j]
            head[e] = vp_stops[s0 + j + 1]
            seconds[e] = max(quickest, 0)
            e += 1
    return tail[:e], head[:e], seconds[:e]


def bound_graph(
    pat: Any, footpaths: dict[str, Any], rules: Any, n_stops: int
) -> dict[str, npt.NDArray[Any]]:
    """The reversed graph of the module doc as CSR by head stop: ``bound_offsets``,
    ``bound_tail`` (the stop each edge comes from), ``bound_seconds`` (parallel edges
    merged to the quickest)."""
    hop_tail, hop_head, hop_seconds = _quickest_hops(
        pat.vp_stops_offsets,
        pat.vp_trips_offsets,
        pat.vp_times_offsets,
        pat.vp_stops,
        pat.arrivals,
        pat.departures,
    )
    offsets = np.asarray(footpaths["footpaths_offsets"])
    walk_tail = np.repeat(np.arange(n_stops, dtype=np.int32), np.diff(offsets))
    linked = (
        (rules.rule_from_stop >= 0)
        & (rules.rule_to_stop >= 0)
        & (rules.rule_from_stop != rules.rule_to_stop)
    )
    tail = np.concatenate([hop_tail, walk_tail, rules.rule_from_stop[linked]]).astype(np.int64)
    head = np.concatenate(
        [hop_head, footpaths["footpath_to_stop"], rules.rule_to_stop[linked]]
    ).astype(np.int64)
    seconds = np.concatenate(
        [hop_seconds, footpaths["footpath_seconds"], np.zeros(int(linked.sum()), np.int32)]
    ).astype(np.int64)
    order = np.lexsort((seconds, tail, head))
    tail, head, seconds = tail[order], head[order], seconds[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = (tail[1:] != tail[:-1]) | (head[1:] != head[:-1])
    tail, head, seconds = tail[first], head[first], seconds[first]
    bound_offsets = np.zeros(n_stops + 1, dtype=np.int64)
    np.cumsum(np.bincount(head, minlength=n_stops), out=bound_offsets[1:])
    return {
        "bound_offsets": bound_offsets,
        "bound_tail": tail.astype(np.int32),
        "bound_seconds": np.minimum(seconds, RING - 1).astype(np.int32),
    }


@inner
def compute_lower_bounds(links: StopLinks, labels: Labels, work: WorkLists, cap: int) -> None:
    """``labels.lower_bound[s]``: the bound of the module doc from each stop to the
    destination (``labels.egress_seconds``), exact up to ``cap`` seconds and
    ``cap + 1`` beyond (or NO_BOUND where the destination is out of reach).

    Dijkstra with a ring of one-second buckets (Dial's algorithm): edge weights are
    whole seconds below :data:`RING` (longer ones are clipped, which keeps the bound
    a bound), so each bucket holds one distance and a stop moves between buckets in
    constant time (doubly linked lists, written out in the loop: numba's calls to
    helpers taking arrays cost more than the work here)."""
    bound = labels.lower_bound
    egress = labels.egress_seconds
    head = work.bound_buckets
    after = work.bound_next
    before = work.bound_prev
    offsets = links.bound_offsets
    tails = links.bound_tail
    seconds = links.bound_seconds
    bound.fill(NO_BOUND)
    head.fill(-1)
    waiting = i64(0)
    d = i64(RING)
    for s in range(egress.shape[0]):
        w = i64(egress[s])
        if w >= 0:
            w = min(w, RING - 1)
            bound[s] = w
            b = w & (RING - 1)
            first = head[b]
            after[s] = first
            before[s] = -1
            if first >= 0:
                before[first] = s
            head[b] = s
            waiting += 1
            d = min(d, w)
    while waiting > 0 and d <= cap:
        b = d & (RING - 1)
        while head[b] >= 0:
            u = i64(head[b])
            nxt = after[u]
            head[b] = nxt
            if nxt >= 0:
                before[nxt] = -1
            waiting -= 1
            for e in range(offsets[u], offsets[u + 1]):
                v = i64(tails[e])
                x = d + i64(seconds[e])
                old = i64(bound[v])
                if x < old:
                    if old == NO_BOUND:
                        waiting += 1
                    else:  # unlink v from the bucket of its old distance
                        nxt = after[v]
                        prv = before[v]
                        if prv >= 0:
                            after[prv] = nxt
                        else:
                            head[old & (RING - 1)] = nxt
                        if nxt >= 0:
                            before[nxt] = prv
                    bound[v] = x
                    bx = x & (RING - 1)
                    first = head[bx]
                    after[v] = first
                    before[v] = -1
                    if first >= 0:
                        before[first] = v
                    head[bx] = v
        d += 1
    if waiting > 0:
        # stopped at the cap: stops not settled are at least cap + 1 away
        for s in range(bound.shape[0]):
            if bound[s] > cap:
                bound[s] = cap + 1


@nb.njit(cache=True, nogil=True)
def destination_bounds(links: StopLinks, labels: Labels, work: WorkLists, cap: int) -> None:
    """:func:`compute_lower_bounds` callable from Python (inspection and tests)."""
    compute_lower_bounds(links, labels, work, i64(cap))


@nb.njit(cache=True, nogil=True)
def area_bound_rows(
    links: StopLinks,
    labels: Labels,
    work: WorkLists,
    area_offsets: I64,
    area_stops: I32,
    stop_area: I32,
    first: int,
    last: int,
    out: U16,
) -> None:
    """Rows ``first..last - 1`` of an area table: ``out[c, o]``, the least bound from a
    stop of area ``o`` to the stops of area ``c`` (one Dijkstra per row, from the
    area's stops with no walk; ``labels`` and ``work`` are scratch)."""
    egress = labels.egress_seconds
    bound = labels.lower_bound
    for c in range(first, last):
        egress.fill(-1)
        for i in range(area_offsets[c], area_offsets[c + 1]):
            egress[area_stops[i]] = 0
        compute_lower_bounds(links, labels, work, i64(AREA_UNBOUNDED - 1))
        row = out[c]
        row.fill(AREA_UNBOUNDED)
        for s in range(bound.shape[0]):
            o = stop_area[s]
            if bound[s] < row[o]:
                row[o] = min(bound[s], AREA_UNBOUNDED)


@inner
def bounds_from_areas(
    links: StopLinks, labels: Labels, work: WorkLists, egress_stops: I32, egress_seconds: I32
) -> None:
    """``labels.lower_bound`` from the view's area table for the destination reached
    from ``egress_stops`` in ``egress_seconds``: for a stop of area ``o``, the least
    ``area_bounds[c, o] + walk`` over the egress stops (area ``c``, walk ``walk``;
    every stop has an area). Dijkstra's scratch lists hold the per-area values (no
    Dijkstra runs when the table gives the bounds)."""
    table = links.area_bounds
    stop_area = links.stop_area
    bound = labels.lower_bound
    n_areas = table.shape[0]
    walk = work.bound_next  # per area: the shortest walk from its egress stops, -1 none
    area_bound = work.bound_prev  # per area: its stops' bound
    walk[:n_areas] = -1
    area_bound[:n_areas] = NO_BOUND
    for i in range(egress_stops.shape[0]):
        c = stop_area[egress_stops[i]]
        if walk[c] < 0 or egress_seconds[i] < walk[c]:
            walk[c] = egress_seconds[i]
    for i in range(egress_stops.shape[0]):
        c = stop_area[egress_stops[i]]
        if walk[c] < 0:
            continue  # its row is folded already
        w = np.int32(walk[c])
        walk[c] = -1
        row = table[c]
        # a branch-free minimum in int32 (no overflow: at most 65,535 plus a walk),
        # which numba vectorizes: 3.4 times faster than a comparison per entry
        for o in range(n_areas):
            area_bound[o] = min(area_bound[o], np.int32(row[o]) + w)
    for s in range(bound.shape[0]):
        bound[s] = area_bound[np.uint64(stop_area[s])]


@nb.njit(cache=True, nogil=True)
def destination_area_bounds(
    links: StopLinks, labels: Labels, work: WorkLists, egress_stops: I32, egress_seconds: I32
) -> None:
    """:func:`bounds_from_areas` callable from Python (inspection and tests)."""
    bounds_from_areas(links, labels, work, egress_stops, egress_seconds)
