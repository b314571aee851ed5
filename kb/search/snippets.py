"""Snippets that explain a hit: the sentences with the query's words, or the closest in meaning."""

from __future__ import annotations

import numpy as np

from kb.chunking import Span, sentence_spans
from kb.search.text import stem, words

SNIPPET_CHARS = 320


def term_matches(sentence: str, stems: set[str]) -> set[str]:
    return {stem(w) for w in words(sentence)} & stems


def best_sentence_by_terms(text: str, spans: list[Span], terms: list[str]) -> int | None:
    """Index of the sentence holding the most distinct query terms; None if none holds any."""
    stems = {stem(t) for t in terms}
    scores = [len(term_matches(text[s.start : s.end], stems)) for s in spans]
    best = max(range(len(spans)), key=lambda i: (scores[i], -i), default=None)
    return best if best is not None and scores[best] > 0 else None


def best_sentence_by_meaning(text: str, spans: list[Span], query: np.ndarray, embedder) -> int:
    sentences = [text[s.start : s.end] for s in spans[:12]]  # bounded: this runs per query
    vectors = embedder.encode(sentences)
    return int(np.argmax(vectors @ query))


def around(text: str, spans: list[Span], first: int, limit: int = SNIPPET_CHARS) -> str:
    """The chosen sentence, plus following ones while they fit, with ellipses where cut."""
    last = first
    while last + 1 < len(spans) and spans[last + 1].end - spans[first].start <= limit:
        last += 1
    snippet = text[spans[first].start : spans[last].end]
    if len(snippet) > limit:
        snippet = snippet[:limit].rsplit(" ", 1)[0] + " …"
    prefix = "… " if first > 0 else ""
    suffix = " …" if last + 1 < len(spans) and not snippet.endswith("…") else ""
    return prefix + snippet + suffix


def make_snippet(
    text: str, terms: list[str], query: np.ndarray | None = None, embedder=None
) -> tuple[str, str]:
    """(snippet, reason): reason is "terms" or "meaning" (or "" for the opening sentences)."""
    spans = sentence_spans(text)
    if not spans:
        return "", ""
    chosen = best_sentence_by_terms(text, spans, terms)
    if chosen is not None:
        return around(text, spans, chosen), "terms"
    if query is not None and embedder is not None:
        return around(
            text, spans, best_sentence_by_meaning(text, spans, query, embedder)
        ), "meaning"
    return around(text, spans, 0), ""
