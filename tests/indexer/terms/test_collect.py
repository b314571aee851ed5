"""Documents' counts merged in whole-array steps equal adding them one by one."""

from __future__ import annotations

from collections import Counter

import pytest

from indexer.terms.collect import merge_counts
from indexer.terms.models import Context
from tests.indexer.terms.support import counted_examples


def test_collect_merged_counts_equal_adding_documents_one_by_one():
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
