"""One document's counted candidates: the unit the miner can store and merge again later.

Counting a document needs its spaCy parse; merging several documents' counts
(`collect.CorpusCounter`) does not. So a re-index parses only new or changed texts
and merges the stored counts of the others: every field is a sum or kept in first-seen
order, so the merged counts are those of one pass over all documents. Counts name no
document: the same text under another id reuses them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from indexer.terms.doc_info import DocInfo
from indexer.terms.patterns import SpanLimits, TokenTable, candidate_bounds

if TYPE_CHECKING:  # spaCy is imported by the pipeline that makes the Docs
    from spacy.tokens import Doc, Span

_NOMINAL = frozenset({"NOUN", "PROPN"})
_LEFT_EXTENDERS = _NOMINAL | {"ADJ"}


# Part of the cache fingerprint: bump it whenever counting or the stored layout changes.
COUNTS_FORMAT = 5
# The integer columns of `DocCounts.numbers`; ``context`` numbers the surface's first
# occurrence's sentence in `DocCounts.contexts`, the others are summed over occurrences.
NUMBER_FIELDS = (
    "count", "capitalized", "all_caps", "extends_left", "extends_right", "in_heading", "context",
)  # fmt: skip


@dataclass
class Tally:
    """Keyed counts of many surfaces as parallel lists: surface ``owners[i]`` had ``keys[i]``
    ``counts[i]`` times; each surface's keys in the order they first occurred."""

    owners: list[int] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    counts: list[int] = field(default_factory=list)


@dataclass
class DocCounts:
    """A document's candidate surfaces (in order of first occurrence) and its words.

    Kept as columns, surface ``i`` in position ``i`` of each: loading and merging a corpus
    then handles a few long arrays per document instead of an object per surface form.
    The number columns are numpy arrays or lists (pieces of a long text added up,
    `long_texts`); merging takes either.
    """

    surfaces: list[str] = field(default_factory=list)
    lemmas: list[str] = field(default_factory=list)
    numbers: dict[str, list[int]] = field(default_factory=lambda: {f: [] for f in NUMBER_FIELDS})
    english_context: list[float] = field(default_factory=list)  # summed, by surface
    pos_patterns: Tally = field(default_factory=Tally)
    word_counts: Counter = field(default_factory=Counter)
    n_tokens: int = 0
    # Each distinct context sentence once: a sentence holds many candidates.
    contexts: list[str] = field(default_factory=list)


def normalize(text: str) -> str:
    """Lower-cased, each run of whitespace one space (`str.split` knows the whitespace a
    regular expression's \\s does, at a third of the time)."""
    return " ".join(text.split()).lower()


def lemma_key(span: Span) -> str:
    """Lemma-normalized form: "Wind Turbines" and "wind turbine" share "wind turbine"."""
    return normalize("".join(_lemma_texts(TokenTable.from_doc(span))))


def count_document(doc: Doc, limits: SpanLimits = SpanLimits()) -> DocCounts:
    """Count one parsed document's candidate occurrences and words."""
    tokens = TokenTable.from_doc(doc)
    info = DocInfo.build(doc, tokens)
    words = [lower for lower, space in zip(tokens.lower, tokens.is_space, strict=True) if not space]
    counts = DocCounts(word_counts=Counter(words), n_tokens=len(words))
    bounds = list(candidate_bounds(tokens, limits))
    if bounds:
        _count_occurrences(counts, tokens, info, bounds)
    return counts


def _count_occurrences(counts: DocCounts, tokens: TokenTable, info: DocInfo, bounds) -> None:
    """Fill ``counts`` with the occurrences at ``bounds`` (start and end tokens), in order.

    What an occurrence records depends on its text and its first and last token, so the
    per-token facts are worked out once and each column is summed per surface form by
    `np.bincount`, not added up occurrence by occurrence.
    """
    starts, ends = (np.asarray(column, dtype=np.int64) for column in zip(*bounds, strict=True))
    char_end = [i + len(t) for i, t in zip(tokens.idx, tokens.text, strict=True)]
    texts = [info.text[tokens.idx[s] : char_end[e - 1]] for s, e in bounds]
    numbers: dict[str, int] = {}
    ids = np.asarray([numbers.setdefault(normalize(t), len(numbers)) for t in texts], np.int64)
    counts.surfaces = list(numbers)
    first = np.unique(ids, return_index=True)[1].tolist()  # by surface id
    _first_occurrences(counts, tokens, info, [bounds[position] for position in first])
    for name, values in _occurrence_facts(tokens, info, starts, ends, texts).items():
        counts.numbers[name] = np.bincount(ids, values, len(numbers)).astype(np.int64)
    counts.english_context = np.bincount(ids, np.asarray(info.english_at)[starts], len(numbers))
    patterns = [" ".join(tokens.pos[s:e]) for s, e in bounds]
    tally = Counter(zip(ids.tolist(), patterns, strict=True))  # in first-seen order
    owners, keys = zip(*tally, strict=True)
    counts.pos_patterns = Tally(list(owners), list(keys), list(tally.values()))


def _first_occurrences(counts: DocCounts, tokens: TokenTable, info: DocInfo, bounds) -> None:
    """The lemma and the context sentence of each surface form, from its first occurrence."""
    lemma_texts = _lemma_texts(tokens)
    contexts: dict[str, int] = {}
    for start, end in bounds:
        counts.lemmas.append(normalize("".join(lemma_texts[start:end])))
        sentence = info.context(start)
        counts.numbers["context"].append(contexts.setdefault(sentence, len(contexts)))
    counts.contexts = list(contexts)


def _occurrence_facts(tokens: TokenTable, info: DocInfo, starts, ends, texts) -> dict:
    """Each occurrence's 0 or 1 for the counted flags, by `NUMBER_FIELDS` name."""
    n, pos, sentence_start = len(tokens), tokens.pos, tokens.sent_start
    capitalized = [t[:1].isupper() and not sentence_start[k] for k, t in enumerate(tokens.text)]
    left = [k > 0 and pos[k - 1] in _LEFT_EXTENDERS and not sentence_start[k] for k in range(n)]
    # A noun phrase continues past the span: a hint that it is only a fragment.
    right = [False] + [
        end < n and pos[end] in _NOMINAL and tokens.whitespace[end - 1] != ""
        for end in range(1, n + 1)
    ]
    return {
        "count": np.ones(len(starts)),
        "capitalized": np.asarray(capitalized, dtype=np.float64)[starts],
        "all_caps": np.asarray([t.isupper() for t in texts], dtype=np.float64),
        "extends_left": np.asarray(left, dtype=np.float64)[starts],
        "extends_right": np.asarray(right, dtype=np.float64)[ends],
        "in_heading": np.asarray(info.heading_at, dtype=np.float64)[starts],
    }


def _lemma_texts(tokens: TokenTable) -> list[str]:
    """Each token's lemma (its text where it has none) and its trailing whitespace."""
    parts = zip(tokens.lemma, tokens.text, tokens.whitespace, strict=True)
    return [(lemma or text) + whitespace for lemma, text, whitespace in parts]
