"""scripts/build_region.py reproduces the shipped region byte for byte."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from jjj.data import region_dir
from tests.conftest import REPO, shared


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_script_reproduces_shipped_files(tmp_path: Path) -> None:
    source = shared("jjj")
    out = tmp_path / "jjj"
    result = subprocess.run(
        [sys.executable, "scripts/build_region.py", "--source", str(source), "--out", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    built, shipped = _files(out), _files(region_dir())
    assert sorted(built) == sorted(shipped)
    differing = [name for name in built if built[name] != shipped[name]]
    assert differing == []
