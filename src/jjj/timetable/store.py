"""Save a :class:`Network` as one file and load it back with memory mapping.

File layout: the 8-byte magic ``JJJNET\\x00\\x01``, a little-endian uint64 header
length, a UTF-8 JSON header (metadata and, for each array, dtype, shape and byte
offset), then the arrays, each aligned to 64 bytes. Loading maps the file once
and returns views into it, so a network of millions of stop times loads in
milliseconds and pages in on use. Writing goes to a temporary file beside the
target that is renamed into place only when complete: a failed build never leaves
a partial network behind.
"""

from __future__ import annotations

import json
import os
import struct
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from jjj.errors import NetworkError
from jjj.timetable.network import FORMAT_VERSION, Network
from jjj.timetable.strings import StringTable

__all__ = ["load_network", "save_network"]

MAGIC = b"JJJNET\x00\x01"
_ALIGN = 64


def _aligned(offset: int) -> int:
    return (offset + _ALIGN - 1) // _ALIGN * _ALIGN


def save_network(network: Network, path: str | Path) -> Path:
    """Write ``network`` to ``path`` atomically; returns the path."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, np.ndarray[Any, Any]] = {}
    for name in Network.array_fields():
        arrays[name] = np.ascontiguousarray(getattr(network, name))
    for name in Network.string_fields():
        table: StringTable = getattr(network, name)
        arrays[f"{name}.blob"] = np.ascontiguousarray(table.blob, dtype=np.uint8)
        arrays[f"{name}.offsets"] = np.ascontiguousarray(table.offsets, dtype=np.int64)
    entries: dict[str, dict[str, Any]] = {}
    offset = 0
    for name, array in arrays.items():
        offset = _aligned(offset)
        entries[name] = {"dtype": array.dtype.str, "shape": list(array.shape), "offset": offset}
        offset += array.nbytes
    meta = dict(network.meta)
    meta["format_version"] = FORMAT_VERSION
    header = json.dumps({"meta": meta, "arrays": entries}, ensure_ascii=False).encode("utf-8")
    data_start = _aligned(len(MAGIC) + 8 + len(header))
    handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(MAGIC)
            out.write(struct.pack("<Q", len(header)))
            out.write(header)
            for name, array in arrays.items():
                out.seek(data_start + entries[name]["offset"])
                out.write(array.tobytes(order="C"))
            out.truncate(data_start + offset)
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return target


def load_network(path: str | Path) -> Network:
    """Map the network file at ``path``; arrays are read-only views into the file.

    Raises
    ------
    NetworkError
        If the file is missing, not a jjj network, of another format version, or truncated.
    """
    source = Path(path)
    if not source.is_file():
        raise NetworkError(f"{source}: no such network file (build one with `jjj build`)")
    with source.open("rb") as handle:
        magic = handle.read(len(MAGIC))
        if magic != MAGIC:
            raise NetworkError(f"{source}: not a jjj network file")
        (header_length,) = struct.unpack("<Q", handle.read(8))
        try:
            header = json.loads(handle.read(header_length).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise NetworkError(f"{source}: corrupt header ({exc})") from exc
    meta = header["meta"]
    if meta.get("format_version") != FORMAT_VERSION:
        raise NetworkError(
            f"{source}: format version {meta.get('format_version')} is not "
            f"{FORMAT_VERSION}; rebuild it with this version of jjj"
        )
    data_start = _aligned(len(MAGIC) + 8 + header_length)
    size = source.stat().st_size
    # plain ndarray views of the map (the map stays alive as their base): indexing a
    # np.memmap from Python costs several times as much (its subclass hooks run on
    # every index), which adds up in the Python that names stops and routes
    mapped = np.memmap(source, dtype=np.uint8, mode="r").view(np.ndarray)
    views: dict[str, np.ndarray[Any, Any]] = {}
    for name, entry in header["arrays"].items():
        dtype = np.dtype(entry["dtype"])
        shape = tuple(entry["shape"])
        count = int(np.prod(shape)) if shape else 1
        start = data_start + entry["offset"]
        end = start + count * dtype.itemsize
        if end > size:
            raise NetworkError(f"{source}: truncated (array {name} ends past the file)")
        views[name] = mapped[start:end].view(dtype).reshape(shape)
    kwargs: dict[str, Any] = {"meta": meta}
    try:
        for name in Network.array_fields():
            kwargs[name] = views[name]
        for name in Network.string_fields():
            kwargs[name] = StringTable(views[f"{name}.blob"], views[f"{name}.offsets"])
    except KeyError as exc:
        raise NetworkError(f"{source}: array {exc} missing; rebuild the network") from exc
    return Network(**kwargs)
