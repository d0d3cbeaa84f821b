"""The exact outline of a set of grid cells: rings traced along the cell edges.

Written by hand because no library does this well here: contouring (contourpy) draws
iso-lines of a smooth field and has to be rounded back to cell corners and repaired
where the cells touch diagonally, and GDAL's polygonize (rasterio) returns one Python
dict per polygon and needs a 36 MB dependency; both took 3–5 ms for a one-hour
isochrone, this takes a small fraction of that.

Cells are grouped into 4-connected components (cells sharing an edge). Each
boundary edge is directed with its cell on the left and the edges are followed from
corner to corner, turning left first at a corner where two cells touch only
diagonally — so a ring never passes between two diagonal cells. The outer ring of a
component is then simple and counter-clockwise; the rings around unreached areas
inside it are clockwise and are cut where they touch themselves at such a corner, so
every hole is simple too. Shells and holes that touch do so at single corners, which
keeps the polygons valid (OGC) and their union exactly the cells, holes included.
Only the corners where a ring turns are kept.
"""

from __future__ import annotations

import numba as nb
import numpy as np
import numpy.typing as npt

__all__ = ["trace_outline"]

B1 = npt.NDArray[np.bool_]
I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]

# side k of a cell is followed in direction k: 0 east (its bottom side), 1 north (its
# right side), 2 west (top), 3 south (left); rows grow northwards, columns eastwards.
# The corner where side k ends, relative to the cell's south-west corner:
_END_ROW = np.array([0, 1, 1, 0], dtype=np.int64)
_END_COL = np.array([1, 1, 0, 0], dtype=np.int64)


@nb.njit(cache=True)
def _label_components(mask: B1, step: I64) -> I32:
    """4-connected component of every cell of a flat, padded mask (0 outside the set)."""
    labels = np.zeros(len(mask), dtype=np.int32)
    stack = np.empty(len(mask), dtype=np.int32)
    n_labels = 0
    for start in range(len(mask)):
        if not mask[start] or labels[start] != 0:
            continue
        n_labels += 1
        labels[start] = n_labels
        top = 0
        stack[0] = start
        while top >= 0:
            cell = stack[top]
            top -= 1
            for k in range(4):
                other = cell + step[k]
                if mask[other] and labels[other] == 0:
                    labels[other] = n_labels
                    top += 1
                    stack[top] = other
    return labels


@nb.njit(cache=True)
def _trace(mask: B1, width: int) -> tuple[I32, I32, I64, I64, I64]:
    """Rings of the outline of a flat mask ``width`` cells wide with an empty border.

    Returns the corners (row, col) of all rings one after another, where each ring
    starts (plus a final end), its signed area (twice, in cells) and its component.
    """
    step = np.array([1, width, -1, -width], dtype=np.int64)  # a cell's neighbour in direction k
    end_row = _END_ROW
    end_col = _END_COL
    n_cells = len(mask)
    labels = _label_components(mask, step)
    # done[4 * cell + k]: side k of the cell is followed already or is not a boundary
    done = np.ones(4 * n_cells, dtype=np.bool_)
    n_edges = 0
    for cell in range(n_cells):
        if mask[cell]:
            for k in range(4):
                # the cell beyond side k lies in direction k - 1 (to the right)
                outside = not mask[cell + step[(k + 3) % 4]]
                done[4 * cell + k] = not outside
                n_edges += outside
    work_row = np.empty(n_edges, dtype=np.int32)
    work_col = np.empty(n_edges, dtype=np.int32)
    out_row = np.empty(n_edges, dtype=np.int32)
    out_col = np.empty(n_edges, dtype=np.int32)
    ring_start = np.zeros(n_edges + 1, dtype=np.int64)
    ring_area = np.empty(n_edges, dtype=np.int64)
    ring_label = np.empty(n_edges, dtype=np.int64)
    n_corner_keys = (n_cells // width + 1) * (width + 1)
    seen = np.full(n_corner_keys, -1, dtype=np.int32)  # corner -> position in work
    n_out = 0
    n_rings = 0
    for first_side in range(4 * n_cells):
        if done[first_side]:
            continue
        cell0, k0 = divmod(first_side, 4)
        label = labels[cell0]
        n_work = 0
        cell, k = cell0, k0
        while True:
            done[4 * cell + k] = True
            left = (k + 1) % 4
            ahead = cell + step[k]
            if not mask[ahead]:
                next_cell, next_k = cell, left  # turn left
            elif not mask[ahead - step[left]]:
                next_cell, next_k = ahead, k  # straight on
            else:  # turn right, onto the cell diagonally ahead
                next_cell, next_k = ahead - step[left], (k + 3) % 4
            if next_k != k:
                row, col = divmod(cell, width)
                corner_r = row + end_row[k]
                corner_c = col + end_col[k]
                key = corner_r * (width + 1) + corner_c
                at = seen[key]
                if at >= 0:
                    # the ring touches itself at this corner: the loop since the
                    # corner's first visit becomes a ring of its own
                    for i in range(at + 1, n_work):
                        seen[work_row[i] * (width + 1) + work_col[i]] = -1
                    n_out = _emit(
                        work_row, work_col, at, n_work, out_row, out_col, n_out,
                        ring_start, ring_area, ring_label, n_rings, label,
                    )  # fmt: skip
                    n_rings += 1
                    n_work = at + 1
                else:
                    work_row[n_work] = corner_r
                    work_col[n_work] = corner_c
                    seen[key] = n_work
                    n_work += 1
            cell, k = next_cell, next_k
            if cell == cell0 and k == k0:
                break
        for i in range(n_work):
            seen[work_row[i] * (width + 1) + work_col[i]] = -1
        n_out = _emit(
            work_row, work_col, 0, n_work, out_row, out_col, n_out,
            ring_start, ring_area, ring_label, n_rings, label,
        )  # fmt: skip
        n_rings += 1
    return (
        out_row[:n_out],
        out_col[:n_out],
        ring_start[: n_rings + 1],
        ring_area[:n_rings],
        ring_label[:n_rings],
    )


@nb.njit(cache=True)
def _emit(
    work_row: I32, work_col: I32, begin: int, end: int,
    out_row: I32, out_col: I32, n_out: int,
    ring_start: I64, ring_area: I64, ring_label: I64, ring_idx: int, label: int,
) -> int:  # fmt: skip
    """Append ``work[begin:end]`` as ring ``ring_idx``; return the new output length."""
    area = 0
    for i in range(begin, end):
        j = i + 1 if i + 1 < end else begin
        area += int(work_col[i]) * int(work_row[j]) - int(work_col[j]) * int(work_row[i])
        out_row[n_out] = work_row[i]
        out_col[n_out] = work_col[i]
        n_out += 1
    ring_area[ring_idx] = area
    ring_label[ring_idx] = label
    ring_start[ring_idx + 1] = n_out
    return n_out


def trace_outline(mask: B1) -> tuple[I32, I64, I64]:
    """The outline of the ``True`` cells of ``mask`` (rows northwards, columns eastwards).

    Returns ``corners`` (``(n, 2)`` column, row of cell corners), the ring of each
    corner and the polygon of each ring, ready for ``shapely.linearrings`` and
    ``shapely.polygons``: rings are grouped by polygon, the shell first, and corners
    are not repeated to close a ring.
    """
    ny, nx = mask.shape
    padded = np.zeros((ny + 2, nx + 2), dtype=np.bool_)  # an empty border: no bound checks
    padded[1:-1, 1:-1] = mask
    rows, cols, ring_start, ring_area, ring_label = _trace(padded.ravel(), nx + 2)
    shell = ring_area > 0
    polygon_of_label = np.full(int(ring_label.max(initial=0)) + 1, -1, dtype=np.int64)
    polygon_of_label[ring_label[shell]] = np.arange(int(shell.sum()))
    ring_polygon = polygon_of_label[ring_label]
    order = np.lexsort((~shell, ring_polygon))
    sizes = np.diff(ring_start)[order]
    begins = np.repeat(ring_start[:-1][order] - (np.cumsum(sizes) - sizes), sizes)
    take = np.arange(int(sizes.sum())) + begins
    corners: I32 = np.column_stack((cols[take] - 1, rows[take] - 1))
    corner_ring: I64 = np.repeat(np.arange(len(order)), sizes)
    return corners, corner_ring, ring_polygon[order]
