"""The CLI's notice when jjj's kernels compile: once, for jjj's kernels only."""

from __future__ import annotations

from typing import Any

import numba
import pytest
from numba.core import event

from jjj.cli.compile_notice import _CompileNotice


def _function(module: str) -> Any:
    def probe(x: int) -> int:
        return x + 1

    probe.__module__ = module
    return probe


def test_notice_at_the_first_jjj_compilation_only(capsys: pytest.CaptureFixture[str]) -> None:
    listener = _CompileNotice()
    with event.install_listener("numba:compile", listener):
        assert numba.njit(_function("other.package"))(1) == 2
        assert capsys.readouterr().err == ""
        assert numba.njit(_function("jjj.probe"))(1) == 2
        first = capsys.readouterr().err
        assert numba.njit(_function("jjj.probe_again"))(2) == 3
        again = capsys.readouterr().err
    assert first.startswith("jjj: compiling the kernels of this version, once")
    assert again == ""
