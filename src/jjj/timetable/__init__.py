"""The compiled timetable: one merged network of flat arrays, saved and memory-mapped."""

from jjj.timetable.network import Network
from jjj.timetable.store import load_network, save_network
from jjj.timetable.strings import StringTable

__all__ = ["Network", "StringTable", "load_network", "save_network"]
