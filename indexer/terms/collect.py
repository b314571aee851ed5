"""Count every candidate occurrence of a corpus of parsed documents.

One pass over the spaCy `Doc`s records, per lower-cased surface form, the statistics the
scorer needs (frequency, documents, capitalization, named-entity overlap, POS pattern,
the kind of sentence it sits in) plus a few example contexts; word counts for the whole
corpus feed domain specificity.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from indexer.terms.doc_info import DocInfo
from indexer.terms.models import Context
from indexer.terms.patterns import SpanLimits, iter_candidate_spans

_SPACES = re.compile(r"\s+")
_NOMINAL = frozenset({"NOUN", "PROPN"})


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


def normalize(text: str) -> str:
    return _SPACES.sub(" ", text.strip()).lower()


def lemma_key(span: Span) -> str:
    """Lemma-normalized form: "Wind Turbines" and "wind turbine" share "wind turbine"."""
    parts = [(token.lemma_ or token.text) + token.whitespace_ for token in span]
    return normalize("".join(parts))


def _extends(span: Span) -> tuple[bool, bool]:
    """Whether a noun phrase continues past the span: a hint that it is only a fragment."""
    doc = span.doc
    before = doc[span.start - 1] if span.start > 0 else None
    after = doc[span.end] if span.end < len(doc) else None
    left = before is not None and before.pos_ in _NOMINAL | {"ADJ"} and not span[0].is_sent_start
    right = after is not None and after.pos_ in _NOMINAL and span[-1].whitespace_ != ""
    return left, right


def _record_shape(stats: SurfaceStats, span: Span, info: DocInfo) -> None:
    first = span[0]
    stats.pos_patterns[" ".join(token.pos_ for token in span)] += 1
    stats.capitalized += first.text[:1].isupper() and not first.is_sent_start
    stats.all_caps += span.text.isupper()
    left, right = _extends(span)
    stats.extends_left += left
    stats.extends_right += right
    stats.in_heading += info.in_heading(span.start_char)
    stats.english_context += info.english(span.start)


def _record(stats: SurfaceStats, span: Span, info: DocInfo, keep: int) -> None:
    stats.count += 1
    stats.doc_counts[info.doc_id] += 1
    _record_shape(stats, span, info)
    entity = info.entities.get((span.start, span.end))
    if entity is not None:
        stats.entity_exact += 1
        stats.entity_labels[entity] += 1
    # Prefer contexts from different documents: they show more of a term's usage.
    latest = stats.contexts[-1].doc_id if stats.contexts else None
    if len(stats.contexts) < keep and latest != info.doc_id:
        stats.contexts.append(info.context(span))


def count_doc(counts: CorpusCounts, doc: Doc, doc_id: str, limits: SpanLimits, keep: int) -> None:
    """Add one parsed document's candidates and words to ``counts``."""
    info = DocInfo.build(doc, doc_id)
    counts.n_documents += 1
    words = [token.lower_ for token in doc if not token.is_space]
    counts.n_tokens += len(words)
    counts.word_counts.update(words)
    for span in iter_candidate_spans(doc, limits):
        surface = normalize(span.text)
        stats = counts.surfaces.get(surface)
        if stats is None:
            stats = SurfaceStats(surface, lemma_key(span), len(surface.split()))
            counts.surfaces[surface] = stats
        _record(stats, span, info, keep)


def count_corpus(
    docs: Iterable[tuple[str, Doc]], limits: SpanLimits = SpanLimits(), keep: int = 3
) -> CorpusCounts:
    """Count candidates over ``(doc_id, Doc)`` pairs; ``keep`` contexts per surface form."""
    counts = CorpusCounts()
    for doc_id, doc in docs:
        count_doc(counts, doc, doc_id, limits, keep)
    return counts
