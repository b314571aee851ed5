"""One numeric feature vector per surface form, for the ranking model.

Every feature is scale-free or logged so that it means the same on a corpus of 5 documents
and one of 5,000: frequencies are logged, document counts are also given as a fraction,
and specificity compares the corpus and general English on the same Zipf scale.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from indexer.terms.collect import CorpusCounts, SurfaceStats
from indexer.terms.cvalue import Nesting, c_values
from indexer.terms.reference import corpus_zipf, general_zipf, split_words

POS_TAGS = ("NOUN", "PROPN", "ADJ", "VERB", "NUM", "ADV", "X")
ENTITY_GROUPS = {
    "PERSON": "person",
    "ORG": "org",
    "GPE": "place",
    "LOC": "place",
    "NORP": "place",
    "FAC": "place",
}


@dataclass
class CorpusView:
    """Lemma groups and C-values computed once for a whole corpus."""

    counts: CorpusCounts
    group_frequency: dict[str, int]
    group_members: dict[str, list[str]]
    nesting: dict[str, Nesting]
    acronyms: dict[str, str]
    expansions: set[str]


def corpus_view(counts: CorpusCounts, acronyms: dict[str, str]) -> CorpusView:
    frequency: dict[str, int] = defaultdict(int)
    members: dict[str, list[str]] = defaultdict(list)
    for surface, stats in counts.surfaces.items():
        frequency[stats.lemma] += stats.count
        members[stats.lemma].append(surface)
    nesting = c_values(frequency)
    return CorpusView(
        counts, dict(frequency), dict(members), nesting, acronyms, set(acronyms.values())
    )


def _word_features(view: CorpusView, words: list[str]) -> list[float]:
    """General-English frequency and domain specificity of the words, head last."""
    words = words or ["_"]
    general = [general_zipf(word) for word in words]
    total = view.counts.n_tokens
    specific = [
        corpus_zipf(view.counts.word_counts.get(w, 0), total) - g
        for w, g in zip(words, general, strict=True)
    ]
    return [
        min(general),
        sum(general) / len(general),
        max(general),
        general[-1],
        general[0],
        min(specific),
        sum(specific) / len(specific),
        max(specific),
        specific[-1],
    ]


def _pos_features(stats: SurfaceStats) -> list[float]:
    tags = stats.pos_patterns.most_common(1)[0][0].split()
    content = [tag for tag in tags if tag in POS_TAGS] or ["X"]
    first = [float(content[0] == tag) for tag in POS_TAGS]
    last = [float(content[-1] == tag) for tag in POS_TAGS]
    propn = sum(tag == "PROPN" for tag in content) / len(content)
    return [*first, *last, propn, float("ADP" in tags or "CCONJ" in tags)]


def _shape_features(stats: SurfaceStats, view: CorpusView) -> list[float]:
    surface = stats.surface
    count = stats.count
    labels = stats.entity_labels
    groups = [
        sum(n for label, n in labels.items() if ENTITY_GROUPS.get(label) == name) / count
        for name in ("person", "org", "place")
    ]
    return [
        stats.capitalized / count,
        stats.all_caps / count,
        stats.entity_exact / count,
        *groups,
        float(any(c.isdigit() for c in surface)),
        float("-" in surface or "–" in surface),
        float(surface in view.acronyms),
        float(surface in view.expansions),
        math.log(len(surface)),
    ]


def _frequency_features(stats: SurfaceStats, view: CorpusView) -> list[float]:
    nesting = view.nesting[stats.lemma]
    group_count = view.group_frequency[stats.lemma]
    n_docs = max(view.counts.n_documents, 1)
    df = len(stats.doc_counts)
    return [
        math.log1p(stats.count),
        math.log1p(group_count),
        df / n_docs,
        math.log1p(df),
        float(stats.n_words),
        math.log1p(max(nesting.c_value, 0.0)),
        math.log1p(nesting.n_containers),
        nesting.nested_frequency / group_count,
        float(len(view.group_members[stats.lemma])),
    ]


FEATURE_NAMES = (
    ["log_freq", "log_group_freq", "df_fraction", "log_df", "n_words", "log_cvalue",
     "log_containers", "nested_ratio", "n_variants"]
    + ["zipf_min", "zipf_mean", "zipf_max", "zipf_head", "zipf_first",
       "spec_min", "spec_mean", "spec_max", "spec_head"]
    + [f"first_{tag}" for tag in POS_TAGS] + [f"last_{tag}" for tag in POS_TAGS]
    + ["propn_ratio", "has_link"]
    + ["capitalized", "all_caps", "entity", "ent_person", "ent_org", "ent_place",
       "has_digit", "has_hyphen", "is_acronym", "is_expansion", "log_chars"]
)  # fmt: skip


def feature_matrix(view: CorpusView, surfaces: list[str]) -> np.ndarray:
    """Rows in the order of ``surfaces``, columns as ``FEATURE_NAMES``."""
    rows = []
    for surface in surfaces:
        stats = view.counts.surfaces[surface]
        rows.append(
            _frequency_features(stats, view)
            + _word_features(view, split_words(surface))
            + _pos_features(stats)
            + _shape_features(stats, view)
        )
    return np.asarray(rows, dtype=np.float64)
