"""Numpy steps that give the very floats Python's own arithmetic gives.

Ranking compares features with the model's split thresholds, so a last-bit difference could
move a candidate; the per-surface definitions (`features`) use `math` and `sum`. numpy's
logarithms may differ from `math`'s in the last bit, and its sums add in another order.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

import numpy as np

# Python 3.12 made `sum` of floats compensated (Neumaier); before, a plain running total.
COMPENSATED_SUM = sys.version_info >= (3, 12)


def exact_map(function: Callable[[float], float], values: np.ndarray | Sequence) -> np.ndarray:
    """``function`` of each value, called once per distinct value (counts repeat a lot)."""
    distinct, positions = np.unique(np.asarray(values), return_inverse=True)
    mapped = np.asarray([function(value) for value in distinct.tolist()], dtype=np.float64)
    return mapped[positions.reshape(-1)]


def builtin_sum(values: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Per row, ``sum(values[start : start + length])`` as this Python's builtin adds floats.

    Rows lie end to end in ``values``, each at least one long: ``sum`` starts from the
    integer 0, and 0 + x is x exactly, so the running total starts at a row's first value.
    Position by position, only the rows still that long are added to (longest first).
    """
    total = values[starts].astype(np.float64)
    compensation = np.zeros_like(total)
    longest_first = np.argsort(-lengths, kind="stable")
    still_long = np.bincount(lengths, minlength=1)[::-1].cumsum()[::-1]  # rows >= n long
    for position in range(1, int(lengths.max(initial=0))):
        rows = longest_first[: still_long[position + 1]]
        value, running = values[starts[rows] + position], total[rows]
        step = running + value
        if COMPENSATED_SUM:  # CPython's bltinmodule.c, the float loop of builtin_sum_impl
            larger_total = np.abs(running) >= np.abs(value)
            lost = np.where(larger_total, (running - step) + value, (value - step) + running)
            compensation[rows] += lost
        total[rows] = step
    # CPython adds the compensation at the end only if it is nonzero and finite.
    finish = (compensation != 0) & np.isfinite(compensation)
    return np.where(finish, total + compensation, total)
