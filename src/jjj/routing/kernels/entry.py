"""Calling a compiled kernel without numba's per-call type dispatch.

A numba dispatcher works out the type of every argument on every call; for a day
view and a round state (named tuples of about 80 arrays) that costs about 30 µs, as
much as a short search. :class:`KernelCall` does it once per view and state it sees
and then calls the compiled entry point directly. The other arguments must be
C-contiguous int32 or bool arrays (checked, never copied: some are outputs) or
integers (passed as int64); their kinds and dimensions are part of the cache key, so
compiled code is never reached with arguments of another type.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import numba
import numpy as np

__all__ = ["KernelCall"]

_CACHED_PAIRS = 32
_KINDS = (np.dtype(np.int32), np.dtype(np.bool_))


class KernelCall:
    """``KernelCall(dispatcher)(view_arrays, state, *rest)`` calls the dispatcher's
    compiled code for these argument types; ``rest`` are int32 or bool arrays or
    integers."""

    def __init__(self, dispatcher: Any) -> None:
        self._dispatcher = dispatcher
        # (id(view), id(state)) -> (view, state, entry): the objects are kept so that
        # their ids cannot be reused by others while cached
        self._entries: OrderedDict[tuple[Any, ...], tuple[Any, Any, Any]] = OrderedDict()

    def __call__(self, view: Any, state: Any, *rest: Any) -> Any:
        args = tuple(_checked(value) for value in rest)
        key = (
            id(view),
            id(state),
            *((a.dtype.char, a.ndim) if isinstance(a, np.ndarray) else -1 for a in args),
        )
        cached = self._entries.get(key)
        if cached is None or cached[0] is not view or cached[1] is not state:
            signature = tuple(numba.typeof(value) for value in (view, state, *args))  # type: ignore[no-untyped-call]
            self._dispatcher.compile(signature)
            entry = self._dispatcher.overloads[signature].entry_point
            self._entries[key] = (view, state, entry)
            while len(self._entries) > _CACHED_PAIRS:
                self._entries.popitem(last=False)
            return entry(view, state, *args)
        self._entries.move_to_end(key)
        return cached[2](view, state, *args)


def _checked(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        if value.dtype not in _KINDS or not value.flags.c_contiguous:
            raise TypeError(f"kernel arrays must be C-contiguous int32 or bool, not {value.dtype}")
        return value
    return np.int64(value)
