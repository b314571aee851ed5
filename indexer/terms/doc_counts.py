"""One document's counted candidates: the unit the miner can store and merge again later.

Counting a document needs its spaCy parse; merging several documents' counts
(`collect.CorpusCounter`) does not. So a re-index parses only new or changed texts
and merges the stored counts of the others: every field is a sum or kept in first-seen
order, so the merged counts are those of one pass over all documents. Counts name no
document: the same text under another id reuses them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from indexer.terms.doc_info import DocInfo
from indexer.terms.patterns import SpanLimits, TokenTable, candidate_bounds

if TYPE_CHECKING:  # spaCy is imported by the pipeline that makes the Docs
    from spacy.tokens import Doc, Span

_SPACES = re.compile(r"\s+")
_NOMINAL = frozenset({"NOUN", "PROPN"})
_LEFT_EXTENDERS = _NOMINAL | {"ADJ"}


@dataclass(slots=True)
class SurfaceCounts:
    """One lower-cased surface form's occurrences within one document, while counting it."""

    lemma: str
    count: int = 0
    pos_patterns: dict[str, int] = field(default_factory=dict)
    capitalized: int = 0
    all_caps: int = 0
    extends_left: int = 0
    extends_right: int = 0
    in_heading: int = 0
    english_context: float = 0.0  # summed over the occurrences
    context: int = 0  # the sentence around the first occurrence, in `DocCounts.contexts`


# Part of the cache fingerprint: bump it whenever counting or the stored layout changes.
COUNTS_FORMAT = 5
# The integer fields of `SurfaceCounts`, kept as one column each.
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

    def add(self, owner: int, keyed: dict[str, int]) -> None:
        for key, n in keyed.items():
            self.owners.append(owner)
            self.keys.append(key)
            self.counts.append(n)


@dataclass
class DocCounts:
    """A document's candidate surfaces (in order of first occurrence) and its words.

    Kept as columns, surface ``i`` in position ``i`` of each: loading and merging a corpus
    then handles a few long lists per document instead of an object per surface form. The
    number columns are lists while a document is counted, and arrays once read back from
    the mining cache (`cache.decode_counts`); merging takes either.
    """

    surfaces: list[str] = field(default_factory=list)
    lemmas: list[str] = field(default_factory=list)
    numbers: dict[str, list[int]] = field(default_factory=lambda: {f: [] for f in NUMBER_FIELDS})
    english_context: list[float] = field(default_factory=list)  # by surface
    pos_patterns: Tally = field(default_factory=Tally)
    word_counts: Counter = field(default_factory=Counter)
    n_tokens: int = 0
    # Each distinct context sentence once: a sentence holds many candidates.
    contexts: list[str] = field(default_factory=list)

    def add_surface(self, surface: str, counted: SurfaceCounts) -> None:
        owner = len(self.surfaces)
        self.surfaces.append(surface)
        self.lemmas.append(counted.lemma)
        for name, column in self.numbers.items():
            column.append(getattr(counted, name))
        self.english_context.append(counted.english_context)
        self.pos_patterns.add(owner, counted.pos_patterns)


def normalize(text: str) -> str:
    return _SPACES.sub(" ", text.strip()).lower()


def lemma_key(span: Span) -> str:
    """Lemma-normalized form: "Wind Turbines" and "wind turbine" share "wind turbine"."""
    return _lemma_key(TokenTable.from_doc(span), 0, len(span))


def count_document(doc: Doc, limits: SpanLimits = SpanLimits()) -> DocCounts:
    """Count one parsed document's candidate occurrences and words."""
    tokens = TokenTable.from_doc(doc)
    info = DocInfo.build(doc, tokens)
    words = [lower for lower, space in zip(tokens.lower, tokens.is_space, strict=True) if not space]
    surfaces: dict[str, SurfaceCounts] = {}
    context_numbers: dict[str, int] = {}
    for start, end in candidate_bounds(tokens, limits):
        text = tokens.span_text(start, end)
        surface = normalize(text)
        stats = surfaces.get(surface)
        if stats is None:
            sentence = info.context(start)
            number = context_numbers.setdefault(sentence, len(context_numbers))
            lemma = _lemma_key(tokens, start, end)
            stats = surfaces[surface] = SurfaceCounts(lemma, context=number)
        _record(stats, tokens, start, end, text, info)
    counts = DocCounts(word_counts=Counter(words), n_tokens=len(words))
    for surface, stats in surfaces.items():
        counts.add_surface(surface, stats)
    counts.contexts = list(context_numbers)
    return counts


def _lemma_key(tokens: TokenTable, start: int, end: int) -> str:
    """`lemma_key` of tokens start..end-1 of a token table."""
    lemma, text, whitespace = tokens.lemma, tokens.text, tokens.whitespace
    return normalize("".join([(lemma[k] or text[k]) + whitespace[k] for k in range(start, end)]))


def _extends(tokens: TokenTable, start: int, end: int) -> tuple[bool, bool]:
    """Whether a noun phrase continues past the span: a hint that it is only a fragment."""
    pos = tokens.pos
    left = start > 0 and pos[start - 1] in _LEFT_EXTENDERS and not tokens.sent_start[start]
    right = end < len(tokens) and pos[end] in _NOMINAL and tokens.whitespace[end - 1] != ""
    return left, right


def _record(
    stats: SurfaceCounts, tokens: TokenTable, start: int, end: int, text: str, info: DocInfo
) -> None:
    stats.count += 1
    _increment(stats.pos_patterns, " ".join(tokens.pos[start:end]))
    stats.capitalized += tokens.text[start][:1].isupper() and not tokens.sent_start[start]
    stats.all_caps += text.isupper()
    left, right = _extends(tokens, start, end)
    stats.extends_left += left
    stats.extends_right += right
    stats.in_heading += info.in_heading(tokens.idx[start])
    stats.english_context += info.english(start)


def _increment(counter: dict[str, int], key: str) -> None:
    counter[key] = counter.get(key, 0) + 1
