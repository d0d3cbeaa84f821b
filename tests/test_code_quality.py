"""The project's own rules, run with the tests: ruff, mypy (strict on src, the
benchmarks and the scripts) and layering."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from tests.conftest import REPO


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)


def test_ruff_is_clean() -> None:
    folders = [name for name in ("src", "tests", "benchmarks", "scripts") if (REPO / name).is_dir()]
    result = _run(sys.executable, "-m", "ruff", "check", *folders)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_on_src_is_clean() -> None:
    result = _run(sys.executable, "-m", "mypy", "src/jjj")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("folder", ["benchmarks", "scripts"])
def test_mypy_strict_on_tools_is_clean(folder: str) -> None:
    # checked apart from src: both put their own folder on sys.path for sibling imports
    result = _run(sys.executable, "-m", "mypy", folder)
    assert result.returncode == 0, result.stdout + result.stderr


def test_import_layers_hold() -> None:
    lint_imports = shutil.which("lint-imports")
    if lint_imports is None:
        pytest.fail("import-linter is not installed (pip install -e '.[dev]')")
    result = _run(lint_imports, "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr
