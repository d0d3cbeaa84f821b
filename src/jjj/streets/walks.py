"""Shortest walks on the street graph between points snapped to its nodes.

A bounded Dijkstra per distinct source node (numba, a binary heap from ``heapq``):
scipy's ``csgraph.dijkstra`` would return a dense row of every node per source, which
for thousands of stops on a city's streets is gigabytes for a few hundred walks each.
"""

from __future__ import annotations

import heapq
from typing import Any

import numba as nb
import numpy as np
import numpy.typing as npt

from jjj.streets.graph import StreetGraph

__all__ = ["walks_between"]

I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]


def walks_between(
    graph: StreetGraph, point_node: I32, point_snap_m: F64, limit_m: float
) -> tuple[I32, I32, F64]:
    """Every ordered pair of distinct points joined by a walk of at most ``limit_m``
    metres: each point walks in a straight line to its node (``point_snap_m``), then
    along the streets. Points with node -1 have no walks.

    Returns ``(from_point_idx, to_point_idx, metres)``.
    """
    point_node = np.asarray(point_node, dtype=np.int32)
    point_snap_m = np.asarray(point_snap_m, dtype=np.float64)
    linked = np.flatnonzero((point_node >= 0) & (point_snap_m <= limit_m))
    empty_i = np.zeros(0, dtype=np.int32)
    if len(linked) < 2:
        return empty_i, empty_i, np.zeros(0)
    # the points at each node, as CSR over the nodes that have any
    order = linked[np.argsort(point_node[linked], kind="stable")]
    nodes, first = np.unique(point_node[order], return_index=True)
    offsets = np.append(first, len(order)).astype(np.int64)
    node_slot = np.full(graph.n_nodes, -1, dtype=np.int64)
    node_slot[nodes] = np.arange(len(nodes))
    a, b, metres = _bounded_walks(
        graph.edges_offsets,
        graph.edge_to_node,
        graph.edge_length_m,
        nodes.astype(np.int64),
        offsets,
        order.astype(np.int64),
        node_slot,
        point_snap_m,
        float(limit_m),
    )
    return a, b, metres


@nb.njit(cache=True, nogil=True)
def _bounded_walks(
    edges_offsets: I64,
    edge_to_node: I32,
    edge_length_m: F64,
    nodes: I64,
    node_points_offsets: I64,
    node_points: I64,
    node_slot: I64,
    snap_m: F64,
    limit_m: float,
) -> tuple[I32, I32, F64]:
    n_nodes = edges_offsets.shape[0] - 1
    distance = np.full(n_nodes, np.inf)
    settled = np.zeros(n_nodes, dtype=np.bool_)
    touched = np.empty(n_nodes, dtype=np.int64)
    capacity = 1024
    out_a = np.empty(capacity, dtype=np.int32)
    out_b = np.empty(capacity, dtype=np.int32)
    out_m = np.empty(capacity, dtype=np.float64)
    n_out = 0
    for slot in range(nodes.shape[0]):
        source = nodes[slot]
        lo, hi = node_points_offsets[slot], node_points_offsets[slot + 1]
        nearest_snap = np.inf
        for i in range(lo, hi):
            nearest_snap = min(nearest_snap, snap_m[node_points[i]])
        budget = limit_m - nearest_snap
        n_touched = 0
        distance[source] = 0.0
        touched[n_touched] = source
        n_touched += 1
        heap = [(0.0, source)]
        while len(heap) > 0:
            d, node = heapq.heappop(heap)
            if settled[node]:
                continue
            settled[node] = True
            there = node_slot[node]
            if there >= 0:
                for i in range(lo, hi):
                    p = node_points[i]
                    for j in range(node_points_offsets[there], node_points_offsets[there + 1]):
                        q = node_points[j]
                        walked = snap_m[p] + d + snap_m[q]
                        if p != q and walked <= limit_m:
                            if n_out == capacity:
                                capacity *= 2
                                out_a = _grown(out_a, capacity)
                                out_b = _grown(out_b, capacity)
                                out_m = _grown(out_m, capacity)
                            out_a[n_out] = p
                            out_b[n_out] = q
                            out_m[n_out] = walked
                            n_out += 1
            for e in range(edges_offsets[node], edges_offsets[node + 1]):
                neighbour = np.int64(edge_to_node[e])
                nd = d + edge_length_m[e]
                if nd <= budget and nd < distance[neighbour]:
                    if distance[neighbour] == np.inf:
                        touched[n_touched] = neighbour
                        n_touched += 1
                    distance[neighbour] = nd
                    heapq.heappush(heap, (nd, neighbour))
        for i in range(n_touched):
            distance[touched[i]] = np.inf
            settled[touched[i]] = False
    return out_a[:n_out].copy(), out_b[:n_out].copy(), out_m[:n_out].copy()


@nb.njit(cache=True, nogil=True)
def _grown(values: npt.NDArray[Any], capacity: int) -> npt.NDArray[Any]:
    """``values`` copied into a new array of ``capacity`` elements."""
    grown = np.empty(capacity, dtype=values.dtype)
    grown[: values.shape[0]] = values
    return grown
