"""One numeric feature vector per surface form, for the ranking model: the definitions.

Every feature is scale-free or logged so that it means the same on a corpus of 5 documents
and one of 5,000: frequencies are logged, document counts are also given as a fraction,
and specificity compares the corpus and general English on the same Zipf scale.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from indexer.terms.corpus_counts import CorpusCounts, RowsByOwner, SurfaceStats
from indexer.terms.cvalue import NestingTable, c_values
from indexer.terms.reference import corpus_zipf, general_zipf, split_words
from indexer.terms.word_matrix import WordMatrix

POS_TAGS = ("NOUN", "PROPN", "ADJ", "VERB", "NUM", "ADV", "X")


@dataclass
class CorpusView:
    """Lemma groups and C-values computed once for a whole corpus, as arrays.

    ``lemmas`` are the lemma groups in order of first occurrence; ``lemma_ids`` gives each
    surface id (`CorpusCounts.names`) its group's position there, and ``group_counts``,
    ``lemma_words`` and ``nesting`` are in that order too. ``head_counts`` and
    ``modifier_counts`` say, per word of ``lemma_words.vocabulary``, how many multi-word
    lemmas end or start with it: productive heads mark domain concepts.
    """

    counts: CorpusCounts
    lemmas: list[str]
    lemma_ids: np.ndarray
    group_counts: np.ndarray
    lemma_words: WordMatrix
    nesting: NestingTable
    acronyms: dict[str, str]
    expansions: set[str]
    head_counts: np.ndarray
    modifier_counts: np.ndarray

    @cached_property
    def group_frequency(self) -> dict[str, int]:
        return dict(zip(self.lemmas, self.group_counts.tolist(), strict=True))

    @cached_property
    def group_members(self) -> GroupMembers:
        """Lemma -> its surface forms, first seen first."""
        return GroupMembers(self)

    @cached_property
    def first_acronyms(self) -> dict[str, tuple[int, str]]:
        """Expansion -> the first acronym (by position in ``acronyms``) it expands."""
        first: dict[str, tuple[int, str]] = {}
        for position, (acronym, expansion) in enumerate(self.acronyms.items()):
            first.setdefault(expansion, (position, acronym))
        return first

    @cached_property
    def heads(self) -> Counter:
        return _word_counter(self.lemma_words.vocabulary, self.head_counts)

    @cached_property
    def modifiers(self) -> Counter:
        return _word_counter(self.lemma_words.vocabulary, self.modifier_counts)


class GroupMembers(Mapping[str, list[str]]):
    """A lemma group's surface forms, looked up when asked for."""

    def __init__(self, view: CorpusView):
        self._view = view
        self._numbers = {lemma: i for i, lemma in enumerate(view.lemmas)}
        self._rows = RowsByOwner(view.lemma_ids, len(view.lemmas))

    def __getitem__(self, lemma: str) -> list[str]:
        names = self._view.counts.names
        return [names[i] for i in self.surface_ids(self._numbers[lemma])]

    def surface_ids(self, group: int) -> list[int]:
        """The surface ids of the lemma group at ``group`` in `CorpusView.lemmas`."""
        return self._rows.rows(group)

    def __iter__(self) -> Iterator[str]:
        return iter(self._view.lemmas)

    def __len__(self) -> int:
        return len(self._view.lemmas)


def corpus_view(counts: CorpusCounts, acronyms: dict[str, str]) -> CorpusView:
    numbers: dict[str, int] = {}
    lemma_ids = np.asarray(
        [numbers.setdefault(lemma, len(numbers)) for lemma in counts.lemmas], dtype=np.int64
    )
    lemmas = list(numbers)
    frequency = np.bincount(lemma_ids, counts.totals["count"], len(lemmas)).astype(np.int64)
    words = WordMatrix.of(lemmas)
    nesting = c_values(dict(zip(lemmas, frequency.tolist(), strict=True)), words)
    multi_word = np.asarray([" " in lemma for lemma in lemmas], dtype=bool)
    heads = _bincount(words.ids[multi_word, words.lengths[multi_word] - 1], words)
    modifiers = _bincount(words.ids[multi_word, 0], words)
    return CorpusView(
        counts, lemmas, lemma_ids, frequency, words, nesting, acronyms,
        set(acronyms.values()), heads, modifiers,
    )  # fmt: skip


def _bincount(word_ids: np.ndarray, words: WordMatrix) -> np.ndarray:
    return np.bincount(word_ids, minlength=len(words.vocabulary)).astype(np.int64)


def _word_counter(vocabulary: list[str], counts: np.ndarray) -> Counter:
    return Counter({vocabulary[i]: counts[i].item() for i in np.flatnonzero(counts).tolist()})


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


def pattern_features(pattern: str) -> dict[str, float]:
    """Features of a POS pattern ("ADJ NOUN"): the surface form's most common one.

    Always the same names in the same order (`feature_columns` relies on it).
    """
    tags = pattern.split()
    content = [tag for tag in tags if tag in POS_TAGS] or ["X"]
    features = dict(_NO_TAGS)
    features[f"first_{content[0]}"] = 1.0
    features[f"last_{content[-1]}"] = 1.0
    features["propn_ratio"] = content.count("PROPN") / len(content)
    features["has_link"] = float("ADP" in tags or "CCONJ" in tags)
    return features


_NO_TAGS = {f"{end}_{tag}": 0.0 for end in ("first", "last") for tag in POS_TAGS}


def _usage_features(stats: SurfaceStats) -> dict[str, float]:
    """How the occurrences look: capitalized, in headings, inside longer phrases."""
    count = stats.count
    return {
        "capitalized": stats.capitalized / count,
        "all_caps": stats.all_caps / count,
        "extends_left": stats.extends_left / count,
        "extends_right": stats.extends_right / count,
        "in_heading": stats.in_heading / count,
        "english_context": stats.english_context / count,
    }


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
    """All features of one lower-cased surface form, by name.

    The definition of every feature, one surface form at a time: `feature_columns` computes
    the same numbers for a whole corpus at once, and the tests hold the two equal.
    """
    stats = view.counts.surfaces[surface]
    features = _frequency_features(stats, view)
    features.update(_word_features(view, split_words(surface)))
    features.update(pattern_features(stats.pos_patterns.most_common(1)[0][0]))
    features.update(_usage_features(stats))
    features.update(_shape_features(surface, view))
    return features
