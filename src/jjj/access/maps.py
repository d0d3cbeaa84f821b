"""PNG maps of the circle (matplotlib's Agg canvas; no window, no global pyplot state).

The circle map shades the travel time to the nearest core (15-minute bands at the
median percentile), draws the zone (county) outlines, the cutoff line at the median
(solid) and at the pessimistic percentile (dashed), and labels the cores and the
named places. The difference map colours the cells a scenario brings inside the
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
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from jjj.access.circle import CircleReport, Place
from jjj.access.grid import Grid
from jjj.access.isochrone import cells_to_polygons
from jjj.access.population import project_geometry
from jjj.ids import UNREACHED

__all__ = ["circle_map", "difference_map"]

B1 = npt.NDArray[np.bool_]


def _lines(geometry: Any) -> list[npt.NDArray[np.float64]]:
    """Coordinate arrays of every ring of (multi)polygons, for a LineCollection."""
    boundary = shapely.boundary(geometry)
    parts = shapely.get_parts(np.atleast_1d(boundary))
    parts = shapely.get_parts(parts)
    return [shapely.get_coordinates(part) for part in parts if not part.is_empty]


def _base(report: CircleReport, title: str) -> tuple[Any, Any, Grid]:
    grid = report.population.grid
    fig = Figure(figsize=(10, 12), dpi=110)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.set_aspect("equal")
    ax.set_xlim(grid.x0, grid.x1)
    ax.set_ylim(grid.y0, grid.y1)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title, fontsize=12)
    return fig, ax, grid


def _zones(ax: Any, report: CircleReport) -> None:
    zones = project_geometry(report.population.zones.geometry, report.population.grid)
    lines = [line for zone in zones.tolist() for line in _lines(zone)]
    ax.add_collection(LineCollection(lines, colors="#555555", linewidths=0.35, zorder=3))


def _label(ax: Any, grid: Grid, places: list[Place], *, core: bool) -> None:
    if not places:
        return
    x, y = grid.to_xy([p.lon for p in places], [p.lat for p in places])
    halo = [path_effects.withStroke(linewidth=3, foreground="white")]
    for name, px, py in zip([p.name for p in places], x.tolist(), y.tolist(), strict=True):
        if core:
            ax.plot(px, py, marker="*", markersize=14, color="#d62728", mec="black", zorder=6)
            ax.annotate(
                name,
                (px, py),
                xytext=(6, 6),
                textcoords="offset points",
                fontsize=10,
                fontweight="bold",
                path_effects=halo,
                zorder=7,
            )
        else:
            ax.plot(px, py, marker="o", markersize=3, color="#333333", zorder=5)
            ax.annotate(
                name,
                (px, py),
                xytext=(4, -9),
                textcoords="offset points",
                fontsize=7,
                color="#333333",
                path_effects=halo,
                zorder=5,
            )


def _outline(ax: Any, grid: Grid, mask: B1, **style: Any) -> None:
    geometry = cells_to_polygons(grid, np.flatnonzero(mask))
    lines = _lines(geometry)
    if lines:
        ax.add_collection(LineCollection(lines, zorder=4, **style))


def _scale_bar(ax: Any, grid: Grid) -> None:
    length = 50_000.0
    x = grid.x0 + 0.05 * (grid.x1 - grid.x0)
    y = grid.y0 + 0.04 * (grid.y1 - grid.y0)
    ax.plot([x, x + length], [y, y], color="black", linewidth=3, zorder=8)
    ax.annotate(
        "50 km",
        (x + length / 2, y),
        xytext=(0, 5),
        textcoords="offset points",
        ha="center",
        fontsize=8,
        zorder=8,
    )


def circle_map(report: CircleReport, path: str | Path, *, title: str | None = None) -> Path:
    """Write the circle map (see the module docstring) as a PNG."""
    median, pessimistic = report.percentiles
    cutoff = report.cutoff_minutes
    first = str(report.spec.window.to_dict()["first_departure"])[:5]
    heading = title or (
        f"Within {cutoff:g} min of a core by public transport (p{median:g} and "
        f"p{pessimistic:g} of departures {first} + {report.spec.window.minutes} min)"
    )
    fig, ax, grid = _base(report, heading)
    seconds = report.best_times(median)
    minutes = seconds.astype(np.float32) / np.float32(60.0)
    top = 2 * cutoff
    minutes[(minutes > top) | (seconds == UNREACHED)] = np.nan
    bounds = np.linspace(0, top, 9)
    colours = matplotlib.colormaps["YlGnBu_r"].resampled(len(bounds) - 1)
    image = ax.imshow(
        np.ma.masked_invalid(minutes),
        origin="lower",
        extent=(grid.x0, grid.x1, grid.y0, grid.y1),
        cmap=colours,
        norm=BoundaryNorm(bounds, colours.N),
        interpolation="nearest",
        zorder=1,
    )
    bar = fig.colorbar(image, ax=ax, shrink=0.5, pad=0.01)
    bar.set_label(f"minutes to the nearest core (p{median:g})")
    _zones(ax, report)
    _outline(ax, grid, report.reached_mask(median), colors="#d62728", linewidths=1.4)
    _outline(
        ax,
        grid,
        report.reached_mask(pessimistic),
        colors="#d62728",
        linewidths=0.9,
        linestyles="dashed",
    )
    _label(ax, grid, report.places, core=False)
    _label(ax, grid, [r.core for r in report.cores], core=True)
    _scale_bar(ax, grid)
    ax.legend(
        handles=[
            Line2D([], [], color="#d62728", linewidth=1.4, label=f"{cutoff:g} min, p{median:g}"),
            Line2D(
                [],
                [],
                color="#d62728",
                linewidth=0.9,
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
    category = np.zeros(was.shape, dtype=np.float64)
    category[was & now] = 1
    category[now & ~was] = 2
    category[was & ~now] = 3
    grid = before.population.grid
    heading = title or (
        f"{after.scenario or 'scenario'}: within {before.cutoff_minutes:g} min of a core "
        f"(p{median:g}), before and after"
    )
    fig, ax, grid = _base(before, heading)
    colours = ListedColormap(["#c7c7c7", "#1a9641", "#d7191c"])
    shown = np.ma.masked_equal(category.reshape(grid.shape), 0)
    ax.imshow(
        shown,
        origin="lower",
        extent=(grid.x0, grid.x1, grid.y0, grid.y1),
        cmap=colours,
        norm=BoundaryNorm([0.5, 1.5, 2.5, 3.5], 3),
        interpolation="nearest",
        zorder=1,
    )
    _zones(ax, before)
    _label(ax, grid, before.places, core=False)
    _label(ax, grid, [r.core for r in before.cores], core=True)
    _scale_bar(ax, grid)
    people = before.population.population.ravel()
    gained = float(people[now & ~was].sum())
    lost = float(people[was & ~now].sum())
    ax.legend(
        handles=[
            Patch(color="#c7c7c7", label="inside before and after"),
            Patch(color="#1a9641", label=f"gained: {gained:,.0f} people"),
            Patch(color="#d7191c", label=f"lost: {lost:,.0f} people"),
        ],
        loc="upper left",
        fontsize=8,
    )
    return _save(fig, path)


def _save(fig: Any, path: str | Path) -> Path:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(target, bbox_inches="tight")
    return target
