"""Origins and destinations: named WGS84 points read from CSV (``id,lat,lon``) or GeoJSON.

A CSV needs the columns ``id``, ``lat`` and ``lon`` (any order, more columns are
ignored). A GeoJSON file is a FeatureCollection of Point features; the id is the
feature's ``id`` or its ``id`` property, else its position (``"0"``, ``"1"``, ...).
Ids must be unique; every bad row is named by file, line (or feature) and field.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from jjj.errors import AccessError

__all__ = ["Points", "parse_lat_lon", "read_points"]

F64 = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Points:
    """Named points in WGS84 degrees (``ids[i]`` is at ``lat[i]``, ``lon[i]``)."""

    ids: list[str]
    lat: F64
    lon: F64

    def __post_init__(self) -> None:
        if not len(self.ids) == self.lat.shape[0] == self.lon.shape[0]:
            raise AccessError("points: ids, lat and lon differ in length")

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def from_lists(cls, ids: Sequence[str], lat: Sequence[float], lon: Sequence[float]) -> Points:
        """Points from plain sequences."""
        return cls(list(ids), np.asarray(lat, dtype=np.float64), np.asarray(lon, dtype=np.float64))

    def take(self, index: npt.NDArray[np.int64] | slice) -> Points:
        """The points at ``index`` (an integer array or slice)."""
        positions = np.arange(len(self.ids))[index]
        return Points(
            [self.ids[i] for i in positions.tolist()], self.lat[positions], self.lon[positions]
        )


def _coordinate(text: str, *, where: str, field: str, low: float, high: float) -> float:
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise AccessError(f"{where}: field {field}: {text!r} is not a number") from None
    if not math.isfinite(value) or not low <= value <= high:
        raise AccessError(f"{where}: field {field}: {value} is outside [{low}, {high}]")
    return value


def parse_lat_lon(text: str, *, where: str = "point") -> tuple[float, float]:
    """``"lat,lon"`` in degrees, checked for range."""
    parts = text.split(",")
    if len(parts) != 2:
        raise AccessError(f"{where}: {text!r} is not 'lat,lon'")
    lat = _coordinate(parts[0].strip(), where=where, field="lat", low=-90, high=90)
    lon = _coordinate(parts[1].strip(), where=where, field="lon", low=-180, high=180)
    return lat, lon


def _read_csv(path: Path) -> Points:
    ids: list[str] = []
    lat: list[float] = []
    lon: list[float] = []
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        header = [name.strip() for name in reader.fieldnames or []]
        missing = [name for name in ("id", "lat", "lon") if name not in header]
        if missing:
            raise AccessError(f"{path}:1: missing column(s) {', '.join(missing)}")
        reader.fieldnames = header
        for line, row in enumerate(reader, start=2):
            where = f"{path}:{line}"
            point_id = (row.get("id") or "").strip()
            if not point_id:
                raise AccessError(f"{where}: field id: empty")
            lat.append(
                _coordinate(row.get("lat") or "", where=where, field="lat", low=-90, high=90)
            )
            lon.append(
                _coordinate(row.get("lon") or "", where=where, field="lon", low=-180, high=180)
            )
            ids.append(point_id)
    return _unique(path, ids, lat, lon)


def _read_geojson(path: Path) -> Points:
    try:
        document: Any = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise AccessError(f"{path}:{exc.lineno}: not JSON ({exc.msg})") from None
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list):
        raise AccessError(f"{path}: not a GeoJSON FeatureCollection")
    ids: list[str] = []
    lat: list[float] = []
    lon: list[float] = []
    for number, feature in enumerate(features):
        where = f"{path}: feature {number}"
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if not isinstance(geometry, dict) or geometry.get("type") != "Point":
            raise AccessError(f"{where}: field geometry: not a Point")
        coordinates = geometry.get("coordinates")
        if not isinstance(coordinates, list) or len(coordinates) < 2:
            raise AccessError(f"{where}: field coordinates: expected [lon, lat]")
        properties = feature.get("properties") or {}
        point_id = feature.get("id", properties.get("id", number))
        ids.append(str(point_id))
        lon.append(_coordinate(str(coordinates[0]), where=where, field="lon", low=-180, high=180))
        lat.append(_coordinate(str(coordinates[1]), where=where, field="lat", low=-90, high=90))
    return _unique(path, ids, lat, lon)


def _unique(path: Path, ids: list[str], lat: list[float], lon: list[float]) -> Points:
    seen: set[str] = set()
    for point_id in ids:
        if point_id in seen:
            raise AccessError(f"{path}: field id: {point_id!r} appears more than once")
        seen.add(point_id)
    return Points.from_lists(ids, lat, lon)


def read_points(path: str | Path) -> Points:
    """Read points from a CSV (``id,lat,lon``) or a GeoJSON file of Point features.

    Raises
    ------
    AccessError
        The file is missing, or a row lacks a field, has a bad coordinate or repeats an id.
    """
    source = Path(path)
    if not source.is_file():
        raise AccessError(f"{source}: no such file")
    if source.suffix.lower() in (".geojson", ".json"):
        return _read_geojson(source)
    return _read_csv(source)
