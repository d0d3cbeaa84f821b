"""Follow the kernels' labels back from the destination: the raw steps of a journey.

A label set in round ``r`` may have been carried unchanged into later rounds; the
step that made it is found in the lowest round holding the same time. Steps come
out in the view's frame (for an arrive-by search: the mirrored view, destination
first); :func:`to_forward` turns them into the forward frame, origin first.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from jjj.routing.dayview import DayView
from jjj.routing.kernels.arrays import RaptorState

__all__ = ["Access", "Egress", "Ride", "Step", "Transfer", "to_forward", "trace"]


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


@dataclass(frozen=True)
class _Label:
    round: int
    vtrip: int
    alight_pos: int
    board_pos: int
    source: int
    stop: int


def _lowest_round(times: np.ndarray, k: int, column: int | None = None) -> int:
    def at(r: int) -> int:
        return int(times[r] if column is None else times[r, column])

    while k > 0 and at(k - 1) == at(k):
        k -= 1
    return k


def _ride_label(state: RaptorState, k: int, stop: int) -> _Label:
    labels = state.labels
    r = _lowest_round(labels.ride_time, k, stop)
    return _Label(
        round=r,
        vtrip=int(labels.ride_trip[r, stop]),
        alight_pos=int(labels.ride_alight_pos[r, stop]),
        board_pos=int(labels.ride_board_pos[r, stop]),
        source=int(labels.ride_board_source[r, stop]),
        stop=stop,
    )


def _event_label(state: RaptorState, e: int) -> _Label:
    events = state.events
    return _Label(
        round=int(events.event_round[e]),
        vtrip=int(events.event_trip[e]),
        alight_pos=int(events.event_alight_pos[e]),
        board_pos=int(events.event_board_pos[e]),
        source=int(events.event_board_source[e]),
        stop=int(events.event_stop[e]),
    )


def trace(view: DayView, state: RaptorState, k: int) -> list[Step]:
    """The steps of the best journey to the destination with at most ``k`` rides, in
    the view's frame, origin first; empty if the destination is not reached."""
    labels = state.labels
    if int(labels.target_time[k]) >= np.iinfo(np.int32).max:
        return []
    r = _lowest_round(labels.target_time, k)
    kind, ref = int(labels.target_kind[r]), int(labels.target_ref[r])
    label = _ride_label(state, r, ref) if kind == 0 else _event_label(state, ref)
    pat = view.arrays.pat
    steps: list[Step] = [Egress(label.stop)]
    for _ in range(2 * labels.ride_time.shape[0] + 2):
        steps.append(Ride(label.vtrip, label.board_pos, label.alight_pos))
        vp = view.vp_of_vtrip(label.vtrip)
        board_stop = int(pat.vp_stops[int(pat.vp_stops_offsets[vp]) + label.board_pos])
        if label.source >= 0:
            previous = _event_label(state, label.source)
        else:
            rr = _lowest_round(labels.ready_time, label.round - 1, board_stop)
            origin = int(labels.ready_from[rr, board_stop])
            if origin < 0:
                steps.append(Access(board_stop))
                steps.reverse()
                return steps
            previous = _ride_label(state, rr, origin)
        steps.append(Transfer(previous.stop, board_stop))
        label = previous
    raise AssertionError("journey reconstruction did not reach the origin")


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
