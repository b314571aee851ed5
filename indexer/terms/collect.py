"""Count every candidate occurrence of a corpus of parsed documents.

One pass over the spaCy `Doc`s records, per lower-cased surface form, the statistics the
scorer needs (frequency, documents, capitalization, named-entity overlap, POS pattern) plus
a few example contexts; word counts for the whole corpus feed domain specificity.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from indexer.terms.models import Context
from indexer.terms.patterns import SpanLimits, iter_candidate_spans

_SPACES = re.compile(r"\s+")
CONTEXT_CHARS = 300


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


@dataclass(frozen=True)
class _DocInfo:
    """What `_record` needs to know about the document an occurrence is in."""

    doc_id: str
    entities: dict[tuple[int, int], str]
    sentence_starts: list[int]
    keep: int
    text: str


def _sentence_starts(doc: Doc) -> list[int]:
    """Token offsets where sentences start (one pass; `Span.sent` rescans the doc per call)."""
    if not doc.has_annotation("SENT_START"):
        return [0]
    return [token.i for token in doc if token.is_sent_start]


def _context(span: Span, info: _DocInfo) -> Context:
    """The sentence around ``span``, or a window of it when the sentence is very long."""
    starts = info.sentence_starts
    index = bisect.bisect_right(starts, span.start) - 1
    first = span.doc[starts[index]]
    last = span.doc[(starts[index + 1] if index + 1 < len(starts) else len(span.doc)) - 1]
    begin, end = first.idx, last.idx + len(last.text)
    if end - begin > CONTEXT_CHARS:
        begin = max(begin, span.start_char - CONTEXT_CHARS // 2)
        end = begin + CONTEXT_CHARS
    return Context(info.doc_id, normalize_whitespace(info.text[begin:end]))


def normalize_whitespace(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _record(stats: SurfaceStats, span: Span, info: _DocInfo) -> None:
    first = span[0]
    stats.count += 1
    stats.doc_counts[info.doc_id] += 1
    stats.pos_patterns[" ".join(token.pos_ for token in span)] += 1
    if first.text[:1].isupper() and not first.is_sent_start:
        stats.capitalized += 1
    if span.text.isupper():
        stats.all_caps += 1
    entity = info.entities.get((span.start, span.end))
    if entity is not None:
        stats.entity_exact += 1
        stats.entity_labels[entity] += 1
    # Prefer contexts from different documents: they show more of a term's usage.
    if len(stats.contexts) < info.keep and all(
        c.doc_id != info.doc_id for c in stats.contexts[-1:]
    ):
        stats.contexts.append(_context(span, info))


def count_doc(counts: CorpusCounts, doc: Doc, doc_id: str, limits: SpanLimits, keep: int) -> None:
    """Add one parsed document's candidates and words to ``counts``."""
    entities = {(ent.start, ent.end): ent.label_ for ent in doc.ents}
    info = _DocInfo(doc_id, entities, _sentence_starts(doc), keep, doc.text)
    counts.n_documents += 1
    counts.n_tokens += sum(1 for token in doc if not token.is_space)
    counts.word_counts.update(token.lower_ for token in doc if not token.is_space)
    for span in iter_candidate_spans(doc, limits):
        surface = normalize(span.text)
        stats = counts.surfaces.get(surface)
        if stats is None:
            n_words = len(surface.split())
            stats = counts.surfaces[surface] = SurfaceStats(surface, lemma_key(span), n_words)
        _record(stats, span, info)


def count_corpus(
    docs: Iterable[tuple[str, Doc]], limits: SpanLimits = SpanLimits(), keep: int = 3
) -> CorpusCounts:
    """Count candidates over ``(doc_id, Doc)`` pairs; ``keep`` contexts per surface form."""
    counts = CorpusCounts()
    for doc_id, doc in docs:
        count_doc(counts, doc, doc_id, limits, keep)
    return counts
