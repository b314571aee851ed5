"""Per-document facts computed once and looked up for every candidate occurrence.

Looking things up per occurrence instead (`Span.sent`, `Doc.text`) rescans the whole
document each time, which is quadratic on long documents such as a 60-page thesis.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from indexer.terms.patterns import TokenTable
from indexer.terms.reference import general_zipf

if TYPE_CHECKING:  # spaCy is imported by the pipeline that makes the Docs
    from spacy.tokens import Doc

_LINE = re.compile(r"[^\n]+")
CONTEXT_CHARS = 300
HEADING_CHARS = 80
# A word at least this common in general English counts as "plain English" context.
ENGLISH_ZIPF = 3.0


def normalize_whitespace(text: str) -> str:
    return " ".join(text.split())


def _sentence_starts(doc: Doc, tokens: TokenTable) -> list[int]:
    if not doc.has_annotation("SENT_START"):
        return [0]
    return [i for i, start in enumerate(tokens.sent_start) if start or i == 0]


def _english_ratios(tokens: TokenTable, starts: list[int]) -> list[float]:
    """Per token, the share of its sentence's words that are common English: low for
    formulas or foreign text; 1.0 for a sentence without words."""
    marks = tokens.is_space, tokens.is_punct, tokens.lower
    # Per token: None when it is no word, else whether the word is common English.
    common = [
        None if space or punct else general_zipf(lower) >= ENGLISH_ZIPF
        for space, punct, lower in zip(*marks, strict=True)
    ]
    ratios = []
    for start, end in zip(starts, [*starts[1:], len(tokens)], strict=True):
        words = [flag for flag in common[start:end] if flag is not None]
        ratios += [sum(words) / len(words) if words else 1.0] * (end - start)
    return ratios


def _in_headings(text: str, tokens: TokenTable) -> list[int]:
    """Per token, 1 if it starts within a title-like line (short, without closing
    punctuation), else 0."""
    starts, ends = [], []
    for match in _LINE.finditer(text):
        line = match.group(0).strip()
        if line and len(line) <= HEADING_CHARS and line[-1] not in ".:;,?!":
            starts.append(match.start())
            ends.append(match.end())
    if not starts:
        return [0] * len(tokens)
    chars = np.asarray(tokens.idx, dtype=np.int64)
    line = np.searchsorted(np.asarray(starts), chars, side="right") - 1
    inside = (line >= 0) & (chars < np.asarray(ends)[np.maximum(line, 0)])
    return inside.astype(np.int64).tolist()


@dataclass(frozen=True)
class DocInfo:
    """What counting needs to know about the document an occurrence is in."""

    tokens: TokenTable
    text: str
    sentence_starts: list[int]
    sentence_of: list[int]  # per token: the number of its sentence
    english_at: list[float]  # per token: its sentence's share of common English words
    heading_at: list[int]  # per token: 1 if it starts within a heading line
    # Sentence number -> its context, for sentences short enough to be the context whole.
    _whole_sentences: dict[int, str] = field(default_factory=dict)

    @classmethod
    def build(cls, doc: Doc, tokens: TokenTable) -> DocInfo:
        """``tokens``: `TokenTable.from_doc(doc)`, read once for all of counting."""
        starts = _sentence_starts(doc, tokens)
        text = "".join([t + w for t, w in zip(tokens.text, tokens.whitespace, strict=True)])
        lengths = np.diff([*starts, len(tokens)])
        sentence_of = np.repeat(np.arange(len(starts)), lengths).tolist()
        english = _english_ratios(tokens, starts)
        return cls(tokens, text, starts, sentence_of, english, _in_headings(text, tokens))

    def context(self, start: int) -> str:
        """The sentence around the span starting at token ``start``, or a window of it when
        the sentence is very long."""
        index = self.sentence_of[start]
        known = self._whole_sentences.get(index)
        if known is not None:  # a sentence holds many candidates: cut it out once
            return known
        starts, tokens = self.sentence_starts, self.tokens
        last = (starts[index + 1] if index + 1 < len(starts) else len(tokens)) - 1
        begin, end = tokens.idx[starts[index]], tokens.idx[last] + len(tokens.text[last])
        if end - begin > CONTEXT_CHARS:
            begin = max(begin, tokens.idx[start] - CONTEXT_CHARS // 2)
            return normalize_whitespace(self.text[begin : begin + CONTEXT_CHARS])
        sentence = self._whole_sentences[index] = normalize_whitespace(self.text[begin:end])
        return sentence
