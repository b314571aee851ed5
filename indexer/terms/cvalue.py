"""C-value termhood (Frantzi, Ananiadou & Mima 2000) over lemma-normalized candidates.

C(a) = log2(1 + |a|) * (f(a) - mean f(b) over the longer candidates b that contain a).
The `1 +` keeps single words above zero, as the usual single-word extension does, so one
score ranks one- and multi-word terms together.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Nesting:
    """How a candidate sits inside longer ones."""

    c_value: float
    n_containers: int
    nested_frequency: int


def _sub_phrases(words: list[str]):
    n = len(words)
    for length in range(1, n):
        for start in range(0, n - length + 1):
            yield " ".join(words[start : start + length])


def c_values(frequencies: Mapping[str, int]) -> dict[str, Nesting]:
    """C-value and nesting counts for every key of ``frequencies`` (space-separated words)."""
    containers: dict[str, set[str]] = defaultdict(set)
    for phrase in frequencies:
        for sub in _sub_phrases(phrase.split()):
            if sub in frequencies:
                containers[sub].add(phrase)
    result = {}
    for phrase, frequency in frequencies.items():
        longer = containers.get(phrase, set())
        nested = sum(frequencies[other] for other in longer)
        independent = frequency - nested / len(longer) if longer else frequency
        weight = math.log2(1 + len(phrase.split()))
        result[phrase] = Nesting(weight * independent, len(longer), nested)
    return result
