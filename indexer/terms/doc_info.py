"""Per-document facts computed once and looked up for every candidate occurrence.

Looking things up per occurrence instead (`Span.sent`, `Doc.text`) rescans the whole
document each time, which is quadratic on long documents such as a 60-page thesis.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from indexer.terms.patterns import TokenTable
from indexer.terms.reference import general_zipf

if TYPE_CHECKING:  # spaCy is imported by the pipeline that makes the Docs
    from spacy.tokens import Doc

_LINE = re.compile(r"[^\n]+")
_SPACES = re.compile(r"\s+")
CONTEXT_CHARS = 300
HEADING_CHARS = 80
# A word at least this common in general English counts as "plain English" context.
ENGLISH_ZIPF = 3.0


def normalize_whitespace(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _sentence_starts(doc: Doc, tokens: TokenTable) -> list[int]:
    if not doc.has_annotation("SENT_START"):
        return [0]
    return [i for i, start in enumerate(tokens.sent_start) if start]


def _english_ratios(tokens: TokenTable, starts: list[int]) -> list[float]:
    """Per sentence, the share of its words that are common English: low for formulas or
    foreign text; 1.0 for a sentence without words."""
    marks = tokens.is_space, tokens.is_punct, tokens.lower
    # Per token: None when it is no word, else whether the word is common English.
    common = [
        None if space or punct else general_zipf(lower) >= ENGLISH_ZIPF
        for space, punct, lower in zip(*marks, strict=True)
    ]
    ratios = []
    for start, end in zip(starts, [*starts[1:], len(tokens)], strict=True):
        words = [flag for flag in common[start:end] if flag is not None]
        ratios.append(sum(words) / len(words) if words else 1.0)
    return ratios


def _headings(text: str) -> tuple[list[int], list[int]]:
    """Character ranges of title-like lines: short, without closing punctuation."""
    starts, ends = [], []
    for match in _LINE.finditer(text):
        line = match.group(0).strip()
        if line and len(line) <= HEADING_CHARS and line[-1] not in ".:;,?!":
            starts.append(match.start())
            ends.append(match.end())
    return starts, ends


@dataclass(frozen=True)
class DocInfo:
    """What counting needs to know about the document an occurrence is in."""

    tokens: TokenTable
    text: str
    sentence_starts: list[int]
    sentence_english: list[float]
    heading_starts: list[int]
    heading_ends: list[int]
    # Sentence number -> its context, for sentences short enough to be the context whole.
    _whole_sentences: dict[int, str] = field(default_factory=dict)

    @classmethod
    def build(cls, doc: Doc, tokens: TokenTable) -> DocInfo:
        """``tokens``: `TokenTable.from_doc(doc)`, read once for all of counting."""
        starts = _sentence_starts(doc, tokens)
        text = doc.text
        english = _english_ratios(tokens, starts)
        return cls(tokens, text, starts, english, *_headings(text))

    def sentence_index(self, token_index: int) -> int:
        return bisect.bisect_right(self.sentence_starts, token_index) - 1

    def english(self, token_index: int) -> float:
        return self.sentence_english[self.sentence_index(token_index)]

    def in_heading(self, char: int) -> bool:
        index = bisect.bisect_right(self.heading_starts, char) - 1
        return index >= 0 and char < self.heading_ends[index]

    def context(self, start: int) -> str:
        """The sentence around the span starting at token ``start``, or a window of it when
        the sentence is very long."""
        index = self.sentence_index(start)
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
