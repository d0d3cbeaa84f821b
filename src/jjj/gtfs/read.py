"""Read a GTFS feed (zip or folder) into string-typed polars tables, lazily.

Every column is read as text, exactly as written, so the validator can report bad
values with their line; typed parsing lives in :mod:`jjj.gtfs.parse`. A feed opened
with ``compact=True`` reads the integer columns of stop_times.txt as integers when
they all parse (the text is read again only to quote a value in a notice). Real feeds
bring UTF-8 BOMs, CRLF line ends, quoted fields, extra columns, blank lines and
empty optional files: all are accepted here.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar, cast

import polars as pl

from jjj.errors import FeedError
from jjj.gtfs.notices import Notice, Severity
from jjj.gtfs.schema import FILES, FieldType
from jjj.gtfs.unzip import read_member

__all__ = ["Feed", "feed_name_from_path", "line_of_row", "read_feed"]

_BOM = b"\xef\xbb\xbf"
_T = TypeVar("_T")


def line_of_row(row_idx: int) -> int:
    """The 1-based file line of data row ``row_idx`` (the header is line 1)."""
    return row_idx + 2


def feed_name_from_path(path: Path) -> str:
    """The default feed name: the file's stem (``nyc_subway.zip`` → ``nyc_subway``)."""
    return path.stem if path.suffix.lower() == ".zip" else path.name


@dataclass
class Feed:
    """A GTFS feed whose tables are read on first use and cached.

    Attributes
    ----------
    name:
        The namespace of the feed's ids in a merged network.
    path:
        The zip file or folder it was read from.
    compact:
        Read the integer columns of stop_times.txt (stop_sequence, pickup_type, ...)
        as integers when every value in the file parses as one, instead of as text:
        a quarter of the memory of those columns. The text as written stays
        available through :meth:`text`. For readers that go through
        :mod:`jjj.gtfs.typed` and the validator (``jjj build`` uses it).
    """

    name: str
    path: Path
    compact: bool = False
    _members: dict[str, str] = field(default_factory=dict, repr=False)
    _cache: dict[str, pl.DataFrame] = field(default_factory=dict, repr=False)
    _long_rows: set[str] = field(default_factory=set, repr=False)
    _derived: dict[tuple[str, ...], object] = field(default_factory=dict, repr=False)

    @property
    def files(self) -> list[str]:
        """The ``*.txt`` files present in the feed, e.g. ``["agency.txt", ...]``."""
        return sorted(self._members)

    def has(self, file: str) -> bool:
        """Whether ``file`` (e.g. ``"frequencies.txt"``) is present, even if empty."""
        return file in self._members

    def raw_bytes(self, file: str) -> bytes:
        """The file's bytes, BOM included, as stored.

        Raises
        ------
        FeedError
            If the member is corrupt in the zip (bad CRC, truncated data) or unreadable.
        """
        member = self._members[file]
        try:
            if self.path.is_dir():
                return (self.path / member).read_bytes()
            return read_member(self.path, member)
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
            message = f"{self.path.name}/{file}: cannot be read: {exc}"
            notice = Notice("i_o_error", Severity.ERROR, file, None, None, message)
            raise FeedError(message, [notice]) from exc

    def table(self, file: str) -> pl.DataFrame | None:
        """The file as a string-typed DataFrame, or ``None`` if the file is absent.

        An empty file gives an empty DataFrame with no columns.

        Raises
        ------
        FeedError
            If the file cannot be read, is not UTF-8 or is not CSV; its ``problems``
            hold one :class:`~jjj.gtfs.notices.Notice` naming the file (and line).
        """
        if file not in self._members:
            return None
        if file not in self._cache:
            integers = _COMPACT.get(file) if self.compact else None
            table, long_rows = _parse_csv(self.raw_bytes(file), file, self.name, integers)
            if long_rows:
                self._long_rows.add(file)
            self._cache[file] = table
        return self._cache[file]

    def text(self, file: str, column: str) -> pl.Series:
        """``column`` of ``file`` exactly as written, one string per row of :meth:`table`.

        The cached column itself unless it was read as integers (see ``compact``);
        then the file is read again, for this column only.
        """
        table = self.table(file)
        assert table is not None and column in table.columns
        values = table.get_column(column)
        if values.dtype == pl.String:
            return values
        reread, _ = _parse_csv(self.raw_bytes(file), file, self.name)
        return reread.get_column(column)

    def has_long_rows(self, file: str) -> bool:
        """Whether some row of ``file`` has more fields than its header (the extra are dropped).

        Known only once :meth:`table` has read the file.
        """
        return file in self._long_rows

    def columns(self, file: str) -> list[str]:
        """The header of ``file`` (empty if absent or empty)."""
        table = self.table(file)
        return [] if table is None else list(table.columns)

    def derived(self, key: tuple[str, ...], compute: Callable[[], _T]) -> _T:
        """A value computed from the tables once and kept with them (see :mod:`jjj.gtfs.typed`).

        ``key`` names the value; ``compute`` runs on first use only. The value is
        forgotten with the tables by :meth:`drop_cache`.
        """
        if key not in self._derived:
            self._derived[key] = compute()
        return cast(_T, self._derived[key])

    def drop_cache(self, *, keep: tuple[str, ...] = ()) -> None:
        """Forget tables read so far and values derived from them (frees memory).

        Tables of the files in ``keep`` stay cached.
        """
        for file in list(self._cache):
            if file not in keep:
                del self._cache[file]
        self._derived.clear()


def read_feed(path: str | Path, name: str | None = None, *, compact: bool = False) -> Feed:
    """Open a GTFS feed from a ``.zip`` file or a folder.

    Tables are parsed on first access through :meth:`Feed.table`. A zip whose
    ``.txt`` files sit in one sub-folder is accepted. ``compact``: see :class:`Feed`.

    Raises
    ------
    FeedError
        If the path does not exist, or is not a readable zip (e.g. truncated) or folder.
        A member corrupt inside an intact zip is reported when it is read.
    """
    feed_path = Path(path)
    feed_name = name or feed_name_from_path(feed_path)
    if not feed_path.exists():
        raise FeedError(f"{feed_path}: no such file or folder")
    members: dict[str, str] = {}
    if feed_path.is_dir():
        for child in sorted(feed_path.iterdir()):
            if child.is_file() and child.suffix.lower() == ".txt":
                members[child.name] = child.name
    else:
        try:
            with zipfile.ZipFile(feed_path) as archive:
                # Members are checked (CRC) when read, by ``Feed.raw_bytes``.
                for info in archive.infolist():
                    if info.is_dir() or not info.filename.lower().endswith(".txt"):
                        continue
                    base = info.filename.rsplit("/", 1)[-1]
                    if base.startswith(".") or "__MACOSX" in info.filename:
                        continue
                    members.setdefault(base, info.filename)
        except (zipfile.BadZipFile, EOFError, OSError) as exc:
            raise FeedError(f"{feed_path.name}: not a readable zip file ({exc})") from exc
    return Feed(name=feed_name, path=feed_path, compact=compact, _members=members)


def _compact_columns() -> dict[str, dict[str, pl.DataType]]:
    """The integer columns ``Feed(compact=True)`` reads as integers, by file."""
    spec = FILES["stop_times.txt"]
    return {
        spec.name: {
            field.name: pl.Int8() if field.type is FieldType.ENUM else pl.Int32()
            for field in spec.fields
            if field.type in (FieldType.INTEGER, FieldType.ENUM)
        }
    }


_COMPACT = _compact_columns()


def _parse_csv(
    data: bytes, file: str, feed_name: str, integers: dict[str, pl.DataType] | None = None
) -> tuple[pl.DataFrame, bool]:
    """The file as a frame, and whether some rows had more fields than the header.

    Columns are text, except those of ``integers`` when every value parses as one.
    """
    label = f"{feed_name}/{file}"
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    if not data or data.isspace():  # isspace stops at the first other byte; no copy
        return pl.DataFrame(), False
    typed = _read_integers(data, integers) if integers else None
    if typed is not None:
        return _strip_header(typed), False
    long_rows = False
    try:
        try:
            table = _read_csv(data, truncate=False)
        except pl.exceptions.ComputeError as exc:
            if "more fields" not in str(exc):
                raise
            table = _read_csv(data, truncate=True)
            long_rows = True
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError) as exc:
        if "utf-8" in str(exc).lower():
            _raise_not_utf8(data, file, label)
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        message = f"not a readable CSV file ({first})"
        notice = Notice("csv_parsing_failed", Severity.ERROR, file, None, None, message)
        raise FeedError(f"{label}: {message}", [notice]) from exc
    # Blank lines (all fields empty) are kept as rows of nulls so that row i stays
    # on line i + 2; gtfs-validator calls them empty_row.
    return _strip_header(table), long_rows


def _strip_header(table: pl.DataFrame) -> pl.DataFrame:
    renamed = {column: column.strip() for column in table.columns if column != column.strip()}
    return table.rename(renamed) if renamed else table


def _read_integers(data: bytes, integers: dict[str, pl.DataType]) -> pl.DataFrame | None:
    """The file with the ``integers`` columns as integers, or ``None`` if some value
    of them is not one (or the file is not plain CSV): then it is read as text.
    """
    try:
        header = _read_csv(data, truncate=False, n_rows=0).columns
        overrides = {name: integers[name.strip()] for name in header if name.strip() in integers}
        if not overrides:
            return None
        return _read_csv(data, truncate=False, overrides=overrides)
    except pl.exceptions.PolarsError:
        return None


def _raise_not_utf8(data: bytes, file: str, label: str) -> None:
    """Raise the FeedError naming the line and column of the first byte that is not UTF-8."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = _column_at(data, exc.start)
        message = (
            f"not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "GTFS files must be UTF-8"
        )
        notice = Notice("invalid_encoding", Severity.ERROR, file, line, column, message)
        where = f"{label}:{line}" + (f" {column}" if column else "")
        raise FeedError(f"{where}: {message}", [notice]) from exc


def _read_csv(
    data: bytes,
    *,
    truncate: bool,
    n_rows: int | None = None,
    overrides: dict[str, pl.DataType] | None = None,
) -> pl.DataFrame:
    return pl.read_csv(
        io.BytesIO(data),
        infer_schema=False,
        schema_overrides=overrides,
        has_header=True,
        quote_char='"',
        truncate_ragged_lines=truncate,
        raise_if_empty=False,
        n_rows=n_rows,
    )


def _column_at(data: bytes, offset: int) -> str | None:
    """The header name of the field holding byte ``offset`` (quotes ignored; best effort)."""
    header_end = data.find(b"\n")
    header = data[: header_end if header_end >= 0 else len(data)]
    if offset <= len(header):
        return None
    names = header.decode("utf-8", errors="replace").strip().split(",")
    line_start = data.rfind(b"\n", 0, offset) + 1
    index = data.count(b",", line_start, offset)
    return names[index].strip().strip('"') if index < len(names) else None
