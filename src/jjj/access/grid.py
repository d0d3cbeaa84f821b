"""A metric grid of square cells in a local projected coordinate system.

The default projection is the Lambert azimuthal equal-area projection centred on the
area of interest: cells are true-area squares (population apportioned by area needs
that) and distances within a few hundred kilometres of the centre are off by less
than 0.1 %. Cell edges lie on multiples of the cell size, so cell ``(row, col)``
spans ``x0 + col·cell`` to ``x0 + (col + 1)·cell`` (and likewise ``y`` from the
south edge ``y0``); the flat index of a cell is ``row · nx + col``.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyproj

from jjj.errors import AccessError

__all__ = ["DEFAULT_CELL_M", "Grid", "laea_crs", "transformer"]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

#: The default cell size for the region (metres).
DEFAULT_CELL_M = 250.0
#: Grids larger than this many cells are refused (a likely unit mistake).
MAX_CELLS = 60_000_000


def laea_crs(lat: float, lon: float) -> str:
    """A Lambert azimuthal equal-area CRS (PROJ string) centred on ``lat, lon``."""
    return f"+proj=laea +lat_0={lat:.4f} +lon_0={lon:.4f} +datum=WGS84 +units=m +no_defs"


@functools.lru_cache(maxsize=16)
def transformer(crs: str, *, inverse: bool = False) -> pyproj.Transformer:
    """A cached WGS84 → ``crs`` transformer (``inverse``: ``crs`` → WGS84), lon/lat order."""
    if inverse:
        return pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    return pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)


@dataclass(frozen=True)
class Grid:
    """``ny`` rows × ``nx`` columns of ``cell_m`` squares with south-west corner ``x0, y0``."""

    crs: str
    cell_m: float
    x0: float
    y0: float
    nx: int
    ny: int

    def __post_init__(self) -> None:
        if not self.cell_m > 0:
            raise AccessError(f"grid: cell size must be positive, got {self.cell_m}")
        if self.nx <= 0 or self.ny <= 0:
            raise AccessError(f"grid: empty ({self.ny} × {self.nx} cells)")
        if self.nx * self.ny > MAX_CELLS:
            raise AccessError(
                f"grid: {self.ny} × {self.nx} cells of {self.cell_m} m exceeds "
                f"{MAX_CELLS:,} cells; use a larger cell size"
            )

    # ------------------------------------------------------------ construction
    @classmethod
    def covering(
        cls,
        lon_min: float,
        lat_min: float,
        lon_max: float,
        lat_max: float,
        *,
        cell_m: float = DEFAULT_CELL_M,
        crs: str | None = None,
    ) -> Grid:
        """The smallest grid (edges on multiples of ``cell_m``) covering a lon/lat box."""
        if not (lon_min <= lon_max and lat_min <= lat_max):
            raise AccessError(f"grid: empty extent {lon_min},{lat_min},{lon_max},{lat_max}")
        if not cell_m > 0:
            raise AccessError(f"grid: cell size must be positive, got {cell_m}")
        chosen = crs or laea_crs((lat_min + lat_max) / 2, (lon_min + lon_max) / 2)
        # the box's edges curve under projection: sample them densely
        t = np.linspace(0.0, 1.0, 101)
        lon = np.concatenate(
            [
                lon_min + (lon_max - lon_min) * t,
                np.full(101, lon_max),
                lon_max - (lon_max - lon_min) * t,
                np.full(101, lon_min),
            ]
        )
        lat = np.concatenate(
            [
                np.full(101, lat_min),
                lat_min + (lat_max - lat_min) * t,
                np.full(101, lat_max),
                lat_max - (lat_max - lat_min) * t,
            ]
        )
        x, y = transformer(chosen).transform(lon, lat)
        return cls.covering_xy(
            float(np.min(x)),
            float(np.min(y)),
            float(np.max(x)),
            float(np.max(y)),
            cell_m=cell_m,
            crs=chosen,
        )

    @classmethod
    def covering_xy(
        cls, x_min: float, y_min: float, x_max: float, y_max: float, *, cell_m: float, crs: str
    ) -> Grid:
        """The smallest grid covering a box given in ``crs`` metres."""
        x0 = math.floor(x_min / cell_m) * cell_m
        y0 = math.floor(y_min / cell_m) * cell_m
        nx = max(1, math.ceil((x_max - x0) / cell_m))
        ny = max(1, math.ceil((y_max - y0) / cell_m))
        return cls(crs=crs, cell_m=float(cell_m), x0=float(x0), y0=float(y0), nx=nx, ny=ny)

    # ------------------------------------------------------------------ sizes
    @property
    def shape(self) -> tuple[int, int]:
        """``(ny, nx)``: rows (south to north) by columns (west to east)."""
        return self.ny, self.nx

    @property
    def n_cells(self) -> int:
        return self.nx * self.ny

    @property
    def cell_area_m2(self) -> float:
        return self.cell_m * self.cell_m

    @property
    def x1(self) -> float:
        return self.x0 + self.nx * self.cell_m

    @property
    def y1(self) -> float:
        return self.y0 + self.ny * self.cell_m

    # ------------------------------------------------------------ coordinates
    def to_xy(self, lon: npt.ArrayLike, lat: npt.ArrayLike) -> tuple[F64, F64]:
        """Project WGS84 degrees to grid metres."""
        x, y = transformer(self.crs).transform(
            np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)
        )
        return np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)

    def to_lonlat(self, x: npt.ArrayLike, y: npt.ArrayLike) -> tuple[F64, F64]:
        """Unproject grid metres to WGS84 degrees."""
        lon, lat = transformer(self.crs, inverse=True).transform(
            np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
        )
        return np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)

    def cell_of_xy(self, x: npt.ArrayLike, y: npt.ArrayLike) -> I64:
        """Flat cell index of each point (-1 outside the grid)."""
        col = np.floor((np.asarray(x, dtype=np.float64) - self.x0) / self.cell_m)
        row = np.floor((np.asarray(y, dtype=np.float64) - self.y0) / self.cell_m)
        inside = (col >= 0) & (col < self.nx) & (row >= 0) & (row < self.ny)
        flat = np.where(inside, row * self.nx + col, -1)
        return np.nan_to_num(flat, nan=-1).astype(np.int64)

    def cell_of_lonlat(self, lon: npt.ArrayLike, lat: npt.ArrayLike) -> I64:
        """Flat cell index of each WGS84 point (-1 outside the grid)."""
        return self.cell_of_xy(*self.to_xy(lon, lat))

    def centres_xy(self, cells: npt.ArrayLike | None = None) -> tuple[F64, F64]:
        """Cell centres in grid metres (all cells, row-major, or the flat ``cells``)."""
        flat = np.arange(self.n_cells) if cells is None else np.asarray(cells, dtype=np.int64)
        row, col = np.divmod(flat, self.nx)
        return (
            self.x0 + (col + 0.5) * self.cell_m,
            self.y0 + (row + 0.5) * self.cell_m,
        )

    def centres_lonlat(self, cells: npt.ArrayLike | None = None) -> tuple[F64, F64]:
        """Cell centres in WGS84 degrees (lon, lat)."""
        return self.to_lonlat(*self.centres_xy(cells))

    def column_x(self) -> F64:
        """x of every column's centre."""
        return self.x0 + (np.arange(self.nx, dtype=np.float64) + 0.5) * self.cell_m

    def row_y(self) -> F64:
        """y of every row's centre."""
        return self.y0 + (np.arange(self.ny, dtype=np.float64) + 0.5) * self.cell_m

    def lonlat_bounds(self) -> tuple[float, float, float, float]:
        """``(lon_min, lat_min, lon_max, lat_max)`` of the grid's outline."""
        t = np.linspace(0.0, 1.0, 101)
        x = np.concatenate(
            [
                self.x0 + (self.x1 - self.x0) * t,
                np.full(101, self.x1),
                self.x1 - (self.x1 - self.x0) * t,
                np.full(101, self.x0),
            ]
        )
        y = np.concatenate(
            [
                np.full(101, self.y0),
                self.y0 + (self.y1 - self.y0) * t,
                np.full(101, self.y1),
                self.y1 - (self.y1 - self.y0) * t,
            ]
        )
        lon, lat = self.to_lonlat(x, y)
        return float(lon.min()), float(lat.min()), float(lon.max()), float(lat.max())

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready description."""
        return {
            "crs": self.crs,
            "cell_m": self.cell_m,
            "x0": self.x0,
            "y0": self.y0,
            "nx": self.nx,
            "ny": self.ny,
        }
