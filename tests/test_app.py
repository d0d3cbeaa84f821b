"""The bundled region is the default network: compiled once into the cache, then reused."""

from __future__ import annotations

from pathlib import Path

import pytest

from jjj.app import open_network, region_network_path


def test_region_is_compiled_once_and_reused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JJJ_CACHE_DIR", str(tmp_path))
    first = region_network_path()
    assert first.parent == tmp_path and first.exists()
    stamp = first.stat().st_mtime_ns
    network = open_network(None)
    assert region_network_path().stat().st_mtime_ns == stamp  # not rebuilt
    summary = network.summary()
    assert summary["feeds"] == ["beijing_subway", "intercity_rail"]
    assert summary["timezone"] == "Asia/Shanghai"
    # the connections file links the railway stations to the subway
    south = network.stop_ids.index_of("intercity_rail:beijing_south")
    lo, hi = int(network.footpaths_offsets[south]), int(network.footpaths_offsets[south + 1])
    reached = {network.stop_ids[int(s)].split(":")[0] for s in network.footpath_to_stop[lo:hi]}
    assert "beijing_subway" in reached
