"""One document's counted candidates: the unit the miner can store and merge again later.

Counting a document needs its spaCy parse; merging several documents' counts
(`collect.add_document_counts`) does not. So a re-index parses only new or changed texts
and merges the stored counts of the others. The result equals one pass over all documents
because every field is an exact integer sum, is kept in first-seen order, or (the one float)
is kept as its per-occurrence values so the corpus total is added up in the same order.
Counts name no document: the same text under another id reuses them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, fields

from spacy.tokens import Doc, Span

from indexer.terms.doc_info import DocInfo
from indexer.terms.patterns import SpanLimits, iter_candidate_spans

_SPACES = re.compile(r"\s+")
_NOMINAL = frozenset({"NOUN", "PROPN"})


@dataclass(slots=True)  # slots: a large corpus loads hundreds of thousands of these
class SurfaceCounts:
    """One lower-cased surface form's occurrences within one document."""

    lemma: str
    count: int = 0
    pos_patterns: dict[str, int] = field(default_factory=dict)
    capitalized: int = 0
    all_caps: int = 0
    extends_left: int = 0
    extends_right: int = 0
    in_heading: int = 0
    english_context: list[float] = field(default_factory=list)  # one value per occurrence
    entity_exact: int = 0
    entity_labels: dict[str, int] = field(default_factory=dict)
    context: int = 0  # the sentence around the first occurrence, in `DocCounts.contexts`


# Stored rows list the fields positionally: short rows, and a field change bumps COUNTS_FORMAT.
_FIELDS = [f.name for f in fields(SurfaceCounts)]
# Part of the cache fingerprint: bump it whenever counting or the stored layout changes.
COUNTS_FORMAT = 1


@dataclass
class DocCounts:
    """A document's candidate surfaces (in order of first occurrence) and its words."""

    surfaces: dict[str, SurfaceCounts] = field(default_factory=dict)
    word_counts: Counter = field(default_factory=Counter)
    n_tokens: int = 0
    # Each distinct context sentence once: a sentence holds many candidates.
    contexts: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        rows = [
            [surface, *(getattr(s, f) for f in _FIELDS)] for surface, s in self.surfaces.items()
        ]
        words = self.word_counts
        return {
            "n_tokens": self.n_tokens,
            "words": words,
            "contexts": self.contexts,
            "surfaces": rows,
        }

    @classmethod
    def from_json(cls, data: dict) -> DocCounts:
        surfaces = {}
        for surface, *values in data["surfaces"]:
            surfaces[surface] = SurfaceCounts(*values)
        return cls(surfaces, Counter(data["words"]), int(data["n_tokens"]), list(data["contexts"]))


def normalize(text: str) -> str:
    return _SPACES.sub(" ", text.strip()).lower()


def lemma_key(span: Span) -> str:
    """Lemma-normalized form: "Wind Turbines" and "wind turbine" share "wind turbine"."""
    parts = [(token.lemma_ or token.text) + token.whitespace_ for token in span]
    return normalize("".join(parts))


def count_document(doc: Doc, limits: SpanLimits = SpanLimits()) -> DocCounts:
    """Count one parsed document's candidate occurrences and words."""
    info = DocInfo.build(doc, doc_id="")
    words = [token.lower_ for token in doc if not token.is_space]
    counts = DocCounts(word_counts=Counter(words), n_tokens=len(words))
    context_numbers: dict[str, int] = {}
    for span in iter_candidate_spans(doc, limits):
        surface = normalize(span.text)
        stats = counts.surfaces.get(surface)
        if stats is None:
            sentence = info.context(span).sentence
            number = context_numbers.setdefault(sentence, len(context_numbers))
            stats = counts.surfaces[surface] = SurfaceCounts(lemma_key(span), context=number)
        _record(stats, span, info)
    counts.contexts = list(context_numbers)
    return counts


def _extends(span: Span) -> tuple[bool, bool]:
    """Whether a noun phrase continues past the span: a hint that it is only a fragment."""
    doc = span.doc
    before = doc[span.start - 1] if span.start > 0 else None
    after = doc[span.end] if span.end < len(doc) else None
    left = before is not None and before.pos_ in _NOMINAL | {"ADJ"} and not span[0].is_sent_start
    right = after is not None and after.pos_ in _NOMINAL and span[-1].whitespace_ != ""
    return left, right


def _record(stats: SurfaceCounts, span: Span, info: DocInfo) -> None:
    first = span[0]
    stats.count += 1
    _increment(stats.pos_patterns, " ".join(token.pos_ for token in span))
    stats.capitalized += first.text[:1].isupper() and not first.is_sent_start
    stats.all_caps += span.text.isupper()
    left, right = _extends(span)
    stats.extends_left += left
    stats.extends_right += right
    stats.in_heading += info.in_heading(span.start_char)
    stats.english_context.append(info.english(span.start))
    entity = info.entities.get((span.start, span.end))
    if entity is not None:
        stats.entity_exact += 1
        _increment(stats.entity_labels, entity)


def _increment(counter: dict[str, int], key: str) -> None:
    counter[key] = counter.get(key, 0) + 1
