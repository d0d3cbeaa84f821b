"""Where numba keeps jjj's compiled kernels, keyed by the kernels' source.

numba's own cache (``cache=True``) checks only the file of the function it loads: a
kernel that inlines a helper from another module keeps running the old helper after
that module changes, and answers wrongly. jjj therefore points numba at a folder
named after a digest of every jjj module that uses numba (path, size, modification
time), so any change to any kernel compiles all of them afresh. The folder sits in
``$NUMBA_CACHE_DIR`` when set, else in jjj's cache (``$JJJ_CACHE_DIR``, else
``$XDG_CACHE_HOME/jjj`` or ``~/.cache/jjj``); folders of other digests unused for a
week are removed.

Only the standard library is used: this runs when ``jjj`` is imported, before numba.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sys
import time
from pathlib import Path

__all__ = ["configure_kernel_cache", "kernel_cache_dir", "kernel_sources_digest"]

_PACKAGE = Path(__file__).resolve().parent
_PREFIX = "kernels-"
_BASE_VARIABLE = "JJJ_KERNEL_CACHE_BASE"
_KEEP_SECONDS = 7 * 24 * 3600


def kernel_sources_digest(package: Path = _PACKAGE) -> str:
    """A digest of the path, size and modification time of every module using numba."""
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        try:
            text = path.read_bytes()
            stat = path.stat()
        except OSError:
            continue
        if b"numba" not in text:
            continue
        digest.update(f"{path.relative_to(package)}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def _base_dir() -> Path:
    inherited = os.environ.get(_BASE_VARIABLE)
    if inherited:
        return Path(inherited)
    configured = os.environ.get("NUMBA_CACHE_DIR")
    if configured:
        return Path(configured)
    jjj_cache = os.environ.get("JJJ_CACHE_DIR")
    if jjj_cache:
        return Path(jjj_cache) / "numba"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "jjj" / "numba"


def kernel_cache_dir() -> Path:
    """The folder compiled kernels of this exact source are cached in."""
    return _base_dir() / f"{_PREFIX}{kernel_sources_digest()}"


def _remove_other_digests(current: Path) -> None:
    """Remove the folders of other digests not used for a week (another installed
    version may still be using a recent one)."""
    stale_before = time.time() - _KEEP_SECONDS
    try:
        siblings = [p for p in current.parent.iterdir() if p.name.startswith(_PREFIX)]
    except OSError:
        return
    for sibling in siblings:
        try:
            stale = sibling != current and sibling.stat().st_mtime < stale_before
        except OSError:
            continue
        if stale:
            shutil.rmtree(sibling, ignore_errors=True)


def configure_kernel_cache() -> None:
    """Point numba's cache at :func:`kernel_cache_dir` (before or after numba is imported).

    The choice is passed on to child processes (workers) through the environment:
    ``NUMBA_CACHE_DIR`` names the digest folder and ``JJJ_KERNEL_CACHE_BASE`` the
    folder it was chosen in."""
    folder = kernel_cache_dir()
    if not folder.exists():
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return  # not writable: numba falls back to its own locations
        _remove_other_digests(folder)
    else:
        with contextlib.suppress(OSError):
            os.utime(folder)  # in use: not stale for another installed version
    os.environ[_BASE_VARIABLE] = str(folder.parent)
    os.environ["NUMBA_CACHE_DIR"] = str(folder)
    numba_config = sys.modules.get("numba.core.config")
    if numba_config is not None:
        numba_config.CACHE_DIR = str(folder)  # type: ignore[attr-defined]
