"""C-values: nested occurrences discounted, equal to the sub-phrase by sub-phrase definition."""

from __future__ import annotations

import math
import random

import pytest

from indexer.terms.cvalue import c_values
from tests.indexer.terms.feature_definitions import reference_c_values


def test_cvalue_discounts_nested_occurrences():
    result = c_values(["wind turbine", "turbine", "wind turbine blade"], [4, 6, 2])
    assert result.c_value[2] == pytest.approx(math.log2(4) * 2)
    assert result.c_value[0] == pytest.approx(math.log2(3) * (4 - 2))
    assert result.n_containers[1] == 2 and result.nested_frequency[1] == 6


def test_cvalue_equals_the_sub_phrase_by_sub_phrase_definition():
    rng = random.Random(0)
    words = ["wind", "turbine", "blade", "rotor", "tip", "the"]
    phrases = {" ".join(rng.choices(words, k=rng.randint(1, 6))) for _ in range(400)}
    # "blade  tip" is spelled with two spaces: no phrase's words join into it.
    frequencies = {phrase: rng.randint(1, 9) for phrase in sorted(phrases | {"blade  tip"})}
    phrases = list(frequencies)
    table = c_values(phrases, [frequencies[p] for p in phrases])
    for i, (c_value, n_containers, nested) in enumerate(reference_c_values(frequencies).values()):
        assert (table.n_containers[i], table.nested_frequency[i]) == (n_containers, nested)
        assert table.c_value[i] == pytest.approx(c_value, rel=1e-12)
