"""The raw steps of a journey, as the kernels trace them from their labels.

The kernels (:mod:`jjj.routing.kernels.ranges`) follow the labels back from the
destination; a label set in round ``r`` may have been carried unchanged into later
rounds, and the step that made it is found in the lowest round holding the same time.
Steps come in the view's frame (for an arrive-by search: the mirrored view);
:func:`to_forward` turns them into the forward frame, origin first.
"""

from __future__ import annotations

from dataclasses import dataclass

from jjj.routing.dayview import DayView

__all__ = ["Access", "Egress", "Ride", "Step", "Transfer", "to_forward"]


@dataclass(frozen=True)
class Access:
    """Walk from the origin to ``stop``."""

    stop: int


@dataclass(frozen=True)
class Egress:
    """Walk from ``stop`` to the destination."""

    stop: int


@dataclass(frozen=True)
class Ride:
    """Ride view-trip ``vtrip`` from position ``board_pos`` to ``alight_pos``."""

    vtrip: int
    board_pos: int
    alight_pos: int


@dataclass(frozen=True)
class Transfer:
    """Change from ``from_stop`` (alighted) to ``to_stop`` (boarding next)."""

    from_stop: int
    to_stop: int


Step = Access | Egress | Ride | Transfer


def to_forward(view: DayView, steps: list[Step]) -> list[Step]:
    """Steps of a mirrored view's journey as the forward view sees them, origin first.

    ``view`` is the mirrored view; it shares view-pattern and view-trip numbering with
    the forward view, with positions and trips in reverse order.
    """
    if not view.reversed:
        return steps
    pat = view.arrays.pat
    out: list[Step] = []
    for step in reversed(steps):
        if isinstance(step, Access):
            out.append(Egress(step.stop))
        elif isinstance(step, Egress):
            out.append(Access(step.stop))
        elif isinstance(step, Transfer):
            out.append(Transfer(step.to_stop, step.from_stop))
        else:
            vp = view.vp_of_vtrip(step.vtrip)
            first = int(pat.vp_trips_offsets[vp])
            n_trips = int(pat.vp_trips_offsets[vp + 1]) - first
            n_pos = int(pat.vp_stops_offsets[vp + 1] - pat.vp_stops_offsets[vp])
            out.append(
                Ride(
                    vtrip=first + n_trips - 1 - (step.vtrip - first),
                    board_pos=n_pos - 1 - step.alight_pos,
                    alight_pos=n_pos - 1 - step.board_pos,
                )
            )
    return out
