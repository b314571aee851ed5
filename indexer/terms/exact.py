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


def builtin_sum(values: np.ndarray, present: np.ndarray) -> np.ndarray:
    """Per row, ``sum(row[present])`` as this Python's builtin adds floats.

    Each row's present entries come first, and there is at least one: ``sum`` starts from
    the integer 0, and 0 + x is x exactly, so the running total starts at the first column.
    """
    total = values[:, 0].copy()
    compensation = np.zeros_like(total)
    for column in range(1, values.shape[1]):
        value, here = values[:, column], present[:, column]
        step = total + value
        if COMPENSATED_SUM:  # CPython's bltinmodule.c, the float loop of builtin_sum_impl
            larger_total = np.abs(total) >= np.abs(value)
            lost = np.where(larger_total, (total - step) + value, (value - step) + total)
            compensation = np.where(here, compensation + lost, compensation)
        total = np.where(here, step, total)
    # CPython adds the compensation at the end only if it is nonzero and finite.
    finish = (compensation != 0) & np.isfinite(compensation)
    return np.where(finish, total + compensation, total)
