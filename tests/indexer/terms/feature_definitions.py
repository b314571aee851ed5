"""Each ranking feature defined for one surface form at a time: the tests' oracle.

`indexer.terms.feature_columns` computes the features of a whole corpus in whole-array
steps; these are the plain definitions it replaced, read from the counted corpus alone
(lemma groups, nesting and word productivity worked out here, phrase by phrase).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict

from indexer.terms.corpus_counts import CorpusCounts, SurfaceStats
from indexer.terms.feature_columns import pattern_features
from indexer.terms.reference import corpus_zipf, general_zipf, split_words


def reference_c_values(frequencies: dict[str, int]) -> dict[str, tuple[float, int, int]]:
    """Phrase -> (C-value, containers, nested frequency), sub-phrase by sub-phrase."""
    containers = defaultdict(set)
    for phrase in frequencies:
        words = phrase.split()
        for length in range(1, len(words)):
            for start in range(len(words) - length + 1):
                sub = " ".join(words[start : start + length])
                if sub in frequencies:
                    containers[sub].add(phrase)
    result = {}
    for phrase, frequency in frequencies.items():
        longer = containers.get(phrase, set())
        nested = sum(frequencies[other] for other in longer)
        independent = frequency - nested / len(longer) if longer else frequency
        result[phrase] = (math.log2(1 + len(phrase.split())) * independent, len(longer), nested)
    return result


class FeatureDefinitions:
    """The features of any surface form of ``counts``, given the corpus's acronyms."""

    def __init__(self, counts: CorpusCounts, acronyms: dict[str, str]):
        self.counts, self.acronyms = counts, acronyms
        self.groups: dict[str, list[str]] = defaultdict(list)
        for surface in counts.names:
            self.groups[counts.surfaces[surface].lemma].append(surface)
        self.group_frequency = {
            lemma: sum(counts.surfaces[s].count for s in members)
            for lemma, members in self.groups.items()
        }
        self.nesting = reference_c_values(self.group_frequency)
        multi_word = [lemma.split() for lemma in self.groups if " " in lemma]
        self.heads = Counter(words[-1] for words in multi_word)
        self.modifiers = Counter(words[0] for words in multi_word)

    def of(self, surface: str) -> dict[str, float]:
        stats = self.counts.surfaces[surface]
        features = self._frequency(stats)
        features.update(self._words(split_words(surface)))
        features.update(pattern_features(stats.pos_patterns.most_common(1)[0][0]))
        features.update(_usage(stats))
        features.update(self._shape(surface))
        return features

    def _frequency(self, stats: SurfaceStats) -> dict[str, float]:
        c_value, n_containers, nested = self.nesting[stats.lemma]
        words = stats.lemma.split()
        group_count = self.group_frequency[stats.lemma]
        df = len(stats.doc_counts)
        return {
            "log_freq": math.log1p(stats.count),
            "log_group_freq": math.log1p(group_count),
            "df_fraction": df / max(self.counts.n_documents, 1),
            "log_df": math.log1p(df),
            "n_words": float(stats.n_words),
            "log_cvalue": math.log1p(max(c_value, 0.0)),
            "log_containers": math.log1p(n_containers),
            "nested_ratio": nested / group_count,
            "n_variants": float(len(self.groups[stats.lemma])),
            "head_productivity": math.log1p(self.heads[words[-1]]),
            "modifier_productivity": math.log1p(self.modifiers[words[0]]),
        }

    def _words(self, words: list[str]) -> dict[str, float]:
        """General-English frequency and domain specificity of the words, head last."""
        words = words or ["_"]
        counts = self.counts
        general = [general_zipf(word) for word in words]
        corpus = [corpus_zipf(counts.word_counts.get(w, 0), counts.n_tokens) for w in words]
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

    def _shape(self, surface: str) -> dict[str, float]:
        return {
            "has_digit": float(any(char.isdigit() for char in surface)),
            "has_hyphen": float("-" in surface or "–" in surface),
            "is_acronym": float(surface in self.acronyms),
            "is_expansion": float(surface in set(self.acronyms.values())),
            "log_chars": math.log(len(surface)),
            "non_ascii": sum(not char.isascii() for char in surface) / len(surface),
            "shortest_word": float(min(len(word) for word in surface.split())),
        }


def _usage(stats: SurfaceStats) -> dict[str, float]:
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
