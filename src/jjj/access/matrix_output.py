"""Stream a travel-time matrix to Parquet or CSV, one batch of origins at a time.

One row per origin–destination pair, every pair present (unreachable ones too):
``origin`` and ``destination`` (dictionary-encoded strings in Parquet),
``p<P>_seconds`` for each percentile (null when that percentile of the window's
minutes does not reach the destination within the limit) and ``reached_share`` (the
share of the window's minutes that reach it). The file is written beside the target
and renamed into place when complete, so a failed run never leaves a partial matrix
behind.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from types import TracebackType

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from jjj.access.matrix import MatrixBatch
from jjj.errors import AccessError
from jjj.ids import UNREACHED

__all__ = ["MatrixWriter", "percentile_column"]


def percentile_column(percentile: float) -> str:
    """The column name of a percentile (``50`` → ``p50_seconds``, ``2.5`` → ``p2.5_seconds``)."""
    text = f"{percentile:g}"
    return f"p{text}_seconds"


class MatrixWriter:
    """Write :class:`MatrixBatch` es in order to ``path`` (``.parquet`` or ``.csv``)."""

    def __init__(
        self,
        path: str | Path,
        *,
        origin_ids: list[str],
        destination_ids: list[str],
        percentiles: tuple[float, ...],
        minutes: int,
        metadata: dict[str, str] | None = None,
    ) -> None:
        self.path = Path(path)
        suffix = self.path.suffix.lower()
        if suffix not in (".parquet", ".csv"):
            raise AccessError(f"{self.path}: the output must end in .parquet or .csv")
        self.format = suffix[1:]
        self.origin_ids = origin_ids
        self.destination_ids = pa.array(destination_ids, type=pa.string())
        self.percentiles = percentiles
        self.minutes = minutes
        # Parquet keeps the ids dictionary-encoded (read back as categories); CSV as text
        ids = pa.dictionary(pa.int32(), pa.string()) if self.format == "parquet" else pa.string()
        fields = [pa.field("origin", ids), pa.field("destination", ids)]
        fields += [pa.field(percentile_column(p), pa.int32()) for p in percentiles]
        fields.append(pa.field("reached_share", pa.float32()))
        self.schema = pa.schema(fields, metadata=metadata or {})
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
        os.close(handle)
        self._temp = Path(temp)
        self._writer: pq.ParquetWriter | pacsv.CSVWriter
        if self.format == "parquet":
            self._writer = pq.ParquetWriter(str(self._temp), self.schema, compression="zstd")
        else:
            self._writer = pacsv.CSVWriter(str(self._temp), self.schema)
        self.rows = 0
        #: Pairs with no time, per percentile.
        self.unreachable = [0] * len(percentiles)
        self._next = 0

    def write(self, batch: MatrixBatch) -> None:
        """Append one batch (batches must come in origin order)."""
        if batch.start != self._next:
            raise AccessError(f"matrix batches out of order: {batch.start} after {self._next}")
        n_origins = batch.stop - batch.start
        n_dest = len(self.destination_ids)
        origins = pa.array(self.origin_ids[batch.start : batch.stop], type=pa.string())
        id_columns = [
            pa.DictionaryArray.from_arrays(
                pa.array(np.repeat(np.arange(n_origins, dtype=np.int32), n_dest)), origins
            ),
            pa.DictionaryArray.from_arrays(
                pa.array(np.tile(np.arange(n_dest, dtype=np.int32), n_origins)),
                self.destination_ids,
            ),
        ]
        columns: list[pa.Array] = [
            column if self.format == "parquet" else column.cast(pa.string())
            for column in id_columns
        ]
        # one minute: every percentile is that minute's time, so one column serves all
        shared = self.minutes == 1
        column: pa.Array | None = None
        n_missing = 0
        for p in range(len(self.percentiles)):
            if column is None or not shared:
                values = batch.times[:, :, p].ravel()
                missing = values == UNREACHED
                n_missing = int(missing.sum())
                column = pa.array(values, type=pa.int32(), mask=missing)
            self.unreachable[p] += n_missing
            columns.append(column)
        share = batch.reached.ravel().astype(np.float32) / np.float32(self.minutes)
        columns.append(pa.array(share, type=pa.float32()))
        self._writer.write_table(pa.Table.from_arrays(columns, schema=self.schema))
        self.rows += n_origins * n_dest
        self._next = batch.stop

    def close(self) -> Path:
        """Finish the file and move it into place."""
        self._writer.close()
        os.replace(self._temp, self.path)
        return self.path

    def abort(self) -> None:
        """Drop the partial file."""
        try:
            self._writer.close()
        finally:
            self._temp.unlink(missing_ok=True)

    def __enter__(self) -> MatrixWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if kind is None:
            self.close()
        else:
            self.abort()
