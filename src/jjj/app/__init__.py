"""The composition root: builds the objects the CLI and the API use.

Only this module, ``jjj.api`` and ``jjj.cli`` see every layer. It knows where the
bundled region lives and compiles it on first use into a cache, so every command
that takes a network can default to the region.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

from jjj import __version__
from jjj.errors import NetworkError
from jjj.timetable.network import FORMAT_VERSION, Network
from jjj.timetable.store import load_network, save_network

__all__ = ["cache_dir", "open_network", "region_network_path"]

Progress = Callable[[str], None]


def cache_dir() -> Path:
    """Where compiled networks are cached: ``$JJJ_CACHE_DIR`` or ``~/.cache/jjj``."""
    configured = os.environ.get("JJJ_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "jjj"


def _region_sources() -> list[Path]:
    from jjj.data import connections_path, feed_paths

    paths = list(feed_paths().values())
    connections = connections_path()
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise NetworkError(f"the bundled region is not installed ({', '.join(missing)})")
    return [*paths, connections] if connections.exists() else paths


def region_network_path(*, progress: Progress | None = None, rebuild: bool = False) -> Path:
    """The compiled bundled region, built into the cache on first use.

    The cache key covers the region's files, the jjj version and the network format,
    so a new release or new data never reuses a stale network.
    """
    from jjj.data import connections_path, feed_paths

    sources = _region_sources()
    digest = hashlib.sha256(f"{__version__}/{FORMAT_VERSION}".encode())
    for source in sources:
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    target = cache_dir() / f"region-{digest.hexdigest()[:16]}.jjjnet"
    if target.exists() and not rebuild:
        return target
    # the compiler (and the GTFS reader, validator and polars under it) loads only when
    # the region has to be compiled, not on every command that opens it
    from jjj.gtfs.read import read_feed
    from jjj.timetable.build import build_network
    from jjj.timetable.connections import read_connections

    feeds = [read_feed(path, name) for name, path in feed_paths().items()]
    connections = read_connections(connections_path()) if connections_path().exists() else []
    network = build_network(feeds, connections=connections, progress=progress)
    return save_network(network, target)


def open_network(path: Path | None, *, progress: Progress | None = None) -> Network:
    """Load the network at ``path``, or the bundled region when ``path`` is None."""
    if path is None:
        return load_network(region_network_path(progress=progress))
    return load_network(path)
