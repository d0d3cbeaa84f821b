"""Exact area coverage of polygons on a grid (signed-area accumulation, as font rasterisers do).

Each polygon edge adds, row by row, the signed area it encloses to the right of it;
a running sum along each row then gives, for every cell, the exact area of the
polygon inside that cell (up to floating-point rounding), holes included when the
rings are oriented consistently (exterior one way, holes the other). Cost grows with
the number of edge-row crossings plus the cells of the window, not with polygon
complexity × cells as intersecting cell boxes one by one would.
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np
import numpy.typing as npt
import shapely

__all__ = ["polygon_coverage"]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]


@nb.njit(cache=True)
def _edge(acc: F64, ax: float, ay: float, bx: float, by: float) -> None:  # pragma: no cover
    if ay == by:
        return
    h = acc.shape[0]
    if ay < by:
        direction = 1.0
        x0p, y0p, x1p, y1p = ax, ay, bx, by
    else:
        direction = -1.0
        x0p, y0p, x1p, y1p = bx, by, ax, ay
    dxdy = (x1p - x0p) / (y1p - y0p)
    x = x0p
    row_start = math.floor(y0p)
    if row_start < 0:
        x -= y0p * dxdy
        row_start = 0
    row_end = min(h, math.ceil(y1p))
    for y in range(row_start, row_end):
        dy = min(y + 1.0, y1p) - max(float(y), y0p)
        xnext = x + dxdy * dy
        d = dy * direction
        if x < xnext:
            lo, hi = x, xnext
        else:
            lo, hi = xnext, x
        lo_floor = math.floor(lo)
        lo_i = int(lo_floor)
        hi_ceil = math.ceil(hi)
        hi_i = int(hi_ceil)
        if hi_i <= lo_i + 1:
            xmf = 0.5 * (x + xnext) - lo_floor
            acc[y, lo_i] += d - d * xmf
            acc[y, lo_i + 1] += d * xmf
        else:
            s = 1.0 / (hi - lo)
            lo_f = lo - lo_floor
            a0 = 0.5 * s * (1.0 - lo_f) * (1.0 - lo_f)
            hi_f = hi - hi_ceil + 1.0
            am = 0.5 * s * hi_f * hi_f
            acc[y, lo_i] += d * a0
            if hi_i == lo_i + 2:
                acc[y, lo_i + 1] += d * (1.0 - a0 - am)
            else:
                a1 = s * (1.5 - lo_f)
                acc[y, lo_i + 1] += d * (a1 - a0)
                for xi in range(lo_i + 2, hi_i - 1):
                    acc[y, xi] += d * s
                a2 = a1 + (hi_i - lo_i - 3) * s
                acc[y, hi_i - 1] += d * (1.0 - a2 - am)
            acc[y, hi_i] += d * am
        x = xnext


@nb.njit(cache=True)
def _coverage(xs: F64, ys: F64, ring_offsets: I64, h: int, w: int) -> F64:  # pragma: no cover
    acc = np.zeros((h, w + 2), dtype=np.float64)
    for r in range(ring_offsets.shape[0] - 1):
        for i in range(ring_offsets[r], ring_offsets[r + 1] - 1):
            _edge(acc, xs[i], ys[i], xs[i + 1], ys[i + 1])
    out = np.empty((h, w), dtype=np.float64)
    for y in range(h):
        running = 0.0
        for x in range(w):
            running += acc[y, x]
            out[y, x] = running
    return out


def polygon_coverage(
    geometry: shapely.Geometry, *, x0: float, y0: float, cell: float, nx: int, ny: int
) -> F64:
    """The fraction (0..1) of each cell of a window covered by a (multi)polygon.

    Parameters
    ----------
    geometry:
        A valid Polygon or MultiPolygon in the window's coordinates (metres). Parts
        outside the window are ignored.
    x0, y0:
        The window's south-west corner; ``cell`` its cell size; ``ny`` rows × ``nx``
        columns (row 0 at the south).

    Returns
    -------
    ``(ny, nx)`` float64 array; ``coverage.sum() · cell²`` is the polygon's area
    inside the window.
    """
    clipped = shapely.clip_by_rect(geometry, x0, y0, x0 + nx * cell, y0 + ny * cell)
    if clipped.is_empty:
        return np.zeros((ny, nx), dtype=np.float64)
    oriented = shapely.normalize(clipped)
    rings = []
    for polygon in shapely.get_parts(oriented):
        if shapely.get_type_id(polygon) != 3:  # clipping may leave lines or points
            continue
        rings.append(shapely.get_exterior_ring(polygon))
        rings.extend(
            shapely.get_interior_ring(polygon, i)
            for i in range(shapely.get_num_interior_rings(polygon))
        )
    if not rings:
        return np.zeros((ny, nx), dtype=np.float64)
    coords, ring_index = shapely.get_coordinates(rings, return_index=True)
    offsets = np.zeros(len(rings) + 1, dtype=np.int64)
    np.cumsum(np.bincount(ring_index, minlength=len(rings)), out=offsets[1:])
    xs = np.ascontiguousarray((coords[:, 0] - x0) / cell)
    ys = np.ascontiguousarray((coords[:, 1] - y0) / cell)
    np.clip(xs, 0.0, float(nx), out=xs)
    np.clip(ys, 0.0, float(ny), out=ys)
    signed = _coverage(xs, ys, offsets, ny, nx)
    if signed.sum() < 0:
        signed = -signed
    result: F64 = np.clip(signed, 0.0, 1.0)
    return result
