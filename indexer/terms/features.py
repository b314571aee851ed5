"""One numeric feature vector per surface form, for the ranking model.

Every feature is scale-free or logged so that it means the same on a corpus of 5 documents
and one of 5,000: frequencies are logged, document counts are also given as a fraction,
and specificity compares the corpus and general English on the same Zipf scale.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
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
    heads: Counter
    modifiers: Counter


def corpus_view(counts: CorpusCounts, acronyms: dict[str, str]) -> CorpusView:
    frequency: dict[str, int] = defaultdict(int)
    members: dict[str, list[str]] = defaultdict(list)
    for surface, stats in counts.surfaces.items():
        frequency[stats.lemma] += stats.count
        members[stats.lemma].append(surface)
    nesting = c_values(frequency)
    # How many multi-word terms a word heads or starts: productive heads mark domain concepts.
    heads = Counter(lemma.split()[-1] for lemma in frequency if " " in lemma)
    modifiers = Counter(lemma.split()[0] for lemma in frequency if " " in lemma)
    expansions = set(acronyms.values())
    return CorpusView(
        counts, dict(frequency), dict(members), nesting, acronyms, expansions, heads, modifiers
    )


def _word_features(view: CorpusView, words: list[str]) -> dict[str, float]:
    """General-English frequency and domain specificity of the words, head last."""
    words = words or ["_"]
    general = [general_zipf(word) for word in words]
    corpus = [corpus_zipf(view.counts.word_counts.get(w, 0), view.counts.n_tokens) for w in words]
    specific = [c - g for c, g in zip(corpus, general, strict=True)]
    return {
        "zipf_min": min(general),
        "zipf_mean": sum(general) / len(general),
        "zipf_max": max(general),
        "zipf_head": general[-1],
        "zipf_first": general[0],
        "spec_min": min(specific),
        "spec_mean": sum(specific) / len(specific),
        "spec_max": max(specific),
        "spec_head": specific[-1],
    }


def _pos_features(stats: SurfaceStats) -> dict[str, float]:
    tags = stats.pos_patterns.most_common(1)[0][0].split()
    content = [tag for tag in tags if tag in POS_TAGS] or ["X"]
    features = {f"first_{tag}": float(content[0] == tag) for tag in POS_TAGS}
    features.update({f"last_{tag}": float(content[-1] == tag) for tag in POS_TAGS})
    features["propn_ratio"] = sum(tag == "PROPN" for tag in content) / len(content)
    features["has_link"] = float("ADP" in tags or "CCONJ" in tags)
    return features


def _usage_features(stats: SurfaceStats) -> dict[str, float]:
    """How the occurrences look: capitalized, tagged as entities, inside longer phrases."""
    count = stats.count
    features = {
        "capitalized": stats.capitalized / count,
        "all_caps": stats.all_caps / count,
        "entity": stats.entity_exact / count,
        "extends_left": stats.extends_left / count,
        "extends_right": stats.extends_right / count,
        "in_heading": stats.in_heading / count,
        "english_context": stats.english_context / count,
    }
    for group in ("person", "org", "place"):
        labels = stats.entity_labels.items()
        hits = sum(n for label, n in labels if ENTITY_GROUPS.get(label) == group)
        features[f"ent_{group}"] = hits / count
    return features


def _shape_features(surface: str, view: CorpusView) -> dict[str, float]:
    return {
        "has_digit": float(any(char.isdigit() for char in surface)),
        "has_hyphen": float("-" in surface or "–" in surface),
        "is_acronym": float(surface in view.acronyms),
        "is_expansion": float(surface in view.expansions),
        "log_chars": math.log(len(surface)),
        "non_ascii": sum(not char.isascii() for char in surface) / len(surface),
        "shortest_word": float(min(len(word) for word in surface.split())),
    }


def _frequency_features(stats: SurfaceStats, view: CorpusView) -> dict[str, float]:
    nesting = view.nesting[stats.lemma]
    words = stats.lemma.split()
    group_count = view.group_frequency[stats.lemma]
    df = len(stats.doc_counts)
    return {
        "log_freq": math.log1p(stats.count),
        "log_group_freq": math.log1p(group_count),
        "df_fraction": df / max(view.counts.n_documents, 1),
        "log_df": math.log1p(df),
        "n_words": float(stats.n_words),
        "log_cvalue": math.log1p(max(nesting.c_value, 0.0)),
        "log_containers": math.log1p(nesting.n_containers),
        "nested_ratio": nesting.nested_frequency / group_count,
        "n_variants": float(len(view.group_members[stats.lemma])),
        "head_productivity": math.log1p(view.heads[words[-1]]),
        "modifier_productivity": math.log1p(view.modifiers[words[0]]),
    }


def surface_features(view: CorpusView, surface: str) -> dict[str, float]:
    """All features of one lower-cased surface form, by name."""
    stats = view.counts.surfaces[surface]
    features = _frequency_features(stats, view)
    features.update(_word_features(view, split_words(surface)))
    features.update(_pos_features(stats))
    features.update(_usage_features(stats))
    features.update(_shape_features(surface, view))
    return features


def feature_matrix(view: CorpusView, surfaces: list[str], names: list[str]) -> np.ndarray:
    """Rows in the order of ``surfaces``, columns in the order of ``names``."""
    rows = [surface_features(view, surface) for surface in surfaces]
    return np.asarray([[row[name] for name in names] for row in rows], dtype=np.float64)
