"""Per-document facts computed once and looked up for every candidate occurrence.

Looking things up per occurrence instead (`Span.sent`, `Doc.text`) rescans the whole
document each time, which is quadratic on long documents such as a 60-page thesis.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from indexer.terms.models import Context
from indexer.terms.reference import general_zipf

_LINE = re.compile(r"[^\n]+")
_SPACES = re.compile(r"\s+")
CONTEXT_CHARS = 300
HEADING_CHARS = 80
# A word at least this common in general English counts as "plain English" context.
ENGLISH_ZIPF = 3.0


def normalize_whitespace(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _sentence_starts(doc: Doc) -> list[int]:
    if not doc.has_annotation("SENT_START"):
        return [0]
    return [token.i for token in doc if token.is_sent_start]


def _english_ratio(tokens) -> float:
    """Share of a sentence's words that are common English: low for formulas, foreign text."""
    words = [token.lower_ for token in tokens if not (token.is_space or token.is_punct)]
    if not words:
        return 1.0
    return sum(general_zipf(word) >= ENGLISH_ZIPF for word in words) / len(words)


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

    doc: Doc
    doc_id: str
    text: str
    entities: dict[tuple[int, int], str]
    sentence_starts: list[int]
    sentence_english: list[float]
    heading_starts: list[int]
    heading_ends: list[int]

    @classmethod
    def build(cls, doc: Doc, doc_id: str) -> DocInfo:
        starts = _sentence_starts(doc)
        bounds = [*starts[1:], len(doc)]
        english = [_english_ratio(doc[a:b]) for a, b in zip(starts, bounds, strict=True)]
        entities = {(ent.start, ent.end): ent.label_ for ent in doc.ents}
        text = doc.text
        return cls(doc, doc_id, text, entities, starts, english, *_headings(text))

    def sentence_index(self, token_index: int) -> int:
        return bisect.bisect_right(self.sentence_starts, token_index) - 1

    def english(self, token_index: int) -> float:
        return self.sentence_english[self.sentence_index(token_index)]

    def in_heading(self, char: int) -> bool:
        index = bisect.bisect_right(self.heading_starts, char) - 1
        return index >= 0 and char < self.heading_ends[index]

    def context(self, span: Span) -> Context:
        """The sentence around ``span``, or a window of it when the sentence is very long."""
        index = self.sentence_index(span.start)
        starts = self.sentence_starts
        first = self.doc[starts[index]]
        last = self.doc[(starts[index + 1] if index + 1 < len(starts) else len(self.doc)) - 1]
        begin, end = first.idx, last.idx + len(last.text)
        if end - begin > CONTEXT_CHARS:
            begin = max(begin, span.start_char - CONTEXT_CHARS // 2)
            end = begin + CONTEXT_CHARS
        return Context(self.doc_id, normalize_whitespace(self.text[begin:end]))
