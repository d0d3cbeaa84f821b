"""Read the walkable streets of an OpenStreetMap extract (.osm.pbf, .osm, .o5m) with pyosmium."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt

from jjj.errors import StreetsError
from jjj.streets.geo import haversine_m
from jjj.streets.graph import StreetGraph

__all__ = ["MIN_ISLAND_NODES", "WALKABLE_HIGHWAYS", "is_walkable", "read_walk_graph"]

#: highway values a pedestrian may use unless tagged otherwise (as OpenTripPlanner's
#: and R5's default walking permissions; motorways only with ``foot=yes``)
WALKABLE_HIGHWAYS = frozenset(
    {
        "primary", "primary_link", "secondary", "secondary_link", "tertiary",
        "tertiary_link", "unclassified", "residential", "living_street", "service",
        "road", "track", "pedestrian", "footway", "path", "steps", "cycleway",
        "bridleway", "corridor", "platform", "elevator", "crossing", "trail",
        "trunk", "trunk_link",
    }
)  # fmt: skip
_FOOT_ALLOWED = frozenset({"yes", "designated", "permissive", "official", "destination"})
_NO_ACCESS = frozenset({"no", "private"})
#: street pieces with fewer nodes are dropped, so no stop snaps onto an island it
#: cannot walk off (R5 prunes islands of under 40 edges the same way)
MIN_ISLAND_NODES = 40


def is_walkable(tags: dict[str, str]) -> bool:
    """Whether a way with these OSM tags may be walked."""
    foot = tags.get("foot", "")
    if foot == "no":
        return False
    highway = tags.get("highway", "")
    if foot in _FOOT_ALLOWED and highway:
        return highway not in {"proposed", "construction", "abandoned", "razed"}
    if highway not in WALKABLE_HIGHWAYS:
        return False
    return tags.get("access", "") not in _NO_ACCESS


def read_walk_graph(path: str | Path, *, min_island_nodes: int = MIN_ISLAND_NODES) -> StreetGraph:
    """The walking graph of the extract at ``path``: a node per OSM node on a walkable
    way, a segment per consecutive pair (length on the sphere), small islands dropped.

    Raises :class:`jjj.errors.StreetsError` when the file is missing, unreadable or has
    no walkable street."""
    import osmium  # loaded only when a street network is read

    path = Path(path)
    if not path.is_file():
        raise StreetsError(f"{path}: no such street network file")
    ids: list[int] = []
    lats: list[float] = []
    lons: list[float] = []
    piece_ends: list[int] = []  # index in ``ids`` after each run of located nodes
    try:
        processor = (
            osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY)
            .with_locations()
            .with_filter(osmium.filter.KeyFilter("highway"))
        )
        for way in processor:
            if not isinstance(way, osmium.osm.Way) or not is_walkable(dict(way.tags)):
                continue
            for node in way.nodes:
                location = node.location
                if location.valid():
                    ids.append(node.ref)
                    lats.append(location.lat)
                    lons.append(location.lon)
                elif not piece_ends or piece_ends[-1] != len(ids):
                    piece_ends.append(len(ids))  # clipped at the extract's edge
            piece_ends.append(len(ids))
    except RuntimeError as exc:
        raise StreetsError(f"{path}: not a readable OpenStreetMap file ({exc})") from exc
    if not ids:
        raise StreetsError(f"{path}: no walkable street in the extract")
    return _graph(
        np.array(ids, dtype=np.int64),
        np.array(lats),
        np.array(lons),
        np.array(piece_ends, dtype=np.int64),
        min_island_nodes=min_island_nodes,
        source=path.name,
    )


def _graph(
    osm_ids: npt.NDArray[np.int64],
    lat: npt.NDArray[np.float64],
    lon: npt.NDArray[np.float64],
    piece_ends: npt.NDArray[np.int64],
    *,
    min_island_nodes: int,
    source: str,
) -> StreetGraph:
    unique_ids, first, node = np.unique(osm_ids, return_index=True, return_inverse=True)
    node_lat, node_lon = lat[first], lon[first]
    # a segment joins consecutive entries unless a piece ends between them
    joined = np.ones(max(len(osm_ids) - 1, 0), dtype=np.bool_)
    breaks = piece_ends[(piece_ends > 0) & (piece_ends < len(osm_ids))] - 1
    joined[breaks] = False
    a, b = node[:-1][joined], node[1:][joined]
    distinct = a != b
    a, b = a[distinct], b[distinct]
    keep = _nodes_off_islands(len(unique_ids), a, b, min_island_nodes)
    new_index = np.cumsum(keep) - 1
    on = keep[a] & keep[b]
    a, b = new_index[a[on]], new_index[b[on]]
    node_lat, node_lon = node_lat[keep], node_lon[keep]
    length = haversine_m(node_lat[a], node_lon[a], node_lat[b], node_lon[b])
    offsets, to_node, length_m = _symmetric_csr(int(keep.sum()), a, b, length)
    if len(node_lat) == 0:
        raise StreetsError(f"{source}: no walkable street of {min_island_nodes} nodes or more")
    return StreetGraph(
        node_lat=node_lat,
        node_lon=node_lon,
        edges_offsets=offsets,
        edge_to_node=to_node,
        edge_length_m=length_m,
        source=source,
    )


def _nodes_off_islands(
    n_nodes: int, a: npt.NDArray[np.int64], b: npt.NDArray[np.int64], min_nodes: int
) -> npt.NDArray[np.bool_]:
    """Nodes whose connected piece has at least ``min_nodes`` nodes."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    adjacency = coo_matrix((np.ones(len(a)), (a, b)), shape=(n_nodes, n_nodes))
    _, label = connected_components(adjacency, directed=False)
    size = np.bincount(label)
    kept: npt.NDArray[np.bool_] = size[label] >= min_nodes
    return kept


def _symmetric_csr(
    n_nodes: int,
    a: npt.NDArray[np.int64],
    b: npt.NDArray[np.int64],
    length: npt.NDArray[np.float64],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int32], npt.NDArray[np.float64]]:
    """Both directions of every segment, grouped by node; of parallel segments between
    the same two nodes only the shortest is kept."""
    tail = np.concatenate([a, b])
    head = np.concatenate([b, a])
    both = np.concatenate([length, length])
    order = np.lexsort((both, head, tail))
    tail, head, both = tail[order], head[order], both[order]
    first = np.ones(len(tail), dtype=np.bool_)
    first[1:] = (tail[1:] != tail[:-1]) | (head[1:] != head[:-1])
    tail, head, both = tail[first], head[first], both[first]
    offsets = np.zeros(n_nodes + 1, dtype=np.int64)
    np.cumsum(np.bincount(tail, minlength=n_nodes), out=offsets[1:])
    return offsets, head.astype(np.int32), both
