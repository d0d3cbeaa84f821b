"""The optional NETWORK argument: a compiled network file, or the bundled region when omitted."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from tqdm import tqdm

from jjj.app import region_network_path

__all__ = ["network_argument", "resolve_network_path"]

F = TypeVar("F", bound=Callable[..., Any])


def network_argument(function: F) -> F:
    """Add ``[NETWORK]``: a file built by ``jjj build``; the bundled region if omitted."""
    decorated: F = click.argument(
        "network", required=False, default=None, type=click.Path(path_type=Path)
    )(function)
    return decorated


def resolve_network_path(network: Path | None) -> Path:
    """``network`` itself, or the bundled region compiled into the cache (first use builds it)."""
    if network is not None:
        return network
    with tqdm(total=None, desc="bundled region", unit="step", leave=False, disable=None) as bar:

        def progress(stage: str) -> None:
            bar.set_description(f"building the bundled region: {stage}")
            bar.update(1)

        return region_network_path(progress=progress)
