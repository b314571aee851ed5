"""Candidate spans from POS tags: noun phrases, hyphenated compounds, `X of Y` phrases.

The patterns are deliberately generous (96-98% of the ACTER gold terms match one); the
scorer, not the pattern, decides what is a term. Spans never cut through a hyphenated
word such as "three-bladed" (but may cut at a slash or a possessive 's), never cross a line
break or sentence start, and never start or end on a function word.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

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

WORD, JOIN, LINK, DET, STOP = "word", "join", "link", "det", "stop"


@dataclass(frozen=True)
class SpanLimits:
    """Length limits; longer gold terms (long organisation names) are rare."""

    max_words: int = 7
    max_links: int = 2


def _is_wordlike(token: Token) -> bool:
    return any(char.isalnum() for char in token.text)


def _glued_left(token: Token) -> bool:
    return token.i > 0 and not token.nbor(-1).whitespace_


def _in_hyphen_compound(token: Token) -> bool:
    """A word part of "cut-in" or "turn-on-the-forehand", whatever its own POS."""
    doc = token.doc
    before = _glued_left(token) and doc[token.i - 1].text in HARD_JOINERS
    after = (
        not token.whitespace_ and token.i + 1 < len(doc) and doc[token.i + 1].text in HARD_JOINERS
    )
    return before or after


def token_role(token: Token) -> str:
    """Classify a token by what it may do inside a term."""
    lower = token.lower_
    if token.is_space or "\n" in token.text:
        return STOP
    if _is_wordlike(token) and (token.pos_ in UNIGRAM_POS or _in_hyphen_compound(token)):
        return WORD
    if lower in (HARD_JOINERS | SOFT_JOINERS) and _glued_left(token):
        return JOIN if (not token.whitespace_ or lower in SOFT_JOINERS) else STOP
    if lower in LINK_WORDS and token.pos_ in {"ADP", "CCONJ", "PART"}:
        return LINK
    return DET if lower in LINK_DETERMINERS else STOP


def _orth_starts(doc: Doc, roles: list[str]) -> list[bool]:
    """False where a token may not begin or follow the end of a span (inside a compound)."""
    starts = [True] * len(doc)
    for i in range(1, len(doc)):
        previous, current = doc[i - 1], doc[i]
        if previous.whitespace_ or current.lower_ in SOFT_JOINERS:
            continue
        hard = previous.text in HARD_JOINERS or current.text in HARD_JOINERS
        both_words = roles[i - 1] == WORD and roles[i] == WORD
        starts[i] = not (hard or both_words)
    return starts


def _may_start(token: Token, role: str) -> bool:
    return role == WORD and token.pos_ in MODIFIER_POS | UNIGRAM_POS


def _may_end(last: Token, single_word: bool) -> bool:
    if _in_hyphen_compound(last):
        return True
    return last.pos_ in (UNIGRAM_POS if single_word else HEAD_POS)


def _breaks_order(roles: list[str], i: int, j: int) -> bool:
    """Links must follow a word; a determiner may only follow a link ("abuse of the ...")."""
    previous = roles[j - 1] if j > i else None
    if roles[j] == LINK:
        return previous != WORD
    return roles[j] == DET and previous != LINK


def iter_candidate_spans(doc: Doc, limits: SpanLimits = SpanLimits()) -> Iterator[Span]:
    """Every span of ``doc`` that matches a term pattern (overlapping spans included)."""
    roles = [token_role(token) for token in doc]
    starts = _orth_starts(doc, roles)
    n_tokens = len(doc)
    for i in range(n_tokens):
        if starts[i] and _may_start(doc[i], roles[i]):
            yield from _spans_from(doc, i, roles, starts, limits, n_tokens)


def _spans_from(doc, i, roles, starts, limits, n_tokens) -> Iterator[Span]:
    words, links, orth_words = 0, 0, 0
    for j in range(i, n_tokens):
        role = roles[j]
        if role == STOP or (j > i and doc[j].is_sent_start) or _breaks_order(roles, i, j):
            return
        if starts[j] and role == WORD:
            orth_words += 1
        if role == WORD:
            words += 1
        elif role == LINK:
            links += 1
        if words > limits.max_words or links > limits.max_links:
            return
        if not _closes_term(doc, j, roles, starts, n_tokens):
            continue
        if _may_end(doc[j], single_word=orth_words == 1):
            yield doc[i : j + 1]


def _closes_term(doc: Doc, j: int, roles: list[str], starts: list[bool], n_tokens: int) -> bool:
    """A span may end at ``j`` if ``j`` is a word and the orthographic word ends there."""
    if roles[j] != WORD:
        return False
    return j + 1 >= n_tokens or starts[j + 1]
