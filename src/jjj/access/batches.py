"""Run a matrix job in batches of origins: in this process (in threads at one departure
time), in local worker processes, or on an existing Dask (``dask.distributed``) cluster
given by its scheduler address.

Batches are handed out a few at a time and their results consumed in origin order,
so memory holds only the batches in flight whatever the matrix size. Every path
computes each batch with the same :func:`jjj.access.matrix.compute_batch`, so the
results are identical.
"""

from __future__ import annotations

import collections
import math
import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any

from jjj.access.matrix import MatrixBatch, MatrixJob, compute_batch
from jjj.errors import AccessError

__all__ = ["batch_bounds", "default_batch_size", "run_batches"]

#: Keep one batch's times under about this many int32 values.
_BATCH_VALUES = 8_000_000

_JOB: MatrixJob | None = None


def default_batch_size(job: MatrixJob, workers: int = 1) -> int:
    """Origins per batch: at least four batches per worker (for balance and progress),
    at most 64 origins, and one batch's times under about 8 million values."""
    per_origin = max(1, len(job.destinations) * (len(job.spec.percentiles) + 1))
    by_memory = max(1, _BATCH_VALUES // per_origin)
    by_balance = max(1, math.ceil(len(job.origins) / (4 * max(1, workers))))
    return max(1, min(64, by_memory, by_balance))


def batch_bounds(n: int, size: int) -> list[tuple[int, int]]:
    """``(start, stop)`` of consecutive batches of at most ``size`` covering ``0..n``."""
    return [(start, min(n, start + size)) for start in range(0, n, max(1, size))]


def _init_worker(job: MatrixJob) -> None:
    global _JOB
    _JOB = job


def _run_in_worker(start: int, stop: int) -> MatrixBatch:
    if _JOB is None:  # pragma: no cover - set by the pool initializer
        raise AccessError("worker has no job")
    return compute_batch(_JOB, start, stop)


def _ordered(
    submit: Callable[[int, int], Any],
    result: Callable[[Any], MatrixBatch],
    bounds: list[tuple[int, int]],
    in_flight: int,
) -> Iterator[MatrixBatch]:
    pending: collections.deque[Any] = collections.deque()
    queue = iter(bounds)
    for start, stop in queue:
        pending.append(submit(start, stop))
        if len(pending) >= in_flight:
            break
    while pending:
        batch = result(pending.popleft())
        following = next(queue, None)
        if following is not None:
            pending.append(submit(*following))
        yield batch


def run_batches(
    job: MatrixJob,
    *,
    batch_size: int | None = None,
    workers: int = 1,
    cluster: str | None = None,
    on_batch: Callable[[MatrixBatch], None],
) -> int:
    """Compute every origin of ``job`` and hand each batch, in order, to ``on_batch``.

    Parameters
    ----------
    batch_size:
        Origins per batch (default: :func:`default_batch_size`).
    workers:
        Local workers (1: compute in this process): threads of this process at one
        departure time (the kernels release the GIL), else worker processes. Ignored
        with ``cluster``.
    cluster:
        Address of a running Dask scheduler (``tcp://host:8786``); its workers must be
        able to read the network file when the job names one by path.

    Returns
    -------
    The number of batches.
    """
    size = batch_size or default_batch_size(job, workers if cluster is None else 8)
    bounds = batch_bounds(len(job.origins), size)
    if cluster is not None:
        return _run_dask(job, bounds, cluster, on_batch)
    if workers <= 1 or len(bounds) <= 1:
        for start, stop in bounds:
            on_batch(compute_batch(job, start, stop))
        return len(bounds)
    if job.spec.window.minutes == 1:
        # compiled end to end and GIL-free: threads share the network and day view
        with ThreadPoolExecutor(max_workers=workers) as threads:

            def run(start: int, stop: int) -> Future[MatrixBatch]:
                return threads.submit(compute_batch, job, start, stop)

            for batch in _ordered(run, lambda f: f.result(), bounds, 2 * workers):
                on_batch(batch)
        return len(bounds)
    context = multiprocessing.get_context(
        "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    )
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_init_worker, initargs=(job,)
    ) as pool:

        def submit(start: int, stop: int) -> Future[MatrixBatch]:
            return pool.submit(_run_in_worker, start, stop)

        for batch in _ordered(submit, lambda f: f.result(), bounds, 2 * workers):
            on_batch(batch)
    return len(bounds)


def _run_dask(
    job: MatrixJob,
    bounds: list[tuple[int, int]],
    address: str,
    on_batch: Callable[[MatrixBatch], None],
) -> int:
    try:
        from distributed import Client
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise AccessError(
            "--cluster needs dask.distributed (pip install 'dask[distributed]')"
        ) from exc
    try:
        client = Client(address, timeout=30, set_as_default=False)  # type: ignore[no-untyped-call]
    except OSError as exc:
        raise AccessError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    try:
        threads = sum(client.nthreads().values())  # type: ignore[no-untyped-call]
        if threads == 0:
            raise AccessError(f"the Dask cluster at {address} has no workers")
        shared = client.scatter(job, broadcast=True)  # type: ignore[no-untyped-call]

        def submit(start: int, stop: int) -> Any:
            return client.submit(compute_batch, shared, start, stop, pure=False)

        for batch in _ordered(submit, lambda f: f.result(), bounds, max(2, 2 * threads)):
            on_batch(batch)
    finally:
        client.close()  # type: ignore[no-untyped-call]
    return len(bounds)
