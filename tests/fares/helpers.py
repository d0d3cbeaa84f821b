"""Small helpers for fare tests: write a feed from CSV text, make legs, read totals."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

from jjj.fares import FareEngine, FareLeg, FareQuote, FareResult, load_fares

__all__ = ["engine_for", "leg", "total", "write_feed"]


def write_feed(folder: Path, files: dict[str, str]) -> Path:
    """Write ``{"file.txt": "csv text"}`` into ``folder`` (created) and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text).strip() + "\n", encoding="utf-8")
    return folder


def engine_for(folder: Path, files: dict[str, str]) -> FareEngine:
    """A fare engine over a feed written from ``files``."""
    return FareEngine(load_fares(write_feed(folder, files)))


def leg(
    from_stop: str,
    to_stop: str,
    departure: str,
    minutes: float = 10,
    **extra: object,
) -> FareLeg:
    """A leg departing at ``departure`` (ISO local time) and riding ``minutes``."""
    start = dt.datetime.fromisoformat(departure)
    return FareLeg(
        from_stop,
        to_stop,
        start,
        start + dt.timedelta(minutes=minutes),
        **extra,  # type: ignore[arg-type]
    )


def total(quote: FareQuote, media: str | None = None, rider: str | None = None) -> str | None:
    """The total of one result as a decimal string (``None`` when the fare is unknown)."""
    result = quote.result(media, rider)
    if not isinstance(result, FareResult):
        return None
    return str(result.total).split(" ")[0]
