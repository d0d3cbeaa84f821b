"""A table of strings stored as one UTF-8 blob plus offsets (memory-mappable)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence

import numpy as np
import numpy.typing as npt
import pyarrow as pa

__all__ = ["StringTable"]


class StringTable(Sequence[str]):
    """Immutable list of strings backed by ``blob`` (uint8) and ``offsets`` (int64, n+1).

    Item ``i`` is ``blob[offsets[i]:offsets[i+1]]`` decoded as UTF-8. ``index_of``
    builds a reverse dictionary on first use.
    """

    def __init__(self, blob: npt.NDArray[np.uint8], offsets: npt.NDArray[np.int64]) -> None:
        self.blob = blob
        self.offsets = offsets
        self._index: dict[str, int] | None = None

    @classmethod
    def from_strings(cls, values: Sequence[str | None]) -> StringTable:
        """Encode ``values`` (``None`` is stored as the empty string)."""
        # Arrow encodes the list in one C loop (nulls take no bytes).
        array = pa.array(values if isinstance(values, list) else list(values), pa.large_string())
        n = len(array)
        if n == 0:
            return cls(np.zeros(0, dtype=np.uint8), np.zeros(1, dtype=np.int64))
        _, offsets_buffer, data_buffer = array.buffers()
        assert offsets_buffer is not None
        offsets = np.frombuffer(offsets_buffer, dtype=np.int64)[array.offset : array.offset + n + 1]
        start, end = int(offsets[0]), int(offsets[-1])
        data = np.frombuffer(data_buffer, dtype=np.uint8) if data_buffer is not None else None
        blob = data[start:end].copy() if data is not None else np.zeros(0, dtype=np.uint8)
        return cls(blob, offsets - start)

    def __len__(self) -> int:
        return int(self.offsets.shape[0]) - 1

    def __getitem__(self, i: int) -> str:  # type: ignore[override]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        start, end = int(self.offsets[i]), int(self.offsets[i + 1])
        return bytes(self.blob[start:end]).decode("utf-8")

    def __iter__(self) -> Iterator[str]:
        data = bytes(self.blob)
        offsets = self.offsets.tolist()
        for start, end in itertools.pairwise(offsets):
            yield data[start:end].decode("utf-8")

    def to_list(self) -> list[str]:
        """All strings, decoded at once."""
        return list(iter(self))

    def index_of(self, value: str) -> int:
        """The position of ``value``; raises ``KeyError`` if absent (first wins on duplicates)."""
        if self._index is None:
            index: dict[str, int] = {}
            for position, item in enumerate(self):
                index.setdefault(item, position)
            self._index = index
        return self._index[value]

    def get_index(self, value: str) -> int | None:
        """The position of ``value`` or ``None``."""
        try:
            return self.index_of(value)
        except KeyError:
            return None
