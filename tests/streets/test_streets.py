"""Street networks: reading an OSM extract, snapping, and walks against scipy's Dijkstra."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components, dijkstra

from jjj.cli import main
from jjj.errors import StreetsError
from jjj.streets import StreetGraph, read_walk_graph, snap_to_nodes, walks_between
from jjj.streets.geo import haversine_m
from jjj.streets.osm import MIN_ISLAND_NODES, is_walkable
from tests.conftest import FIXTURES

BOEBLINGEN = FIXTURES / "streets" / "boeblingen-minimal.osm.pbf"


@pytest.fixture(scope="module")
def graph() -> StreetGraph:
    return read_walk_graph(BOEBLINGEN)


def _matrix(graph: StreetGraph) -> csr_matrix:
    return csr_matrix(
        (graph.edge_length_m, graph.edge_to_node, graph.edges_offsets),
        shape=(graph.n_nodes, graph.n_nodes),
    )


def test_the_extract_becomes_a_symmetric_graph_of_segment_lengths(graph: StreetGraph) -> None:
    assert graph.n_nodes == 1453 and graph.n_edges == 1721
    m = _matrix(graph)
    assert (m != m.T).nnz == 0  # every segment both ways, the same length
    tails = np.repeat(np.arange(graph.n_nodes), np.diff(graph.edges_offsets))
    heads = graph.edge_to_node
    expected = haversine_m(
        graph.node_lat[tails], graph.node_lon[tails], graph.node_lat[heads], graph.node_lon[heads]
    )
    np.testing.assert_allclose(graph.edge_length_m, expected, rtol=1e-9)
    assert (graph.edge_length_m > 0).all()
    _, label = connected_components(m, directed=False)
    assert np.bincount(label).min() >= MIN_ISLAND_NODES


def test_islands_are_pruned_only_below_the_threshold() -> None:
    every_piece = read_walk_graph(BOEBLINGEN, min_island_nodes=1)
    _, label = connected_components(_matrix(every_piece), directed=False)
    sizes = np.bincount(label)
    assert every_piece.n_nodes == 1453 + int(sizes[sizes < MIN_ISLAND_NODES].sum())


@pytest.mark.parametrize(
    ("tags", "walkable"),
    [
        ({"highway": "residential"}, True),
        ({"highway": "footway"}, True),
        ({"highway": "primary", "foot": "no"}, False),
        ({"highway": "motorway"}, False),
        ({"highway": "motorway", "foot": "yes"}, True),
        ({"highway": "service", "access": "private"}, False),
        ({"highway": "service", "access": "private", "foot": "yes"}, True),
        ({"highway": "construction"}, False),
        ({"building": "yes"}, False),
    ],
)
def test_walking_permissions_follow_the_tags(tags: dict[str, str], walkable: bool) -> None:
    assert is_walkable(tags) is walkable


def test_walks_equal_scipy_dijkstra_between_random_points(graph: StreetGraph) -> None:
    rng = np.random.default_rng(3)
    n = 300
    lat = rng.uniform(graph.node_lat.min(), graph.node_lat.max(), n)
    lon = rng.uniform(graph.node_lon.min(), graph.node_lon.max(), n)
    node, snap = snap_to_nodes(graph, lat, lon)
    # the snapped node is the nearest one
    every = haversine_m(
        lat[:, None], lon[:, None], graph.node_lat[None, :], graph.node_lon[None, :]
    )
    np.testing.assert_array_equal(node, every.argmin(axis=1))
    np.testing.assert_allclose(snap, every.min(axis=1), atol=1e-6)
    limit = 500.0
    a, b, metres = walks_between(graph, node, snap, limit)
    oracle = snap[:, None] + dijkstra(_matrix(graph), indices=node)[:, node] + snap[None, :]
    np.fill_diagonal(oracle, np.inf)
    expected = np.argwhere(oracle <= limit)
    assert len(expected) > 1000
    got = np.column_stack([a, b])
    np.testing.assert_array_equal(got[np.lexsort((b, a))], expected)
    np.testing.assert_allclose(metres[np.lexsort((b, a))], oracle[oracle <= limit], rtol=1e-12)
    # a street walk is never shorter than the straight line
    assert (metres + 1e-6 >= haversine_m(lat[a], lon[a], lat[b], lon[b])).all()


def test_points_off_the_graph_have_no_walks(graph: StreetGraph) -> None:
    lat = np.array([graph.node_lat[0], np.nan, graph.node_lat[1]])
    lon = np.array([graph.node_lon[0], np.nan, graph.node_lon[1]])
    node, snap = snap_to_nodes(graph, lat, lon)
    assert node[1] == -1 and np.isinf(snap[1])
    a, b, _ = walks_between(graph, node, snap, 10_000.0)
    assert 1 not in set(a) | set(b)


def test_a_missing_or_unreadable_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StreetsError, match=r"nothing\.osm\.pbf: no such street network file"):
        read_walk_graph(tmp_path / "nothing.osm.pbf")
    text = tmp_path / "stops.txt"
    text.write_text("stop_id,stop_name\n")
    with pytest.raises(StreetsError, match=r"stops\.txt: not a readable OpenStreetMap file"):
        read_walk_graph(text)


def test_build_with_a_bad_street_file_prints_one_line_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "net.jjjnet"
    feed = FIXTURES / "feeds" / "cairns_gtfs.zip"
    with pytest.raises(SystemExit) as exit_info:
        main(["build", str(feed), "--streets", str(tmp_path / "none.pbf"), "--out", str(out)])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1] == f"jjj: error: {tmp_path / 'none.pbf'}: no such street network file"
    assert "Traceback" not in "\n".join(err)
    assert not out.exists()
