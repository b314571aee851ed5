"""Snippets that explain a hit: the sentences with the query's words, or the closest in meaning."""

from __future__ import annotations

from bisect import bisect_right

import numpy as np

from kb.documents.chunking import Span, sentence_spans
from kb.text import term_spans

SNIPPET_CHARS = 320


def best_sentence_by_terms(text: str, spans: list[Span], terms: list[str]) -> int | None:
    """Index of the sentence holding the most distinct query terms; None if none holds any."""
    held: list[set[str]] = [set() for _ in spans]
    starts = [s.start for s in spans]
    for found in term_spans(text, terms):
        i = bisect_right(starts, found.start) - 1
        if i >= 0 and found.end <= spans[i].end:
            held[i].add(found.term)
    scores = [len(terms_held) for terms_held in held]
    best = max(range(len(spans)), key=lambda i: (scores[i], -i), default=None)
    return best if best is not None and scores[best] > 0 else None


MEANING_SENTENCES_PER_HIT = 6
MEANING_SENTENCES_PER_QUERY = 32  # one batched model call per search, bounded


def closest_sentences(texts: list[str], query: np.ndarray, embedder) -> list[int]:
    """For each text, the index of its sentence closest to the query, in one model call."""
    spans = [sentence_spans(text)[:MEANING_SENTENCES_PER_HIT] for text in texts]
    budget, batch, owners = MEANING_SENTENCES_PER_QUERY, [], []
    for i, (text, text_spans) in enumerate(zip(texts, spans, strict=True)):
        for span in text_spans[: max(0, budget)]:
            batch.append(text[span.start : span.end])
            owners.append(i)
        budget -= len(text_spans)
    best = [0] * len(texts)
    if not batch:
        return best
    scores = embedder.encode(batch) @ query
    top = [-2.0] * len(texts)
    position = [0] * len(texts)
    for owner, score in zip(owners, scores, strict=True):
        if score > top[owner]:
            top[owner], best[owner] = float(score), position[owner]
        position[owner] += 1
    return best


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


def term_snippet(text: str, terms: list[str]) -> str | None:
    """The snippet around the sentence with the most query terms; None if no sentence has any."""
    spans = sentence_spans(text)
    chosen = best_sentence_by_terms(text, spans, terms) if spans else None
    return None if chosen is None else around(text, spans, chosen)


def snippet_at(text: str, sentence: int) -> str:
    spans = sentence_spans(text)
    return around(text, spans, min(sentence, len(spans) - 1)) if spans else ""


def make_snippet(
    text: str, terms: list[str], query: np.ndarray | None = None, embedder=None
) -> tuple[str, str]:
    """(snippet, reason): reason is "terms", "meaning", or "" for the opening sentences."""
    found = term_snippet(text, terms)
    if found is not None:
        return found, "terms"
    if query is not None and embedder is not None:
        return snippet_at(text, closest_sentences([text], query, embedder)[0]), "meaning"
    return snippet_at(text, 0), ""
