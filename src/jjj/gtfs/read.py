"""Read a GTFS feed (zip or folder) into string-typed polars tables, lazily.

Every column is read as text, exactly as written, so the validator can report bad
values with their line; typed parsing lives in :mod:`jjj.gtfs.parse`. Real feeds
bring UTF-8 BOMs, CRLF line ends, quoted fields, extra columns, blank lines and
empty optional files: all are accepted here.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from jjj.errors import FeedError

__all__ = ["Feed", "feed_name_from_path", "line_of_row", "read_feed"]

_BOM = b"\xef\xbb\xbf"


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
    """

    name: str
    path: Path
    _members: dict[str, str] = field(default_factory=dict, repr=False)
    _cache: dict[str, pl.DataFrame] = field(default_factory=dict, repr=False)

    @property
    def files(self) -> list[str]:
        """The ``*.txt`` files present in the feed, e.g. ``["agency.txt", ...]``."""
        return sorted(self._members)

    def has(self, file: str) -> bool:
        """Whether ``file`` (e.g. ``"frequencies.txt"``) is present, even if empty."""
        return file in self._members

    def raw_bytes(self, file: str) -> bytes:
        """The file's bytes, BOM included, as stored."""
        member = self._members[file]
        if self.path.is_dir():
            return (self.path / member).read_bytes()
        try:
            with zipfile.ZipFile(self.path) as archive:
                return archive.read(member)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise FeedError(f"{self.path.name}/{file}: cannot be read from the zip: {exc}") from exc

    def table(self, file: str) -> pl.DataFrame | None:
        """The file as a string-typed DataFrame, or ``None`` if the file is absent.

        An empty file gives an empty DataFrame with no columns.
        """
        if file not in self._members:
            return None
        if file not in self._cache:
            self._cache[file] = _parse_csv(self.raw_bytes(file), f"{self.name}/{file}")
        return self._cache[file]

    def columns(self, file: str) -> list[str]:
        """The header of ``file`` (empty if absent or empty)."""
        table = self.table(file)
        return [] if table is None else list(table.columns)

    def drop_cache(self) -> None:
        """Forget tables read so far (frees memory between build stages)."""
        self._cache.clear()


def read_feed(path: str | Path, name: str | None = None) -> Feed:
    """Open a GTFS feed from a ``.zip`` file or a folder.

    Tables are parsed on first access through :meth:`Feed.table`. A zip whose
    ``.txt`` files sit in one sub-folder is accepted.

    Raises
    ------
    FeedError
        If the path does not exist, is not a zip or folder, or the zip is corrupt.
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
                bad_member = archive.testzip()
                if bad_member is not None:
                    raise FeedError(f"{feed_path.name}: {bad_member} is corrupt inside the zip")
                for info in archive.infolist():
                    if info.is_dir() or not info.filename.lower().endswith(".txt"):
                        continue
                    base = info.filename.rsplit("/", 1)[-1]
                    if base.startswith(".") or "__MACOSX" in info.filename:
                        continue
                    members.setdefault(base, info.filename)
        except (zipfile.BadZipFile, EOFError, OSError) as exc:
            raise FeedError(f"{feed_path.name}: not a readable zip file ({exc})") from exc
    return Feed(name=feed_name, path=feed_path, _members=members)


def _parse_csv(data: bytes, label: str) -> pl.DataFrame:
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise FeedError(
            f"{label}:{line}: not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "GTFS files must be UTF-8"
        ) from exc
    if not data.strip():
        return pl.DataFrame()
    try:
        table = pl.read_csv(
            io.BytesIO(data),
            infer_schema=False,
            has_header=True,
            quote_char='"',
            truncate_ragged_lines=True,
            raise_if_empty=False,
        )
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise FeedError(f"{label}: not a readable CSV file ({first})") from exc
    renamed = {column: column.strip() for column in table.columns if column != column.strip()}
    if renamed:
        table = table.rename(renamed)
    # Blank lines (all fields empty) carry nothing; gtfs-validator calls them empty_row.
    return table
