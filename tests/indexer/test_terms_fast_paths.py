"""Each whole-array fast path of the miner equals a straightforward per-item reference:
counts and tree paths exactly, float features within a relative 1e-9."""

from __future__ import annotations

import random
from collections import Counter

import numpy as np
import pytest

from indexer.terms import SourceDocument, mine_counted
from indexer.terms.acronyms import find_acronyms
from indexer.terms.boosted import BoostedModel, Tree
from indexer.terms.collect import merge_counts
from indexer.terms.corpus_counts import MergedTally
from indexer.terms.cvalue import c_values
from indexer.terms.doc_counts import count_document
from indexer.terms.feature_columns import feature_matrix, most_common_keys
from indexer.terms.models import Context
from indexer.terms.ranking import load_model
from indexer.terms.view import corpus_view
from tests.indexer.terms.feature_definitions import FeatureDefinitions, reference_c_values
from tests.indexer.test_terms_incremental import example_documents
from tests.indexer.test_terms_support import FakeNlp


def counted_examples():
    documents = example_documents()
    found = [count_document(doc) for doc in FakeNlp().pipe(d.text for d in documents)]
    return documents, found


def tree_value(tree: Tree, row: np.ndarray) -> float:
    node = 0
    while tree.feature[node] >= 0:
        go_left = row[tree.feature[node]] <= tree.threshold[node]
        node = tree.left[node] if go_left else tree.right[node]
    return float(tree.value[node])


def per_row_scores(model: BoostedModel, features: np.ndarray) -> np.ndarray:
    """One row at a time, one tree at a time: the textbook evaluation."""
    raw = []
    for row in features:
        total = model.baseline
        for tree in model.trees:
            total += tree_value(tree, row)
        raw.append(total)
    return 1.0 / (1.0 + np.exp(-np.asarray(raw)))


def hand_built_model() -> BoostedModel:
    """Two trees over two features: a stump, and a three-level tree."""
    stump = Tree(*(np.asarray(a) for a in ([0, -1, -1], [0.5, 0, 0], [1, 0, 0], [2, 0, 0])),
                 np.asarray([0.0, -1.0, 1.0]))  # fmt: skip
    deep = Tree(
        np.asarray([1, 0, -1, -1, 1, -1, -1]), np.asarray([2.0, 0.25, 0, 0, 3.0, 0, 0]),
        np.asarray([1, 2, 0, 0, 5, 0, 0]), np.asarray([4, 3, 0, 0, 6, 0, 0]),
        np.asarray([0.0, 0.0, 0.3, -0.2, 0.0, 0.7, -0.6]),
    )  # fmt: skip
    return BoostedModel(["a", "b"], 0.1, [stump, deep], {})


def test_vectorized_scoring_equals_per_row_scoring_on_hand_built_features():
    model = hand_built_model()
    # Values on, below and above every threshold, and a missing value (goes right).
    features = np.asarray(
        [[0.5, 2.0], [0.25, 3.0], [0.6, 3.5], [-1.0, -1.0], [np.nan, 2.0], [0.2, np.nan]]
    )
    assert np.array_equal(model.predict_proba(features), per_row_scores(model, features))


def test_shipped_model_scores_equal_per_row_scoring():
    model = load_model()
    rng = np.random.default_rng(0)
    features = rng.normal(0, 2, (300, len(model.feature_names)))
    thresholds = [(t.feature[0], t.threshold[0]) for t in model.trees[:40]]
    for row, (feature, threshold) in enumerate(thresholds):  # some values exactly on a split
        features[row, feature] = threshold
    assert np.array_equal(model.predict_proba(features), per_row_scores(model, features))


def test_feature_matrix_equals_the_per_surface_definitions():
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


def test_c_values_equal_the_sub_phrase_by_sub_phrase_definition():
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


def test_most_common_key_breaks_ties_as_counter_does():
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


def test_merged_counts_equal_adding_documents_one_by_one():
    documents, found = counted_examples()
    doc_ids = [d.doc_id for d in documents]
    doc_ids[1], doc_ids[-1] = doc_ids[0], doc_ids[2]  # ids shared, next to and apart
    counts = merge_counts(doc_ids, found, keep=2)
    expected = reference_merge(doc_ids, found, keep=2)
    assert sorted(counts.names) == sorted(expected)
    for surface, stats in expected.items():
        merged = vars(counts.surfaces[surface])
        assert merged.pop("english_context") == pytest.approx(stats.pop("english_context"))
        assert merged | {"n_words": 0} == stats | {"n_words": 0}
        assert counts.totals["document_frequency"][counts.ids[surface]] == len(stats["doc_counts"])


def reference_merge(doc_ids, found, keep: int) -> dict[str, dict]:
    """Each document's surfaces added to running totals, as the miner used to."""
    totals: dict[str, dict] = {}
    for doc_id, doc in zip(doc_ids, found, strict=True):
        for i, surface in enumerate(doc.surfaces):
            stats = totals.setdefault(surface, new_stats(surface, doc.lemmas[i]))
            for name in ("count", "capitalized", "all_caps", "extends_left", "extends_right",
                         "in_heading"):  # fmt: skip
                stats[name] += doc.numbers[name][i]
            add_occurrences(stats, doc, i)
            stats["doc_counts"][doc_id] += doc.numbers["count"][i]
            latest = stats["contexts"][-1].doc_id if stats["contexts"] else None
            if len(stats["contexts"]) < keep and latest != doc_id:
                sentence = doc.contexts[doc.numbers["context"][i]]
                stats["contexts"].append(Context(doc_id, sentence))
    return totals


def new_stats(surface: str, lemma: str) -> dict:
    stats = dict.fromkeys(["count", "capitalized", "all_caps", "extends_left",
                           "extends_right", "in_heading"], 0)  # fmt: skip
    return stats | {
        "surface": surface, "lemma": lemma, "n_words": 0, "english_context": 0.0,
        "doc_counts": Counter(), "pos_patterns": Counter(),
        "contexts": [],
    }  # fmt: skip


def add_occurrences(stats: dict, doc, i: int) -> None:
    stats["english_context"] += doc.english_context[i]
    tally = doc.pos_patterns
    for owner, key, n in zip(tally.owners, tally.keys, tally.counts, strict=True):
        if owner == i:
            stats["pos_patterns"][key] += n


def test_candidates_are_built_only_when_read():
    documents, found = counted_examples()
    result = mine_counted(documents, found)
    ranked = result.candidates
    built = ranked._built
    assert len(ranked) > 100 and not built
    top = ranked[:3]
    assert len(built) == 3 and ranked[-1] is ranked[len(ranked) - 1]
    assert top == list(ranked)[:3] and ranked == list(ranked)
    keys = [(-c.score, -c.frequency, c.term) for c in ranked]
    assert keys == sorted(keys)
    assert result.accepted == [c for c in ranked if c.accepted]


def test_mining_documents_without_candidates():
    document = SourceDocument("none", "the and of")  # function words only
    (doc,) = FakeNlp().pipe([document.text])
    result = mine_counted([document], [count_document(doc)])
    assert len(result.candidates) == 0 and result.accepted == [] and result.n_documents == 1


@pytest.mark.parametrize(
    "term",
    ["rotor blade", "three-bladed rotor", "o'brien valve", "mach  2", "ÄBC Déf", "x_y z",
     "a\tb", "a\u00a0b", "İstanbul", "²nd stage", "٣ rotor", "r&d", "straße", "", " "],
)  # fmt: skip
def test_terms_split_words_fast_path_equals_the_pattern(term):
    from indexer.terms.reference import _WORD, split_words

    assert split_words(term) == _WORD.findall(term.lower())
