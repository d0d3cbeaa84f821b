"""Footpaths walked along the streets (São Paulo's feed with its OSM extract, r5py's
sample data), checked against scipy's Dijkstra on the same graph."""

from __future__ import annotations

from functools import cache

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from jjj.gtfs.read import read_feed
from jjj.streets import StreetGraph, read_walk_graph, snap_to_nodes
from jjj.streets.geo import haversine_m
from jjj.timetable import Network
from jjj.timetable.build import build_network
from jjj.timetable.footpaths import WalkingModel
from tests.conftest import shared


@cache
def _streets() -> StreetGraph:
    return read_walk_graph(shared("feeds/sao_paulo_r5py/spo_osm.pbf"))


@cache
def _networks() -> tuple[Network, Network]:
    feed = read_feed(shared("feeds/sao_paulo_r5py/spo_gtfs.zip"), "spo")
    return (
        build_network([feed], streets=_streets(), validate=False),
        build_network([feed], validate=False),
    )


def _links(net: Network) -> dict[tuple[int, int], int]:
    tails = np.repeat(np.arange(net.n_stops), np.diff(net.footpaths_offsets))
    return dict(
        zip(
            zip(tails.tolist(), net.footpath_to_stop.tolist(), strict=True),
            net.footpath_seconds.tolist(),
            strict=True,
        )
    )


def test_footpaths_walk_the_streets_as_dijkstra_does() -> None:
    on_streets, _ = _networks()
    model = WalkingModel()
    graph = _streets()
    lat, lon = np.asarray(on_streets.stop_lat), np.asarray(on_streets.stop_lon)
    node, snap = snap_to_nodes(graph, lat, lon)
    linked = np.flatnonzero((node >= 0) & (snap <= model.radius_m))
    assert len(linked) > 100
    matrix = csr_matrix(
        (graph.edge_length_m, graph.edge_to_node, graph.edges_offsets),
        shape=(graph.n_nodes, graph.n_nodes),
    )
    walked = snap[linked, None] + dijkstra(matrix, indices=node[linked])[:, node[linked]]
    walked += snap[None, linked]
    links = _links(on_streets)
    expected = {}
    for i, a in enumerate(linked.tolist()):
        for j, b in enumerate(linked.tolist()):
            if a != b and walked[i, j] <= model.longest_walk_m:
                expected[(a, b)] = int(np.ceil(walked[i, j] / model.speed_mps))
    on = set(linked.tolist())
    assert {p: s for p, s in links.items() if p[0] in on and p[1] in on} == expected
    meta = on_streets.meta["walking"]["streets"]
    assert meta["source"] == "spo_osm.pbf"
    assert meta["stops_off_streets"] == on_streets.n_stops - len(linked)


def test_stops_off_the_streets_keep_their_straight_line_footpaths() -> None:
    on_streets, straight = _networks()
    graph = _streets()
    _, snap = snap_to_nodes(graph, np.asarray(straight.stop_lat), np.asarray(straight.stop_lon))
    off = set(np.flatnonzero(snap > WalkingModel().radius_m).tolist())
    assert off
    street_links, line_links = _links(on_streets), _links(straight)
    touching_off = {p: s for p, s in line_links.items() if p[0] in off or p[1] in off}
    assert touching_off
    assert {p: street_links.get(p) for p in touching_off} == touching_off


def test_a_street_walk_is_never_shorter_than_the_straight_line() -> None:
    on_streets, _ = _networks()
    links = _links(on_streets)
    a = np.array([p[0] for p in links])
    b = np.array([p[1] for p in links])
    seconds = np.array(list(links.values()))
    lat, lon = np.asarray(on_streets.stop_lat), np.asarray(on_streets.stop_lon)
    straight = haversine_m(lat[a], lon[a], lat[b], lon[b])
    assert (seconds >= np.floor(straight / WalkingModel().speed_mps)).all()
