"""Count every candidate occurrence of a corpus of parsed documents.

Per lower-cased surface form, the statistics the scorer needs (frequency, documents,
capitalization, named-entity overlap, POS pattern, the kind of sentence it sits in) plus a
few example contexts; word counts for the whole corpus feed domain specificity. Each
document is counted on its own (`doc_counts`) and added in corpus order, so counts kept
from an earlier run merge into exactly what one pass over every document would give.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.tokens import Doc

from indexer.terms.doc_counts import DocCounts, SurfaceCounts, count_document, lemma_key, normalize
from indexer.terms.models import Context
from indexer.terms.patterns import SpanLimits

__all__ = [
    "CorpusCounts",
    "SurfaceStats",
    "add_document_counts",
    "count_corpus",
    "count_doc",
    "lemma_key",  # re-exported: callers found it here before per-document counting moved
    "normalize",
]


@dataclass
class SurfaceStats:
    """Everything counted about one lower-cased surface form."""

    surface: str
    lemma: str
    n_words: int
    count: int = 0
    doc_counts: Counter = field(default_factory=Counter)
    pos_patterns: Counter = field(default_factory=Counter)
    capitalized: int = 0
    all_caps: int = 0
    extends_left: int = 0
    extends_right: int = 0
    in_heading: int = 0
    english_context: float = 0.0
    entity_exact: int = 0
    entity_labels: Counter = field(default_factory=Counter)
    contexts: list[Context] = field(default_factory=list)


@dataclass
class CorpusCounts:
    """The counted corpus: candidate surfaces, all word counts and its size."""

    surfaces: dict[str, SurfaceStats] = field(default_factory=dict)
    word_counts: Counter = field(default_factory=Counter)
    n_tokens: int = 0
    n_documents: int = 0


def add_document_counts(counts: CorpusCounts, found: DocCounts, doc_id: str, keep: int) -> None:
    """Add one document's counts to ``counts``, keeping ``keep`` contexts per surface form."""
    counts.n_documents += 1
    counts.n_tokens += found.n_tokens
    _add_counts(counts.word_counts, found.word_counts)
    for surface, in_doc in found.surfaces.items():
        stats = counts.surfaces.get(surface)
        if stats is None:
            stats = SurfaceStats(surface, in_doc.lemma, len(surface.split()))
            counts.surfaces[surface] = stats
        _add_surface(stats, in_doc, doc_id, found.contexts, keep)


def _add_surface(
    stats: SurfaceStats, in_doc: SurfaceCounts, doc_id: str, contexts: list[str], keep: int
) -> None:
    stats.count += in_doc.count
    stats.doc_counts[doc_id] += in_doc.count
    _add_counts(stats.pos_patterns, in_doc.pos_patterns)
    stats.capitalized += in_doc.capitalized
    stats.all_caps += in_doc.all_caps
    stats.extends_left += in_doc.extends_left
    stats.extends_right += in_doc.extends_right
    stats.in_heading += in_doc.in_heading
    for value in in_doc.english_context:  # one addition per occurrence: the same float sum
        stats.english_context += value
    stats.entity_exact += in_doc.entity_exact
    _add_counts(stats.entity_labels, in_doc.entity_labels)
    # Prefer contexts from different documents: they show more of a term's usage.
    latest = stats.contexts[-1].doc_id if stats.contexts else None
    if len(stats.contexts) < keep and latest != doc_id:
        stats.contexts.append(Context(doc_id, contexts[in_doc.context]))


def _add_counts(total: Counter, part: dict[str, int]) -> None:
    # A plain loop: Counter.update checks its argument's type on every call, twice as slow.
    for key, n in part.items():
        total[key] += n


def count_doc(counts: CorpusCounts, doc: Doc, doc_id: str, limits: SpanLimits, keep: int) -> None:
    """Add one parsed document's candidates and words to ``counts``."""
    add_document_counts(counts, count_document(doc, limits), doc_id, keep)


def count_corpus(
    docs: Iterable[tuple[str, Doc]], limits: SpanLimits = SpanLimits(), keep: int = 3
) -> CorpusCounts:
    """Count candidates over ``(doc_id, Doc)`` pairs; ``keep`` contexts per surface form."""
    counts = CorpusCounts()
    for doc_id, doc in docs:
        count_doc(counts, doc, doc_id, limits, keep)
    return counts
