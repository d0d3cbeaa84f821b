"""PNG maps of the circle (matplotlib's Agg canvas; no window, no global pyplot state).

Each map has two panels: the whole grid (the region) on the left and, on the right, a
close-up of where things happen (the reached cells, or the cells a scenario changes),
marked on the left by a rectangle. Areas are drawn as the exact outlines of their
cells with an edge, so that even a few cells stay visible at the scale of the region.

The circle map shades the travel time to the nearest core (bands of a quarter of the
cutoff, median percentile), draws the zone (county) outlines, the cutoff line at the
median (solid) and at the pessimistic percentile (dashed), and labels the cores and
the named places. The difference map colours the cells a scenario brings inside the
cutoff (gained), takes out (lost) or leaves inside (kept).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib
import matplotlib.patheffects as path_effects
import numpy as np
import numpy.typing as npt
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.colors import BoundaryNorm
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch, Rectangle
from matplotlib.path import Path as MplPath

from jjj.access.circle import CircleReport, Place
from jjj.access.grid import Grid
from jjj.access.isochrone import cells_to_polygons
from jjj.access.population import project_geometry
from jjj.ids import UNREACHED

__all__ = ["circle_map", "difference_map"]

B1 = npt.NDArray[np.bool_]
F64 = npt.NDArray[np.float64]
Extent = tuple[float, float, float, float]

_RED = "#d62728"
_GAINED = "#1a9641"
_LOST = "#d7191c"
_KEPT = "#bdbdbd"


def _lines(geometry: Any) -> list[F64]:
    """Coordinate arrays of every ring of (multi)polygons, for a LineCollection."""
    parts = shapely.get_parts(shapely.get_parts(np.atleast_1d(shapely.boundary(geometry))))
    return [shapely.get_coordinates(part) for part in parts if not part.is_empty]


def _patch(geometry: Any, **style: Any) -> PathPatch | None:
    """One compound path for (multi)polygons; holes run the other way round, so the
    non-zero fill leaves them empty."""
    vertices: list[F64] = []
    codes: list[npt.NDArray[np.uint8]] = []
    for polygon in shapely.get_parts(shapely.normalize(geometry)):
        rings = [shapely.get_exterior_ring(polygon)] + [
            shapely.get_interior_ring(polygon, i)
            for i in range(shapely.get_num_interior_rings(polygon))
        ]
        for ring in rings:
            xy = shapely.get_coordinates(ring)
            if len(xy) < 4:
                continue
            ring_codes = np.full(len(xy), MplPath.LINETO, dtype=np.uint8)
            ring_codes[0] = MplPath.MOVETO
            ring_codes[-1] = MplPath.CLOSEPOLY
            vertices.append(xy)
            codes.append(ring_codes)
    if not vertices:
        return None
    return PathPatch(MplPath(np.concatenate(vertices), np.concatenate(codes)), **style)


def _fill(ax: Any, geometry: Any, **style: Any) -> None:
    patch = _patch(geometry, **style)
    if patch is not None:
        ax.add_patch(patch)


def _outline(grid: Grid, mask: B1) -> Any:
    return cells_to_polygons(grid, np.flatnonzero(mask))


def _focus(grid: Grid, mask: B1, *, minimum_m: float = 40_000.0) -> Extent:
    """A square around the flagged cells (padded), or the whole grid when none are."""
    cells = np.flatnonzero(mask)
    if len(cells) == 0:
        return grid.x0, grid.x1, grid.y0, grid.y1
    x, y = grid.centres_xy(cells)
    cx, cy = (x.min() + x.max()) / 2, (y.min() + y.max()) / 2
    half = max(x.max() - x.min(), y.max() - y.min(), minimum_m) * 0.6
    return float(cx - half), float(cx + half), float(cy - half), float(cy + half)


def _figure(title: str) -> tuple[Figure, Any, Any]:
    fig = Figure(figsize=(16, 9.5), dpi=110)
    FigureCanvasAgg(fig)
    left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1]})
    fig.suptitle(title, fontsize=13)
    for ax in (left, right):
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])
    return fig, left, right


def _frame(ax: Any, extent: Extent, grid: Grid, *, scale_m: float) -> None:
    x0, x1, y0, y1 = extent
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    x = x0 + 0.05 * (x1 - x0)
    y = y0 + 0.04 * (y1 - y0)
    ax.plot([x, x + scale_m], [y, y], color="black", linewidth=3, zorder=8)
    ax.annotate(
        f"{scale_m / 1000:g} km",
        (x + scale_m / 2, y),
        xytext=(0, 5),
        textcoords="offset points",
        ha="center",
        fontsize=8,
        zorder=8,
    )


def _zones(ax: Any, report: CircleReport, *, width: float) -> None:
    zones = project_geometry(report.population.zones.geometry, report.population.grid)
    lines = [line for zone in zones.tolist() for line in _lines(zone)]
    ax.add_collection(LineCollection(lines, colors="#555555", linewidths=width, zorder=3))


def _label(ax: Any, grid: Grid, places: list[Place], extent: Extent, *, core: bool) -> None:
    if not places:
        return
    x, y = grid.to_xy([p.lon for p in places], [p.lat for p in places])
    halo = [path_effects.withStroke(linewidth=3, foreground="white")]
    x0, x1, y0, y1 = extent
    for place, px, py in zip(places, x.tolist(), y.tolist(), strict=True):
        if not (x0 <= px <= x1 and y0 <= py <= y1):
            continue
        if core:
            ax.plot(px, py, marker="*", markersize=15, color=_RED, mec="black", zorder=7)
            ax.annotate(
                place.name,
                (px, py),
                xytext=(7, 7),
                textcoords="offset points",
                fontsize=10,
                fontweight="bold",
                path_effects=halo,
                zorder=8,
            )
        else:
            ax.plot(px, py, marker="o", markersize=3, color="#333333", zorder=6)
            ax.annotate(
                place.name,
                (px, py),
                xytext=(4, -10),
                textcoords="offset points",
                fontsize=7,
                color="#333333",
                path_effects=halo,
                zorder=6,
            )


def _panels(
    fig: Figure, left: Any, right: Any, report: CircleReport, focus: Extent, draw: Any
) -> None:
    grid = report.population.grid
    whole = (grid.x0, grid.x1, grid.y0, grid.y1)
    for ax, extent, width in ((left, whole, 0.3), (right, focus, 0.6)):
        draw(ax)
        _zones(ax, report, width=width)
        _label(ax, grid, report.places, extent, core=False)
        _label(ax, grid, [r.core for r in report.cores], extent, core=True)
        span = extent[1] - extent[0]
        _frame(ax, extent, grid, scale_m=50_000.0 if span > 200_000 else 10_000.0)
    x0, x1, y0, y1 = focus
    left.add_patch(
        Rectangle(
            (x0, y0),
            x1 - x0,
            y1 - y0,
            fill=False,
            edgecolor="black",
            linewidth=1.0,
            linestyle=":",
            zorder=9,
        )
    )
    left.set_title("the region", fontsize=10)
    right.set_title("close-up (dotted frame on the left)", fontsize=10)


def circle_map(report: CircleReport, path: str | Path, *, title: str | None = None) -> Path:
    """Write the circle map (see the module docstring) as a PNG."""
    median, pessimistic = report.percentiles
    cutoff = report.cutoff_minutes
    grid = report.population.grid
    first = str(report.spec.window.to_dict()["first_departure"])[:5]
    heading = title or (
        f"Within {cutoff:g} min of a core by public transport (p{median:g} and "
        f"p{pessimistic:g} of departures {first} + {report.spec.window.minutes} min)"
    )
    fig, left, right = _figure(heading)
    seconds = report.best_times(median).ravel()
    bounds = np.linspace(0, 2 * cutoff, 9)
    colours = matplotlib.colormaps["YlGnBu_r"].resampled(len(bounds) - 1)
    norm = BoundaryNorm(bounds, colours.N)
    reached = report.reached_mask(median)
    bands = []
    for band in range(len(bounds) - 1):
        low, high = bounds[band] * 60, bounds[band + 1] * 60
        mask = (seconds <= high) & (seconds < UNREACHED) & ((seconds > low) | (band == 0))
        bands.append(_outline(grid, mask))
    lines = [
        (_lines(_outline(grid, mask)), style)
        for mask, style in ((reached, "solid"), (report.reached_mask(pessimistic), "dashed"))
    ]

    def draw(ax: Any) -> None:
        for band, geometry in enumerate(bands):
            colour = colours(band)
            _fill(ax, geometry, facecolor=colour, edgecolor=colour, linewidth=0.4, zorder=1)
        for outline, style in lines:
            if outline:
                ax.add_collection(
                    LineCollection(outline, colors=_RED, linestyles=style, linewidths=0.7, zorder=4)
                )

    # the close-up follows the core that reaches the most people
    main = max(range(len(report.cores)), key=lambda i: report.cores[i].reach[median]["population"])
    _panels(fig, left, right, report, _focus(grid, report.reached_mask(median, core=main)), draw)
    mappable = matplotlib.cm.ScalarMappable(norm=norm, cmap=colours)
    bar = fig.colorbar(mappable, ax=[left, right], shrink=0.6, pad=0.01)
    bar.set_label(f"minutes to the nearest core (p{median:g})")
    right.legend(
        handles=[
            Line2D([], [], color=_RED, linewidth=1.2, label=f"{cutoff:g} min, p{median:g}"),
            Line2D(
                [],
                [],
                color=_RED,
                linewidth=1.2,
                linestyle="dashed",
                label=f"{cutoff:g} min, p{pessimistic:g}",
            ),
            Line2D([], [], color="#555555", linewidth=0.6, label="counties"),
        ],
        loc="upper left",
        fontsize=8,
    )
    return _save(fig, path)


def difference_map(
    before: CircleReport, after: CircleReport, path: str | Path, *, title: str | None = None
) -> Path:
    """Write the before/after map at the median percentile as a PNG."""
    median = before.percentiles[0]
    was = before.reached_mask(median)
    now = after.reached_mask(median)
    grid = before.population.grid
    heading = title or (
        f"{after.scenario or 'scenario'}: within {before.cutoff_minutes:g} min of a core "
        f"(p{median:g}), before and after"
    )
    fig, left, right = _figure(heading)
    gained = now & ~was
    lost = was & ~now
    changed = gained | lost

    areas = [
        (_outline(grid, mask), colour)
        for mask, colour in ((was & now, _KEPT), (gained, _GAINED), (lost, _LOST))
    ]

    def draw(ax: Any) -> None:
        for geometry, colour in areas:
            _fill(ax, geometry, facecolor=colour, edgecolor=colour, linewidth=0.8, zorder=2)

    _panels(fig, left, right, before, _focus(grid, changed if changed.any() else now), draw)
    people = before.population.population.ravel()
    right.legend(
        handles=[
            Patch(color=_KEPT, label="inside before and after"),
            Patch(color=_GAINED, label=f"gained: {float(people[gained].sum()):,.0f} people"),
            Patch(color=_LOST, label=f"lost: {float(people[lost].sum()):,.0f} people"),
        ],
        loc="upper left",
        fontsize=8,
    )
    return _save(fig, path)


def _save(fig: Figure, path: str | Path) -> Path:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(target, bbox_inches="tight")
    return target
