"""The planner's Pareto filter keeps exactly the keys no other key dominates."""

from __future__ import annotations

import itertools

import numpy as np

from jjj.routing.planner import _undominated


def _brute_force(keys: list[tuple[int, int, int]]) -> set[tuple[int, int, int]]:
    distinct = set(keys)
    return {
        key
        for key in distinct
        if not any(o != key and all(x <= y for x, y in zip(o, key, strict=True)) for o in distinct)
    }


def test_undominated_equals_pairwise_comparison() -> None:
    rng = np.random.default_rng(3)
    for _ in range(500):
        n = int(rng.integers(0, 16))
        keys = [tuple(int(v) for v in row) for row in rng.integers(0, 5, size=(n, 3))]
        assert _undominated(keys) == _brute_force(keys)  # type: ignore[arg-type]


def test_undominated_small_cases() -> None:
    # later departure (smaller first component), earlier arrival, fewer transfers
    assert _undominated([(-100, 500, 1), (-100, 500, 1), (-90, 500, 1)]) == {(-100, 500, 1)}
    grid = [(a, b, c) for a, b, c in itertools.product([0, 1], repeat=3)]
    assert _undominated(grid) == {(0, 0, 0)}
    assert _undominated([(0, 2, 1), (1, 1, 1), (2, 0, 1)]) == {(0, 2, 1), (1, 1, 1), (2, 0, 1)}
