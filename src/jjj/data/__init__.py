"""The bundled Beijing–Tianjin–Hebei region: feeds, places, connections, population.

Built by ``scripts/build_region.py`` from public sources; see ``jjj/data/jjj/NOTES.md``
for each source, its licence and what is modelled.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "FEED_NAMES",
    "connections_path",
    "feed_path",
    "feed_paths",
    "notes_path",
    "places_path",
    "population_path",
    "region_dir",
]

#: The bundled feeds; each name is also the namespace of its ids in a merged network.
FEED_NAMES: tuple[str, ...] = ("beijing_subway", "intercity_rail")


def region_dir() -> Path:
    """The folder holding the bundled region's files."""
    return Path(__file__).resolve().parent / "jjj"


def feed_path(name: str) -> Path:
    """The GTFS zip of bundled feed ``name`` (``"beijing_subway"`` or ``"intercity_rail"``).

    Raises
    ------
    KeyError
        If ``name`` is not a bundled feed.
    """
    if name not in FEED_NAMES:
        raise KeyError(f"{name!r} is not a bundled feed; choose one of {', '.join(FEED_NAMES)}")
    return region_dir() / f"{name}.zip"


def feed_paths() -> dict[str, Path]:
    """Every bundled feed by name, in a fixed order."""
    return {name: feed_path(name) for name in FEED_NAMES}


def connections_path() -> Path:
    """``connections.txt``: rail ↔ subway links (feed-prefixed stop ids, seconds, note)."""
    return region_dir() / "connections.txt"


def places_path() -> Path:
    """``places.csv``: the names a user can type, with the stop ids they stand for."""
    return region_dir() / "places.csv"


def population_path() -> Path:
    """The 222 county units with 2020 census population (GeoJSON, WGS84)."""
    return region_dir() / "population" / "bth_counties_2020census.geojson"


def notes_path() -> Path:
    """``NOTES.md``: sources, licences and what is modelled."""
    return region_dir() / "NOTES.md"
