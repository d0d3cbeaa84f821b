"""Deterministic output, geometry and naming helpers shared by the region builders.

Everything written here is byte-for-byte reproducible: rows are sorted by the
caller's key, floats are formatted with a fixed number of decimals, lines end in
``\\n`` and nothing depends on the clock or on dictionary order.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path

from pypinyin import Style, lazy_pinyin, load_phrases_dict

__all__ = [
    "EARTH_RADIUS_M",
    "english_station_name",
    "fmt_coord",
    "gtfs_time",
    "haversine_m",
    "load_json5",
    "normalise_name",
    "read_csv",
    "slug",
    "write_csv",
]

EARTH_RADIUS_M = 6_371_008.8

# Readings pypinyin gets wrong in Beijing place names (as signed in the stations).
load_phrases_dict(
    {
        "朝阳": [["cháo"], ["yáng"]],
        "长椿": [["cháng"], ["chūn"]],
        "长阳": [["cháng"], ["yáng"]],
        "饶乐府": [["ráo"], ["lè"], ["fǔ"]],
        "马家堡": [["mǎ"], ["jiā"], ["pù"]],
        "什刹海": [["shí"], ["chà"], ["hǎi"]],
    }
)


def read_csv(path: Path) -> list[dict[str, str]]:
    """All rows of a UTF-8 CSV (BOM tolerated) as dicts of text."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """Write ``rows`` under ``header`` with ``\\n`` line ends; returns the row count.

    Values are written with ``str()``; ``None`` becomes an empty field. The caller
    sorts the rows: the order given is the order written.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    count = 0
    for row in rows:
        if len(row) != len(header):
            raise ValueError(f"{path.name}: row {row!r} does not match header {header!r}")
        writer.writerow(["" if value is None else str(value) for value in row])
        count += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue().encode("utf-8"))
    return count


_JSON5_COMMENTS = re.compile(r'"(?:\\.|[^"\\])*"|//[^\n]*|/\*.*?\*/', re.DOTALL)
_JSON5_KEYS_AND_COMMAS = re.compile(
    r'"(?:\\.|[^"\\])*"|,(?=\s*[\]}])|(?<![\w"])([A-Za-z_$][\w$]*)(?=\s*:)'
)


def load_json5(path: Path) -> object:
    """A JSON5 file as Python values.

    Handles the subset the Beijing-Subway-Tools files use: ``//`` and ``/* */``
    comments, unquoted keys and trailing commas, with double-quoted strings.
    """
    text = path.read_text(encoding="utf-8")
    text = _JSON5_COMMENTS.sub(lambda m: m.group(0) if m.group(0)[0] == '"' else "", text)

    def fix(match: re.Match[str]) -> str:
        token = match.group(0)
        if token[0] == '"':
            return token
        if token == ",":
            return ""
        return f'"{token}"'

    return json.loads(_JSON5_KEYS_AND_COMMAS.sub(fix, text))


def fmt_coord(value: float) -> str:
    """A latitude or longitude with 6 decimals (about 0.1 m), the same on every run."""
    return f"{value:.6f}"


def gtfs_time(seconds: int) -> str:
    """``HH:MM:SS`` for seconds after the service day's start (hours may pass 23)."""
    hours, rest = divmod(seconds, 3600)
    return f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlam = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlam / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def normalise_name(text: str) -> str:
    """Case-, accent-, space- and punctuation-free form used to look names up.

    ``"Tian'anmen East"`` and ``"tiananmen  east"`` both give ``"tiananmeneast"``;
    Chinese characters are kept as they are (full-width forms folded by NFKC).
    """
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
    kept = [ch for ch in folded if not unicodedata.combining(ch)]
    return "".join(ch for ch in "".join(kept).casefold() if ch.isalnum())


# Station-name words that Beijing Subway's English names translate instead of
# transliterating (longest first so that 火车站 wins over 站).
_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("火车站", "Railway Station"),
    ("东站", "East Railway Station"),
    ("西站", "West Railway Station"),
    ("南站", "South Railway Station"),
    ("北站", "North Railway Station"),
    ("站", "Railway Station"),
    ("东", "East"),
    ("西", "West"),
    ("南", "South"),
    ("北", "North"),
)
_VOWEL_START = re.compile(r"^[aoe]")
_QUALIFIER = re.compile(r"[(（].*?[)）]$")


def _pinyin_word(text: str) -> str:
    """Toneless pinyin of ``text`` as one capitalised word, with apostrophes (Xi'an)."""
    syllables = lazy_pinyin(text, style=Style.NORMAL, errors="ignore")
    word = ""
    for index, syllable in enumerate(syllables):
        if index > 0 and _VOWEL_START.match(syllable):
            word += "'"
        word += syllable
    return word[:1].upper() + word[1:]


def english_station_name(chinese: str, *, alias: str | None = None) -> str:
    """The English name of a Beijing Subway station, following the system's style.

    An English alias from the source wins. Otherwise the name is transliterated
    into pinyin, with a trailing compass point or 站/火车站 translated the way the
    station signs do (天安门东 → ``Tian'anmen East``, 北京南站 → ``Beijing South
    Railway Station``). Names of two characters are never split (东四 stays
    ``Dongsi``).
    """
    if alias:
        return alias
    base = _QUALIFIER.sub("", chinese)
    for suffix, english in _SUFFIXES:
        if base.endswith(suffix) and len(base) - len(suffix) >= 2:
            stem = base[: -len(suffix)]
            return f"{_pinyin_word(stem)} {english}"
    return _pinyin_word(base)


def slug(chinese: str) -> str:
    """An ASCII id from a Chinese name: toneless pinyin in lower case.

    A line qualifier such as ``木樨地(16号线)`` becomes a suffix: ``muxidi_l16``.
    """
    qualifier = _QUALIFIER.search(chinese)
    suffix = ""
    if qualifier:
        digits = re.sub(r"\D", "", qualifier.group(0))
        suffix = f"_l{digits}" if digits else "_" + slug(qualifier.group(0)[1:-1])
    base = _QUALIFIER.sub("", chinese)
    text = "".join(lazy_pinyin(base, style=Style.NORMAL, errors="default")).lower()
    return re.sub(r"[^a-z0-9]", "", text) + suffix
