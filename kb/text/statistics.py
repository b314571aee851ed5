"""Corpus word statistics: document frequencies, and the distinctive terms two texts share."""

from __future__ import annotations

import math
from collections import Counter

from kb.text.words import STOPWORDS, term_words


def content_words(text: str) -> list[str]:
    """Lower-cased words worth comparing: no stopwords, no numbers, at least three letters."""
    return [w for w in (t.lower() for t in term_words(text)) if len(w) >= 3 and w not in STOPWORDS]


def term_set(text: str) -> set[str]:
    """Words and adjacent word pairs of a text (pairs catch "lead time", "change freeze")."""
    tokens = [t.lower() for t in term_words(text)]
    words = {w for w in tokens if len(w) >= 3 and w not in STOPWORDS}
    pairs = {
        f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False) if a in words and b in words
    }
    return words | pairs


def document_frequencies(texts) -> dict[str, int]:
    """Documents per term, terms of one document included: an index run then only adds and
    subtracts the terms of the documents it changed (`kb.index.changes`)."""
    df: Counter[str] = Counter()
    for text in texts:
        df.update(term_set(text))
    return dict(df)


def shared_terms(a: str, b: str, df: dict[str, int], documents: int, limit: int = 6) -> list[str]:
    """Terms both texts use, rarest in the corpus first; a word inside a chosen pair is dropped."""
    common = [t for t in term_set(a) & term_set(b) if df.get(t, 0) > 1]
    common.sort(key=lambda t: (-_idf(df[t], documents) * (1.5 if " " in t else 1.0), t))
    chosen: list[str] = []
    for term in common:
        if any(term in other.split() or term == other for other in chosen):
            continue
        if len(chosen) < limit and df[term] <= documents * 0.5:
            chosen.append(term)
    return chosen


def _idf(df: int, documents: int) -> float:
    return math.log((documents + 1) / (df + 0.5))
