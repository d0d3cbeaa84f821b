"""Look up places of the bundled region by name, in English or Chinese.

``find_place("Beijing South")``, ``find_place("北京南")``, ``find_place("tiananmen east")``
and ``find_place("Xiong'an")`` all work: names are compared without case, accents,
spaces or punctuation. A name that is no place's exact name or alias falls back to the
places whose names start with it, then contain it.
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from jjj.data import places_path

__all__ = ["Place", "find_place", "load_places", "normalise_name", "search_places"]

#: Which kind of place wins when several have the same name ("Tianjin": the city).
_TYPE_ORDER = {"city": 0, "rail_station": 1, "subway_station": 2}


@dataclass(frozen=True)
class Place:
    """A named place and the stops (``feed:stop_id``) it stands for.

    ``type`` is ``city``, ``rail_station`` or ``subway_station``; ``kind`` says more
    (``municipality``, ``railway station (jingjin, ...)``, ...).
    """

    type: str
    name: str
    name_zh: str
    aliases: tuple[str, ...]
    kind: str
    lat: float
    lon: float
    stop_ids: tuple[str, ...]
    source: str

    @property
    def names(self) -> tuple[str, ...]:
        """The English name, the Chinese name and every alias."""
        return (self.name, self.name_zh, *self.aliases)


def normalise_name(text: str) -> str:
    """Case-, accent-, space- and punctuation-free form: ``Tian'anmen East`` → ``tiananmeneast``."""
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
    kept = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return "".join(ch for ch in kept.casefold() if ch.isalnum())


def load_places(path: Path | None = None) -> tuple[Place, ...]:
    """Every place of ``places.csv`` (the bundled one by default), in file order."""
    if path is None:
        return _bundled()
    return _read(path)


@lru_cache(maxsize=1)
def _bundled() -> tuple[Place, ...]:
    return _read(places_path())


def _read(path: Path) -> tuple[Place, ...]:
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple(
            Place(
                type=row["type"],
                name=row["name"],
                name_zh=row["name_zh"],
                aliases=tuple(a for a in row["aliases"].split("|") if a),
                kind=row["kind"],
                lat=float(row["lat"]),
                lon=float(row["lon"]),
                stop_ids=tuple(row["stop_ids"].split()),
                source=row["source"],
            )
            for row in csv.DictReader(handle)
        )


def _rank(place: Place, key: str) -> tuple[int, int, int] | None:
    """Lower is better; ``None`` when ``key`` does not match the place at all."""
    primary = {normalise_name(place.name), normalise_name(place.name_zh)}
    aliases = {normalise_name(a) for a in place.aliases}
    order = _TYPE_ORDER.get(place.type, 9)
    if key in primary:
        return (0, order, 0)
    if key in aliases:
        return (1, order, 0)
    names = primary | aliases
    prefix = [len(n) for n in names if n.startswith(key)]
    if prefix:
        return (2, order, min(prefix))
    inside = [len(n) for n in names if key in n]
    if inside:
        return (3, order, min(inside))
    return None


def search_places(
    query: str, *, limit: int = 10, places: tuple[Place, ...] | None = None
) -> list[Place]:
    """Places matching ``query``, best first: exact names, aliases, prefixes, substrings.

    Ties go to cities, then railway stations, then subway stations, then shorter names.
    """
    key = normalise_name(query)
    if not key:
        return []
    candidates = load_places() if places is None else places
    ranked = [(rank, index) for index, p in enumerate(candidates) if (rank := _rank(p, key))]
    ranked.sort()
    return [candidates[index] for _, index in ranked[:limit]]


def find_place(name: str, *, places: tuple[Place, ...] | None = None) -> Place | None:
    """The best place for ``name`` (see :func:`search_places`), or ``None``."""
    found = search_places(name, limit=1, places=places)
    return found[0] if found else None
