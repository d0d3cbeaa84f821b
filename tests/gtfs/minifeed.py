"""A tiny valid GTFS feed written from text, and helpers to validate variations of it.

``BASE`` is a complete, clean feed (it gives no notice at all): one agency, three
bus stops 0.01° of longitude apart (about 853 m at 39.9° N), two trips of three
stops, a daily calendar for 2026 and feed_info. A test overrides only the files it
is about; ``None`` removes a file.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from collections.abc import Mapping
from pathlib import Path

from jjj.gtfs.notices import Notice, Severity
from jjj.gtfs.read import read_feed
from jjj.gtfs.validate import validate_feed
from tests.feedtext import clean

BASE: dict[str, str] = {
    "agency.txt": """
        agency_id,agency_name,agency_url,agency_timezone,agency_lang
        A,Test Agency,https://example.org,Asia/Shanghai,zh
    """,
    "stops.txt": """
        stop_id,stop_name,stop_lat,stop_lon
        S1,One,39.9,116.30
        S2,Two,39.9,116.31
        S3,Three,39.9,116.32
    """,
    "routes.txt": """
        route_id,agency_id,route_short_name,route_long_name,route_type
        R1,A,1,Line one,3
    """,
    "trips.txt": """
        route_id,service_id,trip_id
        R1,ALL,T1
        R1,ALL,T2
    """,
    "stop_times.txt": """
        trip_id,arrival_time,departure_time,stop_id,stop_sequence
        T1,08:00:00,08:00:00,S1,1
        T1,08:05:00,08:05:00,S2,2
        T1,08:10:00,08:10:00,S3,3
        T2,09:00:00,09:00:00,S1,1
        T2,09:05:00,09:05:00,S2,2
        T2,09:10:00,09:10:00,S3,3
    """,
    "calendar.txt": """
        service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date
        ALL,1,1,1,1,1,1,1,20260101,20261231
    """,
    "feed_info.txt": """
        feed_publisher_name,feed_publisher_url,feed_lang,feed_start_date,feed_end_date,feed_version
        Test,https://example.org,zh,20260101,20261231,1
    """,
}

Key = tuple[str, str, int | None, str | None]


def write(folder: Path, files: Mapping[str, str | bytes | None]) -> Path:
    """Write BASE overridden by ``files`` into ``folder`` (text is dedented; bytes as is)."""
    folder.mkdir(parents=True, exist_ok=True)
    merged: dict[str, str | bytes | None] = {**BASE, **files}
    for name, content in merged.items():
        if content is None:
            continue
        data = content if isinstance(content, bytes) else clean(content).encode("utf-8")
        (folder / name).write_bytes(data)
    return folder


def notices(tmp_path: Path, files: Mapping[str, str | bytes | None], **kw: object) -> list[Notice]:
    """Validate BASE overridden by ``files``."""
    folder = write(tmp_path / "feed", files)
    return validate_feed(read_feed(folder), **kw)  # type: ignore[arg-type]


def keys(found: list[Notice], severity: Severity | None = None) -> list[Key]:
    """``(code, file, line, field)`` of each notice, optionally of one severity, sorted."""
    chosen = [n for n in found if severity is None or n.severity is severity]
    return sorted(
        ((n.code, n.file, n.line, n.field) for n in chosen),
        key=lambda k: (k[0], k[1], k[2] or 0, k[3] or ""),
    )


def check(tmp_path: Path, files: Mapping[str, str | bytes | None]) -> list[Key]:
    """The keys of every notice for BASE overridden by ``files``."""
    return keys(notices(tmp_path, files))


def severity_of(found: list[Notice], code: str) -> Severity:
    """The one severity the notices of ``code`` have."""
    levels = {n.severity for n in found if n.code == code}
    assert len(levels) == 1, (code, levels)
    return levels.pop()


def unpack(zip_path: Path, folder: Path) -> Path:
    """Extract a feed zip into ``folder`` (flat) and return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(zip_path) as archive:
        for info in archive.infolist():
            if not info.is_dir():
                target = folder / Path(info.filename).name
                with archive.open(info) as source, target.open("wb") as out:
                    shutil.copyfileobj(source, out)
    return folder


def replace_line(path: Path, line: int, new: bytes) -> bytes:
    """Replace 1-based ``line`` of a file (keeping its line end); return the old line."""
    lines = io.BytesIO(path.read_bytes()).readlines()
    old = lines[line - 1]
    ending = old[len(old.rstrip(b"\r\n")) :]
    lines[line - 1] = new + ending
    path.write_bytes(b"".join(lines))
    return old.rstrip(b"\r\n")
