"""A walking graph over street nodes, and snapping points to its nodes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from jjj.streets.geo import EARTH_RADIUS_M

__all__ = ["StreetGraph", "snap_to_nodes", "unit_sphere_m"]

I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]


@dataclass(frozen=True)
class StreetGraph:
    """Undirected street segments as a symmetric CSR graph over nodes.

    ``edges_offsets[n]..edges_offsets[n + 1]`` are node ``n``'s segments: the node each
    leads to (``edge_to_node``) and its length in metres (``edge_length_m``).
    """

    node_lat: F64
    node_lon: F64
    edges_offsets: I64
    edge_to_node: I32
    edge_length_m: F64
    source: str = ""

    @property
    def n_nodes(self) -> int:
        return int(self.node_lat.shape[0])

    @property
    def n_edges(self) -> int:
        """Street segments (each listed once per direction in the CSR arrays)."""
        return int(self.edge_to_node.shape[0]) // 2

    def summary(self) -> dict[str, object]:
        return {"source": self.source, "nodes": self.n_nodes, "segments": self.n_edges}


def unit_sphere_m(lat: F64, lon: F64) -> F64:
    """3-D coordinates on a sphere of the Earth's radius (chord ≈ arc below a few km),
    so a k-d tree finds nearest neighbours by distance in metres."""
    phi = np.radians(lat)
    lam = np.radians(lon)
    xyz: F64 = (
        np.column_stack((np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)))
        * EARTH_RADIUS_M
    )
    return xyz


def snap_to_nodes(graph: StreetGraph, lat: F64, lon: F64) -> tuple[I32, F64]:
    """The nearest node of ``graph`` to each point and the straight-line distance to it
    (metres); points without finite coordinates, or an empty graph, give node -1 and
    an infinite distance."""
    from scipy.spatial import cKDTree

    lat = np.asarray(lat, dtype=np.float64)
    lon = np.asarray(lon, dtype=np.float64)
    node = np.full(lat.shape[0], -1, dtype=np.int32)
    distance = np.full(lat.shape[0], np.inf)
    known = np.isfinite(lat) & np.isfinite(lon)
    if graph.n_nodes == 0 or not known.any():
        return node, distance
    tree = cKDTree(unit_sphere_m(graph.node_lat, graph.node_lon))
    chord, nearest = tree.query(unit_sphere_m(lat[known], lon[known]))
    node[known] = nearest.astype(np.int32)
    # arc length from the chord (they differ by under a millimetre at street scale)
    distance[known] = 2 * EARTH_RADIUS_M * np.arcsin(np.minimum(chord / (2 * EARTH_RADIUS_M), 1))
    return node, distance
