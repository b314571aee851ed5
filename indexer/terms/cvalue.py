"""C-value termhood (Frantzi, Ananiadou & Mima 2000) over lemma-normalized candidates.

C(a) = log2(1 + |a|) * (f(a) - mean f(b) over the longer candidates b that contain a).
The `1 +` keeps single words above zero, as the usual single-word extension does, so one
score ranks one- and multi-word terms together.

A corpus has tens of thousands of candidates and hundreds of thousands of word runs inside
them, so the runs that are candidates themselves are found with whole-array steps: every
candidate's word prefixes form a trie, and all runs are walked down it one word at a time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from indexer.terms.corpus_counts import distinct
from indexer.terms.word_matrix import WordMatrix


@dataclass(frozen=True)
class NestingTable:
    """How each phrase sits inside longer ones, as arrays in the order of the phrases."""

    c_value: np.ndarray
    n_containers: np.ndarray
    nested_frequency: np.ndarray


def c_values(
    phrases: list[str], frequency: np.ndarray, words: WordMatrix | None = None
) -> NestingTable:
    """C-value and nesting counts of ``phrases`` (space-separated words) that occur
    ``frequency`` times each; ``words``: the phrases' `WordMatrix`, if the caller has it."""
    frequency = np.asarray(frequency, dtype=np.int64)
    words = words or WordMatrix.of(phrases)
    inner, outer = contained_phrases(phrases, words)
    n_containers = np.bincount(inner, minlength=len(phrases)).astype(np.int64)
    nested = np.bincount(inner, frequency[outer], len(phrases)).astype(np.int64)
    discounted = frequency - nested / np.maximum(n_containers, 1)
    independent = np.where(n_containers > 0, discounted, frequency)
    return NestingTable(np.log2(1 + words.lengths) * independent, n_containers, nested)


def contained_phrases(phrases: list[str], words: WordMatrix) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (inner, outer) of phrase positions, each pair once: ``inner`` is a shorter run
    of ``outer``'s words, spelled as those words joined by single spaces."""
    trie = _PrefixTrie(phrases, words)
    outer, start = np.nonzero(words.present)  # a walk from every word of every phrase
    node = trie.child(np.zeros_like(outer), words.ids[outer, start])
    found = []
    for length in range(1, words.ids.shape[1]):
        inner = trie.phrase_at[node]
        match = (inner >= 0) & (length < words.lengths[outer])
        found.append(inner[match] * len(phrases) + outer[match])
        longer = (node > 0) & (start + length < words.lengths[outer])
        outer, start, node = outer[longer], start[longer], node[longer]
        node = trie.child(node, words.ids[outer, start + length])
    pairs = distinct(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)
    return pairs // max(len(phrases), 1), pairs % max(len(phrases), 1)


class _PrefixTrie:
    """One node per distinct word prefix of the phrases; node 0 is the empty prefix.

    ``phrase_at[node]`` is the phrase spelled by that prefix, or -1.
    """

    def __init__(self, phrases: list[str], words: WordMatrix):
        self._base = len(words.vocabulary) + 1
        node = np.zeros(len(phrases), dtype=np.int64)
        # A sentinel code no lookup asks for keeps the tables non-empty.
        codes, children = [np.asarray([-1])], [np.asarray([0])]
        for position in range(words.ids.shape[1]):
            here = words.present[:, position]
            code = node[here] * self._base + words.ids[here, position]
            distinct, which = np.unique(code, return_inverse=True)
            first_new = sum(len(c) for c in children)
            codes.append(distinct)
            children.append(np.arange(first_new, first_new + len(distinct)))
            node[here] = children[-1][which.reshape(-1)]
        order = np.argsort(np.concatenate(codes))
        self._codes = np.concatenate(codes)[order]
        self._children = np.concatenate(children)[order]
        self.phrase_at = np.full(len(self._codes), -1, dtype=np.int64)
        spelled = np.asarray([" ".join(phrase.split()) == phrase for phrase in phrases], bool)
        self.phrase_at[node[spelled]] = np.flatnonzero(spelled)
        self.phrase_at[0] = -1  # the empty prefix: never a run of words

    def child(self, node: np.ndarray, word: np.ndarray) -> np.ndarray:
        """The node one word further down, or 0 where no phrase continues that way."""
        code = node * self._base + word
        at = np.minimum(np.searchsorted(self._codes, code), len(self._codes) - 1)
        return np.where(self._codes[at] == code, self._children[at], 0)
