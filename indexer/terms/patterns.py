"""Candidate spans from POS tags: noun phrases, hyphenated compounds, `X of Y` phrases.

The patterns are deliberately generous (96-98% of the ACTER gold terms match one); the
scorer, not the pattern, decides what is a term. Spans never cut through a hyphenated
word such as "three-bladed" (but may cut at a slash or a possessive 's), never cross a line
break or sentence start, and never start or end on a function word.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # spaCy is imported by the pipeline that makes the Docs
    from spacy.tokens import Doc, Span


# POS that may head (end) a multi-word term, modify one, or stand alone as a term.
HEAD_POS = frozenset({"NOUN", "PROPN", "NUM", "X"})
MODIFIER_POS = frozenset({"NOUN", "PROPN", "ADJ", "NUM", "VERB", "X"})
UNIGRAM_POS = frozenset({"NOUN", "PROPN", "ADJ", "VERB", "ADV", "NUM", "X"})
# Linking words allowed inside a term ("abuse of power", "Court of First Instance").
LINK_WORDS = frozenset({"of", "for", "on", "in", "to", "against", "and", "&", "de"})
LINK_DETERMINERS = frozenset({"the", "a", "an"})
# Punctuation written without spaces inside one orthographic word. Hyphens and dashes make
# compounds that are never cut ("three-bladed"); a slash or a possessive may be cut at
# ("drag/lift ratio" holds "drag"; "the legislator's intention" holds "legislator").
HARD_JOINERS = frozenset({"-", "–", "'", "’"})
SOFT_JOINERS = frozenset({"/", "'s", "’s"})
_JOINERS = HARD_JOINERS | SOFT_JOINERS
_LINK_POS = frozenset({"ADP", "CCONJ", "PART"})

WORD, JOIN, LINK, DET, STOP = "word", "join", "link", "det", "stop"
# Token.is_sent_start by the value `Doc.to_array(SENT_START)` holds: 1, -1, or 0 (unknown).
_SENT_STARTS = {1: True, -1: False, 0: None}


@dataclass(frozen=True)
class SpanLimits:
    """Length limits; longer gold terms (long organisation names) are rare."""

    max_words: int = 7
    max_links: int = 2


@dataclass(frozen=True)
class TokenTable:
    """A parsed document's token attributes as plain lists, read once.

    Each `doc[i]` makes a new Token object: the span patterns look at every token's
    neighbours several times, and reading the lists instead made counting a 600k-word corpus
    several times faster, with the same spans. The lists are read from `Doc.to_array`,
    a third of the time of reading each attribute off a Token.
    """

    text: list[str]
    lower: list[str]
    pos: list[str]
    lemma: list[str]
    whitespace: list[str]
    idx: list[int]
    is_space: list[bool]
    is_punct: list[bool]
    sent_start: list[bool | None]  # as Token.is_sent_start: None where unknown

    @classmethod
    def from_doc(cls, doc: Doc | Span) -> TokenTable:
        from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LEMMA, LOWER, ORTH, POS, SENT_START, SPACY

        start = getattr(doc, "start", 0)  # a Span's tokens are rows of its Doc's array
        columns = [ORTH, LOWER, POS, LEMMA, SPACY, IDX, IS_SPACE, IS_PUNCT, SENT_START]
        rows = doc.doc.to_array(columns)[start : start + len(doc)]
        strings = doc.vocab.strings
        names = {value: strings[value] for value in set(rows[:, :4].ravel().tolist())}
        text, lower, pos, lemma = ([names[v] for v in rows[:, c].tolist()] for c in range(4))
        whitespace = [" " if v else "" for v in rows[:, 4].tolist()]
        flags = [[bool(v) for v in rows[:, c].tolist()] for c in (6, 7)]
        starts = [_SENT_STARTS[v] for v in rows[:, 8].astype(np.int64).tolist()]
        return cls(text, lower, pos, lemma, whitespace, rows[:, 5].tolist(), *flags, starts)

    def __len__(self) -> int:
        return len(self.text)

    def glued_left(self, i: int) -> bool:
        return i > 0 and not self.whitespace[i - 1]

    def in_hyphen_compound(self, i: int) -> bool:
        """A word part of "cut-in" or "turn-on-the-forehand", whatever its own POS."""
        before = self.glued_left(i) and self.text[i - 1] in HARD_JOINERS
        after = not self.whitespace[i] and i + 1 < len(self) and self.text[i + 1] in HARD_JOINERS
        return before or after


def token_role(tokens: TokenTable, i: int) -> str:
    """Classify a token by what it may do inside a term."""
    lower, text, pos = tokens.lower[i], tokens.text[i], tokens.pos[i]
    if tokens.is_space[i] or "\n" in text:
        return STOP
    if (text.isalnum() or any(map(str.isalnum, text))) and (
        pos in UNIGRAM_POS or tokens.in_hyphen_compound(i)
    ):
        return WORD
    if lower in _JOINERS and tokens.glued_left(i):
        return JOIN if (not tokens.whitespace[i] or lower in SOFT_JOINERS) else STOP
    if lower in LINK_WORDS and pos in _LINK_POS:
        return LINK
    return DET if lower in LINK_DETERMINERS else STOP


def _orth_starts(tokens: TokenTable, roles: list[str]) -> list[bool]:
    """False where a token may not begin or follow the end of a span (inside a compound)."""
    starts = [True] * len(tokens)
    text, lower, whitespace = tokens.text, tokens.lower, tokens.whitespace
    for i in range(1, len(tokens)):
        if whitespace[i - 1] or lower[i] in SOFT_JOINERS:
            continue
        hard = text[i - 1] in HARD_JOINERS or text[i] in HARD_JOINERS
        both_words = roles[i - 1] == WORD and roles[i] == WORD
        starts[i] = not (hard or both_words)
    return starts


def _may_end(tokens: TokenTable, last: int, single_word: bool) -> bool:
    if tokens.in_hyphen_compound(last):
        return True
    return tokens.pos[last] in (UNIGRAM_POS if single_word else HEAD_POS)


def _breaks_order(roles: list[str], i: int, j: int) -> bool:
    """Links must follow a word; a determiner may only follow a link ("abuse of the ...")."""
    previous = roles[j - 1] if j > i else None
    if roles[j] == LINK:
        return previous != WORD
    return roles[j] == DET and previous != LINK


def iter_candidate_spans(doc: Doc, limits: SpanLimits = SpanLimits()) -> Iterator[Span]:
    """Every span of ``doc`` that matches a term pattern (overlapping spans included)."""
    for i, j in candidate_bounds(TokenTable.from_doc(doc), limits):
        yield doc[i:j]


def candidate_bounds(tokens: TokenTable, limits: SpanLimits = SpanLimits()) -> Iterator[tuple]:
    """(start, end) token offsets of every span matching a term pattern, in document order."""
    roles = [token_role(tokens, i) for i in range(len(tokens))]
    starts = _orth_starts(tokens, roles)
    may_start = MODIFIER_POS | UNIGRAM_POS
    for i in range(len(tokens)):
        if starts[i] and roles[i] == WORD and tokens.pos[i] in may_start:
            yield from _spans_from(tokens, i, roles, starts, limits)


def _spans_from(tokens: TokenTable, i, roles, starts, limits) -> Iterator[tuple]:
    words, links, orth_words = 0, 0, 0
    n_tokens = len(tokens)
    for j in range(i, n_tokens):
        role = roles[j]
        if role == STOP or (j > i and tokens.sent_start[j]) or _breaks_order(roles, i, j):
            return
        if starts[j] and role == WORD:
            orth_words += 1
        if role == WORD:
            words += 1
        elif role == LINK:
            links += 1
        if words > limits.max_words or links > limits.max_links:
            return
        # A span may end at a word where its orthographic word ends.
        if role != WORD or not (j + 1 >= n_tokens or starts[j + 1]):
            continue
        if _may_end(tokens, j, single_word=orth_words == 1):
            yield i, j + 1
