"""The compiled-kernel cache is keyed by every numba module's source."""

from __future__ import annotations

import os
from pathlib import Path

import numba
import pytest

import jjj
from jjj.kernel_cache import kernel_cache_dir, kernel_sources_digest


def _package(root: Path) -> Path:
    (root / "kernels").mkdir(parents=True)
    (root / "kernels" / "scan.py").write_text("import numba\n\ndef scan():\n    return 1\n")
    (root / "kernels" / "helper.py").write_text("import numba\n\ndef helper():\n    return 2\n")
    (root / "cli.py").write_text("def main():\n    return 0\n")
    return root


def test_a_change_to_any_numba_module_changes_the_digest(tmp_path: Path) -> None:
    package = _package(tmp_path / "pkg")
    before = kernel_sources_digest(package)
    assert kernel_sources_digest(package) == before
    helper = package / "kernels" / "helper.py"
    helper.write_text(helper.read_text() + "\n# changed\n")
    after = kernel_sources_digest(package)
    assert after != before
    stat = helper.stat()
    os.utime(helper, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert kernel_sources_digest(package) != after


def test_modules_without_numba_do_not_count(tmp_path: Path) -> None:
    package = _package(tmp_path / "pkg")
    before = kernel_sources_digest(package)
    (package / "cli.py").write_text("def main():\n    return 1  # changed\n")
    assert kernel_sources_digest(package) == before


def test_numba_caches_in_the_digest_folder() -> None:
    assert jjj.__version__
    folder = kernel_cache_dir()
    assert folder.name == f"kernels-{kernel_sources_digest()}"
    assert str(folder) == numba.config.CACHE_DIR  # type: ignore[attr-defined]
    assert os.environ["NUMBA_CACHE_DIR"] == str(folder)


def test_the_folder_follows_jjj_cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JJJ_KERNEL_CACHE_BASE", raising=False)
    monkeypatch.delenv("NUMBA_CACHE_DIR", raising=False)
    monkeypatch.setenv("JJJ_CACHE_DIR", str(tmp_path))
    assert kernel_cache_dir().parent == tmp_path / "numba"
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path / "elsewhere"))
    assert kernel_cache_dir().parent == tmp_path / "elsewhere"


def test_other_digests_are_removed_only_when_stale(tmp_path: Path) -> None:
    from jjj.kernel_cache import _remove_other_digests

    current = tmp_path / "kernels-current"
    recent = tmp_path / "kernels-recent"
    stale = tmp_path / "kernels-stale"
    other = tmp_path / "not-ours"
    for folder in (current, recent, stale, other):
        folder.mkdir()
    old = 30 * 24 * 3600
    os.utime(stale, (stale.stat().st_atime - old, stale.stat().st_mtime - old))
    os.utime(other, (other.stat().st_atime - old, other.stat().st_mtime - old))
    _remove_other_digests(current)
    assert current.exists() and recent.exists() and other.exists()
    assert not stale.exists()
