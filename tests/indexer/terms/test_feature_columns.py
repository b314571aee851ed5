"""The features of every surface form at once equal their per-surface definitions
(`feature_definitions`) within a relative 1e-9, and are the ones the shipped model reads."""

from __future__ import annotations

import random
from collections import Counter

import numpy as np

from indexer.terms.acronyms import find_acronyms
from indexer.terms.collect import merge_counts
from indexer.terms.corpus_counts import MergedTally
from indexer.terms.feature_columns import feature_columns, feature_matrix, most_common_keys
from indexer.terms.ranking import load_model
from indexer.terms.view import corpus_view
from tests.indexer.terms.feature_definitions import FeatureDefinitions
from tests.indexer.terms.support import counted_examples


def test_feature_columns_equal_the_per_surface_definitions():
    documents, found = counted_examples()
    counts = merge_counts([d.doc_id for d in documents], found)
    acronyms = find_acronyms([d.text for d in documents]) | {"ops": "operations team"}
    view = corpus_view(counts, acronyms)
    surfaces = sorted(counts.names)
    definitions = FeatureDefinitions(counts, acronyms)
    names = load_model().feature_names
    expected = [[definitions.of(s)[name] for name in names] for s in surfaces]
    assert len(surfaces) > 100 and sorted(definitions.of(surfaces[0])) == sorted(names)
    found = feature_matrix(view, surfaces, names)
    np.testing.assert_allclose(found, np.asarray(expected), rtol=1e-9, atol=1e-12)


def test_feature_columns_most_common_key_breaks_ties_as_counter_does():
    rng = random.Random(0)
    owners = [rng.randrange(50) for _ in range(600)] + list(range(50))
    keys = [rng.choice("ABCD") for _ in owners]
    counts = [rng.randint(1, 3) for _ in owners]
    tally = MergedTally(np.asarray(owners), keys, np.asarray(counts), 50)
    expected = [Counter() for _ in range(50)]
    for owner, key, n in zip(owners, keys, counts, strict=True):
        expected[owner][key] += n
    best, names = most_common_keys(tally)
    assert [names[k] for k in best] == [c.most_common(1)[0][0] for c in expected]


def test_feature_columns_are_the_ones_the_shipped_model_reads():
    documents, found = counted_examples()
    counts = merge_counts([d.doc_id for d in documents], found)
    features = feature_columns(corpus_view(counts, {}))
    model = load_model()
    assert sorted(features) == sorted(model.feature_names)
    assert set(model.metadata["trained_on"]) == {"corp", "equi", "wind"}
