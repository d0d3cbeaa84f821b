"""A one-line notice when jjj's kernels compile (the first run of an installed version).

numba compiles a kernel the first time it is called and keeps it in jjj's kernel
cache (:mod:`jjj.kernel_cache`); that first run takes a minute or two during which
nothing else is printed. numba announces each compilation (not cache loads) as a
``numba:compile`` event, and the first one of a jjj kernel prints this notice.
"""

from __future__ import annotations

import os

import click
from numba.core import event

__all__ = ["install_compile_notice"]

_installed: list[event.Listener] = []


class _CompileNotice(event.Listener):
    """Prints the notice at the first compilation of a jjj kernel, then nothing."""

    def __init__(self) -> None:
        self.shown = False

    def on_start(self, ev: event.Event) -> None:
        if self.shown:
            return
        data = ev.data if isinstance(ev.data, dict) else {}
        function = getattr(data.get("dispatcher"), "py_func", None)
        if getattr(function, "__module__", "").startswith("jjj."):
            self.shown = True
            folder = os.environ.get("NUMBA_CACHE_DIR", "jjj's cache")
            click.echo(
                "jjj: compiling the kernels of this version, once (a minute or two); "
                f"later runs load them from {folder}",
                err=True,
            )

    def on_end(self, ev: event.Event) -> None:
        return None


def install_compile_notice() -> None:
    """Print the notice at the first kernel compilation of this process (idempotent)."""
    if not _installed:
        listener = _CompileNotice()
        event.register("numba:compile", listener)  # type: ignore[no-untyped-call]
        _installed.append(listener)
