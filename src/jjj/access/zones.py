"""Population zones: polygons with a head count (the county census of the bundled region).

Read from GeoJSON (WGS84). For the bundled county file the fields are found by
name (``POPU`` population, ``ENG_NAME``/``NAME`` names, ``prov`` province,
``CODE`` code); for other files pass the field names.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely

from jjj.errors import AccessError

__all__ = ["Zones", "read_zones"]

F64 = npt.NDArray[np.float64]

_POPULATION_FIELDS = ("POPU", "population", "pop", "POP")
_NAME_FIELDS = ("ENG_NAME", "name", "NAME")
_LOCAL_NAME_FIELDS = ("NAME", "name_local", "name")
_GROUP_FIELDS = ("prov", "province", "group")
_CODE_FIELDS = ("CODE", "code", "id")


@dataclass(frozen=True)
class Zones:
    """Polygons (WGS84) with population; ``group`` is the province or city of each."""

    codes: list[str]
    names: list[str]
    local_names: list[str]
    groups: list[str]
    population: F64
    geometry: npt.NDArray[np.object_]
    source: str = ""

    def __len__(self) -> int:
        return len(self.names)

    @property
    def total_population(self) -> float:
        return float(self.population.sum())

    def bounds(self) -> tuple[float, float, float, float]:
        """``(lon_min, lat_min, lon_max, lat_max)`` of all zones."""
        b = shapely.total_bounds(self.geometry)
        return float(b[0]), float(b[1]), float(b[2]), float(b[3])

    def label(self, index: int) -> str:
        """``name (local name, group)`` for reports."""
        local = self.local_names[index]
        name = self.names[index]
        extra = [part for part in (local if local != name else "", self.groups[index]) if part]
        return f"{name} ({', '.join(extra)})" if extra else name


def _pick(properties: dict[str, Any], wanted: str | None, candidates: tuple[str, ...]) -> Any:
    if wanted is not None:
        return properties.get(wanted)
    for name in candidates:
        if name in properties:
            return properties[name]
    return None


def read_zones(
    path: str | Path,
    *,
    population_field: str | None = None,
    name_field: str | None = None,
    group_field: str | None = None,
) -> Zones:
    """Read polygon zones with a population property from a GeoJSON file.

    Invalid rings are repaired (``shapely.make_valid``); a zone without a usable
    population or polygon is an error naming the feature and field.
    """
    source = Path(path)
    if not source.is_file():
        raise AccessError(f"{source}: no such file")
    try:
        document: Any = json.loads(source.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise AccessError(f"{source}:{exc.lineno}: not JSON ({exc.msg})") from None
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list) or not features:
        raise AccessError(f"{source}: not a GeoJSON FeatureCollection with features")
    codes: list[str] = []
    names: list[str] = []
    local_names: list[str] = []
    groups: list[str] = []
    population: list[float] = []
    shapes: list[str] = []
    for number, feature in enumerate(features):
        where = f"{source}: feature {number}"
        properties = feature.get("properties") or {}
        geometry = feature.get("geometry")
        if not isinstance(geometry, dict) or geometry.get("type") not in (
            "Polygon",
            "MultiPolygon",
        ):
            raise AccessError(f"{where}: field geometry: not a Polygon or MultiPolygon")
        value = _pick(properties, population_field, _POPULATION_FIELDS)
        try:
            count = float(value)
        except (TypeError, ValueError):
            field = population_field or "population"
            raise AccessError(f"{where}: field {field}: {value!r} is not a number") from None
        if not math.isfinite(count) or count < 0:
            raise AccessError(f"{where}: field population: {count} is not a head count")
        name = _pick(properties, name_field, _NAME_FIELDS)
        codes.append(str(_pick(properties, None, _CODE_FIELDS) or number))
        names.append(str(name) if name is not None else str(number))
        local_names.append(str(_pick(properties, None, _LOCAL_NAME_FIELDS) or names[-1]))
        groups.append(str(_pick(properties, group_field, _GROUP_FIELDS) or ""))
        population.append(count)
        shapes.append(json.dumps(geometry))
    geometry_array = shapely.make_valid(shapely.from_geojson(shapes))
    polygons = shapely.get_type_id(geometry_array)
    for number, kind in enumerate(polygons.tolist()):
        if kind == 7:  # make_valid may return a collection: keep its polygons
            parts = shapely.get_parts(geometry_array[number])
            keep = parts[np.isin(shapely.get_type_id(parts), (3, 6))]
            geometry_array[number] = shapely.union_all(keep)
    return Zones(
        codes=codes,
        names=names,
        local_names=local_names,
        groups=groups,
        population=np.asarray(population, dtype=np.float64),
        geometry=geometry_array,
        source=str(source),
    )
