"""Street networks from OpenStreetMap: the walking graph, snapping, walks between stops
(and the great-circle distance every layer above uses, :mod:`jjj.streets.geo`)."""

from jjj.streets.graph import StreetGraph, snap_to_nodes
from jjj.streets.osm import read_walk_graph
from jjj.streets.walks import walks_between

__all__ = ["StreetGraph", "read_walk_graph", "snap_to_nodes", "walks_between"]
