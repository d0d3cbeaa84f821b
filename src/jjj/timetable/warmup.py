"""Load the build's compiled kernels in a background thread while feeds are read.

The first call of any numba kernel in a process costs about half a second of
setup (numba loads its type registries, then each kernel from its cache). A
build first spends that long unzipping and parsing CSV, work that releases the
GIL, so the setup can run beside it instead of before the first check.
"""

from __future__ import annotations

import threading

import numpy as np
import polars as pl

from jjj.gtfs import checks_speed
from jjj.gtfs.time_kernel import parse_time_column
from jjj.timetable.kernels import assign_subpatterns, scatter_pattern_times

__all__ = ["start_warm_up"]


def _warm_up() -> None:
    try:
        parse_time_column(pl.Series(["0:00:00"]))
        checks_speed.warm_up()
        none64 = np.zeros(0, np.int64)
        none32 = np.zeros(0, np.int32)
        assign_subpatterns(none64, np.zeros(1, np.int64), none32, none32, 0)
        one = np.zeros(1, np.int64)
        scatter_pattern_times(none64, one, none64, one, none32, none32, none32, none32)
    except Exception:  # the build's own calls report any problem
        pass


def start_warm_up() -> threading.Thread:
    """Start loading the kernels in a daemon thread; returns the thread."""
    thread = threading.Thread(target=_warm_up, name="jjj-kernel-warm-up", daemon=True)
    thread.start()
    return thread
