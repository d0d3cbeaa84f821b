"""Index types, sentinels and time units shared by every layer.

Time is int32 seconds since the service day's "noon minus 12 h" (GTFS semantics):
times of 24:00:00 and later are allowed and belong to the day the trip started.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "DAY_SECONDS",
    "INDEX_DTYPE",
    "NO_INDEX",
    "TIME_DTYPE",
    "UNREACHED",
]

TIME_DTYPE = np.int32
INDEX_DTYPE = np.int32

#: A time later than any real arrival: the label of a stop not reached.
UNREACHED: int = 2**31 - 1
#: The index sentinel for "none".
NO_INDEX: int = -1
DAY_SECONDS: int = 86_400
